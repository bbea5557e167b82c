import { createHash } from 'node:crypto';
import { channelOf, EvidenceClient, NotFoundError } from '../../gateway-sdk/src';
import { closeConnections, connectAs, testProfile, uniqueId } from '../support/network';

jest.setTimeout(120_000);

/**
 * A channel per latency class (issue 15, N4): evidence is deployed on the latency and the bulk channel; an
 * application picks the channel per call, and each channel is a ledger of its own.
 */
describe('the latency and the bulk channel', () => {
    afterAll(closeConnections);

    it('lists both channels in the connection profile with their batch timeouts and chaincodes', () => {
        const channels = testProfile().channels ?? {};
        const latency = channels[channelOf(testProfile(), 'latency')];
        const bulk = channels[channelOf(testProfile(), 'bulk')];
        expect(latency?.chaincodes).toEqual(expect.arrayContaining(['evidence', 'resource-billing', 'device-identity']));
        expect(bulk?.chaincodes).toEqual(['evidence']);
        expect(channelOf(testProfile(), 'bulk')).not.toBe(testProfile().channel);
    });

    it('anchors on the channel the call names: the record is on that ledger and not on the other', async () => {
        const edge = await connectAs('EdgeOrg');
        const client = (latencyClass: string): EvidenceClient => new EvidenceClient(edge.gateway.getNetwork(channelOf(testProfile(), latencyClass)).getContract('evidence'));
        const id = uniqueId('bulk-anchor');
        const digest = createHash('sha256').update(id).digest('hex');
        await edge.gateway
            .getNetwork(channelOf(testProfile(), 'bulk'))
            .getContract('evidence')
            .submitTransaction('Anchor', JSON.stringify({ id, digest, name: id, size: 1, mediaType: 'text/plain', source: { type: 'device', id: 'channels-test' } }));
        expect(await client('bulk').read(id)).toMatchObject({ id, digest });
        await expect(client('latency').read(id)).rejects.toBeInstanceOf(NotFoundError);
    });
});
