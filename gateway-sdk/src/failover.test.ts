import { type ServiceError, status as grpcStatus, Metadata } from '@grpc/grpc-js';
import { type Contract, type Gateway, GatewayError, type Network, type Proposal, type Status, type SubmittedTransaction, type Transaction } from '@hyperledger/fabric-gateway';
import { common, gateway } from '@hyperledger/fabric-protos';
import { type BlockFeed, ConsistencySession, type TrackedPeer } from './consistency';
import { consistentGateway } from './consistent-gateway';
import { isPeerFailure, type PeerCandidate, PeerRoutes } from './failover';

const edge0: TrackedPeer = { endpoint: 'edge0:7100', mspId: 'EdgeOrgMSP', label: 'peer0 of EdgeOrg' };
const edge1: TrackedPeer = { endpoint: 'edge1:7110', mspId: 'EdgeOrgMSP', label: 'peer1 of EdgeOrg' };

function gatewayError(code: grpcStatus, message = 'peer failure'): GatewayError {
    const cause: ServiceError = Object.assign(new Error(message), { code, details: message, metadata: new Metadata() });
    return new GatewayError({ code, details: [], cause, message });
}
const unavailable = (): GatewayError => gatewayError(grpcStatus.UNAVAILABLE, '14 UNAVAILABLE: No connection established');

/** An endorsed transaction as fabric-gateway's Transaction.getBytes() returns it, carrying `marker` as its id. */
function preparedTransaction(marker: string): Uint8Array {
    const prepared = new gateway.PreparedTransaction();
    prepared.setTransactionId(marker);
    prepared.setEnvelope(new common.Envelope());
    return prepared.serializeBinary();
}

/** What a fake peer should fail with, per call kind; a call not listed succeeds. */
type Faults = Partial<Record<'evaluate' | 'endorse' | 'submit' | 'status', () => Error | undefined>>;

/** A fake fabric-gateway Gateway of one peer, recording its calls as `<peer> <call>`. */
function fakePeer(name: string, calls: string[], faults: Faults, blockNumber = 5n): Gateway {
    const fail = (kind: keyof Faults): Promise<never> | undefined => {
        const error = faults[kind]?.();
        return error ? Promise.reject(error) : undefined;
    };
    const commit = (bytes: string): SubmittedTransaction => ({
        getBytes: () => new TextEncoder().encode(bytes),
        getDigest: () => new Uint8Array(),
        getResult: () => new TextEncoder().encode('"ok"'),
        getTransactionId: () => bytes.replace(/^status of /, ''),
        getStatus: () => {
            calls.push(`${name} status ${bytes}`);
            return fail('status') ?? Promise.resolve({ blockNumber, code: 0, successful: true, transactionId: bytes.replace(/^status of /, '') } as Status);
        },
    });
    const transaction = (txId: string): Transaction => ({
        getBytes: () => preparedTransaction(`signed ${txId}`),
        getDigest: () => new Uint8Array(),
        getResult: () => new TextEncoder().encode('"ok"'),
        getTransactionId: () => txId,
        submit: () => {
            calls.push(`${name} submit ${txId}`);
            return fail('submit') ?? Promise.resolve(commit(`status of ${txId}`));
        },
    });
    let proposals = 0;
    const proposal = (transactionName: string): Proposal => {
        const txId = `${name}-tx${String(++proposals)}`;
        return {
            getBytes: () => new Uint8Array(),
            getDigest: () => new Uint8Array(),
            getTransactionId: () => txId,
            evaluate: () => {
                calls.push(`${name} evaluate ${transactionName}`);
                return fail('evaluate') ?? Promise.resolve(new TextEncoder().encode(`"read on ${name}"`));
            },
            endorse: () => {
                calls.push(`${name} endorse ${txId}`);
                return fail('endorse') ?? Promise.resolve(transaction(txId));
            },
        };
    };
    const contract = { getChaincodeName: () => 'evidence', getContractName: () => undefined, newProposal: (n: string) => proposal(n) } as unknown as Contract;
    const network = { getName: () => 'edgetrust', getContract: () => contract } as unknown as Network;
    return {
        getNetwork: () => network,
        getIdentity: () => ({ mspId: 'EdgeOrgMSP' }),
        newTransaction: (bytes: Uint8Array) => {
            const text = gateway.PreparedTransaction.deserializeBinary(bytes).getTransactionId();
            calls.push(`${name} newTransaction from "${text}"`);
            return transaction(text.replace(/^signed /, ''));
        },
        newCommit: (bytes: Uint8Array) => {
            const text = new TextDecoder().decode(bytes);
            calls.push(`${name} newCommit from "${text}"`);
            return commit(text);
        },
    } as unknown as Gateway;
}

