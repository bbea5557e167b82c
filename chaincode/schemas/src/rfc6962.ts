import { createHash } from 'node:crypto';

/*
 * RFC 6962 (Certificate Transparency) tree hashing, the one definition chaincode and SDK share:
 * leaf hash = SHA-256(0x00 || item), node hash = SHA-256(0x01 || left || right). The SDK builds trees and proofs
 * (gateway-sdk/src/evidence/merkle.ts, packed for speed); the chaincode checks inclusion proofs. Both are tested
 * against rfc6962-vectors.json.
 */

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** SHA-256(0x00 || item). */
export function leafHash(item: Uint8Array): Buffer {
    return createHash('sha256').update(LEAF_PREFIX).update(item).digest();
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
    return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/**
 * The root an inclusion proof leads to (RFC 9162 section 2.1.3.2), or undefined when the proof
 * cannot belong to a tree of `treeSize` leaves (wrong length for that index and size).
 * Division instead of bit shifts keeps indexes above 2^31 exact.
 */
export function rootFromInclusionProof(item: Uint8Array, leafIndex: number, treeSize: number, proof: readonly Uint8Array[]): Buffer | undefined {
    if (leafIndex < 0 || leafIndex >= treeSize) {
        return undefined;
    }
    let fn = leafIndex;
    let sn = treeSize - 1;
    let hash = leafHash(item);
    for (const sibling of proof) {
        if (sn === 0) {
            return undefined;
        }
        if (fn % 2 === 1 || fn === sn) {
            hash = nodeHash(sibling, hash);
            while (fn % 2 === 0 && fn !== 0) {
                fn = Math.floor(fn / 2);
                sn = Math.floor(sn / 2);
            }
        } else {
            hash = nodeHash(hash, sibling);
        }
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
    }
    return sn === 0 ? hash : undefined;
}
