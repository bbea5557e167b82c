import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GLOBAL_OPTIONS } from './context';

/*
 * The argument toolkit of every command group: strict parsing of one subcommand (global options allowed after
 * it) and the readers of its option values. Pure functions, tested without a network.
 */

/** A mistake in the command line: the group prints the command's usage and exits with 2. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'UsageError';
    }
}

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | undefined>;

/** Options and positionals of one subcommand, global options included. */
export interface ParsedCommand {
    values: Values;
    positionals: string[];
}

/**
 * Parses a subcommand's arguments strictly.
 * @param names - Names of the positionals, for the error message; a trailing `?` marks an optional one. More are refused.
 */
export function parseCommand(args: readonly string[], options: OptionSpecs, names: readonly string[]): ParsedCommand {
    let parsed: ParsedCommand;
    try {
        const { values, positionals } = parseArgs({ args: [...args], options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
        parsed = { values, positionals };
    } catch (err) {
        throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    const required = names.filter((n) => !n.endsWith('?')).length;
    const count = parsed.positionals.length;
    if (count < required || count > names.length) {
        const wanted = names.length === 0 ? 'no arguments' : names.map((n) => (n.endsWith('?') ? `[${n.slice(0, -1)}]` : `<${n}>`)).join(' ');
        throw new UsageError(`expected ${wanted}, got ${count === 0 ? 'none' : parsed.positionals.join(' ')}`);
    }
    return parsed;
}

/** A string option's value, if given. */
export function text(values: Values, name: string): string | undefined {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
}

/** A string option that must be given, and not empty. */
export function requiredText(values: Values, name: string): string {
    const value = text(values, name);
    if (value === undefined || value === '') {
        throw new UsageError(`--${name} is required`);
    }
    return value;
}

/** A repeatable string option's values (one given once counts too). */
export function list(values: Values, name: string): string[] {
    const value = values[name];
    return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

/** A positive integer option, if given. */
export function positiveInteger(values: Values, name: string): number | undefined {
    const value = text(values, name);
    if (value === undefined) {
        return undefined;
    }
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1) {
        throw new UsageError(`--${name} must be a positive integer (got ${value})`);
    }
    return n;
}
