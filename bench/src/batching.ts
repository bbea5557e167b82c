import { connect, loadNetworkProfile } from '@edgetrust/gateway-sdk';
import { allPeers, networkFromEnv, up } from '@edgetrust/test-network-scripts';
import { stopProcess } from '@edgetrust/test-network-scripts/dist/processes';
import type { Contract } from '@hyperledger/fabric-gateway';
import { createHash } from 'node:crypto';
import { formatSummary, runConcurrently, summarize } from './stats';

/*
 * What Fabric 3.1's batched state messages buy (issue 9, finding 9), figures printed, never asserted.
 * The switch is the peer's own: its chaincode.runtimeParams (CORE_CHAINCODE_RUNTIMEPARAMS_USEWRITEBATCH and
 * _USEGETMULTIPLEKEYS) decide what it advertises in READY, and the chaincodes batch only what was advertised
 * (chaincode/common/src/state-batch.ts). So a difference between the phases below is also the real-network
 * proof that the chaincodes follow the negotiation. Phases, in one run on the benchmark network:
 *   on  — peers as configured by default (write batches and multi-key reads advertised, up to 1000 each);
 *   off — the peers restarted with both runtime params false (what a Fabric 3.0 peer offers); orderers and
 *         chaincode servers keep running, each peer opens new chaincode streams and so a new READY;
 *   on  — the peers restarted once more as at first, so that drift on a shared machine shows as on ≠ on.
 * Per phase and workload: chaincode simulation on one peer (evaluate of the write transaction: proposal,
 * chaincode, state calls; no ordering), one at a time, and submit→commit throughput with BENCH_CONCURRENCY in flight.
 * Usage: npm run bench -- batching   (knobs: BENCH_EVALUATIONS=150, BENCH_SUBMITS=150, BENCH_CONCURRENCY=10)
 */

const EVALUATIONS = Number(process.env.BENCH_EVALUATIONS ?? 150);
const SUBMITS = Number(process.env.BENCH_SUBMITS ?? 150);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const WARMUP = 10;
const OFF = { CORE_CHAINCODE_RUNTIMEPARAMS_USEWRITEBATCH: 'false', CORE_CHAINCODE_RUNTIMEPARAMS_USEGETMULTIPLEKEYS: 'false' };

const run = `${String(process.pid)}-${Date.now().toString(36)}`;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

interface Workload {
    label: string;
    chaincode: string;
    transaction: string;
    /** Arguments of the i-th call; unique per call, so no two transactions touch the same keys. */
    args(id: string): string[];
}

const SITE = `bench-batching-${run}-site`;

const WORKLOADS: Workload[] = [
    { label: 'baseline Put (1 write)', chaincode: 'baseline', transaction: 'Put', args: (id) => [id, 'v'] },
    {
        label: 'evidence Anchor (2 reads, 8 writes)',
        chaincode: 'evidence',
        transaction: 'Anchor',
        args: (id) => [JSON.stringify({ id, digest: sha256(id), name: `${id}.mp4`, size: 1_048_576, mediaType: 'video/mp4', source: { type: 'device', id: 'bench-camera' }, tags: ['bench'] })],
    },
    {
        label: 'device RegisterAsset (5 writes)',
        chaincode: 'device-identity',
        transaction: 'RegisterAsset',
        args: (id) => [JSON.stringify({ id, tag: `tag-${id}`, type: 'gpu-server', site: 'edge-site-a', model: 'bench', serialNumber: id })],
    },
    {
        label: 'billing RegisterResource (staged writes)',
        chaincode: 'resource-billing',
        transaction: 'RegisterResource',
        args: (id) => [JSON.stringify({ resourceId: id, siteId: SITE, kind: 'gpu', name: 'bench gpu', plan: { unit: 'second', rate: 3, cycle: 'minute' } })],
    },
];

interface Figures {
    simulateP50: number;
    simulateMean: number;
    submitsPerSecond: number;
}

type Phase = { label: string; figures: Map<string, Figures> };

async function submit(contract: Contract, name: string, args: string[]): Promise<void> {
    const commit = await contract.submitAsync(name, { arguments: args });
    const status = await commit.getStatus();
    if (!status.successful) {
        throw new Error(`${name}: transaction ${status.transactionId} failed with code ${String(status.code)}`);
    }
}

