import { BillingClient, connect, type Connection, ConsistencySession, EdgeTrustError, loadNetworkProfile, type NetworkProfile } from '@edgetrust/gateway-sdk';
import { people, BillingWorld } from '@edgetrust/resource-billing-chaincode/dist/resource-billing/testing/billing-fixture';
import { networkFromEnv } from '@edgetrust/test-network-scripts';
import type { Contract } from '@hyperledger/fabric-gateway';
import type { Context } from 'fabric-contract-api';
import { formatSummary, runConcurrently, summarize } from './stats';
import { sweep, type Workload } from './support/saturation';

/**
 * Resource-billing benchmark (issue 5), three parts, each labelled in the output:
 *  1. NETWORK: sessions per second (the tenant's StartSession, the operator's AcceptSession, a
 *     StopSession: three transactions) against three baseline Puts, same load generator, same
 *     concurrency, same run; prints the ratio.
 *  2. NETWORK: closing a period with a small and a larger number of usage records (real transactions,
 *     so small counts); prints the ratios of the chaincode execution (evaluate) and of submit→commit.
 *  3. CHAINCODE ON MemoryLedger (no network, no peer): the settlement contract's CloseBillingPeriod
 *     over 100 and 100,000 usage records recorded by the real RecordCtOperation and AcceptCtOperation transactions; prints
 *     state reads and times, and their ratios.
 * Usage: node bench/dist/billing.js   (env: BENCH_PAIRS=60, BENCH_CONCURRENCY=8, BENCH_CLOSE_SMALL=10,
 * BENCH_CLOSE_LARGE=100, BENCH_MEMORY_SMALL=100, BENCH_MEMORY_LARGE=100000, BENCH_PARTS=pairs,close,memory)
 */

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const run = `${String(process.pid)}-${Date.now().toString(36)}`;
const LINES = 4;

interface Parties {
    profile: NetworkProfile;
    edge: Connection;
    cloud: Connection;
    contract(connection: Connection, name: string): Contract;
}

async function connectParties(): Promise<Parties> {
    const profile = loadNetworkProfile(networkFromEnv().paths.connectionProfile);
    // One consistency session: the counterparty's peers wait for the proposal's block before it answers.
    const session = new ConsistencySession();
    const edge = await connect({ profile, organization: 'EdgeOrg', consistency: { session } });
    const cloud = await connect({ profile, organization: 'CloudOrg', consistency: { session } });
    const contract = (connection: Connection, name: string): Contract =>
        connection.gateway.getNetwork(profile.channel).getContract(profile.chaincodes[name] ?? name);
    return { profile, edge, cloud, contract };
}

/** Registers a site and one resource of the operator for this run. */
async function benchResource(operator: BillingClient, name: string, kind: 'gpu' | 'user-plane', plan: { unit: 'second' | 'gb'; rate: number }): Promise<string> {
    const siteId = `bench-${run}-${name}-site`;
    const resourceId = `bench-${run}-${name}`;
    await operator.registerSite({ siteId, name: `bench ${name}`, location: 'edge-site-a' });
    // Minute settlement keeps benchmark usage out of the monthly invoices of the demo and the tests.
    await operator.registerResource({ resourceId, siteId, kind, name: `bench ${name}`, plan: { ...plan, cycle: 'minute' } });
    return resourceId;
}

function failureCode(err: unknown): string {
    if (err instanceof EdgeTrustError) {
        return err.message.includes('ProposalResponsePayloads do not match') ? 'ENDORSEMENT_MISMATCH' : err.code;
    }
    return err instanceof Error ? err.message : String(err);
}

interface PairRun {
    label: string;
    pairs: number;
    elapsedMs: number;
    latencies: number[];
    failures: Map<string, number>;
}

/** The one load generator both workloads go through: `count` pairs, `concurrency` at a time. */
async function loadPairs(label: string, count: number, concurrency: number, pair: (i: number) => Promise<void>): Promise<PairRun> {
    const latencies: number[] = [];
    const failures = new Map<string, number>();
    const elapsedMs = await runConcurrently(count, concurrency, async (i) => {
        const started = performance.now();
        try {
            await pair(i);
            latencies.push(performance.now() - started);
        } catch (err) {
            const code = failureCode(err);
            failures.set(code, (failures.get(code) ?? 0) + 1);
        }
    });
    return { label, pairs: latencies.length, elapsedMs, latencies, failures };
}

