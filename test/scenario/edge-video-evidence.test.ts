import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EvidenceReceipt, hashFile, parseReceipt, serializeReceipt, verifyReceipt } from '../../gateway-sdk/src';
import { evidenceAs } from '../support/evidence';
import { closeConnections, uniqueId } from '../support/network';

jest.setTimeout(120_000);

/*
 * Scenario 1 (WP 2.2.1): an edge video service hashes the recordings of its cameras and anchors them in
 * batches, one Merkle root per batch, keeping a receipt beside each file. Later one recording is altered;
 * the periodic check pinpoints that file, while every other file still verifies by its receipt alone.
 */

const RECORDINGS = 20;
const BATCH_SIZE = 8;

/** A few MB of "recordings": random bytes of varying length, as camera segments would be. */
function recordFolder(): string {
    const folder = mkdtempSync(join(tmpdir(), 'edgetrust-recordings-'));
    for (let i = 0; i < RECORDINGS; i++) {
        const camera = `cam${String(i % 4)}`;
        writeFileSync(join(folder, `${camera}-segment-${String(i).padStart(3, '0')}.mp4`), randomBytes(150_000 + i * 7_919));
    }
    return folder;
}

/** Flips one byte in the middle of a file, the way a doctored frame would. */
async function alter(path: string): Promise<void> {
    const handle = await open(path, 'r+');
    try {
        const { size } = await handle.stat();
        const byte = Buffer.alloc(1);
        await handle.read(byte, 0, 1, Math.floor(size / 2));
        byte[0] = (byte[0] ?? 0) ^ 0xff;
        await handle.write(byte, 0, 1, Math.floor(size / 2));
    } finally {
        await handle.close();
    }
}

describe('scenario: an edge video service anchors recordings in batches and pinpoints an altered one', () => {
    let folder: string;

    beforeAll(() => {
        folder = recordFolder();
    });
    afterAll(() => {
        closeConnections();
        rmSync(folder, { recursive: true, force: true });
    });

    it('hashes a folder, anchors Merkle roots, and later finds exactly the altered file', async () => {
        const videoService = await evidenceAs('EdgeOrg');
        const auditor = await evidenceAs('CloudOrg');
        const source = { type: 'app' as const, id: uniqueId('video-service') };
        const batcher = videoService.client.createBatcher({ metadata: { name: 'camera recordings', source, kind: 'video-segment', tags: ['cctv'] }, maxItems: BATCH_SIZE, maxDelayMs: 500 });

        // Ingest: stream every recording through SHA-256 and hand the digest to the batcher as soon as it is known.
        const files = (await readdir(folder)).filter((f) => f.endsWith('.mp4')).sort();
        expect(files).toHaveLength(RECORDINGS);
        const receipts = new Map<string, Promise<EvidenceReceipt>>();
        for (const file of files) {
            const { digest } = await hashFile(join(folder, file));
            const receipt = batcher.add(digest);
            receipt.catch(() => undefined);
            receipts.set(file, receipt);
        }
        await batcher.close();
        // The service keeps each receipt as a small file beside the recording.
        for (const [file, receipt] of receipts) {
            writeFileSync(join(folder, `${file}.receipt.json`), serializeReceipt(await receipt));
        }

        const kept = new Map(files.map((f) => [f, parseReceipt(readFileSync(join(folder, `${f}.receipt.json`), 'utf8'))]));
        const batchIds = new Set([...kept.values()].map((r) => r.batchId));
        expect(batchIds.size).toBe(Math.ceil(RECORDINGS / BATCH_SIZE));
        const onChain = await auditor.client.queryBatches({ by: 'source', source, pageSize: 10 });
        expect(onChain.records.map((b) => [b.id, b.count, b.kind]).sort()).toEqual(
            [...batchIds].map((id) => [id, [...kept.values()].filter((r) => r.batchId === id).length, 'video-segment']).sort(),
        );

        // Someone doctors one recording on the edge node's disk.
        const doctored = files[11]!;
        await alter(join(folder, doctored));

        // The periodic check: hash every file again and check it against its receipt and the ledger.
        const verdicts = new Map<string, string>();
        for (const file of files) {
            const receipt = kept.get(file)!;
            const { digest } = await hashFile(join(folder, file));
            const check = await auditor.client.verifyReceipt(receipt, digest);
            verdicts.set(file, check.valid ? 'valid' : (check.offline.problem ?? check.onChain.outcome));
            // Offline, with no network at all, the receipt gives the same answer.
            expect(verifyReceipt(receipt, digest).valid).toBe(check.valid);
        }
        expect([...verdicts].filter(([, v]) => v !== 'valid')).toEqual([[doctored, 'digest-mismatch']]);

        // The receipt itself is still sound: the original digest is in the anchored batch, the altered one is not.
        const receipt = kept.get(doctored)!;
        await expect(auditor.client.verifyInclusion(receipt.batchId, receipt.itemDigest, receipt.leafIndex, receipt.proof)).resolves.toMatchObject({ outcome: 'match' });
        const altered = (await hashFile(join(folder, doctored))).digest;
        await expect(auditor.client.verifyInclusion(receipt.batchId, altered, receipt.leafIndex, receipt.proof)).resolves.toMatchObject({ outcome: 'mismatch' });
        const batch = await auditor.client.readBatch(receipt.batchId);
        expect(batch).toMatchObject({ root: receipt.root, submitterMspId: 'EdgeOrgMSP', txId: receipt.transactionId });
    });
});