async function measurePhase(label: string, contractOf: (name: string) => Contract): Promise<Phase> {
    console.log(`\n[${label}] ${label === 'off' ? 'peers advertise no batches (runtimeParams false)' : 'peers advertise write batches and multi-key reads'}`);
    const figures = new Map<string, Figures>();
    let n = 0;
    const nextId = (): string => `bench-batching-${run}-${label}-${String(n++)}`;
    for (const workload of WORKLOADS) {
        const contract = contractOf(workload.chaincode);
        for (let i = 0; i < WARMUP; i++) {
            await contract.evaluateTransaction(workload.transaction, ...workload.args(nextId()));
        }
        const samples: number[] = [];
        for (let i = 0; i < EVALUATIONS; i++) {
            const args = workload.args(nextId());
            const started = performance.now();
            await contract.evaluateTransaction(workload.transaction, ...args);
            samples.push(performance.now() - started);
        }
        const simulated = summarize(samples);
        const ids = Array.from({ length: SUBMITS }, nextId);
        const elapsed = await runConcurrently(SUBMITS, CONCURRENCY, (i) => submit(contract, workload.transaction, workload.args(ids[i] as string)));
        const submitsPerSecond = SUBMITS / (elapsed / 1000);
        figures.set(workload.label, { simulateP50: simulated.p50, simulateMean: simulated.mean, submitsPerSecond });
        console.log(`  ${formatSummary(`simulate ${workload.label}`, simulated)}`);
        console.log(`  ${`submit→commit ${workload.label}`.padEnd(44)} ${submitsPerSecond.toFixed(1).padStart(7)} tx/s (${String(SUBMITS)} tx, ${String(CONCURRENCY)} in flight)`);
    }
    return { label, figures };
}

async function withConnection<T>(body: (contractOf: (name: string) => Contract) => Promise<T>): Promise<T> {
    const profile = loadNetworkProfile(networkFromEnv().paths.connectionProfile);
    const connection = await connect({ profile, organization: 'EdgeOrg' });
    try {
        const channel = connection.gateway.getNetwork(profile.channel);
        return await body((name) => channel.getContract(profile.chaincodes[name] ?? name));
    } finally {
        connection.close();
    }
}

/** Restarts the peers (same ledgers) with `params` in their environment; then waits until all three endorse. */
async function restartPeersWith(params: Record<string, string>): Promise<void> {
    delete process.env.CORE_CHAINCODE_RUNTIMEPARAMS_USEWRITEBATCH;
    delete process.env.CORE_CHAINCODE_RUNTIMEPARAMS_USEGETMULTIPLEKEYS;
    Object.assign(process.env, params);
    const network = networkFromEnv();
    const log = (line: string): void => console.log(`    [network] ${line}`);
    await Promise.all(allPeers(network).map((peer) => stopProcess(network.paths.pids, peer.host)));
    log(`stopped the peers; starting them with ${JSON.stringify(params)}`);
    await up(network, log, { withBenchmark: true });
    // Gossip and discovery need a moment after a restart before a two-organisation endorsement is possible.
    const deadline = Date.now() + 120_000;
    for (;;) {
        try {
            await withConnection((contractOf) => submit(contractOf('resource-billing'), 'RegisterSite', [JSON.stringify({ siteId: `${SITE}-${String(Date.now())}`, name: 'bench batching', location: 'edge-site-a' })]));
            return;
        } catch (err) {
            if (Date.now() > deadline) {
                throw err;
            }
            await new Promise((resolve) => setTimeout(resolve, 2000));
        }
    }
}

async function main(): Promise<void> {
    console.log(`Batched state calls on vs off: ${String(EVALUATIONS)} simulations one at a time and ${String(SUBMITS)} submits per workload and phase`);
    await withConnection((contractOf) => submit(contractOf('resource-billing'), 'RegisterSite', [JSON.stringify({ siteId: SITE, name: 'bench batching', location: 'edge-site-a' })]));
    const phases: Phase[] = [];
    phases.push(await withConnection((contractOf) => measurePhase('on', contractOf)));
    await restartPeersWith(OFF);
    phases.push(await withConnection((contractOf) => measurePhase('off', contractOf)));
    await restartPeersWith({});
    phases.push(await withConnection((contractOf) => measurePhase('on again', contractOf)));

    const [on, off, again] = phases as [Phase, Phase, Phase];
    console.log('\nSummary: simulation p50 in ms (on / off / on again) and off÷on; submit→commit tx/s (on / off / on again)');
    for (const workload of WORKLOADS) {
        const [a, b, c] = [on, off, again].map((p) => p.figures.get(workload.label) as Figures) as [Figures, Figures, Figures];
        const onP50 = (a.simulateP50 + c.simulateP50) / 2;
        console.log(
            `  ${workload.label.padEnd(42)} simulate ${a.simulateP50.toFixed(2)} / ${b.simulateP50.toFixed(2)} / ${c.simulateP50.toFixed(2)} ms` +
                ` (off÷on ${(b.simulateP50 / onP50).toFixed(2)}×)   submit ${a.submitsPerSecond.toFixed(1)} / ${b.submitsPerSecond.toFixed(1)} / ${c.submitsPerSecond.toFixed(1)} tx/s`,
        );
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
});
