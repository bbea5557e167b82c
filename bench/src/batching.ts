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
 * (chaincode/common/src/state-batch.ts). A difference between the two peers below is therefore also the
 * real-network proof that the chaincodes follow the negotiation.
 * EdgeOrg has two peers. One of them is restarted with both runtime params false (what a Fabric 3.0 peer
 * offers), the other keeps the defaults (both advertised, up to 1000 keys); one gateway connection goes
 * through each. Calls alternate between the two, so that drift on this shared machine hits both alike:
 *  - simulation: evaluate of the write transaction (proposal, chaincode, its state calls; no ordering),
 *    which the gateway runs on its own peer; one call at a time, on and off alternately;
 *  - submit→commit: BENCH_SUBMITS per peer in rounds of alternating peer, BENCH_CONCURRENCY in flight
 *    (EdgeOrg endorses on the gateway's peer; billing also needs CloudOrg's peer, which batches in both).
 * Then the roles swap (the other peer restarted off, the first on), so a peer's own speed cannot pass
 * for the setting's effect.
 * Usage: npm run bench -- batching   (knobs: BENCH_EVALUATIONS=200, BENCH_SUBMITS=120, BENCH_ROUNDS=2, BENCH_CONCURRENCY=10)
 */

const EVALUATIONS = Number(process.env.BENCH_EVALUATIONS ?? 200);
const SUBMITS = Number(process.env.BENCH_SUBMITS ?? 120);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const WARMUP = 10;
const OFF = { CORE_CHAINCODE_RUNTIMEPARAMS_USEWRITEBATCH: 'false', CORE_CHAINCODE_RUNTIMEPARAMS_USEGETMULTIPLEKEYS: 'false' };
const PEERS = ['peer0.edge.edgetrust.local', 'peer1.edge.edgetrust.local'] as const;

const run = `${String(process.pid)}-${Date.now().toString(36)}`;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

interface Workload {
    label: string;
    chaincode: string;
    transaction: string;
    /** Arguments of the i-th call; unique per call, so no two transactions touch the same keys. */
    args(id: string): string[];
    /** Private inputs of the i-th call (transient map), where the transaction takes them. */
    transient?(id: string): Record<string, Uint8Array>;
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
        // Assets are private data (issue 9, finding 8): three private writes, which the peer takes one at a time.
        label: 'device RegisterAsset (3 private writes)',
        chaincode: 'device-identity',
        transaction: 'RegisterAsset',
        args: (id) => [id],
        transient: (id) => ({ asset: Buffer.from(JSON.stringify({ id, tag: `tag-${id}`, type: 'gpu-server', site: 'edge-site-a', model: 'bench', serialNumber: id })), salt: Buffer.from(Buffer.from(sha256(id), 'hex').toString('base64')) }),
    },
    {
        label: 'billing RegisterResource (staged writes)',
        chaincode: 'resource-billing',
        transaction: 'RegisterResource',
        args: (id) => [JSON.stringify({ resourceId: id, siteId: SITE, kind: 'gpu', name: 'bench gpu', plan: { unit: 'second', rate: 3, cycle: 'minute' } })],
    },
];

interface Side {
    label: 'on' | 'off';
    peer: string;
    contractOf(name: string): Contract;
    close(): void;
}

interface Figures {
    simulate: number[];
    submitMillis: number;
    submits: number;
}

async function submit(contract: Contract, name: string, args: string[], transientData?: Record<string, Uint8Array>): Promise<void> {
    const commit = await contract.submitAsync(name, { arguments: args, transientData });
    const status = await commit.getStatus();
    if (!status.successful) {
        throw new Error(`${name}: transaction ${status.transactionId} failed with code ${String(status.code)}`);
    }
}

let counter = 0;
const nextId = (): string => `bench-batching-${run}-${String(counter++)}`;

async function open(label: Side['label'], peer: string): Promise<Side> {
    const profile = loadNetworkProfile(networkFromEnv().paths.connectionProfile);
    const connection = await connect({ profile, organization: 'EdgeOrg', peer });
    const channel = connection.gateway.getNetwork(profile.channel);
    return { label, peer, contractOf: (name) => channel.getContract(profile.chaincodes[name] ?? name), close: () => connection.close() };
}

/** Restarts one peer (same ledger) with `params` in its environment; the rest of the network keeps running. */
async function restartPeer(host: string, params: Record<string, string>): Promise<void> {
    delete process.env.CORE_CHAINCODE_RUNTIMEPARAMS_USEWRITEBATCH;
    delete process.env.CORE_CHAINCODE_RUNTIMEPARAMS_USEGETMULTIPLEKEYS;
    Object.assign(process.env, params);
    const network = networkFromEnv();
    const log = (line: string): void => console.log(`    [network] ${line}`);
    if (!allPeers(network).some((p) => p.host === host)) {
        throw new Error(`no peer ${host}`);
    }
    await stopProcess(network.paths.pids, host);
    log(`restarting ${host} with ${JSON.stringify(params)}`);
    // A peer reports healthy a moment before it takes connections; `up` then fails and, run again, finds it ready.
    for (let attempt = 1; ; attempt++) {
        try {
            await up(network, log, { withBenchmark: true });
            return;
        } catch (err) {
            if (attempt === 5) {
                throw err;
            }
            await new Promise((resolve) => setTimeout(resolve, 3000));
        }
    }
}

