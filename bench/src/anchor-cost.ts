import { connect, loadNetworkProfile } from '@edgetrust/gateway-sdk';
import { swapChaincodeServer, networkFromEnv, type Network } from '@edgetrust/test-network-scripts';
import type { Contract } from '@hyperledger/fabric-gateway';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { GROUPS, type Group, type Level, measureLevel, networkProcesses, total, type Workload } from './support/saturation';

/*
 * Where an evidence Anchor's extra CPU goes (issue 12, item 2), figures printed, never asserted. The baseline
 * chaincode's Put is grown step by step towards an Anchor by a variant module (bench/analysis/put-variant) run in
 * place of EdgeOrg's baseline server: more keys, reads, a key-level policy on every key, the event, with and
 * without Fabric 3.1's write batches. Each variant, the real Put and the real Anchor run at the same concurrency,
 * alternating over rounds; printed per transaction: CPU by process group (/proc) and the peers' own timers
 * (Prometheus: validation, ledger commit, state DB, block store, endorsement), summed over the three peers.
 * Usage: EDGETRUST_CHAINCODE_SERVERS=per-organization npm run bench -- anchor-cost
 * Knobs: BENCH_CONCURRENCY (default 32), BENCH_ANCHORS (per variant and round, default 600), BENCH_ROUNDS (default 2).
 */

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const RUNS = Number(process.env.BENCH_ANCHORS ?? 600);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const VARIANT_MODULE = join(__dirname, '..', 'analysis', 'put-variant');
const run = `${String(process.pid)}-${Date.now().toString(36)}`;

/** The peers' timers worth splitting a transaction's cost by (histogram sums in seconds). */
const PEER_TIMERS: Record<string, string> = {
    endorse: 'endorser_proposal_duration_sum',
    validate: 'gossip_privdata_validation_duration_sum',
    'ledger commit': 'ledger_block_processing_time_sum',
    'state DB': 'ledger_statedb_commit_time_sum',
    'block store': 'ledger_blockstorage_commit_time_sum',
};

interface Variant {
    label: string;
    /** EDGETRUST_PUT_VARIANT for the variant module; undefined: the real chaincode (baseline Put or evidence Anchor). */
    spec?: string;
    chaincode: 'baseline' | 'evidence';
}

const VARIANTS: Variant[] = [
    { label: 'baseline Put (real)', chaincode: 'baseline' },
    { label: 'keys=1', spec: 'keys=1', chaincode: 'baseline' },
    { label: 'keys=1 reads=2', spec: 'keys=1,reads=2', chaincode: 'baseline' },
    { label: 'keys=8 reads=2', spec: 'keys=8,reads=2', chaincode: 'baseline' },
    { label: 'keys=1 reads=2 sbe', spec: 'keys=1,reads=2,sbe=1', chaincode: 'baseline' },
    { label: 'keys=8 reads=2 sbe', spec: 'keys=8,reads=2,sbe=1', chaincode: 'baseline' },
    { label: 'keys=8 reads=2 sbe event', spec: 'keys=8,reads=2,sbe=1,event=1', chaincode: 'baseline' },
    { label: 'keys=8 reads=2 sbe, unbatched', spec: 'keys=8,reads=2,sbe=1,batch=0', chaincode: 'baseline' },
    { label: 'evidence Anchor (real)', chaincode: 'evidence' },
];

/** Sum over the peers of each timer of PEER_TIMERS, in milliseconds. */
async function peerTimers(network: Network): Promise<Record<string, number>> {
    const sums: Record<string, number> = Object.fromEntries(Object.keys(PEER_TIMERS).map((k) => [k, 0]));
    for (const peer of network.organizations.flatMap((o) => o.peers)) {
        const text = await (await fetch(`http://127.0.0.1:${String(peer.operationsPort)}/metrics`)).text();
        for (const [label, metric] of Object.entries(PEER_TIMERS)) {
            for (const line of text.split('\n').filter((l) => l.startsWith(metric))) {
                sums[label] = (sums[label] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)) * 1000;
            }
        }
    }
    return sums;
}

