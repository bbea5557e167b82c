import { invalidArgument } from './errors';
import { utcInstantMillis } from '../../schemas/src';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/;
// fabric-shim's createCompositeKey throws an uncoded error on these: refuse them as bad input instead.
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what must be refused
const RESERVED = /[\u0000\u{10ffff}]/u;

/** A required string of bounded length. */
export function requireText(value: unknown, field: string, maxLength = 256): string {
    if (typeof value !== 'string' || value.length === 0) {
        throw invalidArgument(`${field} is required`);
    }
    if (value.length > maxLength) {
        throw invalidArgument(`${field} is longer than ${String(maxLength)} characters`);
    }
    if (RESERVED.test(value)) {
        throw invalidArgument(`${field} may not hold U+0000 or U+10FFFF, which the ledger reserves for composite keys`);
    }
    return value;
}

export function optionalText(value: unknown, field: string, maxLength = 256): string | undefined {
    return value === undefined || value === null || value === '' ? undefined : requireText(value, field, maxLength);
}

/** Ids become parts of composite keys, so they may not hold the key separator or control characters. */
export function requireIdentifier(value: unknown, field: string, maxLength = 128): string {
    const text = requireText(value, field, maxLength);
    if (!IDENTIFIER.test(text)) {
        throw invalidArgument(`${field} may hold only letters, digits and . _ : @ / - (got ${JSON.stringify(text)})`);
    }
    return text;
}

/** A SHA-256 digest as 64 lower-case hex characters. */
export function requireDigest(value: unknown, field: string): string {
    if (typeof value !== 'string' || !SHA256_HEX.test(value)) {
        throw invalidArgument(`${field} must be a SHA-256 digest: 64 lower-case hex characters`);
    }
    return value;
}

/** A non-negative safe integer (money is always in integer minor units). */
export function requireCount(value: unknown, field: string, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
        throw invalidArgument(`${field} must be an integer from ${String(min)} to ${String(max)}`);
    }
    return value;
}

export function requireOneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
        throw invalidArgument(`${field} must be one of ${allowed.join(', ')}`);
    }
    return value as T;
}

export function requireTags(value: unknown, field: string, { maxCount = 16, maxLength = 64 } = {}): string[] {
    if (value === undefined || value === null) {
        return [];
    }
    if (!Array.isArray(value) || value.length > maxCount) {
        throw invalidArgument(`${field} must be an array of at most ${String(maxCount)} identifiers`);
    }
    const tags = value.map((tag, i) => requireIdentifier(tag, `${field}[${String(i)}]`, maxLength));
    return [...new Set(tags)].sort();
}

/**
 * A UTC ISO-8601 instant (`2026-05-01T00:00:00Z`, at most milliseconds), as epoch milliseconds. Impossible
 * calendar times (2026-02-30, which Date would roll over into March) are refused: the rule is the schema
 * package's `UtcInstant`, the same for every chaincode and client.
 */
export function requireInstantMillis(value: unknown, field: string): number {
    const millis = utcInstantMillis(value);
    if (millis === undefined) {
        throw invalidArgument(`${field} must be a UTC ISO-8601 time such as 2026-05-01T00:00:00Z`);
    }
    return millis;
}

/** A UTC ISO-8601 instant normalized to milliseconds (`2026-05-01T00:00:00.000Z`), so that keys built from it sort by time. */
export function requireTimestamp(value: unknown, field: string): string {
    return new Date(requireInstantMillis(value, field)).toISOString();
}

/** An optional UTC ISO-8601 instant, normalized to milliseconds; '' if absent. */
export function optionalTimestamp(value: unknown, field: string): string {
    return value === undefined || value === null || value === '' ? '' : requireTimestamp(value, field);
}
