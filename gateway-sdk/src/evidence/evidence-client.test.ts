import { createHash } from 'node:crypto';
import type { Contract, ProposalOptions } from '@hyperledger/fabric-gateway';
import { common, gateway, peer } from '@hyperledger/fabric-protos';
import { EvidenceClient } from './evidence-client';
import { MerkleTree } from './merkle';

interface Call {
    name: string;
    options: ProposalOptions;
}

/** What fabric-gateway's Proposal.getBytes() holds, reduced to the channel header. */
function proposedTransactionOn(channel: string): Uint8Array {
    const channelHeader = new common.ChannelHeader();
    channelHeader.setChannelId(channel);
    const header = new common.Header();
    header.setChannelHeader(channelHeader.serializeBinary());
    const proposal = new peer.Proposal();
    proposal.setHeader(header.serializeBinary());
    const signed = new peer.SignedProposal();
    signed.setProposalBytes(proposal.serializeBinary());
    const proposed = new gateway.ProposedTransaction();
    proposed.setProposal(signed);
    return proposed.serializeBinary();
}

/** A stand-in for fabric-gateway's Contract that records calls and answers with fixed JSON. */
function fakeContract(
    answer: (name: string, options: ProposalOptions) => unknown,
    where: { channel: string; chaincode: string } = { channel: 'edgetrust', chaincode: 'evidence' },
): { contract: Contract; calls: Call[] } {
    const calls: Call[] = [];
    const bytes = (name: string, options: ProposalOptions): Uint8Array => Buffer.from(JSON.stringify(answer(name, options)));
    const contract = {
        getChaincodeName: () => where.chaincode,
        newProposal: () => ({ getBytes: () => proposedTransactionOn(where.channel) }),
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
            { id: 'doc-1', name: 'contract of Jane Roe', size: document.length, source: { type: 'org', id: 'hr' }, tags: ['jane-roe'], attributes: { documentType: 'contract' } },
            { content: document, storeContent: true },
            ['EdgeOrgMSP'],
        );
        const call = calls[0];
        expect(call?.name).toBe('AnchorPersonal');
        expect(call?.options.arguments?.join()).not.toContain(digestOf('a contract'));
        // What can identify the person goes privately too (issue 9, finding 8).
        expect(JSON.parse(String(call?.options.arguments?.[0] ?? '{}'))).toEqual({ id: 'doc-1', size: document.length, attributes: { documentType: 'contract' }, kind: 'personal-document' });
        expect(call?.options.endorsingOrganizations).toEqual(['EdgeOrgMSP']);
        const transient = call?.options.transientData as Record<string, Uint8Array>;
        const personal = JSON.parse(Buffer.from(transient.personal ?? []).toString()) as Record<string, string>;
        expect(personal).toEqual({ contentDigest: digestOf('a contract'), content: document.toString('base64'), name: 'contract of Jane Roe', source: { type: 'org', id: 'hr' }, tags: ['jane-roe'] });
        // The salt in its own transient entry (the one the chaincode salts every private record with): 32 random bytes, base64.
        expect(Buffer.from(transient.salt ?? []).toString()).toBe(anchored.salt);
        expect(Buffer.from(anchored.salt, 'base64')).toHaveLength(32);
        expect(anchored).toMatchObject({ transactionId: 'tx-1', blockNumber: 7n, result: { id: 'doc-1' } });
    });

    it('anchors batches through the batcher and checks receipts on chain', async () => {
        const digests = ['a', 'b', 'c'].map(digestOf);
        const root = new MerkleTree(digests).root;
        const { contract, calls } = fakeContract((name) =>
            name === 'AnchorBatch' ? { id: 'batch-9', root } : { outcome: 'match', batch: { root, count: 3, treeAlgorithm: 'rfc6962-sha256' } },
        );
        const client = new EvidenceClient(contract);
        const batcher = client.createBatcher({ metadata: { source: { type: 'app', id: 'svc' } }, maxItems: 3 });
        const receipts = await Promise.all(digests.map((d) => batcher.add(d)));
        await batcher.close();
        expect(calls[0]?.options.arguments).toEqual([root, '3', JSON.stringify({ source: { type: 'app', id: 'svc' } })]);
        expect(receipts[2]).toMatchObject({
            algorithm: 'rfc6962-sha256',
            channel: 'edgetrust',
            chaincode: 'evidence',
            batchId: 'batch-9',
            transactionId: 'tx-1',
            blockNumber: 7n,
            leafIndex: 2,
        });
        const check = await client.verifyReceipt(receipts[2]!, digests[2]);
        expect(check.valid).toBe(true);
        expect(calls[1]?.options.arguments).toEqual(['batch-9', digests[2], '2', JSON.stringify(receipts[2]?.proof)]);
        await expect(client.verifyReceipt(receipts[2]!, digestOf('altered'))).resolves.toMatchObject({ valid: false, offline: { problem: 'digest-mismatch' } });
    });

    it('refuses on the ledger a receipt of another channel or chaincode, and a self-consistent receipt whose root is not on chain', async () => {
        const digests = ['a', 'b', 'c'].map(digestOf);
        const root = new MerkleTree(digests).root;
        const onChain = { outcome: 'match', batch: { root, count: 3, treeAlgorithm: 'rfc6962-sha256' } };
        const { contract } = fakeContract((name) => (name === 'AnchorBatch' ? { id: 'batch-9', root } : onChain));
        const batcher = new EvidenceClient(contract).createBatcher({ metadata: { source: { type: 'app', id: 'svc' } }, maxItems: 3 });
        const receipts = await batcher.addMany(digests);
        await batcher.close();
        const receipt = receipts[1]!;
        const elsewhere = (where: { channel: string; chaincode: string }): EvidenceClient => new EvidenceClient(fakeContract(() => onChain, where).contract);
        await expect(elsewhere({ channel: 'other', chaincode: 'evidence' }).verifyReceipt(receipt)).resolves.toMatchObject({ valid: false, problem: 'channel-mismatch' });
        await expect(elsewhere({ channel: 'edgetrust', chaincode: 'evidence-v2' }).verifyReceipt(receipt)).resolves.toMatchObject({ valid: false, problem: 'chaincode-mismatch' });
        // A receipt written before receipts named their ledger is still checked by its root.
        const { algorithm, channel, chaincode, ...old } = receipt;
        expect([algorithm, channel, chaincode]).toEqual(['rfc6962-sha256', 'edgetrust', 'evidence']);
        await expect(elsewhere({ channel: 'other', chaincode: 'other' }).verifyReceipt(old)).resolves.toMatchObject({ valid: true });
        // A forger's receipt: a proof that is consistent with a root of their own making, which the ledger does not hold.
        const forgedDigests = ['x', 'y', 'z'].map(digestOf);
        const forgedTree = new MerkleTree(forgedDigests);
        const forged = { ...receipt, itemDigest: forgedDigests[1]!, proof: forgedTree.proof(1), root: forgedTree.root };
        const ledger = new EvidenceClient(fakeContract(() => ({ outcome: 'mismatch', batch: { root, count: 3, treeAlgorithm: 'rfc6962-sha256' } })).contract);
        await expect(ledger.verifyReceipt(forged)).resolves.toMatchObject({ valid: false, problem: 'root-not-on-chain', offline: { valid: true } });
    });
});
