import { createHash } from 'node:crypto';
import { connect, type Connection, EvidenceClient, loadNetworkProfile, NotFoundError } from '@edgetrust/gateway-sdk';
import { networkFromEnv } from '@edgetrust/test-network-scripts';
import { formatSummary, summarize } from './stats';

/**
 * What read-your-writes costs (gateway-sdk/README.md, "Consistency"). EdgeOrg anchors a record; at once, CloudOrg
 * reads it twice in parallel: through a connection that observed EdgeOrg's consistency token (waits until its peer
 * has the block) and through one with the layer off (may find nothing yet). Then EdgeOrg reads its own write with the
 * layer on and off: no wait is needed there, so the two should match.
 * Usage: npm run bench -- consistency   (BENCH_TRANSACTIONS, default 60, of which the first 10 warm up)
 */
async function main(): Promise<void> {
    const network = networkFromEnv();
    const profile = loadNetworkProfile(network.paths.connectionProfile);
    const total = Number(process.env.BENCH_TRANSACTIONS ?? 60);
    const warmup = Math.min(10, Math.floor(total / 5));
    const connections: Connection[] = [];
    const open = async (organization: string, consistency: false | object): Promise<EvidenceClient> => {
        const connection = await connect({ profile, organization, consistency });
        connections.push(connection);
        return new EvidenceClient(connection.gateway.getNetwork(profile.channel).getContract(profile.chaincodes.evidence ?? 'evidence'));
    };
    try {
        const edge = await open('EdgeOrg', {});
        const edgeConnection = connections[0];
        const edgeOff = await open('EdgeOrg', false);
        const cloudToken = await open('CloudOrg', {});
        const cloudConnection = connections[2];
        const cloudOff = await open('CloudOrg', false);
        const run = `${String(process.pid)}-${String(Date.now())}`;
        const samples = { token: [] as number[], off: [] as number[], ownOn: [] as number[], ownOff: [] as number[] };
        let stale = 0;
        const timed = async <T>(into: number[] | undefined, call: () => Promise<T>): Promise<T> => {
            const started = performance.now();
            const result = await call();
            into?.push(performance.now() - started);
            return result;
        };
        for (let i = 0; i < total; i++) {
            const id = `ryw-${run}-${String(i)}`;
            const digest = createHash('sha256').update(id).digest('hex');
            await edge.anchor({ id, digest, name: id, size: 1, mediaType: 'text/plain', source: { type: 'device', id: 'bench' } });
            const counted = i >= warmup;
            cloudConnection?.observe(edgeConnection?.consistencyToken());
            const [, withoutToken] = await Promise.all([
                timed(counted ? samples.token : undefined, () => cloudToken.read(id)),
                timed(counted ? samples.off : undefined, () => found(cloudOff, id)),
            ]);
            if (counted && !withoutToken) {
                stale += 1;
            }
            await timed(counted ? samples.ownOn : undefined, () => edge.read(id));
            await timed(counted ? samples.ownOff : undefined, () => edgeOff.read(id));
        }
        console.log(`${String(total)} anchors by EdgeOrg, first ${String(warmup)} not counted; reads right after each commit:`);
        console.log(formatSummary('CloudOrg read, with EdgeOrg’s token', summarize(samples.token)));
        console.log(formatSummary('CloudOrg read, consistency off', summarize(samples.off)));
        console.log(`CloudOrg reads without the token that found nothing yet: ${String(stale)} of ${String(samples.off.length)}`);
        console.log(formatSummary('EdgeOrg reads its own write, layer on', summarize(samples.ownOn)));
        console.log(formatSummary('EdgeOrg reads its own write, layer off', summarize(samples.ownOff)));
    } finally {
        connections.forEach((c) => c.close());
    }
}

/** Whether the record is there yet: a stale peer answers NOT_FOUND. */
async function found(client: EvidenceClient, id: string): Promise<boolean> {
    try {
        await client.read(id);
        return true;
    } catch (err) {
        if (err instanceof NotFoundError) {
            return false;
        }
        throw err;
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
