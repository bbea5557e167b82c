import { canonicalJson } from '../../schemas/src';
import { ChaincodeError, ErrorCode } from './errors';

/** The one way state and results are serialized: sorted keys, so every endorser writes the same bytes. */
export function toJSON(value: unknown): string {
    return canonicalJson(value);
}

export function marshal(value: unknown): Uint8Array {
    return Buffer.from(toJSON(value));
}

export function unmarshal<T>(bytes: Uint8Array, what: string): T {
    try {
        return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
    } catch (err) {
        throw new ChaincodeError(ErrorCode.CorruptState, `${what} is not valid JSON: ${String(err)}`);
    }
}

/**
 * The largest request any transaction takes (a lot of a thousand device certificates fits with room to spare):
 * a larger one is refused before it is parsed, so oversized input costs the endorser no work.
 */
export const MAX_ARGUMENT_LENGTH = 4 * 1024 * 1024;

/** Parses a JSON transaction argument, rejecting anything but an object. */
export function parseArgument<T extends object>(json: string, what: string): T {
    if (json.length > MAX_ARGUMENT_LENGTH) {
        throw new ChaincodeError(ErrorCode.InvalidArgument, `${what} is ${String(json.length)} characters long, more than the ${String(MAX_ARGUMENT_LENGTH)} any request may be`);
    }
    let value: unknown;
    try {
        value = JSON.parse(json);
    } catch {
        throw new ChaincodeError(ErrorCode.InvalidArgument, `${what} must be a JSON object`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new ChaincodeError(ErrorCode.InvalidArgument, `${what} must be a JSON object`);
    }
    return value as T;
}
