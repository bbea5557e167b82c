import { awaitRequiredBlock, type BlockFeed, ConsistencySession, ConsistencyToken, type TrackedPeer, type WaitPlan } from './consistency';
import { ConsistencyTimeoutError, EdgeTrustError } from './errors';

const edge0: TrackedPeer = { endpoint: '127.0.0.1:7100', mspId: 'EdgeOrgMSP', label: 'peer0 of EdgeOrg' };
const edge1: TrackedPeer = { endpoint: '127.0.0.1:7110', mspId: 'EdgeOrgMSP', label: 'peer1 of EdgeOrg' };
const cloud0: TrackedPeer = { endpoint: '127.0.0.1:7120', mspId: 'CloudOrgMSP', label: 'peer0 of CloudOrg' };

/**
 * Peers of a fake network: each has a committed height that the test raises; a feed request for a block not yet
 * committed is answered when the block commits, as Fabric's deliver service does.
 */
class FakePeers {
    readonly requests: Array<{ peer: string; startBlock: bigint }> = [];
    readonly #committed = new Map<string, bigint>();
    readonly #unreachable = new Set<string>();
    readonly #waiting: Array<{ peer: string; block: bigint; resolve: (n: bigint) => void }> = [];

    commit(peer: TrackedPeer, block: bigint): void {
        this.#committed.set(peer.endpoint, block);
        for (const w of this.#waiting.filter((x) => x.peer === peer.endpoint && x.block <= block)) {
            w.resolve(block);
        }
    }

    unreachable(peer: TrackedPeer): void {
        this.#unreachable.add(peer.endpoint);
    }

    readonly feed: BlockFeed = (peer, _channel, startBlock, signal) => {
        this.requests.push({ peer: peer.endpoint, startBlock });
        if (this.#unreachable.has(peer.endpoint)) {
            return Promise.reject(new Error('14 UNAVAILABLE: connection refused'));
        }
        const committed = this.#committed.get(peer.endpoint) ?? -1n;
        if (committed >= startBlock) {
            return Promise.resolve(startBlock);
        }
        return new Promise((resolve, reject) => {
            this.#waiting.push({ peer: peer.endpoint, block: startBlock, resolve: () => resolve(startBlock) });
            signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
        });
    };
}

const plan = (gatewayPeer: TrackedPeer, otherPeers: TrackedPeer[] = []): WaitPlan => ({ channel: 'edgetrust', gatewayPeer, otherPeers });

describe('ConsistencyToken', () => {
    it('travels as channel@block and reads back the same', () => {
        const token = new ConsistencyToken('edgetrust', 42n);
        expect(token.toString()).toBe('edgetrust@42');
        expect(JSON.stringify({ token })).toBe('{"token":"edgetrust@42"}');
        expect(ConsistencyToken.parse('edgetrust@42')).toEqual(token);
        expect(ConsistencyToken.from(undefined)).toBeUndefined();
    });

    it.each(['', 'edgetrust', 'edgetrust@', 'edgetrust@-1', 'edgetrust@01', 'Edge@1', 'edgetrust@1x', '@5'])('refuses %p with INVALID_ARGUMENT', (text) => {
        expect(() => ConsistencyToken.parse(text)).toThrow(EdgeTrustError);
        expect(() => ConsistencyToken.parse(text)).toThrow(/INVALID_ARGUMENT/);
    });
});

describe('ConsistencySession', () => {
    it('requires the highest block it committed or was told about, per channel', () => {
        const session = new ConsistencySession();
        expect(session.token('edgetrust')).toBeUndefined();
        session.noteCommitted('edgetrust', edge0.endpoint, 10n);
        session.observe('edgetrust@7');
        expect(session.token('edgetrust')?.toString()).toBe('edgetrust@10');
        session.observe(new ConsistencyToken('edgetrust', 12n));
        expect(session.required('edgetrust')).toBe(12n);
        expect(session.required('other')).toBeUndefined();
        expect(session.peerHeight('edgetrust', edge0.endpoint)).toBe(10n);
        expect(session.peerHeight('edgetrust', cloud0.endpoint)).toBeUndefined();
    });

    it('remembers which organisations endorsed a chaincode for each submitting organisation', () => {
        const session = new ConsistencySession();
        session.noteEndorsers('edgetrust', 'resource-billing', 'CloudOrgMSP', ['EdgeOrgMSP', 'CloudOrgMSP']);
        session.noteEndorsers('edgetrust', 'resource-billing', 'CloudOrgMSP', ['EdgeOrgMSP']);
        session.noteEndorsers('edgetrust', 'evidence', 'EdgeOrgMSP', ['EdgeOrgMSP']);
        expect(session.endorsers('edgetrust', 'resource-billing', 'CloudOrgMSP')).toEqual(['CloudOrgMSP', 'EdgeOrgMSP']);
        expect(session.endorsers('edgetrust', 'evidence', 'EdgeOrgMSP')).toEqual(['EdgeOrgMSP']);
        expect(session.endorsers('edgetrust', 'evidence', 'CloudOrgMSP')).toBeUndefined();
    });
});

