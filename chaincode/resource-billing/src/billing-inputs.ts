import { createPublicKey } from 'node:crypto';
import { invalidArgument, requireIdentifier, requireText } from '../../common/src';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** An instant as ISO-8601 UTC (`2026-01-01T00:00:00.000Z`), as epoch milliseconds: the rule every chaincode shares. */
export { requireInstantMillis as requireInstant } from '../../common/src';

export function isoInstant(millis: number): string {
    return new Date(millis).toISOString();
}

/** Base64 text whose decoded length is within bounds. */
export function requireBase64(value: unknown, field: string, { minBytes = 1, maxBytes = 65_536 } = {}): string {
    if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64.test(value)) {
        throw invalidArgument(`${field} must be base64`);
    }
    const length = Buffer.from(value, 'base64').length;
    if (length < minBytes || length > maxBytes) {
        throw invalidArgument(`${field} must decode to ${String(minBytes)} to ${String(maxBytes)} bytes`);
    }
    return value;
}

/** An ECDSA/ECDH P-256 public key as SPKI PEM; returned re-encoded so every endorser stores the same text. */
export function requireP256PublicKey(value: unknown, field: string): string {
    const pem = requireText(value, field, 1024);
    try {
        const key = createPublicKey(pem);
        if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
            throw new Error('not P-256');
        }
        return key.export({ type: 'spki', format: 'pem' }).toString();
    } catch {
        throw invalidArgument(`${field} must be a P-256 public key in SPKI PEM`);
    }
}

export function requireMspId(value: unknown, field: string): string {
    return requireIdentifier(value, field, 64);
}

/** A small string-to-string map (resource attributes, listing configuration). */
export function requireAttributes(value: unknown, field: string, maxEntries = 32): Record<string, string> {
    if (value === undefined || value === null) {
        return {};
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
        throw invalidArgument(`${field} must be an object of strings`);
    }
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length > maxEntries) {
        throw invalidArgument(`${field} has more than ${String(maxEntries)} entries`);
    }
    const result: Record<string, string> = {};
    for (const [name, text] of entries) {
        result[requireIdentifier(name, `${field} key`, 64)] = requireText(text, `${field}.${name}`, 512);
    }
    return result;
}

/** A request field that must be a JSON object. */
export function requireObject<T extends object>(value: unknown, field: string): Partial<T> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw invalidArgument(`${field} must be an object`);
    }
    return value;
}

/** A whole number passed as a transaction argument (arguments are strings on the wire). */
export function parseCountArgument(value: string, field: string, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
    if (typeof value !== 'string' || !/^\d{1,16}$/.test(value)) {
        throw invalidArgument(`${field} must be a whole number`);
    }
    const count = Number(value);
    if (count < min || count > max) {
        throw invalidArgument(`${field} must be an integer from ${String(min)} to ${String(max)}`);
    }
    return count;
}
