import { channelOf, connect, loadNetworkProfile } from '@edgetrust/gateway-sdk';
import { channelNamed, networkFromEnv } from '@edgetrust/test-network-scripts';
import { formatSummary, runConcurrently, summarize } from './stats';

/**
 * A channel per latency class (issue 15, N4, WP 2.1.1), both measured in one run with the one-putState baseline
 * chaincode (deployed on both channels): sequential submit→commit latency, and throughput with many transactions in
 * flight, on the latency channel and on the bulk channel. The goal: p50 ≤ 50 ms on the latency channel.
 * Usage: npm run bench -- channels   (BENCH_TRANSACTIONS sequential, default 60, first 10 warm up;
 *        BENCH_BULK_TRANSACTIONS, default 600, BENCH_CONCURRENCY, default 60)
 */
async function main(): Promise<void> {
    const network = networkFromEnv();
    const profile = loadNetworkProfile(network.paths.connectionProfile);
    const total = Number(process.env.BENCH_TRANSACTIONS ?? 60);
    const warmup = Math.min(10, Math.floor(total / 5));
    const bulkCount = Number(process.env.BENCH_BULK_TRANSACTIONS ?? 600);
    const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 60);
    const connection = await connect({ profile, organization: 'EdgeOrg' });
    const run = `${String(process.pid)}-${String(Date.now())}`;
    const consensus = `${network.consensus === 'bft' ? 'SmartBFT' : 'Raft'} ×${String(network.orderers.length)}`;
    try {
        for (const latencyClass of ['latency', 'bulk']) {
            const name = channelOf(profile, latencyClass);
            const settings = channelNamed(network, name);
            const contract = connection.gateway.getNetwork(name).getContract('baseline');
            console.log(`channel ${name} (${latencyClass}): BatchTimeout ${settings.batchTimeout}, MaxMessageCount ${String(settings.maxMessageCount)}, ${consensus}`);
            const samples: number[] = [];
            for (let i = 0; i < total; i++) {
                const started = performance.now();
                await contract.submitTransaction('Put', `ch-${run}-${name}-seq-${String(i)}`, 'v');
                if (i >= warmup) {
                    samples.push(performance.now() - started);
                }
            }
            console.log(formatSummary(`  sequential submit→commit on ${latencyClass}`, summarize(samples)));
            const latencies: number[] = [];
            const elapsed = await runConcurrently(bulkCount, concurrency, async (i) => {
                const started = performance.now();
                await contract.submitTransaction('Put', `ch-${run}-${name}-bulk-${String(i)}`, 'v');
                latencies.push(performance.now() - started);
            });
            console.log(`  ${String(bulkCount)} transactions, ${String(concurrency)} in flight: ${(bulkCount / (elapsed / 1000)).toFixed(1)} tx/s`);
            console.log(formatSummary(`  submit→commit under load on ${latencyClass}`, summarize(latencies)));
        }
    } finally {
        connection.close();
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
