import { createHash } from 'node:crypto';
import { decodeDigestInto, leafHash, MerkleTree, merkleRoot, nodeHash, rootFromProof, verifyInclusion } from './merkle';

// RFC 6962 section 2.1 straight from its definitions, independent of the code under test.
const sha256 = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
const k = (n: number): number => 2 ** Math.floor(Math.log2(n - 1));
const mth = (d: Buffer[]): Buffer =>
    d.length === 1 ? sha256(Buffer.from([0]), d[0] as Buffer) : sha256(Buffer.from([1]), mth(d.slice(0, k(d.length))), mth(d.slice(k(d.length))));
const path = (m: number, d: Buffer[]): Buffer[] =>
    d.length === 1 ? [] : m < k(d.length) ? [...path(m, d.slice(0, k(d.length))), mth(d.slice(k(d.length)))] : [...path(m - k(d.length), d.slice(k(d.length))), mth(d.slice(0, k(d.length)))];
const items = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => sha256(Buffer.from(`item-${String(i)}`)));
const hex = (bs: Buffer[]): string[] => bs.map((b) => b.toString('hex'));

describe('RFC 6962 Merkle trees', () => {
    it('hashes leaves with 0x00 and nodes with 0x01', () => {
        const [a, b] = items(2) as [Buffer, Buffer];
        expect(leafHash(a)).toEqual(sha256(Buffer.from([0]), a));
        expect(nodeHash(a, b)).toEqual(sha256(Buffer.from([1]), a, b));
    });

    it('matches a fixed vector: three leaves "a", "b", "c"', () => {
        const d = ['a', 'b', 'c'].map((s) => sha256(Buffer.from(s)));
        const expected = sha256(Buffer.from([1]), sha256(Buffer.from([1]), leafHash(d[0] as Buffer), leafHash(d[1] as Buffer)), leafHash(d[2] as Buffer));
        expect(merkleRoot(hex(d))).toBe(expected.toString('hex'));
    });

    it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 32, 33])('builds the root and every audit path of a %i-leaf tree as the RFC defines them', (n) => {
        const d = items(n);
        const tree = new MerkleTree(hex(d));
        expect(tree.size).toBe(n);
        expect(tree.root).toBe(mth(d).toString('hex'));
        for (let m = 0; m < n; m += 1) {
            expect(tree.proof(m)).toEqual(hex(path(m, d)));
            expect(verifyInclusion(hex(d)[m] ?? '', m, n, tree.proof(m), tree.root)).toBe(true);
        }
    });

    it('rejects altered items, indexes, sizes and paths', () => {
        const d = hex(items(9));
        const tree = new MerkleTree(d);
        const proof = tree.proof(8);
        const other = sha256(Buffer.from('x')).toString('hex');
        expect(verifyInclusion(other, 8, 9, proof, tree.root)).toBe(false);
        expect(verifyInclusion(d[8] ?? '', 7, 9, proof, tree.root)).toBe(false);
        expect(verifyInclusion(d[8] ?? '', 8, 10, proof, tree.root)).toBe(false);
        expect(rootFromProof(d[8] ?? '', 8, 9, [...proof, other])).toBeUndefined();
        expect(rootFromProof(d[8] ?? '', 9, 9, proof)).toBeUndefined();
        expect(() => rootFromProof(d[8] ?? '', 8, 9, ['zz'])).toThrow(/proof\[0\] must be a SHA-256 digest/);
    });

    it('refuses an empty tree, bad digests and leaves out of range', () => {
        expect(() => new MerkleTree([])).toThrow(TypeError);
        expect(() => new MerkleTree(['ABC'])).toThrow(/item 0 must be a SHA-256 digest/);
        expect(() => new MerkleTree(hex(items(3))).proof(3)).toThrow(RangeError);
    });

    it('builds a 50,000-leaf tree and its proofs quickly', () => {
        const d = Array.from({ length: 50_000 }, (_, i) => createHash('sha256').update(String(i)).digest('hex'));
        const started = process.hrtime.bigint();
        const tree = new MerkleTree(d);
        const proofs = d.map((_, i) => tree.proof(i));
        const millis = Number(process.hrtime.bigint() - started) / 1e6;
        expect(proofs[0]).toHaveLength(16);
        expect(verifyInclusion(d[12_345] ?? '', 12_345, d.length, proofs[12_345] ?? [], tree.root)).toBe(true);
        expect(millis).toBeLessThan(5000);
    });

    it('builds the same tree from digests packed 32 bytes each, and refuses a ragged packing', () => {
        const d = items(13);
        const packed = new MerkleTree(Buffer.concat(d));
        const fromHex = new MerkleTree(hex(d));
        expect([packed.size, packed.root]).toEqual([13, fromHex.root]);
        expect(packed.proof(12)).toEqual(fromHex.proof(12));
        expect(() => new MerkleTree(new Uint8Array(33))).toThrow(/multiple of 32 bytes/);
        expect(() => new MerkleTree(new Uint8Array(0))).toThrow(TypeError);
    });

    it('checks and decodes hex digests in one pass: lower-case hex, 64 characters, nothing else', () => {
        const target = Buffer.alloc(40);
        const [digest] = hex(items(1)) as [string];
        expect(decodeDigestInto(digest, target, 8)).toBe(true);
        expect(target.subarray(8).toString('hex')).toBe(digest);
        for (const bad of [digest.toUpperCase(), digest.slice(1), `${digest}0`, `${digest.slice(0, 63)}g`, `${digest.slice(0, 63)}\u0660`, ' '.repeat(64)]) {
            expect(decodeDigestInto(bad, Buffer.alloc(32), 0)).toBe(false);
        }
    });
});
