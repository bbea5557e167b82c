import { BillingClient, connect, type Connection, ConsistencySession, EdgeTrustError, generateAccessKeyPair, loadNetworkProfile, type Submitted } from '@edgetrust/gateway-sdk';
import { networkFromEnv } from '@edgetrust/test-network-scripts';

/**
 * Determinism benchmark (issue 11, item 6): BENCH_TRANSACTIONS (default 10,000) mixed resource-billing transactions,
 * submitted by EdgeOrg (operator, issuer, CT entity) and CloudOrg (tenant) concurrently, every one endorsed under
 * AND(EdgeOrg.peer, CloudOrg.peer). Both connections share one ConsistencySession, so the counterparty's peers have
 * the proposal before they endorse its acceptance. Each outcome is counted: committed valid, endorsement mismatch
 * ("ProposalResponsePayloads do not match": the two organisations' peers computed different results), MVCC read
 * conflict, other failure (by code). Figures are printed, never asserted.
 *
 * The mix, one flow at a time per worker, each worker on its own site, resources, application and accounts (so workers
 * race only where the chaincode itself shares keys, e.g. the token supply):
 *  - session proposed by the tenant, accepted by the operator, stopped (3 transactions);
 *  - session proposed by the operator, accepted by the tenant, stopped by the tenant (3);
 *  - session proposed, then declined by the other party (2);
 *  - CT operation reported by the operator, accepted by the tenant (2); one reported and declined (2);
 *  - token mint into the tenant's wallet and a transfer back to the operator's account (2);
 *  - marketplace listing, purchase from the wallet, access delivery, completion (4);
 *  - a new price plan version (1);
 *  - and, once a minute, the close of the minute period that has ended (1).
 * Usage: node bench/dist/determinism.js   (env: BENCH_TRANSACTIONS=10000, BENCH_CONCURRENCY=8)
 */

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const run = `${String(process.pid)}-${Date.now().toString(36)}`;

interface Tally {
    attempted: number;
    valid: number;
    mismatches: number;
    mvcc: number;
    other: Map<string, number>;
    mismatchSamples: string[];
    byTransaction: Map<string, { valid: number; failed: number }>;
}

const tally: Tally = { attempted: 0, valid: 0, mismatches: 0, mvcc: 0, other: new Map(), mismatchSamples: [], byTransaction: new Map() };

function outcomeOf(err: unknown): string {
    if (err instanceof EdgeTrustError) {
        return err.code === 'ENDORSEMENT_MISMATCH' || err.message.includes('ProposalResponsePayloads do not match') ? 'ENDORSEMENT_MISMATCH' : err.code;
    }
    return err instanceof Error ? `${err.name}: ${err.message.slice(0, 80)}` : String(err);
}

/** Submits one transaction and counts its outcome; a failure ends the flow it belongs to. */
async function counted<T>(name: string, submit: () => Promise<Submitted<T>>): Promise<Submitted<T>> {
    tally.attempted += 1;
    const entry = tally.byTransaction.get(name) ?? { valid: 0, failed: 0 };
    tally.byTransaction.set(name, entry);
    try {
        const submitted = await submit();
        tally.valid += 1;
        entry.valid += 1;
        return submitted;
    } catch (err) {
        entry.failed += 1;
        const code = outcomeOf(err);
        if (code === 'ENDORSEMENT_MISMATCH') {
            tally.mismatches += 1;
            if (tally.mismatchSamples.length < 5) {
                tally.mismatchSamples.push(`${name}: ${err instanceof Error ? err.message.slice(0, 400) : String(err)}`);
            }
        } else if (code === 'MVCC_READ_CONFLICT') {
            tally.mvcc += 1;
        } else {
            tally.other.set(`${name} ${code}`, (tally.other.get(`${name} ${code}`) ?? 0) + 1);
        }
        throw err;
    }
}

interface Worker {
    index: number;
    operator: BillingClient;
    tenant: BillingClient;
    gpu: string;
    upf: string;
    appId: string;
    wallet: string;
    payee: string;
    sequence: number;
}

const id = (worker: Worker, what: string): string => `det-${run}-w${String(worker.index)}-${what}-${String(worker.sequence++)}`;

type Flow = (w: Worker) => Promise<void>;

const buyerKey = generateAccessKeyPair();
const minutesFromNow = (minutes: number): string => new Date(Date.now() + minutes * 60_000).toISOString();

