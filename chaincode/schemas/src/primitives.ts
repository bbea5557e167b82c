import { FormatRegistry, Type, type TLiteral, type TSchema, type TString, type TUnion } from '@sinclair/typebox';

/*
 * The shared field rules, each once: every chaincode validates with these and every client's types come from them.
 * Patterns and the standard `date-time` format only, so the JSON Schema means the same to any validator (the
 * chaincode's metadata is compiled by fabric-contract-api's Ajv 6, the REST API's by Fastify's).
 */

const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * Epoch milliseconds of a UTC ISO-8601 instant, or undefined when it is not one. Date.parse alone rolls
 * 2026-02-30 over into March 2; a real calendar time survives the round trip through toISOString.
 */
export function utcInstantMillis(text: unknown): number | undefined {
    if (typeof text !== 'string' || !UTC_INSTANT.test(text)) {
        return undefined;
    }
    const millis = Date.parse(text);
    if (Number.isNaN(millis) || new Date(millis).toISOString().slice(0, 19) !== text.slice(0, 19)) {
        return undefined;
    }
    return millis;
}

// TypeBox checks `format` through its registry; JSON Schema readers take `date-time` (RFC 3339), the pattern narrows it to UTC.
FormatRegistry.Set('date-time', (text) => utcInstantMillis(text) !== undefined);

/** A UTC ISO-8601 instant such as `2026-05-01T00:00:00Z` (at most milliseconds); 2026-02-30 is refused. */
export const UtcInstant = (description = 'UTC ISO-8601 instant, e.g. 2026-05-01T00:00:00Z'): TString =>
    Type.String({ format: 'date-time', pattern: UTC_INSTANT.source, description });

/** Characters fabric-shim's createCompositeKey reserves (U+0000, U+10FFFF): text that may become a key part may not hold them. */
const NO_RESERVED = '^(?![\\s\\S]*(?:\\u0000|\\uDBFF\\uDFFF))[\\s\\S]*$';

/** Required text of bounded length. */
export const Text = (maxLength = 256, description?: string): TString =>
    Type.String({ minLength: 1, maxLength, pattern: NO_RESERVED, ...(description === undefined ? {} : { description }) });

/** The characters an identifier may hold: ids become parts of composite keys. */
export const IDENTIFIER_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:@/-]*$';

/** Letters, digits and . _ : @ / - (not first), bounded. */
export const Identifier = (maxLength = 128, description?: string): TString =>
    Type.String({ minLength: 1, maxLength, pattern: IDENTIFIER_PATTERN, ...(description === undefined ? {} : { description }) });

/** An organisation's MSP id. */
export const MspId = (description = 'MSP id of an organisation'): TString => Identifier(64, description);

/** A SHA-256 digest as 64 lower-case hex characters. */
export const SHA256_HEX_PATTERN = '^[0-9a-f]{64}$';
export const Digest = (description = 'SHA-256 digest, 64 lower-case hex characters'): TString =>
    Type.String({ pattern: SHA256_HEX_PATTERN, description });

/** The largest page any list returns. */
export const MAX_PAGE_SIZE = 1000;

/**
 * A page size as a transaction argument carries it: text, so that fabric-contract-api passes it through and the
 * chaincode refuses a bad one with INVALID_ARGUMENT (a declared number is converted before the contract runs).
 */
export const PageSizeText = Type.String({ pattern: '^(?=\\d{1,4}$)0*(?:[1-9]\\d{0,2}|1000)$', description: `page size, 1 to ${String(MAX_PAGE_SIZE)}, as text` });

/** Fabric's opaque pagination bookmark; empty for the first page. */
export const Bookmark = Type.String({ maxLength: 4096, description: 'bookmark of the previous page, empty for the first' });

/** The same rule under a name of its own (its `$id`), so that contract metadata can point at it. */
export const Named = <T extends TSchema>(id: string, schema: T): T => ({ ...schema, $id: id });

/** The transient entry `salt` of a transaction writing private records (docs/security/confidentiality.md, change 1). */
export const SaltText = Named('SaltText', Type.String({ pattern: '^[A-Za-z0-9+/]+={0,2}$', minLength: 24, maxLength: 88, description: 'salt of the private records: 16 to 64 random bytes, base64' }));

/** A closed list of strings as a schema: a union of its literals. */
export function OneOf<const T extends readonly string[]>(values: T, description: string): TUnion<TLiteral<T[number]>[]> {
    return Type.Union(
        values.map((value) => Type.Literal(value)),
        { description },
    );
}

/**
 * An enumeration from one literal list: the list (for loops, CLI help and checks) and its schema, taken apart as
 * `export const [KINDS, Kind] = Enumeration([...], '...')`; its type is then `Static<typeof Kind>` (a function cannot
 * declare a type, so that one line stays beside it).
 */
export function Enumeration<const T extends readonly string[]>(values: T, description: string): readonly [T, TUnion<TLiteral<T[number]>[]>] {
    return [values, OneOf(values, description)];
}
