import { createHash } from 'node:crypto';

/*
 * An independent RFC 6962 section 2.1 implementation for tests, written straight from the definitions (MTH, PATH),
 * so the iterative verifier that chaincode and SDK share is checked against the spec rather than against itself.
 */

export const sha256 = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();

/** The largest power of two smaller than n. */
const splitPoint = (n: number): number => 2 ** Math.floor(Math.log2(n - 1));

/** MTH(D[n]): the Merkle tree hash of the leaves d. */
export const mth = (d: Buffer[]): Buffer =>
    d.length === 1 ? sha256(Buffer.from([0]), d[0] as Buffer) : sha256(Buffer.from([1]), mth(d.slice(0, splitPoint(d.length))), mth(d.slice(splitPoint(d.length))));

/** PATH(m, D[n]): the inclusion proof of leaf m. */
export const path = (m: number, d: Buffer[]): Buffer[] => {
    if (d.length === 1) {
        return [];
    }
    const k = splitPoint(d.length);
    return m < k ? [...path(m, d.slice(0, k)), mth(d.slice(k))] : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
};