function printPairs(result: PairRun): number {
    const rate = result.pairs / (result.elapsedMs / 1000);
    const failed = [...result.failures].map(([code, n]) => `${code} ×${String(n)}`).join(', ') || 'none';
    console.log(`  ${result.label.padEnd(34)} ${rate.toFixed(2).padStart(7)} runs/s  (${String(result.pairs)} runs in ${(result.elapsedMs / 1000).toFixed(1)} s; failed: ${failed})`);
    console.log(`  ${formatSummary(`    run latency ${result.label}`, summarize(result.latencies))}`);
    return rate;
}

async function benchPairs(parties: Parties): Promise<void> {
    const count = env('BENCH_PAIRS', 60);
    const concurrency = env('BENCH_CONCURRENCY', 8);
    const operator = new BillingClient(parties.contract(parties.edge, 'resource-billing'));
    const tenant = new BillingClient(parties.contract(parties.cloud, 'resource-billing'));
    const baseline = parties.contract(parties.edge, 'baseline');
    const gpu = await benchResource(operator, 'gpu', 'gpu', { unit: 'second', rate: 3 });

    const putPair = async (i: number): Promise<void> => {
        for (const half of ['a', 'b', 'c']) {
            const commit = await baseline.submitAsync('Put', { arguments: [`bench-${run}-${String(i)}-${half}`, 'v'] });
            const status = await commit.getStatus();
            if (!status.successful) {
                throw new EdgeTrustError({ code: `TX_VALIDATION_${String(status.code)}`, message: 'baseline Put failed', transactionId: status.transactionId });
            }
        }
    };
    // Each pair bills its own application, so pairs never race for the same running total (one line per app).
    const sessionPair = async (i: number): Promise<void> => {
        const sessionId = `bench-${run}-s${String(i)}`;
        await tenant.startSession({ sessionId, resourceId: gpu, appId: `bench-app-${run}-${String(i)}` });
        await operator.acceptSession(sessionId);
        await tenant.stopSession(sessionId);
    };

    if (process.env.BENCH_SWEEP === '1') {
        const puts: Workload = { label: 'baseline Put ×3', run: putPair, transactionsPerRun: 3 };
        const sessions: Workload = { label: 'billing Start + Accept + Stop', run: sessionPair, transactionsPerRun: 3 };
        await sweep('[1] NETWORK: sessions vs three baseline Puts, saturation sweep (tx/s counts each of the three)', networkFromEnv().paths.pids, [puts, sessions], [
            { numerator: sessions.label, denominator: puts.label },
        ], { levels: [2, 4, 8, 16, 32, 64, 128], minRuns: Number(process.env.BENCH_SWEEP_RUNS ?? 150), runsPerInFlight: 4 });
        return;
    }
    console.log(`\n[1] NETWORK: sessions (start, accept, stop) vs three baseline Puts — ${String(count)} of each, ${String(concurrency)} concurrent, same load generator`);
    await loadPairs('warm-up', concurrency, concurrency, (i) => putPair(-1 - i));
    await loadPairs('warm-up', concurrency, concurrency, (i) => sessionPair(count + i));
    const base = printPairs(await loadPairs('baseline Put ×3', count, concurrency, putPair));
    const billing = printPairs(await loadPairs('billing Start + Accept + Stop', count, concurrency, sessionPair));
    console.log(`  ratio billing / baseline: ${(billing / base).toFixed(3)}  (billing endorsed by EdgeOrg AND CloudOrg peers)`);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));


/** Waits for the start of the next minute (UTC), so a batch of records falls in one minute period. */
async function nextMinute(): Promise<string> {
    const now = Date.now();
    await sleep(60_000 - (now % 60_000) + 300);
    return new Date().toISOString().slice(0, 16);
}

/** Reports `count` CT traffic operations for the tenant, which accepts each in the current minute, one worker per line. */
async function recordTraffic(operator: BillingClient, tenant: BillingClient, resourceId: string, count: number): Promise<Set<string>> {
    const periods = new Set<string>();
    await Promise.all(
        Array.from({ length: LINES }, async (_, line) => {
            for (let i = line; i < count; i += LINES) {
                const operationId = `bench-${run}-${String(count)}-${String(i)}`;
                await operator.recordCtOperation({ operationId, resourceId, tenantMspId: 'CloudOrgMSP', appId: `bench-close-${run}-${String(line)}`, bytes: 1_000_000 });
                const { result } = await tenant.acceptCtOperation(operationId);
                periods.add(result.period);
            }
        }),
    );
    return periods;
}