interface Setup {
    calls: string[];
    routes: PeerRoutes;
    contract: Contract;
    session: ConsistencySession;
    ready: Set<string>;
}

function setup(faults: { edge0?: Faults; edge1?: Faults }, options: { heights?: Map<string, bigint>; session?: ConsistencySession } = {}): Setup {
    const calls: string[] = [];
    const ready = new Set<string>();
    const gateways = new Map([
        [edge0.endpoint, fakePeer('edge0', calls, faults.edge0 ?? {})],
        [edge1.endpoint, fakePeer('edge1', calls, faults.edge1 ?? {})],
    ]);
    const candidates: PeerCandidate[] = [edge0, edge1].map((peer) => ({
        peer,
        open: () => gateways.get(peer.endpoint) as Gateway,
        ready: () => ready.has(peer.endpoint),
    }));
    const first = gateways.get(edge0.endpoint) as Gateway;
    const routes = new PeerRoutes(candidates, 0, first);
    const session = options.session ?? new ConsistencySession();
    const heights = options.heights ?? new Map<string, bigint>();
    const feed: BlockFeed = (p, _channel, startBlock) => {
        calls.push(`wait ${p.label} for ${String(startBlock)}`);
        return (heights.get(p.endpoint) ?? -1n) >= startBlock ? Promise.resolve(startBlock) : Promise.reject(unavailable());
    };
    const contract = consistentGateway(first, {
        session,
        gatewayPeer: edge0,
        routes,
        mspId: 'EdgeOrgMSP',
        peersOf: (mspId) => [edge0, edge1].filter((p) => p.mspId === mspId),
        organizations: ['EdgeOrgMSP'],
        feed,
        timeoutMs: 1000,
    })
        .getNetwork('edgetrust')
        .getContract('evidence');
    return { calls, routes, contract, session, ready };
}

