import { createHash } from 'node:crypto';

/*
 * RFC 6962 Merkle trees (RFC 9162 section 2.1): leaf hash = SHA-256(0x00 || item digest),
 * node hash = SHA-256(0x01 || left || right), the left subtree holding the largest power of two
 * below n leaves. Building level by level and carrying an unpaired last node up unchanged gives
 * exactly that shape, so one pass builds the tree and every audit path is read off the levels.
 */

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The RFC 6962 leaf hash of an item digest.
 * @param itemDigest - The item's SHA-256 digest (32 bytes).
 * @returns SHA-256(0x00 || itemDigest).
 */
export function leafHash(itemDigest: Uint8Array): Buffer {
    return createHash('sha256').update(LEAF_PREFIX).update(itemDigest).digest();
}

/**
 * The RFC 6962 hash of an interior node.
 * @param left - Hash of the left child.
 * @param right - Hash of the right child.
 * @returns SHA-256(0x01 || left || right).
 */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
    return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/**
 * Parses a SHA-256 digest given as 64 lower-case hex characters.
 * @throws {@link TypeError} when it is not one.
 */
export function digestBytes(digest: string, what = 'digest'): Buffer {
    if (!SHA256_HEX.test(digest)) {
        throw new TypeError(`${what} must be a SHA-256 digest: 64 lower-case hex characters, got ${JSON.stringify(digest)}`);
    }
    return Buffer.from(digest, 'hex');
}

/**
 * An RFC 6962 Merkle tree over item digests, built once; the root and every inclusion proof are then cheap.
 * @example
 * const tree = new MerkleTree(digests);
 * const proof = tree.proof(3); // verifyInclusion(digests[3], 3, tree.size, proof, tree.root) === true
 */
export class MerkleTree {
    /** levels[0] holds the leaf hashes, the last level the root alone. */
    readonly #levels: Buffer[][];
    readonly #hex: (string | undefined)[][];

    /**
     * @param itemDigests - Hex SHA-256 digests of the items, in leaf order; at least one.
     * @throws {@link TypeError} for an empty list or a malformed digest.
     */
    constructor(itemDigests: readonly string[]) {
        if (itemDigests.length === 0) {
            throw new TypeError('a Merkle tree needs at least one item');
        }
        const levels = [itemDigests.map((d, i) => leafHash(digestBytes(d, `item ${String(i)}`)))];
        for (let level = levels[0] ?? []; level.length > 1; ) {
            level = nextLevel(level);
            levels.push(level);
        }
        this.#levels = levels;
        this.#hex = levels.map((level) => new Array<string | undefined>(level.length));
    }

    /** Number of leaves. */
    get size(): number {
        return this.#levels[0]?.length ?? 0;
    }

    /** The tree head, hex. */
    get root(): string {
        return this.#hexAt(this.#levels.length - 1, 0);
    }

    /**
     * The audit path of one leaf, leaf to root, hex.
     * @param leafIndex - Zero-based index of the leaf.
     * @throws {@link RangeError} when there is no such leaf.
     */
    proof(leafIndex: number): string[] {
        if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= this.size) {
            throw new RangeError(`leaf index ${String(leafIndex)} is outside a tree of ${String(this.size)} leaves`);
        }
        const path: string[] = [];
        let index = leafIndex;
        for (let level = 0; level < this.#levels.length - 1; level += 1) {
            const sibling = index % 2 === 1 ? index - 1 : index + 1;
            if (sibling < (this.#levels[level]?.length ?? 0)) {
                path.push(this.#hexAt(level, sibling));
            }
            index = Math.floor(index / 2);
        }
        return path;
    }

    // Hex is made on first use and kept: siblings high in the tree appear in many proofs.
    #hexAt(level: number, index: number): string {
        const cache = this.#hex[level] ?? [];
        const hex = cache[index] ?? this.#levels[level]?.[index]?.toString('hex') ?? '';
        cache[index] = hex;
        return hex;
    }
}

function nextLevel(level: Buffer[]): Buffer[] {
    const next: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
        next.push(nodeHash(level[i] as Buffer, level[i + 1] as Buffer));
    }
    if (level.length % 2 === 1) {
        next.push(level[level.length - 1] as Buffer);
    }
    return next;
}

/**
 * The RFC 6962 root of a list of item digests.
 * @param itemDigests - Hex SHA-256 digests, at least one.
 * @returns The root, hex.
 */
export function merkleRoot(itemDigests: readonly string[]): string {
    return new MerkleTree(itemDigests).root;
}

/**
 * The root an inclusion proof leads to (RFC 9162 section 2.1.3.2), or undefined when the proof's
 * length does not fit the leaf index and tree size.
 * @param itemDigest - Hex digest of the item.
 * @param leafIndex - Its zero-based index.
 * @param treeSize - Number of leaves in the tree.
 * @param proof - Audit path, leaf to root, hex.
 */
export function rootFromProof(itemDigest: string, leafIndex: number, treeSize: number, proof: readonly string[]): string | undefined {
    if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) {
        return undefined;
    }
    let fn = leafIndex;
    let sn = treeSize - 1;
    let hash = leafHash(digestBytes(itemDigest, 'itemDigest'));
    for (const [i, sibling] of proof.entries()) {
        if (sn === 0) {
            return undefined;
        }
        const bytes = digestBytes(sibling, `proof[${String(i)}]`);
        if (fn % 2 === 1 || fn === sn) {
            hash = nodeHash(bytes, hash);
            while (fn % 2 === 0 && fn !== 0) {
                fn = Math.floor(fn / 2);
                sn = Math.floor(sn / 2);
            }
        } else {
            hash = nodeHash(hash, bytes);
        }
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
    }
    return sn === 0 ? hash.toString('hex') : undefined;
}

/**
 * Whether an inclusion proof shows that an item is leaf `leafIndex` of the tree with this root.
 * @returns true only for a proof that leads exactly to `root`.
 */
export function verifyInclusion(itemDigest: string, leafIndex: number, treeSize: number, proof: readonly string[], root: string): boolean {
    return rootFromProof(itemDigest, leafIndex, treeSize, proof) === root;
}