interface CloseFigures {
    records: number;
    lines: number;
    evaluateMs: number;
    commitMs: number;
}

/** Times the close of one minute period: evaluated five times (chaincode execution on one peer), then submitted once. */
async function timeNetworkClose(parties: Parties, operator: BillingClient, resourceId: string, count: number): Promise<CloseFigures> {
    const tenant = new BillingClient(parties.contract(parties.cloud, 'resource-billing'));
    const period = await nextMinute();
    const periods = await recordTraffic(operator, tenant, resourceId, count);
    if (periods.size !== 1 || !periods.has(period)) {
        throw new Error(`the ${String(count)} records spread over ${[...periods].join(', ')}: lower BENCH_CLOSE_LARGE`);
    }
    // A period closes once its end plus the peers' timestamp tolerance (15 s) has passed.
    await sleep(Date.parse(`${period}:00.000Z`) + 76_500 - Date.now());
    const raw = parties.contract(parties.edge, 'resource-billing');
    const evaluations: number[] = [];
    for (let i = 0; i < 6; i++) {
        const started = performance.now();
        await raw.evaluate('settlement:CloseBillingPeriod', { arguments: ['CloudOrgMSP', period] });
        if (i > 0) {
            evaluations.push(performance.now() - started);
        }
    }
    const started = performance.now();
    const { result } = await operator.closeBillingPeriod('CloudOrgMSP', period);
    const commitMs = performance.now() - started;
    const records = result.lines.reduce((sum, line) => sum + line.recordCount, 0);
    return { records, lines: result.lines.length, evaluateMs: summarize(evaluations).p50, commitMs };
}

async function benchNetworkClose(parties: Parties): Promise<void> {
    const operator = new BillingClient(parties.contract(parties.edge, 'resource-billing'));
    const upf = await benchResource(operator, 'upf', 'user-plane', { unit: 'gb', rate: 100 });
    const counts = [env('BENCH_CLOSE_SMALL', 10), env('BENCH_CLOSE_LARGE', 100)];
    console.log(`\n[2] NETWORK: closing a minute period with ${counts.join(' vs ')} usage records (real transactions, ${String(LINES)} lines)`);
    const figures: CloseFigures[] = [];
    for (const count of counts) {
        const f = await timeNetworkClose(parties, operator, upf, count);
        figures.push(f);
        console.log(`  ${String(f.records).padStart(6)} records in ${String(f.lines)} lines: close evaluated (chaincode on one peer) p50 ${f.evaluateMs.toFixed(1)} ms, submitted→committed ${f.commitMs.toFixed(1)} ms`);
    }
    const [small, large] = figures as [CloseFigures, CloseFigures];
    console.log(`  ratio ${String(large.records)} / ${String(small.records)} records: evaluate ${(large.evaluateMs / small.evaluateMs).toFixed(2)}, submit→commit ${(large.commitMs / small.commitMs).toFixed(2)}`);
}

interface MemoryClose {
    records: number;
    reads: number;
    totalMs: number;
    ledgerMs: number;
}

/** Wraps a transaction context: counts keys read (getState and range-iterator items) and the time spent in the ledger. */
function instrumented(ctx: Context): { ctx: Context; reads: () => number; ledgerMs: () => number } {
    let reads = 0;
    let ledgerMs = 0;
    const stub = ctx.stub;
    const timed = async <T>(work: () => Promise<T>): Promise<T> => {
        const started = performance.now();
        try {
            return await work();
        } finally {
            ledgerMs += performance.now() - started;
        }
    };
    const counted = Object.create(stub) as Context['stub'];
    counted.getState = (key: string): Promise<Uint8Array> => {
        reads += 1;
        return timed(() => stub.getState(key));
    };
    counted.getStateByPartialCompositeKey = (async (objectType: string, attributes: string[]) => {
        const iterator = await timed(() => stub.getStateByPartialCompositeKey(objectType, attributes));
        const next = iterator.next.bind(iterator);
        iterator.next = async (): ReturnType<typeof next> => {
            const result = await timed(next);
            reads += result.done ? 0 : 1;
            return result;
        };
        return iterator;
    }) as Context['stub']['getStateByPartialCompositeKey'];
    const wrapped = Object.create(ctx) as Context;
    wrapped.stub = counted;
    return { ctx: wrapped, reads: () => reads, ledgerMs: () => ledgerMs };
}

