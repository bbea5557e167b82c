import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, loadNetworkProfile } from '@edgetrust/gateway-sdk';
import { applyLinkDelays, linkDelay, loadNetworkFrom, networkFromEnv } from '@edgetrust/test-network-scripts';
import { formatSummary, type Summary, summarize } from './stats';

/**
 * Deployment modes with real distance (issue 15, N2, WP 3.2): an edge application's submit→commit and query
 * latency under On-MEC, Off-MEC and Hybrid, measured one after the other in one run on one network whose hosts
 * (one per organisation, the orderers' too) each run in a network namespace of their own, with the links between
 * them delayed by the tiers the mode gives the hosts (network/topology.json, hosts.linkDelays; the application runs
 * on this machine's side of the bridge, at the edge). Between the modes only the delays change (each host's delay
 * relay is restarted), so the ledger, processes and machine load are the same for all three.
 * Usage: EDGETRUST_HOSTS=netns EDGETRUST_LINK_DELAYS=1 npm run bench -- modes
 *        (BENCH_TRANSACTIONS sequential anchors per mode, default 40, first 5 warm up; as many Read queries)
 */
const MODES = ['on-mec', 'hybrid', 'off-mec'];

async function measure(mode: string, total: number, warmup: number): Promise<{ submit: Summary; query: Summary; gateway: string }> {
    const network = loadNetworkFrom(networkFromEnv(), { mode });
    await applyLinkDelays(network, (line) => console.log(line));
    // The peers' gossip and deliver streams went down with the old relays; give them a moment to reconnect.
    await sleep(5000);
    const profile = loadNetworkProfile(network.paths.connectionProfile);
    const connection = await connect({ profile, organization: 'EdgeOrg' });
    try {
        const evidence = connection.gateway.getNetwork(profile.channel).getContract('evidence');
        const run = `modes-${mode}-${String(process.pid)}-${String(Date.now())}`;
        const submits: number[] = [];
        const queries: number[] = [];
        // The first calls after the relays' restart open new connections: retried until one goes through.
        for (let attempt = 0; ; attempt++) {
            try {
                await evidence.evaluateTransaction('org.hyperledger.fabric:GetMetadata');
                break;
            } catch (err) {
                if (attempt > 20) throw err;
                await sleep(500);
            }
        }
        for (let i = 0; i < total; i++) {
            const id = `${run}-${String(i)}`;
            const request = { id, digest: createHash('sha256').update(id).digest('hex'), name: id, size: 1, mediaType: 'text/plain', source: { type: 'device', id: 'bench' } };
            let started = performance.now();
            const commit = await evidence.submitAsync('Anchor', { arguments: [JSON.stringify(request)] });
            const status = await commit.getStatus();
            if (!status.successful) {
                throw new Error(`${mode}: anchor ${status.transactionId} failed with code ${String(status.code)}`);
            }
            const submitted = performance.now() - started;
            started = performance.now();
            await evidence.evaluateTransaction('Read', id);
            const queried = performance.now() - started;
            if (i >= warmup) {
                submits.push(submitted);
                queries.push(queried);
            }
        }
        return { submit: summarize(submits), query: summarize(queries), gateway: `${connection.peer.name} (${network.organizations.flatMap((o) => o.peers).find((p) => p.host === connection.peer.name)?.tier ?? '?'})` };
    } finally {
        connection.close();
    }
}

async function main(): Promise<void> {
    const base = networkFromEnv();
    if (!base.delayed) {
        throw new Error('the modes benchmark needs a network with hosts of their own and link delays: EDGETRUST_HOSTS=netns EDGETRUST_LINK_DELAYS=1 npm run bench -- modes');
    }
    const total = Number(process.env.BENCH_TRANSACTIONS ?? 40);
    const warmup = Math.min(5, Math.floor(total / 5));
    const delays = (['edge-edge', 'cloud-edge', 'cloud-cloud'] as const).map((k) => `${k} ${String(linkDelay(base, k.split('-')[0] as 'edge', k.split('-')[1] as 'edge'))} ms`);
    console.log(`one-way link delays between hosts: ${delays.join(', ')}; ${base.consensus} ×${String(base.orderers.length)}, channel ${base.channel.name} (batch timeout ${base.channel.batchTimeout}); ${String(total)} anchors and reads per mode, first ${String(warmup)} not counted`);
    const rows: string[] = [];
    for (const mode of MODES) {
        const network = loadNetworkFrom(base, { mode });
        const result = await measure(mode, total, warmup);
        console.log(formatSummary(`${mode}: submit→commit evidence Anchor`, result.submit));
        console.log(formatSummary(`${mode}: query evidence Read`, result.query));
        const where = network.hosts.map((h) => `${h.organization.replace(/Org$/, '')} ${h.tier}`).join(', ');
        const ms = (s: Summary, k: 'p50' | 'p95'): string => s[k].toFixed(1);
        rows.push(`| ${mode} | ${where} | ${result.gateway} | ${ms(result.submit, 'p50')} / ${ms(result.submit, 'p95')} ms | ${ms(result.query, 'p50')} / ${ms(result.query, 'p95')} ms |`);
    }
    console.log('\n| mode | hosts (tier) | gateway peer | submit→commit p50 / p95 | query p50 / p95 |');
    console.log('|---|---|---|---|---|');
    for (const row of rows) {
        console.log(row);
    }
    // Back to the mode the network was started in.
    await applyLinkDelays(base, () => undefined);
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
