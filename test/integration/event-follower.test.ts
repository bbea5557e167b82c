import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EdgeTrustEvent, followChaincodeEvents } from '../../gateway-sdk/src';
import { closeConnections, connectAs, testProfile, uniqueId } from '../support/network';

interface AnchoredPayload {
    id?: string;
}

describe('following chaincode events with a checkpoint (S3)', () => {
    afterAll(closeConnections);

    it('resumes after a restart with no gap and no duplicate', async () => {
        const profile = testProfile();
        const connection = await connectAs('EdgeOrg');
        const network = connection.gateway.getNetwork(profile.channel);
        const evidence = network.getContract('evidence');
        const prefix = uniqueId('follow');
        const anchor = async (n: number): Promise<bigint> => {
            const id = `${prefix}-${String(n)}`;
            const digest = createHash('sha256').update(id).digest('hex');
            const request = { id, digest, name: id, size: 1, mediaType: 'text/plain', source: { type: 'app', id: 'follower-test' } };
            const commit = await evidence.submitAsync('Anchor', { arguments: [JSON.stringify(request)] });
            return (await commit.getStatus()).blockNumber;
        };
        const firstBlock = await anchor(1);
        await anchor(2);
        await anchor(3);
        const checkpointFile = join(mkdtempSync(join(tmpdir(), 'edgetrust-follow-')), 'checkpoint.json');

        // Follow until our own events stop arriving for `quietMs` after at least `want` of them, or fail after 30 s.
        const follow = async (want: number): Promise<string[]> => {
            const seen: string[] = [];
            const controller = new AbortController();
            const deadline = setTimeout(() => controller.abort(), 30_000);
            await followChaincodeEvents<AnchoredPayload>({ network, chaincode: 'evidence', checkpointFile, startBlock: firstBlock, signal: controller.signal }, (event: EdgeTrustEvent<AnchoredPayload>) => {
                const id = event.payload.id ?? '';
                if (id.startsWith(prefix)) {
                    seen.push(id);
                    if (seen.length === want) {
                        controller.abort();
                    }
                }
                return Promise.resolve();
            });
            clearTimeout(deadline);
            return seen;
        };

        // First run handles two events, then "crashes" (stops) before the third is checkpointed.
        expect(await follow(2)).toEqual([`${prefix}-1`, `${prefix}-2`]);
        await anchor(4);
        // The restarted follower gets exactly the rest.
        expect(await follow(2)).toEqual([`${prefix}-3`, `${prefix}-4`]);
    });
});
