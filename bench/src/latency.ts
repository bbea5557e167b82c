import { createHash } from 'node:crypto';
import { connect, loadNetworkProfile } from '@edgetrust/gateway-sdk';
import { networkFromEnv } from '@edgetrust/test-network-scripts';
import { formatSummary, summarize } from './stats';

/**
 * Submit-to-commit latency of single transactions through the SDK (issue: network foundation):
 * the one-putState baseline chaincode and an evidence anchor, side by side in one run.
 * Usage: npm run bench -- latency   (BENCH_TRANSACTIONS, default 60, of which the first 10 warm up)
 */
async function main(): Promise<void> {
    const network = networkFromEnv();
    const profile = loadNetworkProfile(network.paths.connectionProfile);
    const total = Number(process.env.BENCH_TRANSACTIONS ?? 60);
    const warmup = Math.min(10, Math.floor(total / 5));
    const connection = await connect({ profile, organization: 'EdgeOrg' });
    const channel = connection.gateway.getNetwork(profile.channel);
    const run = `${String(process.pid)}-${String(Date.now())}`;
    const workloads: Record<string, (i: number) => { contract: string; name: string; args: string[] }> = {
        'baseline Put (one putState)': (i) => ({ contract: 'baseline', name: 'Put', args: [`lat-${run}-${String(i)}`, 'v'] }),
        'evidence Anchor': (i) => {
            const id = `lat-${run}-${String(i)}`;
            const digest = createHash('sha256').update(id).digest('hex');
            const request = { id, digest, name: id, size: 1, mediaType: 'text/plain', source: { type: 'device', id: 'bench' } };
            return { contract: 'evidence', name: 'Anchor', args: [JSON.stringify(request)] };
        },
    };
    console.log(`channel ${network.channel.name}: BatchTimeout ${network.channel.batchTimeout}, MaxMessageCount ${String(network.channel.maxMessageCount)}, ${network.consensus === 'bft' ? 'SmartBFT' : 'Raft'} ×${String(network.orderers.length)}`);
    console.log(`gateway peer ${connection.peer.name} (${connection.peer.tier}); ${String(total)} sequential transactions each, first ${String(warmup)} not counted`);
    try {
        for (const [label, workload] of Object.entries(workloads)) {
            const samples: number[] = [];
            for (let i = 0; i < total; i++) {
                const { contract, name, args } = workload(i);
                const started = performance.now();
                const commit = await channel.getContract(contract).submitAsync(name, { arguments: args });
                const status = await commit.getStatus();
                if (!status.successful) {
                    throw new Error(`${label}: transaction ${status.transactionId} failed with code ${String(status.code)}`);
                }
                if (i >= warmup) {
                    samples.push(performance.now() - started);
                }
            }
            console.log(formatSummary(`submit→commit ${label}`, summarize(samples)));
        }
    } finally {
        connection.close();
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
