import { createHash, generateKeyPairSync } from 'node:crypto';
import { type BatchAnchorer, EvidenceBatcher } from './batcher';
import type { BatchMetadata } from './models';
import { parseReceipt, serializeReceipt, verifyReceipt } from './receipt';
import { signCapture } from './capture';

const digest = (i: number): string => createHash('sha256').update(`reading-${String(i)}`).digest('hex');
const metadata = { source: { type: 'app', id: 'iot-gateway' } } as const;

function recordingAnchor(): { anchor: BatchAnchorer; calls: { root: string; count: number; metadata: BatchMetadata }[] } {
    const calls: { root: string; count: number; metadata: BatchMetadata }[] = [];
    const anchor: BatchAnchorer = (root, count, m) => {
        calls.push({ root, count, metadata: m });
        return Promise.resolve({ channel: 'edgetrust', chaincode: 'evidence', batchId: `batch-${String(calls.length)}`, transactionId: `tx-${String(calls.length)}`, blockNumber: BigInt(calls.length) });
    };
    return { anchor, calls };
}

describe('EvidenceBatcher', () => {
    it('anchors one root per maxItems digests and gives every item a receipt that verifies', async () => {
        const { anchor, calls } = recordingAnchor();
        const batcher = new EvidenceBatcher({ anchor, metadata, maxItems: 4, maxDelayMs: 60_000 });
        const receipts = await Promise.all(Array.from({ length: 8 }, (_, i) => batcher.add(digest(i))));
        expect(calls.map((c) => c.count)).toEqual([4, 4]);
        expect(calls[0]?.metadata).toEqual(metadata);
        expect(receipts.map((r) => [r.batchId, r.leafIndex])).toEqual([
            ['batch-1', 0], ['batch-1', 1], ['batch-1', 2], ['batch-1', 3],
            ['batch-2', 0], ['batch-2', 1], ['batch-2', 2], ['batch-2', 3],
        ]);
        expect(receipts[5]).toMatchObject({ itemDigest: digest(5), treeSize: 4, root: calls[1]?.root, transactionId: 'tx-2', blockNumber: 2n });
        expect(receipts.every((r) => verifyReceipt(r).valid)).toBe(true);
        await batcher.close();
    });

    it('flushes on time when the batch does not fill', async () => {
        const { anchor, calls } = recordingAnchor();
        const batcher = new EvidenceBatcher({ anchor, metadata, maxItems: 1000, maxDelayMs: 20 });
        const started = Date.now();
        const receipts = await Promise.all([batcher.add(digest(1)), batcher.add(digest(2)), batcher.add(digest(3))]);
        expect(Date.now() - started).toBeGreaterThanOrEqual(15);
        expect(calls).toHaveLength(1);
        expect(receipts.map((r) => r.treeSize)).toEqual([3, 3, 3]);
        await batcher.close();
    });

    it('rejects every item of a batch whose anchor failed, and bad or late digests', async () => {
        const failure = new Error('endorsement failed');
        const batcher = new EvidenceBatcher({ anchor: () => Promise.reject(failure), metadata, maxItems: 2 });
        await expect(Promise.allSettled([batcher.add(digest(1)), batcher.add(digest(2))])).resolves.toEqual([
            { status: 'rejected', reason: failure },
            { status: 'rejected', reason: failure },
        ]);
        await expect(batcher.add('XYZ')).rejects.toThrow(/itemDigest must be a SHA-256 digest/);
        await batcher.close();
        await expect(batcher.add(digest(3))).rejects.toThrow(/closed/);
        expect(batcher.pending).toBe(0);
    });

    it('anchors what is pending on flush', async () => {
        const { anchor, calls } = recordingAnchor();
        const batcher = new EvidenceBatcher({ anchor, metadata, maxItems: 100, maxDelayMs: 60_000 });
        const receipt = batcher.add(digest(9));
        expect(batcher.pending).toBe(1);
        await batcher.flush();
        await expect(receipt).resolves.toMatchObject({ leafIndex: 0, treeSize: 1, proof: [] });
        expect(calls).toHaveLength(1);
        await batcher.close();
    });

    it('adds many digests with one call, across batch boundaries, in order', async () => {
        const { anchor, calls } = recordingAnchor();
        const batcher = new EvidenceBatcher({ anchor, metadata, maxItems: 4, maxDelayMs: 60_000 });
        const first = batcher.add(digest(0));
        const many = batcher.addMany(Array.from({ length: 9 }, (_, i) => digest(i + 1)));
        expect(batcher.pending).toBe(2);
        await batcher.flush();
        const receipts = [await first, ...(await many)];
        expect(calls.map((c) => c.count)).toEqual([4, 4, 2]);
        expect(receipts.map((r) => [r.itemDigest, r.batchId, r.leafIndex])).toEqual(
            Array.from({ length: 10 }, (_, i) => [digest(i), `batch-${String(Math.floor(i / 4) + 1)}`, i % 4]),
        );
        expect(receipts.every((r) => verifyReceipt(r).valid)).toBe(true);
        await expect(batcher.addMany([])).resolves.toEqual([]);
        await batcher.close();
    });

    it('adds none of many digests when one is malformed', async () => {
        const { anchor, calls } = recordingAnchor();
        const batcher = new EvidenceBatcher({ anchor, metadata, maxItems: 4 });
        await expect(batcher.addMany([digest(1), digest(2).toUpperCase(), digest(3)])).rejects.toThrow(/itemDigests\[1\] must be a SHA-256 digest/);
        expect(batcher.pending).toBe(0);
        await batcher.close();
        expect(calls).toHaveLength(0);
        await expect(batcher.addMany([digest(4)])).rejects.toThrow(/closed/);
    });

    it('rejects every receipt of a failed batch handed out through addMany', async () => {
        const failure = new Error('orderer unavailable');
        const batcher = new EvidenceBatcher({ anchor: () => Promise.reject(failure), metadata, maxItems: 3 });
        await expect(batcher.addMany([digest(1), digest(2), digest(3), digest(4)])).rejects.toBe(failure);
        await batcher.close();
    });
});