describe('failover between the peers of the organisation', () => {
    it('evaluates on the next peer when the gateway peer is unreachable, and stays there', async () => {
        const { calls, routes, contract } = setup({ edge0: { evaluate: unavailable } });
        expect(new TextDecoder().decode(await contract.evaluateTransaction('Get', 'x'))).toBe('"read on edge1"');
        await contract.evaluateTransaction('Get', 'y');
        expect(calls).toEqual(['edge0 evaluate Get', 'edge1 evaluate Get', 'edge1 evaluate Get']);
        expect(routes.current.peer).toBe(edge1);
        expect(routes.failovers).toBe(1);
    });

    it('re-endorses as a new proposal on the next peer when endorsement cannot reach the gateway peer', async () => {
        const { calls, contract } = setup({ edge0: { endorse: unavailable } });
        await contract.submitTransaction('Anchor', 'e1');
        expect(calls).toEqual(['edge0 endorse edge0-tx1', 'edge1 endorse edge1-tx1', 'edge1 submit edge1-tx1', 'edge1 status status of edge1-tx1']);
    });

    it('submits the same signed envelope through the next peer, never a new endorsement, when the submit fails', async () => {
        const { calls, contract } = setup({ edge0: { submit: unavailable } });
        await contract.submitTransaction('Anchor', 'e1');
        expect(calls).toEqual(['edge0 endorse edge0-tx1', 'edge0 submit edge0-tx1', 'edge1 newTransaction from "signed edge0-tx1"', 'edge1 submit edge0-tx1', 'edge1 status status of edge0-tx1']);
        expect(calls.filter((c) => c.includes('endorse'))).toHaveLength(1);
    });

    it('resumes the commit status wait on the next peer by the same transaction id, and records the block there', async () => {
        const { calls, contract, session } = setup({ edge0: { status: unavailable } });
        const submitted = await contract.submitAsync('Anchor', { arguments: ['e1'] });
        const status = await submitted.getStatus();
        expect(status).toMatchObject({ successful: true, transactionId: 'edge0-tx1', blockNumber: 5n });
        expect(calls).toEqual(['edge0 endorse edge0-tx1', 'edge0 submit edge0-tx1', 'edge0 status status of edge0-tx1', 'edge1 newCommit from "status of edge0-tx1"', 'edge1 status status of edge0-tx1']);
        expect(session.peerHeight('edgetrust', edge1.endpoint)).toBe(5n);
        expect(session.peerHeight('edgetrust', edge0.endpoint)).toBeUndefined();
    });

    it('submits the same signed envelope again while the commit status does not come (a transaction the orderer lost)', async () => {
        let waits = 0;
        const { calls, routes, contract } = setup({ edge0: { status: () => (++waits <= 2 ? gatewayError(grpcStatus.DEADLINE_EXCEEDED) : undefined) } });
        await contract.submitTransaction('Anchor', 'e1');
        expect(calls).toEqual([
            'edge0 endorse edge0-tx1',
            'edge0 submit edge0-tx1',
            'edge0 status status of edge0-tx1',
            'edge0 newTransaction from "signed edge0-tx1"',
            'edge0 submit edge0-tx1',
            'edge0 status status of edge0-tx1',
            'edge0 newTransaction from "signed edge0-tx1"',
            'edge0 submit edge0-tx1',
            'edge0 status status of edge0-tx1',
        ]);
        expect(routes.failovers).toBe(0);
    });

    it('does not retry an error of the transaction itself', async () => {
        const refused = (): Error => gatewayError(grpcStatus.ABORTED, 'failed to endorse transaction: ALREADY_EXISTS: evidence e1');
        const { calls, routes, contract } = setup({ edge0: { endorse: refused } });
        await expect(contract.submitTransaction('Anchor', 'e1')).rejects.toMatchObject({ code: grpcStatus.ABORTED });
        expect(calls).toEqual(['edge0 endorse edge0-tx1']);
        expect(routes.failovers).toBe(0);
    });

    it('throws the last peer failure when every peer of the organisation is down', async () => {
        const { calls, contract } = setup({ edge0: { evaluate: unavailable }, edge1: { evaluate: unavailable } });
        await expect(contract.evaluateTransaction('Get', 'x')).rejects.toMatchObject({ code: grpcStatus.UNAVAILABLE });
        expect(calls).toEqual(['edge0 evaluate Get', 'edge1 evaluate Get']);
    });

    it('returns to the preferred peer once its channel is connected again', async () => {
        const faults: Faults = { evaluate: unavailable };
        const { calls, routes, contract, ready } = setup({ edge0: faults });
        await contract.evaluateTransaction('Get', 'x');
        delete faults.evaluate;
        await contract.evaluateTransaction('Get', 'y');
        ready.add(edge0.endpoint);
        await contract.evaluateTransaction('Get', 'z');
        expect(calls).toEqual(['edge0 evaluate Get', 'edge1 evaluate Get', 'edge1 evaluate Get', 'edge0 evaluate Get']);
        expect(routes.current.peer).toBe(edge0);
    });

    it('waits for the new gateway peer to reach the session block before reading there', async () => {
        const session = new ConsistencySession();
        session.noteCommitted('edgetrust', edge0.endpoint, 9n);
        const { calls, contract } = setup({ edge0: { evaluate: unavailable } }, { session, heights: new Map([[edge1.endpoint, 9n]]) });
        await contract.evaluateTransaction('Get', 'x');
        expect(calls).toEqual(['edge0 evaluate Get', 'wait peer1 of EdgeOrg for 9', 'edge1 evaluate Get']);
    });

    it('fails over when the read-your-writes wait cannot reach the gateway peer', async () => {
        const session = new ConsistencySession();
        session.observe('edgetrust@9');
        const { calls, contract } = setup({}, { session, heights: new Map([[edge1.endpoint, 9n]]) });
        await contract.evaluateTransaction('Get', 'x');
        expect(calls).toEqual(['wait peer0 of EdgeOrg for 9', 'wait peer1 of EdgeOrg for 9', 'edge1 evaluate Get']);
    });
});

describe('isPeerFailure', () => {
    it('is true for UNAVAILABLE and DEADLINE_EXCEEDED, also as a cause, and false otherwise', () => {
        expect(isPeerFailure(unavailable())).toBe(true);
        expect(isPeerFailure(gatewayError(grpcStatus.DEADLINE_EXCEEDED))).toBe(true);
        expect(isPeerFailure(new Error('wait failed', { cause: unavailable() }))).toBe(true);
        expect(isPeerFailure(Object.assign(new Error('14 UNAVAILABLE: Connection dropped'), { code: grpcStatus.UNAVAILABLE, details: 'Connection dropped', metadata: new Metadata() }))).toBe(true);
        expect(isPeerFailure(gatewayError(grpcStatus.ABORTED))).toBe(false);
        expect(isPeerFailure(new Error('UNAVAILABLE'))).toBe(false);
    });
});
