import { randomBytes } from 'node:crypto';
import { SALT_TRANSIENT_KEY } from '@edgetrust/schemas';

/** Bytes of every salt the SDK draws: twice the chaincode's minimum (SALT_MIN_BYTES). */
const SALT_BYTES = 32;

/**
 * A fresh salt for the private records of one transaction, base64, and the transient entry that carries it. The
 * chaincode stores it with every private value so that the value's public hash cannot confirm a guess; it cannot
 * draw the salt itself (every endorser must write the same bytes), so the client does.
 */
export function freshSalt(): { salt: string; transientData: Record<typeof SALT_TRANSIENT_KEY, Uint8Array> } {
    const salt = randomBytes(SALT_BYTES).toString('base64');
    return { salt, transientData: { [SALT_TRANSIENT_KEY]: Buffer.from(salt, 'utf8') } };
}
