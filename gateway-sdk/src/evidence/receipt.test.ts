import { createHash } from 'node:crypto';
import { MerkleTree } from './merkle';
import { type EvidenceReceipt, parseReceipt, RECEIPT_TREE_ALGORITHM, serializeReceipt, verifyReceipt } from './receipt';

const digests = Array.from({ length: 5 }, (_, i) => createHash('sha256').update(`file-${String(i)}`).digest('hex'));
const tree = new MerkleTree(digests);
const receiptOf = (i: number): EvidenceReceipt => ({
    itemDigest: digests[i] ?? '',
    leafIndex: i,
    treeSize: tree.size,
    proof: tree.proof(i),
    root: tree.root,
    batchId: 'batch-1',
    transactionId: 'tx-1',
    blockNumber: 42n,
});

describe('receipts', () => {
    it('verify offline, and pinpoint an item that changed since', () => {
        expect(verifyReceipt(receiptOf(3))).toEqual({ valid: true });
        expect(verifyReceipt(receiptOf(3), digests[3])).toEqual({ valid: true });
        expect(verifyReceipt(receiptOf(3), digests[2])).toEqual({ valid: false, problem: 'digest-mismatch' });
    });

    it('fail when any part of the proof is altered', () => {
        expect(verifyReceipt({ ...receiptOf(1), leafIndex: 2 })).toMatchObject({ valid: false, problem: 'proof-invalid' });
        expect(verifyReceipt({ ...receiptOf(1), treeSize: 4 })).toMatchObject({ valid: false });
        expect(verifyReceipt({ ...receiptOf(1), root: digests[0] ?? '' })).toMatchObject({ valid: false });
        expect(verifyReceipt({ ...receiptOf(1), proof: ['not hex'] })).toMatchObject({ valid: false, problem: 'proof-invalid' });
    });

    it('name their tree algorithm, and refuse one they do not know', () => {
        const named = { ...receiptOf(2), algorithm: RECEIPT_TREE_ALGORITHM, channel: 'edgetrust', chaincode: 'evidence' };
        expect(RECEIPT_TREE_ALGORITHM).toBe('rfc6962-sha256');
        expect(verifyReceipt(named)).toEqual({ valid: true });
        expect(verifyReceipt({ ...named, algorithm: 'SHA3-naive' })).toEqual({ valid: false, problem: 'algorithm-unsupported' });
        expect(parseReceipt(serializeReceipt(named))).toEqual(named);
    });

    it('read receipts written before they named algorithm, channel and chaincode', () => {
        const old = serializeReceipt(receiptOf(0));
        expect(JSON.parse(old)).not.toHaveProperty('algorithm');
        expect(parseReceipt(old)).toEqual(receiptOf(0));
        expect(() => parseReceipt(JSON.stringify({ ...JSON.parse(old), channel: 7 }))).toThrow(/receipt.channel/);
    });

    it('survive a JSON round trip, block number included', () => {
        const json = serializeReceipt(receiptOf(4));
        expect(JSON.parse(json)).toMatchObject({ blockNumber: '42' });
        expect(parseReceipt(json)).toEqual(receiptOf(4));
        expect(() => parseReceipt(JSON.stringify({ ...JSON.parse(json), leafIndex: -1 }))).toThrow(/receipt.leafIndex/);
        expect(() => parseReceipt(JSON.stringify({ ...JSON.parse(json), blockNumber: 42 }))).toThrow(/receipt.blockNumber/);
    });
});