const FLOWS: readonly Flow[] = [
    async (w): Promise<void> => {
        const sessionId = id(w, 'ts');
        await counted('StartSession (tenant)', () => w.tenant.startSession({ sessionId, resourceId: w.gpu, appId: w.appId }));
        await counted('AcceptSession (operator)', () => w.operator.acceptSession(sessionId));
        await counted('StopSession (operator)', () => w.operator.stopSession(sessionId));
    },
    async (w): Promise<void> => {
        const sessionId = id(w, 'os');
        await counted('StartSession (operator)', () => w.operator.startSession({ sessionId, resourceId: w.gpu, appId: w.appId, tenantMspId: 'CloudOrgMSP' }));
        await counted('AcceptSession (tenant)', () => w.tenant.acceptSession(sessionId));
        await counted('StopSession (tenant)', () => w.tenant.stopSession(sessionId));
    },
    async (w): Promise<void> => {
        const operationId = id(w, 'ct');
        await counted('RecordCtOperation', () => w.operator.recordCtOperation({ operationId, resourceId: w.upf, tenantMspId: 'CloudOrgMSP', appId: w.appId, bytes: 2_000_000 }));
        await counted('AcceptCtOperation', () => w.tenant.acceptCtOperation(operationId));
    },
    async (w): Promise<void> => {
        await counted('Mint', () => w.operator.mint(w.wallet, 1000));
        await counted('Transfer', () => w.tenant.transfer(w.wallet, w.payee, 5));
    },
    async (w): Promise<void> => {
        const listingId = id(w, 'listing');
        const purchaseId = id(w, 'purchase');
        await counted('CreateListing', () => w.operator.createListing({ listingId, kind: 'gpu', title: 'GPU slice', unit: 'hour', unitPrice: 10, payeeAccountId: w.payee }));
        await counted('PurchaseListing', () =>
            w.tenant.purchaseListing({ purchaseId, listingId, buyerAccountId: w.wallet, units: 2, deadline: minutesFromNow(60), encryptionKey: buyerKey.publicKeyPem }),
        );
        await counted('DeliverAccess', () => w.operator.deliverAccess(purchaseId, `gpu://edge/${purchaseId}`));
        await counted('CompletePurchase', () => w.operator.completePurchase(purchaseId, 1));
    },
    async (w): Promise<void> => {
        const sessionId = id(w, 'ds');
        await counted('StartSession (tenant)', () => w.tenant.startSession({ sessionId, resourceId: w.gpu, appId: w.appId }));
        await counted('DeclineSession (operator)', () => w.operator.declineSession(sessionId));
    },
    async (w): Promise<void> => {
        const operationId = id(w, 'ctd');
        await counted('RecordCtOperation', () => w.operator.recordCtOperation({ operationId, resourceId: w.upf, tenantMspId: 'CloudOrgMSP', appId: w.appId, bytes: 3_000_000 }));
        await counted('DeclineCtOperation', () => w.tenant.declineCtOperation(operationId));
    },
    async (w): Promise<void> => {
        await counted('PublishPricePlan', () => w.operator.publishPricePlan(w.upf, { unit: 'gb', rate: 100 + (w.sequence % 7), cycle: 'minute' }));
    },
];

async function setUpWorker(index: number, operator: BillingClient, tenant: BillingClient): Promise<Worker> {
    const w: Worker = { index, operator, tenant, gpu: '', upf: '', appId: `det-${run}-app-${String(index)}`, wallet: '', payee: '', sequence: 0 };
    const siteId = id(w, 'site');
    await counted('RegisterSite', () => operator.registerSite({ siteId, name: `determinism ${String(index)}`, location: 'edge-site-a' }));
    // Minute settlement: the periods close during the run and stay out of the tests' monthly invoices.
    w.gpu = id(w, 'gpu');
    await counted('RegisterResource', () => operator.registerResource({ resourceId: w.gpu, siteId, kind: 'gpu', name: 'GPU slice', plan: { unit: 'second', rate: 3, cycle: 'minute' } }));
    w.upf = id(w, 'upf');
    await counted('RegisterResource', () => operator.registerResource({ resourceId: w.upf, siteId, kind: 'user-plane', name: 'UPF', plan: { unit: 'gb', rate: 100, cycle: 'minute' } }));
    w.wallet = id(w, 'wallet');
    await counted('OpenAccount (tenant)', () => tenant.openAccount(w.wallet));
    w.payee = id(w, 'payee');
    await counted('OpenAccount (operator)', () => operator.openAccount(w.payee));
    // Enough for every purchase of the run. Every mint writes the one token supply, so workers minting at once meet
    // MVCC conflicts (counted): retried here, since a worker without funds would only add failures.
    for (let attempt = 0; ; attempt++) {
        try {
            await counted('Mint', () => operator.mint(w.wallet, 1_000_000));
            break;
        } catch (err) {
            if (outcomeOf(err) !== 'MVCC_READ_CONFLICT' || attempt >= 20) {
                throw err;
            }
        }
    }
    return w;
}

