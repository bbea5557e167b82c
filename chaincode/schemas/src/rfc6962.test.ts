import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { leafHash, nodeHash, rootFromInclusionProof } from './rfc6962';

const vectors = JSON.parse(readFileSync(join(__dirname, 'rfc6962-vectors.json'), 'utf8')) as { leaves: string[]; emptyLeafHash: string; roots: string[] };

const leaves = vectors.leaves.map((hex) => Buffer.from(hex, 'hex'));

/** RFC 6962 section 2.1 as written: MTH(D[n]) splits at the largest power of two below n. */
function treeHead(items: Buffer[]): Buffer {
    if (items.length === 1) {
        return leafHash(items[0]!);
    }
    let k = 1;
    while (k * 2 < items.length) {
        k *= 2;
    }
    return nodeHash(treeHead(items.slice(0, k)), treeHead(items.slice(k)));
}

/** RFC 6962 section 2.1.1 PATH(m, D[n]). */
function auditPath(m: number, items: Buffer[]): Buffer[] {
    if (items.length === 1) {
        return [];
    }
    let k = 1;
    while (k * 2 < items.length) {
        k *= 2;
    }
    return m < k ? [...auditPath(m, items.slice(0, k)), treeHead(items.slice(k))] : [...auditPath(m - k, items.slice(k)), treeHead(items.slice(0, k))];
}

describe('RFC 6962 hashing', () => {
    it('gives the reference tree heads of the Certificate Transparency test data', () => {
        expect(leafHash(Buffer.alloc(0)).toString('hex')).toBe(vectors.emptyLeafHash);
        vectors.roots.forEach((root, i) => expect(treeHead(leaves.slice(0, i + 1)).toString('hex')).toBe(root));
    });

    it('leads every audit path of every tree size back to its tree head, and no other', () => {
        for (let n = 1; n <= leaves.length; n += 1) {
            const items = leaves.slice(0, n);
            for (let m = 0; m < n; m += 1) {
                const proof = auditPath(m, items);
                expect(rootFromInclusionProof(items[m]!, m, n, proof)?.toString('hex')).toBe(vectors.roots[n - 1]);
                expect(rootFromInclusionProof(Buffer.from('ff', 'hex'), m, n, proof)?.toString('hex')).not.toBe(vectors.roots[n - 1]);
                expect(rootFromInclusionProof(items[m]!, m, n, [...proof, Buffer.alloc(32)])).toBeUndefined();
            }
        }
        expect(rootFromInclusionProof(leaves[0]!, 1, 1, [])).toBeUndefined();
    });
});
