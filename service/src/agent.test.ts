import { type EvidenceClient, type EvidenceReceipt, verifyReceipt } from '@edgetrust/gateway-sdk';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AgentEvent, EvidenceAgent, RECEIPT_SUFFIX } from './agent';

// The agent's bookkeeping without a network: a recording stand-in for the evidence client's two batch calls. The
// scenario on the real network (kill, restart, an altered file) is test/integration/agent.test.ts.

interface Anchored {
    root: string;
    count: number;
    batchId: string;
}

function recordingEvidence(anchored: Anchored[]): EvidenceClient {
    const client = {
        anchorBatch: (root: string, count: number, metadata: { batchId: string }) => {
            anchored.push({ root, count, batchId: metadata.batchId });
            return Promise.resolve({ result: {}, transactionId: `tx-${String(anchored.length)}`, blockNumber: BigInt(anchored.length) });
        },
        readBatch: () => Promise.reject(new Error('not expected')),
    };
    return client as unknown as EvidenceClient;
}

const sha256 = (data: string): string => createHash('sha256').update(data).digest('hex');

function folderWith(files: number): string {
    const folder = mkdtempSync(join(tmpdir(), 'edgetrust-agent-unit-'));
    for (let i = 0; i < files; i += 1) {
        writeFileSync(join(folder, `clip-${String(i).padStart(3, '0')}.bin`), `clip ${String(i)}`);
    }
    return folder;
}

describe('the evidence agent', () => {
    it('anchors every complete file exactly once, in batches, with a valid receipt beside each', async () => {
        const folder = folderWith(37);
        const anchored: Anchored[] = [];
        const agent = new EvidenceAgent({ folder, evidence: recordingEvidence(anchored), channel: 'edgetrust', chaincode: 'evidence', stableMs: 0, maxBatch: 8 });
        for (let cycle = 0; cycle < 20 && (agent.counts().anchored ?? 0) < 37; cycle += 1) {
            await agent.cycle();
        }
        await agent.cycle();
        await agent.stop();
        expect(anchored.map((a) => a.count).reduce((x, y) => x + y, 0)).toBe(37);
        expect(new Set(anchored.map((a) => a.batchId)).size).toBe(anchored.length);
        for (let i = 0; i < 37; i += 1) {
            const name = `clip-${String(i).padStart(3, '0')}.bin`;
            const receipt = JSON.parse(readFileSync(join(folder, name + RECEIPT_SUFFIX), 'utf8')) as EvidenceReceipt;
            expect(verifyReceipt(receipt, sha256(`clip ${String(i)}`))).toMatchObject({ valid: true });
            expect(anchored.map((a) => a.root)).toContain(receipt.root);
        }
    });

    it('stops hashing at maxWaiting and says so, and goes on once the waiting files are anchored', async () => {
        const folder = folderWith(12);
        const anchored: Anchored[] = [];
        const events: AgentEvent[] = [];
        const agent = new EvidenceAgent({ folder, evidence: recordingEvidence(anchored), channel: 'edgetrust', chaincode: 'evidence', stableMs: 0, maxBatch: 100, maxWaiting: 5, onEvent: (e) => events.push(e) });
        await agent.cycle(); // sees every file
        await agent.cycle(); // hashes five, then backpressure; anchors those five
        expect(events.filter((e) => e.type === 'hashed')).toHaveLength(5);
        expect(events.filter((e) => e.type === 'backpressure')).toEqual([{ type: 'backpressure', waiting: 5 }]);
        expect(anchored.map((a) => a.count)).toEqual([5]);
        for (let cycle = 0; cycle < 5; cycle += 1) {
            await agent.cycle();
        }
        await agent.stop();
        expect(anchored.map((a) => a.count).reduce((x, y) => x + y, 0)).toBe(12);
    });
});