/** Once a minute, closes the tenant's minute period that ended more than the peers' timestamp tolerance (15 s) ago. */
async function closePeriods(operator: BillingClient, done: () => boolean): Promise<void> {
    const started = Date.now();
    let next = Math.floor(started / 60_000) * 60_000;
    while (!done()) {
        const due = next + 60_000 + 17_000;
        while (!done() && Date.now() < due) {
            await new Promise((resolve) => setTimeout(resolve, Math.min(1000, due - Date.now())));
        }
        if (done()) {
            return;
        }
        const period = new Date(next).toISOString().slice(0, 16);
        await counted('CloseBillingPeriod', () => operator.closeBillingPeriod('CloudOrgMSP', period)).catch(() => undefined);
        next += 60_000;
    }
}

async function main(): Promise<void> {
    const target = env('BENCH_TRANSACTIONS', 10_000);
    const concurrency = env('BENCH_CONCURRENCY', 8);
    const profile = loadNetworkProfile(networkFromEnv().paths.connectionProfile);
    const session = new ConsistencySession();
    const edge: Connection = await connect({ profile, organization: 'EdgeOrg', consistency: { session } });
    const cloud: Connection = await connect({ profile, organization: 'CloudOrg', consistency: { session } });
    const contract = (c: Connection): BillingClient => new BillingClient(c.gateway.getNetwork(profile.channel).getContract(profile.chaincodes['resource-billing'] ?? 'resource-billing'));
    const operator = contract(edge);
    const tenant = contract(cloud);
    console.log(`determinism benchmark, run ${run}: ${String(target)} resource-billing transactions (AND(EdgeOrg, CloudOrg) endorsement), ${String(concurrency)} workers`);
    console.log(`  gateway peers ${edge.peer.name} (EdgeOrg), ${cloud.peer.name} (CloudOrg); one ConsistencySession shared by both organisations`);
    const started = performance.now();
    let lastReport = started;
    let workersLeft = concurrency;
    const done = (): boolean => tally.attempted >= target || workersLeft === 0;
    try {
        const closer = closePeriods(operator, done);
        await Promise.all(
            Array.from({ length: concurrency }, async (_, index) => {
                let worker: Worker | undefined;
                for (let attempt = 1; !worker && attempt <= 5; attempt++) {
                    worker = await setUpWorker(index, operator, tenant).catch(async (err: unknown) => {
                        console.error(`  worker ${String(index)} setup attempt ${String(attempt)} failed: ${outcomeOf(err)} ${err instanceof Error ? err.message.slice(0, 300) : ''}`);
                        await new Promise((resolve) => setTimeout(resolve, 3000));
                        return undefined;
                    });
                }
                if (!worker) {
                    workersLeft -= 1;
                }
                for (let step = index; worker && !done(); step++) {
                    await (FLOWS[step % FLOWS.length] as Flow)(worker).catch(() => undefined);
                    if (performance.now() - lastReport > 60_000) {
                        lastReport = performance.now();
                        console.log(`  … ${String(tally.attempted)} transactions in ${((lastReport - started) / 1000).toFixed(0)} s: ${String(tally.valid)} valid, ${String(tally.mismatches)} mismatches, ${String(tally.mvcc)} MVCC`);
                    }
                }
            }),
        );
        await closer;
    } finally {
        edge.close();
        cloud.close();
    }
    const seconds = (performance.now() - started) / 1000;
    const other = [...tally.other.values()].reduce((a, b) => a + b, 0);
    console.log(`\nResult: ${String(tally.attempted)} transactions in ${seconds.toFixed(1)} s (${(tally.attempted / seconds).toFixed(1)} tx/s)`);
    console.log(`  committed valid          ${String(tally.valid)}`);
    console.log(`  endorsement mismatches   ${String(tally.mismatches)}`);
    console.log(`  MVCC read conflicts      ${String(tally.mvcc)}`);
    console.log(`  other failures           ${String(other)}${other ? ` (${[...tally.other].map(([k, n]) => `${k} ×${String(n)}`).join(', ')})` : ''}`);
    console.log('  per transaction (valid / failed):');
    for (const [name, entry] of [...tally.byTransaction].sort(([a], [b]) => a.localeCompare(b))) {
        console.log(`    ${name.padEnd(28)} ${String(entry.valid).padStart(6)} / ${String(entry.failed)}`);
    }
    for (const sample of tally.mismatchSamples) {
        console.log(`  mismatch: ${sample}`);
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
