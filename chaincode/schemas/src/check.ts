import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';

/*
 * Deterministic validation against a schema: TypeBox compiles each schema once into a plain function (no I/O, no
 * clock, no randomness), so every endorser gives the same answer. Compiled checks are kept per schema object.
 */

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerOf<T extends TSchema>(schema: T): TypeCheck<T> {
    let check = compiled.get(schema);
    if (check === undefined) {
        check = TypeCompiler.Compile(schema);
        compiled.set(schema, check);
    }
    return check as TypeCheck<T>;
}

/** Whether `value` has the shape of `schema`. */
export function conforms<T extends TSchema>(schema: T, value: unknown): value is Static<T> {
    return checkerOf(schema).Check(value);
}

/** The first reason `value` does not fit `schema` (`field: message`, field as a dotted path), or undefined. */
export function firstViolation(schema: TSchema, value: unknown, what: string): string | undefined {
    const check = checkerOf(schema);
    if (check.Check(value)) {
        return undefined;
    }
    const error = check.Errors(value).First();
    if (error === undefined) {
        return `${what} is malformed`;
    }
    const path = error.path.split('/').filter((part) => part !== '').join('.');
    const field = path === '' ? what : `${what}.${path}`;
    const rule = error.schema.description === undefined ? error.message : `${error.message} (${error.schema.description})`;
    return `${field}: ${rule}`;
}
