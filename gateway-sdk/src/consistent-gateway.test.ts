import type { Contract, Gateway, Network, Proposal, Status, SubmittedTransaction, Transaction } from '@hyperledger/fabric-gateway';
import { common, gateway, msp, peer } from '@hyperledger/fabric-protos';
import { type BlockFeed, ConsistencySession, type TrackedPeer } from './consistency';
import { type ConsistencyContext, consistentGateway } from './consistent-gateway';

const edge0: TrackedPeer = { endpoint: 'edge0:7100', mspId: 'EdgeOrgMSP', label: 'peer0 of EdgeOrg' };
const edge1: TrackedPeer = { endpoint: 'edge1:7110', mspId: 'EdgeOrgMSP', label: 'peer1 of EdgeOrg' };
const cloud0: TrackedPeer = { endpoint: 'cloud0:7120', mspId: 'CloudOrgMSP', label: 'peer0 of CloudOrg' };

/** A prepared transaction as the gateway returns it, endorsed by the given organisations. */
function preparedTransaction(endorserMspIds: string[]): Uint8Array {
    const action = new peer.ChaincodeEndorsedAction();
    action.setEndorsementsList(
        endorserMspIds.map((mspId) => {
            const identity = new msp.SerializedIdentity();
            identity.setMspid(mspId);
            const endorsement = new peer.Endorsement();
            endorsement.setEndorser(identity.serializeBinary());
            return endorsement;
        }),
    );
    const actionPayload = new peer.ChaincodeActionPayload();
    actionPayload.setAction(action);
    const transactionAction = new peer.TransactionAction();
    transactionAction.setPayload(actionPayload.serializeBinary());
    const transaction = new peer.Transaction();
    transaction.setActionsList([transactionAction]);
    const payload = new common.Payload();
    payload.setData(transaction.serializeBinary());
    const envelope = new common.Envelope();
    envelope.setPayload(payload.serializeBinary());
    const prepared = new gateway.PreparedTransaction();
    prepared.setEnvelope(envelope);
    return prepared.serializeBinary();
}

/** What the fake fabric-gateway objects were asked, in order. */
type Call = string;

function fakeGateway(calls: Call[], options: { blockNumber: bigint; endorsers: string[] }): Gateway {
    const submitted: SubmittedTransaction = {
        getBytes: () => new Uint8Array(),
        getDigest: () => new Uint8Array(),
        getResult: () => new TextEncoder().encode('"ok"'),
        getTransactionId: () => 'tx1',
        getStatus: () => {
            calls.push('getStatus');
            return Promise.resolve({ blockNumber: options.blockNumber, code: 0, successful: true, transactionId: 'tx1' } as Status);
        },
    };
    const transaction: Transaction = {
        getBytes: () => preparedTransaction(options.endorsers),
        getDigest: () => new Uint8Array(),
        getResult: () => new Uint8Array(),
        getTransactionId: () => 'tx1',
        submit: () => {
            calls.push('submit');
            return Promise.resolve(submitted);
        },
    };
    const proposal = (name: string): Proposal => ({
        getBytes: () => new Uint8Array(),
        getDigest: () => new Uint8Array(),
        getTransactionId: () => 'tx1',
        evaluate: () => {
            calls.push(`evaluate ${name}`);
            return Promise.resolve(new TextEncoder().encode('"read"'));
        },
        endorse: () => {
            calls.push(`endorse ${name}`);
            return Promise.resolve(transaction);
        },
    });
    const contract = { getChaincodeName: () => 'resource-billing', getContractName: () => undefined, newProposal: (name: string) => proposal(name) } as unknown as Contract;
    const network = { getName: () => 'edgetrust', getContract: () => contract, getBlockEvents: () => 'raw block events' } as unknown as Network;
    return { getNetwork: () => network, getIdentity: () => ({ mspId: 'CloudOrgMSP' }) } as unknown as Gateway;
}

function context(session: ConsistencySession, calls: Call[], heights: Map<string, bigint>): ConsistencyContext {
    const feed: BlockFeed = (p, _channel, startBlock) => {
        calls.push(`wait ${p.label} for ${String(startBlock)}`);
        return (heights.get(p.endpoint) ?? -1n) >= startBlock ? Promise.resolve(startBlock) : Promise.reject(new Error('behind'));
    };
    const peersOf = (mspId: string): TrackedPeer[] => [edge0, edge1, cloud0].filter((p) => p.mspId === mspId);
    return { session, gatewayPeer: cloud0, mspId: 'CloudOrgMSP', peersOf, organizations: ['EdgeOrgMSP', 'CloudOrgMSP'], feed, timeoutMs: 1000 };
}

