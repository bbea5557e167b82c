import { createHash } from 'node:crypto';
import type { Contract, ProposalOptions } from '@hyperledger/fabric-gateway';
import { EvidenceClient } from './evidence-client';
import { MerkleTree } from './merkle';

interface Call {
    name: string;
    options: ProposalOptions;
}

/** A stand-in for fabric-gateway's Contract that records calls and answers with fixed JSON. */
function fakeContract(answer: (name: string, options: ProposalOptions) => unknown): { contract: Contract; calls: Call[] } {
    const calls: Call[] = [];
    const bytes = (name: string, options: ProposalOptions): Uint8Array => Buffer.from(JSON.stringify(answer(name, options)));
    const contract = {
        evaluate: (name: string, options: ProposalOptions = {}) => {
            calls.push({ name, options });
            return Promise.resolve(bytes(name, options));
        },
        submitAsync: (name: string, options: ProposalOptions = {}) => {
            calls.push({ name, options });
            const result = bytes(name, options);
            return Promise.resolve({
                getResult: () => result,
                getStatus: () => Promise.resolve({ successful: true, code: 0, transactionId: `tx-${String(calls.length)}`, blockNumber: 7n }),
            });
        },
    } as unknown as Contract;
    return { contract, calls };
}

const digestOf = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('EvidenceClient', () => {
    const request = { id: 'cam-7/1', digest: digestOf('x'), name: 'x', size: 1, source: { type: 'device' as const, id: 'cam-7' } };

    it('anchors witnessed: the request names the witness and both organisations are asked to endorse', async () => {
        const { contract, calls } = fakeContract(() => ({ id: 'cam-7/1' }));
        await new EvidenceClient(contract, { mspId: 'CloudOrgMSP' }).anchor(request, { witness: 'EdgeOrgMSP' });
        expect(calls.map((c) => c.name)).toEqual(['Anchor']);
        expect(JSON.parse(String(calls[0]?.options.arguments?.[0] ?? '{}'))).toMatchObject({ witnessMspId: 'EdgeOrgMSP' });
        expect(calls[0]?.options.endorsingOrganizations).toEqual(['CloudOrgMSP', 'EdgeOrgMSP']);
    });

    it("witnesses by default when the organisation's policy names a supervisor, reading the policy once", async () => {
        const { contract, calls } = fakeContract((name) => (name === 'ReadOrgPolicy' ? { mspId: 'CloudOrgMSP', anchoring: 'any-member', supervisorMspId: 'EdgeOrgMSP' } : {}));
        const client = new EvidenceClient(contract, { mspId: 'CloudOrgMSP' });
        await client.anchor(request);
        await client.anchorBatch(digestOf('root'), 2, { source: request.source });
        await client.anchor({ ...request, id: 'cam-7/2' }, { witness: false });
        expect(calls.map((c) => c.name)).toEqual(['ReadOrgPolicy', 'Anchor', 'AnchorBatch', 'Anchor']);
        expect(calls[1]?.options.endorsingOrganizations).toEqual(['CloudOrgMSP', 'EdgeOrgMSP']);
        expect(JSON.parse(String(calls[2]?.options.arguments?.[2] ?? '{}'))).toMatchObject({ witnessMspId: 'EdgeOrgMSP' });
        expect(calls[3]?.options.endorsingOrganizations).toBeUndefined();
    });

    it('leaves endorsement to the gateway without a witness, and refuses a witness without its own MSP id', async () => {
        const { contract, calls } = fakeContract(() => ({}));
        await new EvidenceClient(contract).anchor(request);
        expect(calls[0]?.options.endorsingOrganizations).toBeUndefined();
        await expect(new EvidenceClient(contract).anchor(request, { witness: 'EdgeOrgMSP' })).rejects.toThrow(/needs your MSP id/);
    });

    it('sends personal data only in the transient map, with a fresh salt', async () => {
        const { contract, calls } = fakeContract(() => ({ id: 'doc-1' }));
        const client = new EvidenceClient(contract);
        const document = Buffer.from('a contract');
        const anchored = await client.anchorPersonal(
            { id: 'doc-1', name: 'contract', size: document.length, source: { type: 'org', id: 'hr' }, attributes: { documentType: 'contract' } },
            { content: document, storeContent: true },
            ['EdgeOrgMSP'],
        );
        const call = calls[0];
        expect(call?.name).toBe('AnchorPersonal');
        expect(call?.options.arguments?.join()).not.toContain(digestOf('a contract'));
        expect(call?.options.endorsingOrganizations).toEqual(['EdgeOrgMSP']);
        const personal = JSON.parse(Buffer.from((call?.options.transientData as Record<string, Uint8Array>).personal ?? []).toString()) as Record<string, string>;
        expect(personal).toEqual({ salt: anchored.salt, contentDigest: digestOf('a contract'), content: document.toString('base64') });
        expect(anchored.salt).toMatch(/^[0-9a-f]{64}$/);
        expect(anchored).toMatchObject({ transactionId: 'tx-1', blockNumber: 7n, result: { id: 'doc-1' } });
    });

    it('anchors batches through the batcher and checks receipts on chain', async () => {
        const digests = ['a', 'b', 'c'].map(digestOf);
        const root = new MerkleTree(digests).root;
        const { contract, calls } = fakeContract((name) =>
            name === 'AnchorBatch' ? { id: 'batch-9', root } : { outcome: 'match', batch: { root, count: 3 } },
        );
        const client = new EvidenceClient(contract);
        const batcher = client.createBatcher({ metadata: { source: { type: 'app', id: 'svc' } }, maxItems: 3 });
        const receipts = await Promise.all(digests.map((d) => batcher.add(d)));
        await batcher.close();
        expect(calls[0]?.options.arguments).toEqual([root, '3', JSON.stringify({ source: { type: 'app', id: 'svc' } })]);
        expect(receipts[2]).toMatchObject({ batchId: 'batch-9', transactionId: 'tx-1', blockNumber: 7n, leafIndex: 2 });
        const check = await client.verifyReceipt(receipts[2]!, digests[2]);
        expect(check.valid).toBe(true);
        expect(calls[1]?.options.arguments).toEqual(['batch-9', digests[2], '2', JSON.stringify(receipts[2]?.proof)]);
        await expect(client.verifyReceipt(receipts[2]!, digestOf('altered'))).resolves.toMatchObject({ valid: false, offline: { problem: 'digest-mismatch' } });
    });
});
