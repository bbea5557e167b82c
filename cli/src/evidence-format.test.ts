import { type EvidenceHistoryEntry, type EvidenceReceipt, type EvidenceRecord, MerkleTree, verifyReceipt } from '@edgetrust/gateway-sdk';
import { createHash } from 'node:crypto';
import {
    batchReport,
    commonNameOf,
    OFFLINE_CONSISTENT,
    offlineReceiptView,
    plural,
    receiptCheckView,
    eventLine,
    findReceiptEntry,
    historyRows,
    parseReceiptsFile,
    recordRow,
    recordView,
    serializeReceiptsFile,
    traceRows,
    verificationView,
} from './evidence-format';

const USER = 'x509::/C=US/ST=California/OU=client/CN=User1@edge.edgetrust.local::/C=US/O=edge.edgetrust.local/CN=ca.edge.edgetrust.local';
const digestOf = (text: string): string => createHash('sha256').update(text).digest('hex');

function record(overrides: Partial<EvidenceRecord> = {}): EvidenceRecord {
    return {
        id: 'cam7/0001',
        kind: 'video-segment',
        digest: digestOf('segment'),
        digestScheme: 'sha256',
        name: 'cam7-0001.mp4',
        size: 1024,
        mediaType: 'video/mp4',
        source: { type: 'device', id: 'cam7' },
        tags: ['site-a', 'night'],
        attributes: { cameraId: 'cam7' },
        status: 'active',
        submitterMspId: 'EdgeOrgMSP',
        submitterId: USER,
        anchoredAt: '2026-01-01T00:00:00.000Z',
        txId: 'tx1',
        ...overrides,
    };
}

