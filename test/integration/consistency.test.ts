import { type AnchorRequest, BillingClient, type Connection, ConsistencyTimeoutError, EvidenceClient } from '../../gateway-sdk/src';
import { registerResource } from '../support/billing';
import { sha256 } from '../support/evidence';
import { closeConnections, connectAs, testProfile, uniqueId } from '../support/network';

jest.setTimeout(90_000);

/** A plain evidence record of some content. */
function record(id: string, content: string): AnchorRequest {
    return { id, digest: sha256(content), name: `${id}.bin`, size: Buffer.byteLength(content), mediaType: 'application/octet-stream', source: { type: 'device', id: 'ryw-camera' } };
}

/*
 * Read-your-writes across organisations with consistency tokens, as two applications in different processes
 * would use them: each connection has a session of its own, and what one wrote reaches the other only as the
 * token's string form. (The other integration tests share one session per file instead.)
 */
describe('consistency tokens between the applications of two organisations', () => {
    let edge: Connection;
    let cloud: Connection;
    const evidence = (connection: Connection): EvidenceClient => new EvidenceClient(connection.gateway.getNetwork(testProfile().channel).getContract(testProfile().chaincodes.evidence ?? 'evidence'));
    const billing = (connection: Connection): BillingClient =>
        new BillingClient(connection.gateway.getNetwork(testProfile().channel).getContract(testProfile().chaincodes['resource-billing'] ?? 'resource-billing'));
    /** What EdgeOrg's application sends CloudOrg's, or back: only text crosses. */
    const handOver = (from: Connection, to: Connection): string => {
        const token = from.consistencyToken()?.toString() ?? '';
        to.observe(token);
        return token;
    };

    beforeAll(async () => {
        [edge, cloud] = await Promise.all([connectAs('EdgeOrg', { consistency: {} }), connectAs('CloudOrg', { consistency: {} })]);
    });
    afterAll(closeConnections);

    it('names the block of the connection’s latest write, channel@block', async () => {
        const id = uniqueId('ryw-token');
        const anchored = await evidence(edge).anchor(record(id, id));
        expect(edge.consistencyToken()?.toString()).toBe(`${testProfile().channel}@${String(anchored.blockNumber)}`);
        expect(cloud.consistencyToken()).toBeUndefined();
    });

    it('lets CloudOrg read EdgeOrg’s write, and then its revocation, right after each (E1, E3)', async () => {
        const id = uniqueId('ryw-read');
        const content = `reading ${id}`;
        const anchored = await evidence(edge).anchor(record(id, content));
        handOver(edge, cloud);
        await expect(evidence(cloud).read(id)).resolves.toEqual(anchored.result);

        await evidence(edge).revoke(id, 'sensor recalibrated');
        handOver(edge, cloud);
        await expect(evidence(cloud).verify(id, sha256(content))).resolves.toMatchObject({ outcome: 'match', status: 'revoked' });
    });

    it('lets CloudOrg record a process step on EdgeOrg’s step right after it: the endorsing peer has the predecessor (E9)', async () => {
        const traceId = uniqueId('ryw-trace');
        const step = (connection: Connection, name: string, predecessorId?: string): ReturnType<EvidenceClient['anchor']> =>
            evidence(connection).anchor({
                ...record(`${traceId}/${name}`, `${traceId} ${name}`),
                kind: 'process-step',
                attributes: { traceId, step: name, party: `${name} party`, ...(predecessorId ? { predecessorId } : {}) },
            });
        const picked = await step(edge, 'picked');
        handOver(edge, cloud);
        const packed = await step(cloud, 'packed', picked.result.id);
        handOver(cloud, edge);
        await expect(evidence(edge).traceForward(picked.result.id)).resolves.toMatchObject({ traceId, complete: true, steps: [{ id: picked.result.id }, { id: packed.result.id }] });
    });

    it('lets CloudOrg propose a session endorsed by both organisations on a resource EdgeOrg just registered, and EdgeOrg accept and stop it', async () => {
        const resource = await registerResource(billing(edge), 'ryw', { kind: 'gpu', name: 'GPU slice', plan: { unit: 'second', rate: 3 } });
        handOver(edge, cloud);
        const sessionId = uniqueId('ryw-session');
        await billing(cloud).startSession({ sessionId, resourceId: resource.resourceId, appId: 'ryw-app' });
        handOver(cloud, edge);
        // EdgeOrg's peers have CloudOrg's proposal before EdgeOrg accepts it: no NOT_FOUND, no retry.
        await expect(billing(edge).acceptSession(sessionId)).resolves.toMatchObject({ result: { status: 'active' } });
        const stopped = await billing(edge).stopSession(sessionId);
        handOver(edge, cloud);
        await expect(billing(cloud).getSession(sessionId)).resolves.toEqual(stopped.result.session);
    });

    it('refuses with CONSISTENCY_TIMEOUT, after the configured time, a read no peer can serve yet', async () => {
        const impatient = await connectAs('CloudOrg', { consistency: { timeoutMs: 500 } });
        impatient.observe(`${testProfile().channel}@1000000000`);
        const error = await evidence(impatient)
            .read(uniqueId('ryw-never'))
            .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConsistencyTimeoutError);
        expect(error).toMatchObject({ code: 'CONSISTENCY_TIMEOUT', blockNumber: 1000000000n, peers: [`${impatient.peer.name} of CloudOrg`] });
        expect((error as Error).message).toMatch(/did not reach block 1000000000 of \S+ within 500 ms$/);
    });
});