describe('awaitRequiredBlock', () => {
    it('asks no peer when the session requires nothing', async () => {
        const peers = new FakePeers();
        await awaitRequiredBlock(new ConsistencySession(), plan(cloud0, [edge0]), peers.feed, 1000);
        expect(peers.requests).toEqual([]);
    });

    it('asks no peer after the connection’s own write: its gateway peer committed it', async () => {
        const peers = new FakePeers();
        const session = new ConsistencySession();
        session.noteCommitted('edgetrust', edge0.endpoint, 9n);
        await awaitRequiredBlock(session, plan(edge0), peers.feed, 1000);
        expect(peers.requests).toEqual([]);
    });

    it('waits until the gateway peer commits the block of a token from another organisation, then remembers it', async () => {
        const peers = new FakePeers();
        peers.commit(cloud0, 4n);
        const session = new ConsistencySession();
        session.observe('edgetrust@6');
        let done = false;
        const waiting = awaitRequiredBlock(session, plan(cloud0), peers.feed, 5000).then(() => {
            done = true;
        });
        await Promise.resolve();
        peers.commit(cloud0, 5n);
        await new Promise(setImmediate);
        expect(done).toBe(false);
        peers.commit(cloud0, 6n);
        await waiting;
        expect(peers.requests).toEqual([{ peer: cloud0.endpoint, startBlock: 6n }]);
        expect(session.peerHeight('edgetrust', cloud0.endpoint)).toBe(6n);

        await awaitRequiredBlock(session, plan(cloud0), peers.feed, 5000);
        expect(peers.requests).toHaveLength(1);
    });

    it('waits for every peer of the other endorsing organisations, in parallel', async () => {
        const peers = new FakePeers();
        const session = new ConsistencySession();
        session.noteCommitted('edgetrust', cloud0.endpoint, 20n);
        const waiting = awaitRequiredBlock(session, plan(cloud0, [edge0, edge1]), peers.feed, 5000);
        peers.commit(edge0, 20n);
        peers.commit(edge1, 21n);
        await waiting;
        expect(peers.requests.map((r) => r.peer).sort()).toEqual([edge0.endpoint, edge1.endpoint].sort());
        expect(session.peerHeight('edgetrust', edge1.endpoint)).toBe(20n);
    });

    it('fails with CONSISTENCY_TIMEOUT naming the peer that stayed behind', async () => {
        const peers = new FakePeers();
        peers.commit(edge0, 30n);
        const session = new ConsistencySession();
        session.observe('edgetrust@31');
        const error = await awaitRequiredBlock(session, plan(edge0), peers.feed, 50).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConsistencyTimeoutError);
        expect(error).toMatchObject({ code: 'CONSISTENCY_TIMEOUT', channel: 'edgetrust', blockNumber: 31n, peers: ['peer0 of EdgeOrg'] });
        expect((error as Error).message).toBe('CONSISTENCY_TIMEOUT: peer0 of EdgeOrg did not reach block 31 of edgetrust within 50 ms');
    });

    it('leaves out the peers of other organisations that cannot be reached', async () => {
        const peers = new FakePeers();
        peers.unreachable(edge0);
        peers.unreachable(edge1);
        const session = new ConsistencySession();
        session.noteCommitted('edgetrust', cloud0.endpoint, 8n);
        await expect(awaitRequiredBlock(session, plan(cloud0, [edge0, edge1]), peers.feed, 1000)).resolves.toBeUndefined();
        expect(peers.requests).toHaveLength(2);
    });

    it('fails when a reachable peer of another organisation stays behind', async () => {
        const peers = new FakePeers();
        peers.commit(edge0, 8n);
        peers.commit(edge1, 7n);
        const session = new ConsistencySession();
        session.noteCommitted('edgetrust', cloud0.endpoint, 8n);
        const error = await awaitRequiredBlock(session, plan(cloud0, [edge0, edge1]), peers.feed, 50).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'CONSISTENCY_TIMEOUT', blockNumber: 8n, peers: ['peer1 of EdgeOrg'] });
    });

    it('fails when the gateway peer cannot be asked', async () => {
        const peers = new FakePeers();
        peers.unreachable(cloud0);
        const session = new ConsistencySession();
        session.observe('edgetrust@3');
        await expect(awaitRequiredBlock(session, plan(cloud0), peers.feed, 1000)).rejects.toBeInstanceOf(ConsistencyTimeoutError);
    });
});
