import * as crypto from 'node:crypto';
import { rootFromInclusionProof } from '@edgetrust/schemas';

/*
 * RFC 6962 Merkle trees (RFC 9162 section 2.1): leaf hash = SHA-256(0x00 || item digest),
 * node hash = SHA-256(0x01 || left || right), the left subtree holding the largest power of two
 * below n leaves. Building level by level and carrying an unpaired last node up unchanged gives
 * exactly that shape, so one pass builds the tree and every audit path is read off the levels.
 *
 * Batches hold tens of thousands of items, so a tree keeps each level packed in one Buffer
 * (32 bytes a hash) and makes hex only for the hashes a proof or the root actually shows.
 */

const HASH_BYTES = 32;
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
const SHA256_HEX = /^[0-9a-f]{64}$/;

// One native call per hash where Node has crypto.hash (20.12 and later); a Hash object per call before.
const oneShotHash = (crypto as { hash?: typeof crypto.hash }).hash;
const sha256: (data: Uint8Array) => Buffer =
    oneShotHash === undefined
        ? (data): Buffer => crypto.createHash('sha256').update(data).digest()
        : (data): Buffer => oneShotHash('sha256', data, 'buffer');

// The per-hash definitions are the schema package's, shared with the chaincode; this module adds the packed
// level-by-level tree for large batches.
export { leafHash, nodeHash } from '@edgetrust/schemas';

/** Value of each lower-case hex digit by character code; -1 for every other character. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let c = 0; c < 16; c += 1) {
    HEX_VALUE['0123456789abcdef'.charCodeAt(c)] = c;
}

/**
 * Checks and decodes a hex SHA-256 digest in one pass (twice as fast as a regular expression and then
 * Buffer.write, which matters at hundreds of thousands of digests a second).
 * @param digest - 64 lower-case hex characters.
 * @param target - Receives the 32 bytes at `offset`; bytes already written stay there when it is malformed.
 * @returns Whether `digest` was well formed.
 */
export function decodeDigestInto(digest: string, target: Uint8Array, offset: number): boolean {
    if (digest.length !== 2 * HASH_BYTES) {
        return false;
    }
    for (let i = 0; i < HASH_BYTES; i += 1) {
        const high = HEX_VALUE[digest.charCodeAt(2 * i)] ?? -1;
        const low = HEX_VALUE[digest.charCodeAt(2 * i + 1)] ?? -1;
        if (high < 0 || low < 0) {
            return false;
        }
        target[offset + i] = (high << 4) | low;
    }
    return true;
}

/**
 * Parses a SHA-256 digest given as 64 lower-case hex characters.
 * @throws TypeError when it is not one.
 */
export function digestBytes(digest: string, what = 'digest'): Buffer {
    if (!SHA256_HEX.test(digest)) {
        throw notADigest(digest, what);
    }
    return Buffer.from(digest, 'hex');
}

/** The error for a malformed digest, shared by every place that checks one. */
export function notADigest(digest: unknown, what: string): TypeError {
    return new TypeError(`${what} must be a SHA-256 digest: 64 lower-case hex characters, got ${JSON.stringify(digest)}`);
}

/**
 * An RFC 6962 Merkle tree over item digests, built once; the root and every inclusion proof are then cheap.
 * @example
 * const tree = new MerkleTree(digests);
 * const proof = tree.proof(3); // verifyInclusion(digests[3], 3, tree.size, proof, tree.root) === true
 */
export class MerkleTree {
    /** levels[0] holds the leaf hashes, the last level the root alone; 32 bytes a hash. */
    readonly #levels: Buffer[];
    /** Number of hashes on each level. */
    readonly #counts: number[];
    readonly #hex: (string | undefined)[][];

    /**
     * @param itemDigests - The items' SHA-256 digests in leaf order, at least one: hex strings, or the
     *   raw digests packed one after another, 32 bytes each (as a batcher collects them).
     * @throws TypeError for an empty list or a malformed digest.
     */
    constructor(itemDigests: readonly string[] | Uint8Array) {
        const packed = itemDigests instanceof Uint8Array ? checkPacked(itemDigests) : packDigests(itemDigests);
        let level = hashLeaves(packed);
        let count = packed.length / HASH_BYTES;
        this.#levels = [level];
        this.#counts = [count];
        while (count > 1) {
            level = hashLevel(level, count);
            count = Math.ceil(count / 2);
            this.#levels.push(level);
            this.#counts.push(count);
        }
        this.#hex = this.#counts.map((n) => new Array<string | undefined>(n));
    }