describe('evidence command output', () => {
    it('names submitters by certificate CN and leaves out empty fields', () => {
        expect(commonNameOf(USER)).toBe('User1@edge.edgetrust.local');
        expect(commonNameOf('not-x509')).toBe('not-x509');
        const view = recordView(record());
        expect(view).toMatchObject({ source: 'device:cam7', tags: 'site-a, night', submitter: 'User1@edge.edgetrust.local (EdgeOrgMSP)' });
        expect(Object.keys(view)).not.toContain('revoked');
        expect(Object.keys(view)).not.toContain('privateCollection');
        expect(recordRow(record())).toMatchObject({ digest: `${digestOf('segment').slice(0, 16)}…` });
    });

    it('shows a mismatch with the digest on record', () => {
        const view = verificationView({ outcome: 'mismatch', digest: digestOf('altered'), comparedBy: 'digest', record: record(), anchoredAt: '2026-01-01T00:00:00.000Z', anchoredByMspId: 'EdgeOrgMSP', anchoredById: USER, status: 'active' });
        expect(view).toEqual({
            outcome: 'MISMATCH',
            digest: digestOf('altered'),
            comparedBy: 'digest',
            record: 'cam7/0001',
            recordDigest: digestOf('segment'),
            anchoredAt: '2026-01-01T00:00:00.000Z',
            anchoredBy: 'User1@edge.edgetrust.local (EdgeOrgMSP)',
            status: 'active',
        });
        expect(verificationView({ outcome: 'not_found', digest: digestOf('x'), comparedBy: 'digest' })).toEqual({ outcome: 'NOT FOUND', digest: digestOf('x'), comparedBy: 'digest' });
    });

    it('labels history entries anchored and revoked, with who revoked', () => {
        const admin = USER.replace('User1', 'Admin');
        const revoked = record({ status: 'revoked', revocation: { revokedAt: '2026-01-02T00:00:00.000Z', revokedByMspId: 'EdgeOrgMSP', revokedById: admin, reason: 'wrong camera', txId: 'tx2' } });
        const entries: EvidenceHistoryEntry[] = [
            { txId: 'tx2', timestamp: '2026-01-02T00:00:00.000Z', isDelete: false, record: revoked },
            { txId: 'tx1', timestamp: '2026-01-01T00:00:00.000Z', isDelete: false, record: record() },
        ];
        expect(historyRows(entries).map((r) => [r.change, r.by])).toEqual([
            ['revoked', 'Admin@edge.edgetrust.local (EdgeOrgMSP)'],
            ['anchored', 'User1@edge.edgetrust.local (EdgeOrgMSP)'],
        ]);
    });

    it('numbers trace steps oldest first', () => {
        const step = (id: string, name: string, predecessorId?: string): EvidenceRecord =>
            record({ id, kind: 'process-step', attributes: { traceId: 't', step: name, party: name, ...(predecessorId ? { predecessorId } : {}) } });
        const rows = traceRows({ traceId: 't', complete: true, steps: [step('a', 'shipper'), step('b', 'forwarder', 'a')] });
        expect(rows.map((r) => [r['#'], r.step, r.predecessor])).toEqual([
            [1, 'shipper', undefined],
            [2, 'forwarder', 'a'],
        ]);
    });

    it('prints one line per event with the fields that matter', () => {
        const line = eventLine({ name: 'BatchAnchored', payload: { batchId: 'b1', count: 3, root: digestOf('r'), submitterMspId: 'EdgeOrgMSP' }, transactionId: 'f'.repeat(64), blockNumber: 12n, chaincodeName: 'evidence' });
        expect(line).toBe(`block 12  ffffffffffff  BatchAnchored  batchId=b1  count=3  root=${digestOf('r').slice(0, 16)}…  by=EdgeOrgMSP`);
    });

    it('writes and reads a receipts file and finds a file by path or by unique name', () => {
        const digests = ['a', 'b', 'c'].map(digestOf);
        const tree = new MerkleTree(digests);
        const receipt = (i: number): EvidenceReceipt => ({ itemDigest: digests[i]!, leafIndex: i, treeSize: 3, proof: tree.proof(i), root: tree.root, batchId: 'b1', transactionId: 'tx', blockNumber: 99n });
        const file = { folder: '/data/rec', items: [{ path: 'a.mp4', size: 1, receipt: receipt(0) }, { path: 'day2/b.mp4', size: 2, receipt: receipt(1) }, { path: 'day3/a.mp4', size: 3, receipt: receipt(2) }] };
        const read = parseReceiptsFile(serializeReceiptsFile(file));
        expect(read).toEqual(file);
        expect(findReceiptEntry(read, '/data/rec/day3/a.mp4')?.size).toBe(3);
        expect(findReceiptEntry(read, '/elsewhere/b.mp4')?.path).toBe('day2/b.mp4');
        expect(findReceiptEntry(read, '/elsewhere/a.mp4')).toBeUndefined();
        expect(() => parseReceiptsFile('{"items":[]}')).toThrow('not a receipts file');
    });

    it('reports each batch of `evidence batch` with its full Merkle root, in correct plurals', () => {
        const digests = ['a', 'b', 'c'].map(digestOf);
        const one = new MerkleTree(digests.slice(0, 1));
        const two = new MerkleTree(digests.slice(1));
        const at = (tree: MerkleTree, batchId: string, i: number): EvidenceReceipt => ({
            algorithm: 'rfc6962-sha256', channel: 'edgetrust', chaincode: 'evidence',
            itemDigest: digests[i]!, leafIndex: i === 0 ? 0 : i - 1, treeSize: tree.size, proof: [], root: tree.root, batchId, transactionId: `tx-${batchId}`, blockNumber: 5n,
        });
        const items = [
            { path: 'a', size: 1, receipt: at(one, 'b1', 0) },
            { path: 'b', size: 1, receipt: at(two, 'b2', 1) },
            { path: 'c', size: 1, receipt: at(two, 'b2', 2) },
        ];
        expect(batchReport(items.slice(0, 1), '/r.json')).toEqual([`batch b1: 1 file, Merkle root ${one.root} (rfc6962-sha256), block 5`, '1 file in 1 batch; receipts in /r.json']);
        expect(batchReport(items, '/r.json')).toEqual([
            `batch b1: 1 file, Merkle root ${one.root} (rfc6962-sha256), block 5`,
            `batch b2: 2 files, Merkle root ${two.root} (rfc6962-sha256), block 5`,
            '3 files in 2 batches; receipts in /r.json',
        ]);
        expect([plural(0, 'file'), plural(1, 'batch'), plural(2, 'batch')]).toEqual(['0 files', '1 batch', '2 batches']);
    });

    it('says an offline check proves only self-consistency, with valid as a boolean beside the status', () => {
        const digests = ['a', 'b'].map(digestOf);
        const tree = new MerkleTree(digests);
        const receipt: EvidenceReceipt = { itemDigest: digests[0]!, leafIndex: 0, treeSize: 2, proof: tree.proof(0), root: tree.root, batchId: 'b1', transactionId: 'tx', blockNumber: 9n };
        const consistent = offlineReceiptView('a.mp4', receipt, verifyReceipt(receipt));
        expect(consistent).toMatchObject({ file: 'a.mp4', valid: true, status: 'CONSISTENT (offline: root not checked against the ledger)', algorithm: 'rfc6962-sha256' });
        expect(OFFLINE_CONSISTENT).not.toMatch(/VALID/);
        expect(offlineReceiptView('a.mp4', receipt, verifyReceipt(receipt, digestOf('changed')))).toMatchObject({ valid: false, status: 'INVALID', problem: 'digest-mismatch' });
        const onChain = { outcome: 'match' as const, batchId: 'b1', itemDigest: digests[0]!, leafIndex: 0 };
        const named = { ...receipt, channel: 'edgetrust', chaincode: 'evidence' };
        expect(receiptCheckView('a.mp4', named, { valid: true, offline: { valid: true }, onChain })).toMatchObject({ valid: true, status: 'VALID', ledger: 'channel edgetrust, chaincode evidence' });
        expect(receiptCheckView('a.mp4', named, { valid: false, problem: 'channel-mismatch', offline: { valid: true }, onChain })).toMatchObject({ valid: false, status: 'INVALID', problem: 'channel-mismatch' });
    });
});

describe('verificationView source', () => {
    it('says how the source is known', () => {
        const base = { outcome: 'match', digest: 'a'.repeat(64), comparedBy: 'digest' } as const;
        expect(verificationView({ ...base, source: { basis: 'claimed', signatureValid: false, trustedAtCapture: false } }).source).toBe('claimed by the submitter (not signed by the device)');
        expect(verificationView({ ...base, source: { basis: 'signed', signatureValid: true, trustedAtCapture: true, deviceStatusNow: 'revoked' } }).source).toBe('signed by the device, trusted at capture (now revoked)');
    });
});
