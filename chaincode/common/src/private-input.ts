import type { Context } from 'fabric-contract-api';
import { invalidArgument } from './errors';
import { parseArgument } from './json';

/*
 * Confidential inputs (issue 9, finding 8). What a transaction writes to a private data collection arrives in the
 * transient map, which Fabric strips from the transaction, so it never reaches a block. Every private value carries
 * a random salt chosen by the client: Fabric puts SHA-256 of each private value on every peer, and a value whose
 * fields are guessable could otherwise be confirmed against that hash. The chaincode cannot draw the salt itself
 * (every endorser must write the same bytes).
 */

/** 16 to 64 random bytes as lower-case hex. */
const SALT_HEX = /^(?:[0-9a-f]{2}){16,64}$/;

/** A salt as sent by the client; throws INVALID_ARGUMENT unless it is 16 to 64 bytes of lower-case hex. */
export function requireSalt(value: unknown, field: string): string {
    if (typeof value !== 'string' || !SALT_HEX.test(value)) {
        throw invalidArgument(`${field} must be 16 to 64 random bytes as lower-case hex`);
    }
    return value;
}

/** The JSON object in transient entry `name`; throws INVALID_ARGUMENT when it is missing or not an object. */
export function readTransientJSON<T extends object>(ctx: Context, name: string, shape: string): Partial<T> {
    const bytes = ctx.stub.getTransient().get(name);
    if (bytes === undefined || bytes.length === 0) {
        throw invalidArgument(`transient entry "${name}" is required: ${shape}`);
    }
    return parseArgument<Partial<T>>(Buffer.from(bytes).toString('utf8'), `transient ${name}`);
}