interface Figures {
    tps: number[];
    cpu: Record<Group, number[]>;
    timers: Record<string, number[]>;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

async function submitOne(contract: Contract, name: string, args: string[]): Promise<void> {
    const status = await (await contract.submitAsync(name, { arguments: args })).getStatus();
    if (!status.successful) {
        throw new Error(`${name}: transaction ${status.transactionId} failed with code ${String(status.code)}`);
    }
}

function workloadOf(variant: Variant, contracts: Record<Variant['chaincode'], Contract>, round: number): Workload {
    const id = (i: number): string => `cost-${run}-${String(round)}-${variant.label.replace(/[^a-z0-9]+/gi, '-')}-${String(i)}`;
    if (variant.chaincode === 'evidence') {
        return {
            label: variant.label,
            run: (i): Promise<void> => {
                const request = { id: id(i), digest: createHash('sha256').update(id(i)).digest('hex'), name: `${id(i)}.mp4`, size: 1_048_576, mediaType: 'video/mp4', source: { type: 'device', id: 'bench-camera' }, tags: ['bench'] };
                return submitOne(contracts.evidence, 'Anchor', [JSON.stringify(request)]);
            },
        };
    }
    return { label: variant.label, run: (i) => submitOne(contracts.baseline, 'Put', [id(i), JSON.stringify({ reading: i })]) };
}

async function measureVariant(network: Network, variant: Variant, contracts: Record<Variant['chaincode'], Contract>, round: number, figures: Figures): Promise<void> {
    if (variant.chaincode === 'baseline') {
        await swapChaincodeServer(network, 'baseline', 'EdgeOrg', variant.spec === undefined ? undefined : VARIANT_MODULE, variant.spec === undefined ? {} : { EDGETRUST_PUT_VARIANT: variant.spec });
    }
    const workload = workloadOf(variant, contracts, round);
    const groups = networkProcesses(network.paths.pids);
    await measureLevel(workload, CONCURRENCY, CONCURRENCY * 2, 10_000_000, groups);
    const before = await peerTimers(network);
    const level: Level = await measureLevel(workload, CONCURRENCY, RUNS, 0, groups);
    const after = await peerTimers(network);
    const transactions = RUNS - level.failures;
    figures.tps.push(level.tps);
    for (const g of GROUPS) {
        figures.cpu[g].push(level.cpuPerTx[g]);
    }
    for (const label of Object.keys(PEER_TIMERS)) {
        (figures.timers[label] ??= []).push(((after[label] ?? 0) - (before[label] ?? 0)) / Math.max(1, transactions));
    }
    const failed = level.failures > 0 ? `, failed ${String(level.failures)}` : '';
    console.log(`    round ${String(round + 1)}  ${variant.label.padEnd(32)} ${level.tps.toFixed(1).padStart(7)} tx/s  CPU ms/tx ${total(level).toFixed(2)} (peers ${level.cpuPerTx.peers.toFixed(2)})${failed}`);
}

function printTable(figures: Map<string, Figures>): void {
    const reference = figures.get('baseline Put (real)');
    const refPeers = reference ? mean(reference.cpu.peers) : Number.NaN;
    console.log(`\n    mean of ${String(ROUNDS)} rounds; CPU ms per transaction by group, peer timers in ms per transaction summed over the 3 peers`);
    console.log(`    ${'variant'.padEnd(32)} ${'tx/s'.padStart(7)}  ${GROUPS.map((g) => g.slice(0, 9).padStart(9)).join(' ')} ${'total'.padStart(6)}  peers−Put  ${Object.keys(PEER_TIMERS).map((t) => t.padStart(11)).join(' ')}`);
    for (const [label, f] of figures) {
        const cpu = GROUPS.map((g) => mean(f.cpu[g]).toFixed(2).padStart(9)).join(' ');
        const sum = GROUPS.reduce((s, g) => s + mean(f.cpu[g]), 0);
        const timers = Object.keys(PEER_TIMERS).map((t) => mean(f.timers[t] ?? []).toFixed(2).padStart(11)).join(' ');
        console.log(`    ${label.padEnd(32)} ${mean(f.tps).toFixed(1).padStart(7)}  ${cpu} ${sum.toFixed(2).padStart(6)}  ${(mean(f.cpu.peers) - refPeers).toFixed(2).padStart(9)}  ${timers}`);
    }
}

async function main(): Promise<void> {
    const network = networkFromEnv();
    const baseline = network.benchmarkChaincodes.find((c) => c.name === 'baseline');
    if (!baseline || baseline.servers.length < 2) {
        console.error('anchor-cost swaps EdgeOrg\'s baseline server alone: run it with EDGETRUST_CHAINCODE_SERVERS=per-organization');
        process.exit(2);
    }
    const profile = loadNetworkProfile(network.paths.connectionProfile);
    const connection = await connect({ profile, organization: 'EdgeOrg' });
    console.log(`anchor cost analysis: ${String(CONCURRENCY)} in flight, ${String(RUNS)} transactions per variant and round, ${String(ROUNDS)} rounds; gateway peer ${connection.peer.name}`);
    try {
        const channel = connection.gateway.getNetwork(profile.channel);
        const contracts = { baseline: channel.getContract('baseline'), evidence: channel.getContract('evidence') };
        const figures = new Map<string, Figures>(VARIANTS.map((v) => [v.label, { tps: [], cpu: Object.fromEntries(GROUPS.map((g) => [g, []])) as unknown as Record<Group, number[]>, timers: {} }]));
        for (let round = 0; round < ROUNDS; round++) {
            for (const variant of VARIANTS) {
                const f = figures.get(variant.label);
                if (f) {
                    await measureVariant(network, variant, contracts, round, f);
                }
            }
        }
        printTable(figures);
    } finally {
        await swapChaincodeServer(network, 'baseline', 'EdgeOrg');
        connection.close();
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