    /** Number of leaves. */
    get size(): number {
        return this.#counts[0] ?? 0;
    }

    /** The tree head, hex. */
    get root(): string {
        return this.#hexAt(this.#levels.length - 1, 0);
    }

    /**
     * The audit path of one leaf, leaf to root, hex.
     * @param leafIndex - Zero-based index of the leaf.
     * @throws RangeError when there is no such leaf.
     */
    proof(leafIndex: number): string[] {
        if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= this.size) {
            throw new RangeError(`leaf index ${String(leafIndex)} is outside a tree of ${String(this.size)} leaves`);
        }
        const path: string[] = [];
        let index = leafIndex;
        for (let level = 0; level < this.#levels.length - 1; level += 1) {
            const sibling = index % 2 === 1 ? index - 1 : index + 1;
            if (sibling < (this.#counts[level] ?? 0)) {
                path.push(this.#hexAt(level, sibling));
            }
            index = (index - (index % 2)) / 2;
        }
        return path;
    }

    // Hex is made on first use and kept: siblings high in the tree appear in many proofs.
    #hexAt(level: number, index: number): string {
        const cache = this.#hex[level] ?? [];
        let hex = cache[index];
        if (hex === undefined) {
            const offset = index * HASH_BYTES;
            hex = this.#levels[level]?.toString('hex', offset, offset + HASH_BYTES) ?? '';
            cache[index] = hex;
        }
        return hex;
    }
}

function checkPacked(packed: Uint8Array): Buffer {
    if (packed.byteLength === 0 || packed.byteLength % HASH_BYTES !== 0) {
        throw new TypeError(`packed digests must be a non-empty multiple of ${String(HASH_BYTES)} bytes, got ${String(packed.byteLength)}`);
    }
    return Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
}

function packDigests(itemDigests: readonly string[]): Buffer {
    if (itemDigests.length === 0) {
        throw new TypeError('a Merkle tree needs at least one item');
    }
    const packed = Buffer.allocUnsafe(itemDigests.length * HASH_BYTES);
    itemDigests.forEach((digest, i) => {
        if (!decodeDigestInto(digest, packed, i * HASH_BYTES)) {
            throw notADigest(digest, `item ${String(i)}`);
        }
    });
    return packed;
}

/** SHA-256(0x00 || d) of every packed digest, through one reused input buffer. */
function hashLeaves(packed: Buffer): Buffer {
    const count = packed.length / HASH_BYTES;
    const hashes = Buffer.allocUnsafe(packed.length);
    const input = Buffer.allocUnsafe(1 + HASH_BYTES);
    input[0] = LEAF_PREFIX;
    for (let i = 0, offset = 0; i < count; i += 1, offset += HASH_BYTES) {
        packed.copy(input, 1, offset, offset + HASH_BYTES);
        hashes.set(sha256(input), offset);
    }
    return hashes;
}

/** The level above `count` packed hashes: SHA-256(0x01 || left || right) per pair, an unpaired last hash carried up. */
function hashLevel(below: Buffer, count: number): Buffer {
    const parents = Math.ceil(count / 2);
    const hashes = Buffer.allocUnsafe(parents * HASH_BYTES);
    const input = Buffer.allocUnsafe(1 + 2 * HASH_BYTES);
    input[0] = NODE_PREFIX;
    for (let pair = 0; pair < count - 1; pair += 2) {
        below.copy(input, 1, pair * HASH_BYTES, (pair + 2) * HASH_BYTES);
        hashes.set(sha256(input), (pair / 2) * HASH_BYTES);
    }
    if (count % 2 === 1) {
        below.copy(hashes, (parents - 1) * HASH_BYTES, (count - 1) * HASH_BYTES, count * HASH_BYTES);
    }
    return hashes;
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
    if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize)) {
        return undefined;
    }
    const item = digestBytes(itemDigest, 'itemDigest');
    const path = proof.map((sibling, i) => digestBytes(sibling, `proof[${String(i)}]`));
    return rootFromInclusionProof(item, leafIndex, treeSize, path)?.toString('hex');
}

/**
 * Whether an inclusion proof shows that an item is leaf `leafIndex` of the tree with this root.
 * @returns true only for a proof that leads exactly to `root`.
 */
export function verifyInclusion(itemDigest: string, leafIndex: number, treeSize: number, proof: readonly string[], root: string): boolean {
    return rootFromProof(itemDigest, leafIndex, treeSize, proof) === root;
}