describe('consistentGateway', () => {
    it('records the block of a submitted transaction, so that the next evaluate needs no wait', async () => {
        const calls: Call[] = [];
        const session = new ConsistencySession();
        const contract = consistentGateway(fakeGateway(calls, { blockNumber: 17n, endorsers: ['CloudOrgMSP'] }), context(session, calls, new Map())).getNetwork('edgetrust').getContract('evidence');
        expect(new TextDecoder().decode(await contract.submitTransaction('Anchor', 'x'))).toBe('"ok"');
        await contract.evaluateTransaction('Get', 'x');
        expect(calls).toEqual(['endorse Anchor', 'submit', 'getStatus', 'evaluate Get']);
        expect(session.token('edgetrust')?.toString()).toBe('edgetrust@17');
        expect(session.peerHeight('edgetrust', cloud0.endpoint)).toBe(17n);
    });

    it('waits for the gateway peer before evaluating after a token from another organisation', async () => {
        const calls: Call[] = [];
        const session = new ConsistencySession();
        session.observe('edgetrust@30');
        const contract = consistentGateway(fakeGateway(calls, { blockNumber: 31n, endorsers: [] }), context(session, calls, new Map([[cloud0.endpoint, 30n]]))).getNetwork('edgetrust').getContract('evidence');
        await contract.evaluate('Get', { arguments: ['x'] });
        expect(calls).toEqual(['wait peer0 of CloudOrg for 30', 'evaluate Get']);
    });

    it('before endorsing again, waits for every peer of the other organisations that endorsed the chaincode', async () => {
        const calls: Call[] = [];
        const session = new ConsistencySession();
        const heights = new Map([
            [edge0.endpoint, 40n],
            [edge1.endpoint, 40n],
        ]);
        const contract = consistentGateway(fakeGateway(calls, { blockNumber: 40n, endorsers: ['CloudOrgMSP', 'EdgeOrgMSP'] }), context(session, calls, heights))
            .getNetwork('edgetrust')
            .getContract('resource-billing');
        await contract.submit('StartSession', { arguments: ['s1'] });
        await contract.submit('StopSession', { arguments: ['s1'] });
        expect(calls).toEqual(['endorse StartSession', 'submit', 'getStatus', 'wait peer0 of EdgeOrg for 40', 'wait peer1 of EdgeOrg for 40', 'endorse StopSession', 'submit', 'getStatus']);
        expect(session.endorsers('edgetrust', 'resource-billing', 'CloudOrgMSP')).toEqual(['CloudOrgMSP', 'EdgeOrgMSP']);
    });

    it('before the session has seen a chaincode endorsed, waits for the peers of every other organisation', async () => {
        const calls: Call[] = [];
        const session = new ConsistencySession();
        session.observe('edgetrust@60');
        const heights = new Map([
            [cloud0.endpoint, 60n],
            [edge0.endpoint, 60n],
            [edge1.endpoint, 61n],
        ]);
        const contract = consistentGateway(fakeGateway(calls, { blockNumber: 62n, endorsers: ['CloudOrgMSP'] }), context(session, calls, heights)).getNetwork('edgetrust').getContract('evidence');
        await contract.submit('Anchor', { arguments: [] });
        await contract.submit('Anchor', { arguments: [] });
        expect(calls).toEqual(['wait peer0 of CloudOrg for 60', 'wait peer0 of EdgeOrg for 60', 'wait peer1 of EdgeOrg for 60', 'endorse Anchor', 'submit', 'getStatus', 'endorse Anchor', 'submit', 'getStatus']);
    });

    it('waits for the organisations a caller names as endorsers', async () => {
        const calls: Call[] = [];
        const session = new ConsistencySession();
        session.noteCommitted('edgetrust', cloud0.endpoint, 50n);
        const contract = consistentGateway(fakeGateway(calls, { blockNumber: 51n, endorsers: ['EdgeOrgMSP'] }), context(session, calls, new Map([[edge0.endpoint, 50n], [edge1.endpoint, 50n]])))
            .getNetwork('edgetrust')
            .getContract('resource-billing');
        await contract.submitAsync('Register', { arguments: [], endorsingOrganizations: ['EdgeOrgMSP'] });
        expect(calls).toEqual(['wait peer0 of EdgeOrg for 50', 'wait peer1 of EdgeOrg for 50', 'endorse Register', 'submit']);
    });

    it('leaves everything else to fabric-gateway', () => {
        const calls: Call[] = [];
        const network = consistentGateway(fakeGateway(calls, { blockNumber: 1n, endorsers: [] }), context(new ConsistencySession(), calls, new Map())).getNetwork('edgetrust');
        expect(network.getName()).toBe('edgetrust');
        expect(network.getBlockEvents()).toBe('raw block events');
        expect(network.getContract('evidence').getChaincodeName()).toBe('evidence');
    });
});