/** Waits until a submit through this side commits (gossip and discovery need a moment after a restart). */
async function settle(side: Side): Promise<void> {
    const deadline = Date.now() + 120_000;
    for (;;) {
        try {
            await submit(side.contractOf('resource-billing'), 'RegisterSite', [JSON.stringify({ siteId: nextId(), name: 'bench batching', location: 'edge-site-a' })]);
            return;
        } catch (err) {
            if (Date.now() > deadline) {
                throw err;
            }
            await new Promise((resolve) => setTimeout(resolve, 2000));
        }
    }
}

async function measure(on: Side, off: Side): Promise<Map<string, Record<Side['label'], Figures>>> {
    console.log(`\nbatching on through ${on.peer}, off through ${off.peer}`);
    const results = new Map<string, Record<Side['label'], Figures>>();
    for (const workload of WORKLOADS) {
        const figures: Record<Side['label'], Figures> = { on: { simulate: [], submitMillis: 0, submits: 0 }, off: { simulate: [], submitMillis: 0, submits: 0 } };
        const evaluate = (side: Side): Promise<Uint8Array> => {
            const id = nextId();
            return side.contractOf(workload.chaincode).evaluate(workload.transaction, { arguments: workload.args(id), transientData: workload.transient?.(id) });
        };
        for (let i = 0; i < WARMUP; i++) {
            await Promise.all([evaluate(on), evaluate(off)]);
        }
        for (let i = 0; i < EVALUATIONS; i++) {
            for (const side of i % 2 === 0 ? [on, off] : [off, on]) {
                const started = performance.now();
                await evaluate(side);
                figures[side.label].simulate.push(performance.now() - started);
            }
        }
        const perRound = Math.ceil(SUBMITS / ROUNDS);
        for (let round = 0; round < ROUNDS; round++) {
            for (const side of round % 2 === 0 ? [on, off] : [off, on]) {
                const contract = side.contractOf(workload.chaincode);
                const ids = Array.from({ length: perRound }, nextId);
                figures[side.label].submitMillis += await runConcurrently(perRound, CONCURRENCY, (i) => submit(contract, workload.transaction, workload.args(ids[i] as string), workload.transient?.(ids[i] as string)));
                figures[side.label].submits += perRound;
            }
        }
        for (const side of [on, off]) {
            const f = figures[side.label];
            console.log(`  ${formatSummary(`simulate ${workload.label} ${side.label}`, summarize(f.simulate))}  submit ${(f.submits / (f.submitMillis / 1000)).toFixed(1).padStart(6)} tx/s`);
        }
        results.set(workload.label, figures);
    }
    return results;
}

async function main(): Promise<void> {
    console.log(`Batched state calls on vs off: per workload and peer ${String(EVALUATIONS)} simulations, ${String(SUBMITS)} submits (${String(CONCURRENCY)} in flight)`);
    const [first, second] = PEERS;
    const passes: Map<string, Record<Side['label'], Figures>>[] = [];
    for (const [onPeer, offPeer] of [
        [first, second],
        [second, first],
    ] as const) {
        if (passes.length > 0) {
            await restartPeer(onPeer, {});
        }
        await restartPeer(offPeer, OFF);
        const on = await open('on', onPeer);
        const off = await open('off', offPeer);
        try {
            await settle(on);
            await settle(off);
            if (passes.length === 0) {
                await submit(on.contractOf('resource-billing'), 'RegisterSite', [JSON.stringify({ siteId: SITE, name: 'bench batching', location: 'edge-site-a' })]);
            }
            passes.push(await measure(on, off));
        } finally {
            on.close();
            off.close();
        }
    }

    console.log('\nSummary over both passes (each peer once on, once off): simulation p50, off ÷ on; submit→commit tx/s');
    for (const workload of WORKLOADS) {
        const all = (label: Side['label']): Figures[] => passes.map((p) => (p.get(workload.label) as Record<Side['label'], Figures>)[label]);
        const p50 = (label: Side['label']): number => summarize(all(label).flatMap((f) => f.simulate)).p50;
        const rate = (label: Side['label']): number => {
            const figures = all(label);
            return figures.reduce((n, f) => n + f.submits, 0) / (figures.reduce((ms, f) => ms + f.submitMillis, 0) / 1000);
        };
        console.log(
            `  ${workload.label.padEnd(40)} simulate p50 on ${p50('on').toFixed(2)} ms, off ${p50('off').toFixed(2)} ms (off÷on ${(p50('off') / p50('on')).toFixed(2)}×)` +
                `   submit on ${rate('on').toFixed(1)}, off ${rate('off').toFixed(1)} tx/s (on÷off ${(rate('on') / rate('off')).toFixed(2)}×)`,
        );
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
});