describe('EvidenceBatcher with a device signing each root', () => {
    it('sends a capture of each root and puts the batch source proof in every receipt', async () => {
        const { privateKey } = generateKeyPairSync('ed25519');
        let sequence = 0;
        const calls: BatchMetadata[] = [];
        const anchor: BatchAnchorer = (root, _count, m) => {
            calls.push(m);
            const capture = m.capture;
            if (!capture) {
                return Promise.reject(new Error('unsigned'));
            }
            const sourceProof = { ...capture, previousSequence: capture.sequence - 1, certificateFingerprint: root, keyType: 'ed25519', statusAtCapture: 'active' as const, trustedAtCapture: true };
            return Promise.resolve({ channel: 'edgetrust', chaincode: 'evidence', batchId: root, transactionId: 'tx', blockNumber: 1n, sourceProof });
        };
        const batcher = new EvidenceBatcher({
            anchor,
            metadata: { source: { type: 'device', id: 'cam-7' } },
            maxItems: 2,
            signRoot: (root) => signCapture(root, { channel: 'edgetrust', deviceId: 'cam-7', sequence: ++sequence, key: privateKey }),
        });
        const receipts = await batcher.addMany([digest(1), digest(2), digest(3), digest(4)]);
        await batcher.close();
        expect(calls.map((m) => m.capture?.sequence)).toEqual([1, 2]);
        expect(receipts.map((r) => r.sourceProof?.sequence)).toEqual([1, 1, 2, 2]);
        const [first] = receipts;
        if (!first) {
            throw new Error('no receipt');
        }
        const text = serializeReceipt(first);
        expect(parseReceipt(text).sourceProof).toEqual(receipts[0]?.sourceProof);
    });
});
