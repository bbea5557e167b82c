import { leafHash, nodeHash, rootFromInclusionProof } from './rfc6962';
// The spec's own definitions, independent of the code under test.
import { mth, path, sha256 } from './testing/rfc6962-reference';

const items = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => sha256(Buffer.from(`item-${String(i)}`)));

describe('RFC 6962 inclusion proofs', () => {
    it('hashes leaves and nodes with the 0x00 / 0x01 prefixes', () => {
        const d = items(2);
        expect(leafHash(d[0] as Buffer)).toEqual(sha256(Buffer.from([0]), d[0] as Buffer));
        expect(nodeHash(d[0] as Buffer, d[1] as Buffer)).toEqual(sha256(Buffer.from([1]), d[0] as Buffer, d[1] as Buffer));
    });

    it('matches a fixed vector: two leaves "a" and "b"', () => {
        const a = sha256(Buffer.from('a'));
        const b = sha256(Buffer.from('b'));
        const root = rootFromInclusionProof(b, 1, 2, [leafHash(a)]);
        expect(root?.toString('hex')).toBe(mth([a, b]).toString('hex'));
        expect(root?.toString('hex')).toHaveLength(64);
    });

    it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 17])('accepts every leaf of a %i-leaf tree and leads to the root', (n) => {
        const d = items(n);
        const root = mth(d);
        for (let m = 0; m < n; m += 1) {
            expect(rootFromInclusionProof(d[m] as Buffer, m, n, path(m, d))).toEqual(root);
        }
    });

    it.each([3, 5, 8, 9])('rejects altered proofs in a %i-leaf tree', (n) => {
        const d = items(n);
        const root = mth(d);
        const proof = path(n - 1, d);
        const other = sha256(Buffer.from('altered'));
        expect(rootFromInclusionProof(other, n - 1, n, proof)).not.toEqual(root);
        expect(rootFromInclusionProof(d[n - 1] as Buffer, 0, n, proof)).not.toEqual(root);
        expect(rootFromInclusionProof(d[n - 1] as Buffer, n - 1, n, [...proof, other])).toBeUndefined();
        expect(rootFromInclusionProof(d[n - 1] as Buffer, n - 1, n, proof.slice(1))).not.toEqual(root);
        expect(rootFromInclusionProof(d[n - 1] as Buffer, n, n, proof)).toBeUndefined();
    });
});
