import { createHash } from 'node:crypto';
import { createServer, connect as connectTcp, type Server, type Socket } from 'node:net';
import { connect, type Connection, type NetworkProfile } from '../../gateway-sdk/src';
import { testProfile, uniqueId } from '../support/network';

/*
 * Failover on the real network without stopping a shared peer (other test files run beside this one): the
 * connection's first candidate is a TCP relay in front of EdgeOrg's first peer (TLS passes through untouched), and
 * the test cuts the relay — every open connection destroyed, the port closed — which is what the SDK sees when its
 * gateway peer dies. Evaluations and submissions must then go through the organisation's next peer by themselves.
 */

/** A TCP relay to `target` (host:port) on a free local port; `cut()` kills it and every connection through it. */
async function relayTo(target: string): Promise<{ endpoint: string; cut(): Promise<void> }> {
    const [host, port] = target.split(':');
    const sockets = new Set<Socket>();
    const server: Server = createServer((client) => {
        const upstream = connectTcp(Number(port), host);
        for (const s of [client, upstream]) {
            sockets.add(s);
            s.on('close', () => sockets.delete(s));
            s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') {
        throw new Error('relay has no port');
    }
    return {
        endpoint: `127.0.0.1:${String(address.port)}`,
        cut: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                sockets.forEach((s) => s.destroy());
            }),
    };
}

/** The profile with EdgeOrg's first peer reached through `endpoint` instead (same TLS name and CA). */
function throughRelay(profile: NetworkProfile, endpoint: string): NetworkProfile {
    const edge = profile.organizations.EdgeOrg;
    if (!edge?.peers[0]) {
        throw new Error('no EdgeOrg peer in the profile');
    }
    const [first, ...rest] = edge.peers;
    return { ...profile, organizations: { ...profile.organizations, EdgeOrg: { ...edge, peers: [{ ...first, name: `${first.name}-relay`, endpoint }, ...rest] } } };
}

function anchorRequest(id: string): string {
    return JSON.stringify({ id, digest: createHash('sha256').update(id).digest('hex'), name: `${id}.txt`, size: 1, mediaType: 'text/plain', source: { type: 'device', id: 'failover-test' } });
}

describe('failover to the next peer of the organisation (real network)', () => {
    let connection: Connection | undefined;
    let relay: Awaited<ReturnType<typeof relayTo>> | undefined;
    afterAll(async () => {
        connection?.close();
        await relay?.cut();
    });

    it('keeps evaluating and submitting after its gateway peer disappears, without reconnecting', async () => {
        const profile = testProfile();
        const firstPeer = profile.organizations.EdgeOrg?.peers[0];
        expect(profile.organizations.EdgeOrg?.peers.length).toBeGreaterThan(1);
        relay = await relayTo(firstPeer?.endpoint ?? '');
        connection = await connect({ profile: throughRelay(profile, relay.endpoint), organization: 'EdgeOrg' });
        expect(connection.peer.endpoint).toBe(relay.endpoint);
        const evidence = connection.gateway.getNetwork(profile.channel).getContract(profile.chaincodes.evidence ?? 'evidence');

        const before = uniqueId('failover-before');
        await evidence.submitTransaction('Anchor', anchorRequest(before));

        await relay.cut();

        const after = uniqueId('failover-after');
        await evidence.submitTransaction('Anchor', anchorRequest(after));
        // Read-your-writes holds on the new peer: both anchors are there.
        for (const id of [before, after]) {
            const record = JSON.parse(new TextDecoder().decode(await evidence.evaluateTransaction('Read', id))) as { id: string };
            expect(record.id).toBe(id);
        }
        expect(connection.peer.endpoint).not.toBe(relay.endpoint);
        expect(connection.peer.endpoint).not.toBe(firstPeer?.endpoint);
        expect(connection.failovers).toBe(1);
    });
});
