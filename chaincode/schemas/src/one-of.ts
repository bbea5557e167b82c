import { Type, type TLiteral, type TUnion } from '@sinclair/typebox';

/**
 * A closed list of strings as a schema: the list (for loops, CLI help and checks), the schema and the type all
 * come from one `as const` array.
 */
export function OneOf<const T extends readonly string[]>(values: T, description: string): TUnion<TLiteral<T[number]>[]> {
    return Type.Union(
        values.map((value) => Type.Literal(value)),
        { description },
    );
}