/** Records `count` usage records through the real RecordCtOperation on a MemoryLedger, then times the close. */
async function memoryClose(count: number): Promise<MemoryClose> {
    const world = new BillingWorld();
    await world.setUp();
    for (let i = 0; i < count; i++) {
        const request = JSON.stringify({ operationId: `op-${String(i)}`, resourceId: 'upf-traffic', tenantMspId: 'CloudOrgMSP', appId: `app-${String(i % LINES)}`, bytes: 1_000_000 });
        await world.ledger.submit(people.edgeUser, (ctx) => world.billing.RecordCtOperation(ctx, request), { timeStepMillis: 1 });
        await world.ledger.submit(people.cloudUser, (ctx) => world.billing.AcceptCtOperation(ctx, `op-${String(i)}`), { timeStepMillis: 1 });
    }
    world.ledger.advance(Date.UTC(2026, 1, 1, 0, 1) - world.ledger.now);
    let figures: MemoryClose = { records: count, reads: 0, totalMs: 0, ledgerMs: 0 };
    await world.ledger.submit(people.edgeUser, async (ctx) => {
        const probe = instrumented(ctx);
        const started = performance.now();
        const invoice = await world.settlement.CloseBillingPeriod(probe.ctx, 'CloudOrgMSP', '2026-01');
        figures = { records: count, reads: probe.reads(), totalMs: performance.now() - started, ledgerMs: probe.ledgerMs() };
        return invoice;
    });
    return figures;
}

async function benchMemoryClose(): Promise<void> {
    const counts = [env('BENCH_MEMORY_SMALL', 100), env('BENCH_MEMORY_LARGE', 100_000)];
    console.log(`\n[3] CHAINCODE ON MemoryLedger (no network): CloseBillingPeriod with ${counts.join(' vs ')} usage records in ${String(LINES)} lines`);
    console.log('    records created by the real RecordCtOperation and AcceptCtOperation; MemoryLedger range reads scan every key (LevelDB seeks), so "in ledger" grows with state size');
    const figures: MemoryClose[] = [];
    for (const count of counts) {
        const started = performance.now();
        const f = await memoryClose(count);
        figures.push(f);
        console.log(
            `  ${String(f.records).padStart(7)} records: ${String(f.reads)} state reads; close ${f.totalMs.toFixed(2)} ms, of which in MemoryLedger ${f.ledgerMs.toFixed(2)} ms, chaincode ${(f.totalMs - f.ledgerMs).toFixed(2)} ms  (setup ${((performance.now() - started) / 1000).toFixed(1)} s)`,
        );
    }
    const [small, large] = figures as [MemoryClose, MemoryClose];
    const ratio = (a: number, b: number): string => (a / b).toFixed(2);
    console.log(
        `  ratio ${String(large.records)} / ${String(small.records)} records: state reads ${ratio(large.reads, small.reads)}, chaincode time ${ratio(large.totalMs - large.ledgerMs, small.totalMs - small.ledgerMs)}, total incl. MemoryLedger ${ratio(large.totalMs, small.totalMs)}`,
    );
}

async function main(): Promise<void> {
    // `npm run bench -- billing --sweep` (BENCH_SWEEP=1): part 1 as a saturation sweep, and only it by default.
    const parts = new Set((process.env.BENCH_PARTS ?? (process.env.BENCH_SWEEP === '1' ? 'pairs' : 'pairs,close,memory')).split(','));
    if (parts.has('pairs') || parts.has('close')) {
        const parties = await connectParties();
        console.log(`resource-billing benchmark, run ${run}; gateway peers ${parties.edge.peer.name} (EdgeOrg), ${parties.cloud.peer.name} (CloudOrg)`);
        try {
            if (parts.has('pairs')) {
                await benchPairs(parties);
            }
            if (parts.has('close')) {
                await benchNetworkClose(parties);
            }
        } finally {
            parties.edge.close();
            parties.cloud.close();
        }
    }
    if (parts.has('memory')) {
        await benchMemoryClose();
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
