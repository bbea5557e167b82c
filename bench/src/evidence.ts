import { type BatchAnchorer, connect, EvidenceBatcher, type EvidenceBatcherOptions, EvidenceClient, hashFile, loadNetworkProfile } from '@edgetrust/gateway-sdk';
import { networkFromEnv } from '@edgetrust/test-network-scripts';
import type { Contract } from '@hyperledger/fabric-gateway';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { formatSummary, runConcurrently, summarize } from './stats';
import { sweep, type Workload } from './support/saturation';

/*
 * Evidence benchmarks (issue 3), figures printed, never asserted:
 *   (a) single-record anchors per second against the one-putState baseline chaincode, same load generator;
 *   (w) witnessed anchors (endorsed by EdgeOrg and the CloudOrg witness, sealed in WitnessedEvidence) against
 *       single-organisation anchors, alternating rounds (docs/performance-witness.md);
 *   (b) batched digests per second end to end (ingest → root committed → receipts ready), with
 *       p50/p95 ingest-to-receipt time;
 *   (b0) as (b) with an anchor that commits at once and no network: the SDK's own cost (batcher, RFC 6962
 *        tree, proofs, receipts), once through addMany() per chunk and once through add() per digest;
 *   (c) hashFile throughput against raw node:crypto SHA-256 over the same file.
 * Usage: node bench/dist/evidence.js   (network from EDGETRUST_NETWORK_DIR, default .edgetrust/network;
 * BENCH_PARTS=b0 alone needs none),
 * or npm run bench -- evidence (a network of its own). Short by default; longer runs through these knobs:
 */
const SWEEP = process.env.BENCH_SWEEP === '1';
const KNOBS = {
    /** `npm run bench -- evidence --sweep` (BENCH_SWEEP=1): part (a) as a saturation sweep, and only it by default. */
    parts: env('BENCH_PARTS', SWEEP ? 'a' : 'a,w,b0,b,c'),
    anchors: Number(env('BENCH_ANCHORS', '400')),
    concurrency: Number(env('BENCH_CONCURRENCY', '40')),
    rounds: Number(env('BENCH_ROUNDS', '2')),
    digests: Number(env('BENCH_DIGESTS', '100000')),
    batchItems: Number(env('BENCH_BATCH_ITEMS', '10000')),
    batchDelayMs: Number(env('BENCH_BATCH_DELAY_MS', '250')),
    /** How (b) hands digests to the batcher: `many` = addMany per chunk of 1000, `add` = add per digest. */
    ingest: env('BENCH_INGEST', 'many'),
    fileMb: Number(env('BENCH_FILE_MB', '1024')),
    hashRounds: Number(env('BENCH_HASH_ROUNDS', '2')),
};

function env(name: string, fallback: string): string {
    return process.env[name] ?? fallback;
}

const run = `${String(process.pid)}-${String(Date.now())}`;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

async function submitOne(contract: Contract, name: string, args: string[], endorsingOrganizations?: string[]): Promise<void> {
    const commit = await contract.submitAsync(name, { arguments: args, endorsingOrganizations });
    const status = await commit.getStatus();
    if (!status.successful) {
        throw new Error(`${name}: transaction ${status.transactionId} failed with code ${String(status.code)}`);
    }
}

/** One realistic single-record anchor: digest, metadata, a source and a tag (eight keys written with its indexes, two read). */
function anchorArgs(id: string, witnessMspId?: string): string[] {
    const request = { id, digest: sha256(id), name: `${id}.mp4`, size: 1_048_576, mediaType: 'video/mp4', source: { type: 'device', id: 'bench-camera' }, tags: ['bench'] };
    return [JSON.stringify(witnessMspId === undefined ? request : { ...request, witnessMspId })];
}

interface Load {
    label: string;
    submit: (i: number) => Promise<void>;
    /** Mean transactions per second over the rounds. */
    tps: number;
    latencies: number[];
}

/** Runs `count` submits with `concurrency` in flight; transactions per second and per-transaction latencies. */
async function measure(submit: (i: number) => Promise<void>, count: number, concurrency: number): Promise<{ tps: number; latencies: number[] }> {
    const latencies: number[] = [];
    const elapsed = await runConcurrently(count, concurrency, async (i) => {
        const started = performance.now();
        await submit(i);
        latencies.push(performance.now() - started);
    });
    return { tps: count / (elapsed / 1000), latencies };
}

/** Runs the loads in alternating rounds (after a warm-up each), so that drift on a shared machine hits all alike. */
async function alternate(loads: Load[], offsetStart: number): Promise<void> {
    const { anchors, concurrency, rounds } = KNOBS;
    let offset = offsetStart;
    for (const load of loads) {
        const base = offset;
        await measure((i) => load.submit(base + i), concurrency * 2, concurrency);
        offset += concurrency * 2;
    }
    for (let round = 0; round < rounds; round++) {
        for (const load of loads) {
            const base = offset;
            const result = await measure((i) => load.submit(base + i), anchors, concurrency);
            offset += anchors;
            load.tps += result.tps / rounds;
            load.latencies.push(...result.latencies);
            console.log(`    round ${String(round + 1)}  ${load.label.padEnd(30)} ${result.tps.toFixed(1).padStart(8)} tx/s`);
        }
    }
    for (const load of loads) {
        console.log(`    ${formatSummary(`submit→commit ${load.label}`, summarize(load.latencies))}`);
    }
}

/** (a) Anchors vs baseline Puts; with BENCH_SWEEP=1 at rising concurrency until both stop rising. */
async function singleRecordAnchors(baseline: Contract, evidence: Contract, pidsDir: string): Promise<void> {
    const { anchors, concurrency, rounds } = KNOBS;
    if (SWEEP) {
        const put: Workload = { label: 'baseline Put', run: (i) => submitOne(baseline, 'Put', [`bench-s-${run}-${String(i)}`, JSON.stringify({ reading: i })]) };
        const anchor: Workload = { label: 'evidence Anchor', run: (i) => submitOne(evidence, 'Anchor', anchorArgs(`bench-s-${run}-${String(i)}`)) };
        await sweep('(a) single-record transactions, saturation sweep', pidsDir, [put, anchor], [{ numerator: anchor.label, denominator: put.label }]);
        return;
    }
    console.log(`\n(a) single-record transactions: ${String(anchors)} per round, ${String(concurrency)} in flight, ${String(rounds)} rounds (after a warm-up)`);
    const put: Load = { label: 'baseline Put (one putState)', submit: (i) => submitOne(baseline, 'Put', [`bench-${run}-${String(i)}`, JSON.stringify({ reading: i })]), tps: 0, latencies: [] };
    const anchor: Load = { label: 'evidence Anchor', submit: (i) => submitOne(evidence, 'Anchor', anchorArgs(`bench-${run}-${String(i)}`)), tps: 0, latencies: [] };
    await alternate([put, anchor], 1_000_000);
    console.log(`    mean: baseline ${put.tps.toFixed(1)} tx/s, evidence ${anchor.tps.toFixed(1)} anchors/s; ratio evidence/baseline ${(anchor.tps / put.tps).toFixed(2)} (target ≥ 0.90)`);
}

/**
 * (w) Witnessed anchoring against single-organisation anchoring: the same request, once endorsed by EdgeOrg alone
 * (what the gateway picks under the OR policy) and once by EdgeOrg and the CloudOrg witness, whose seal goes to the
 * WitnessedEvidence collection (its collection-level policy needs both organisations' peers).
 */
async function witnessedAnchors(evidence: Contract): Promise<void> {
    const { anchors, concurrency, rounds } = KNOBS;
    console.log(`\n(w) witnessed vs single-organisation anchoring: ${String(anchors)} per round, ${String(concurrency)} in flight, ${String(rounds)} rounds (after a warm-up)`);
    const single: Load = { label: 'Anchor, EdgeOrg alone', submit: (i) => submitOne(evidence, 'Anchor', anchorArgs(`bench-w-${run}-${String(i)}`)), tps: 0, latencies: [] };
    const witnessed: Load = {
        label: 'Anchor, witnessed by CloudOrg',
        submit: (i) => submitOne(evidence, 'Anchor', anchorArgs(`bench-w-${run}-${String(i)}`, 'CloudOrgMSP'), ['EdgeOrgMSP', 'CloudOrgMSP']),
        tps: 0,
        latencies: [],
    };
    await alternate([single, witnessed], 5_000_000);
    console.log(`    mean: single-organisation ${single.tps.toFixed(1)} anchors/s, witnessed ${witnessed.tps.toFixed(1)} anchors/s; ratio witnessed/single ${(witnessed.tps / single.tps).toFixed(2)}`);
}

type IngestMode = 'add' | 'many';
const CHUNK = 1000;

interface IngestResult {
    elapsedMs: number;
    latencies: number[];
    batches: number;
}

function batcherOptions(): Omit<EvidenceBatcherOptions, 'anchor'> {
    return { metadata: { name: `bench ${run}`, source: { type: 'app', id: 'bench-batcher' }, tags: ['bench'] }, maxItems: KNOBS.batchItems, maxDelayMs: KNOBS.batchDelayMs };
}

/**
 * Adds `digests` to a batcher as fast as they come (one add per digest, or one addMany per chunk), yielding
 * after every chunk so commits are handled while ingesting; ends when every receipt is ready.
 */
async function ingest(batcher: EvidenceBatcher, digests: readonly string[], mode: IngestMode): Promise<IngestResult> {
    const latencies = new Array<number>(digests.length);
    const batchIds = new Set<string>();
    const receipts: Promise<void>[] = [];
    const started = performance.now();
    for (let first = 0; first < digests.length; first += CHUNK) {
        const chunk = digests.slice(first, first + CHUNK);
        receipts.push(mode === 'many' ? ingestChunk(batcher, chunk, first, latencies, batchIds) : ingestOneByOne(batcher, chunk, first, latencies, batchIds));
        await nextTurn();
    }
    await batcher.close();
    await Promise.all(receipts);
    return { elapsedMs: performance.now() - started, latencies, batches: batchIds.size };
}

async function ingestChunk(batcher: EvidenceBatcher, chunk: string[], first: number, latencies: number[], batchIds: Set<string>): Promise<void> {
    const ingestedAt = performance.now();
    const receipts = await batcher.addMany(chunk);
    const latency = performance.now() - ingestedAt;
    latencies.fill(latency, first, first + chunk.length);
    for (const receipt of receipts) {
        batchIds.add(receipt.batchId);
    }
}

function ingestOneByOne(batcher: EvidenceBatcher, chunk: string[], first: number, latencies: number[], batchIds: Set<string>): Promise<void> {
    const receipts = chunk.map((digest, i) => {
        const ingestedAt = performance.now();
        return batcher.add(digest).then((receipt) => {
            latencies[first + i] = performance.now() - ingestedAt;
            batchIds.add(receipt.batchId);
        });
    });
    return Promise.all(receipts).then(() => undefined);
}

function itemDigests(label: string, count: number): string[] {
    return Array.from({ length: count }, (_, i) => sha256(`${label}-${run}-${String(i)}`));
}

function printIngest(label: string, count: number, result: IngestResult): void {
    const rate = count / (result.elapsedMs / 1000);
    console.log(`    ${label.padEnd(34)} ${String(count)} digests in ${String(result.batches)} batches, ${(result.elapsedMs / 1000).toFixed(2)} s: ${rate.toFixed(0).padStart(7)} digests/s`);
    console.log(`    ${formatSummary(`  ingest→receipt (${label})`, summarize(result.latencies))}`);
}

/** (b) Batched digests end to end. */
async function batchedDigests(client: EvidenceClient): Promise<void> {
    const { digests: count, batchItems, batchDelayMs } = KNOBS;
    const mode: IngestMode = KNOBS.ingest === 'add' ? 'add' : 'many';
    console.log(`\n(b) batched digests: ${String(count)} digests, batches of up to ${String(batchItems)} or ${String(batchDelayMs)} ms, one AnchorBatch per batch, ${mode === 'many' ? `addMany per ${String(CHUNK)}` : 'add per digest'}`);
    await ingest(client.createBatcher(batcherOptions()), itemDigests('warm', Math.min(batchItems, 1000)), mode);
    const result = await ingest(client.createBatcher(batcherOptions()), itemDigests('item', count), mode);
    printIngest('end to end', count, result);
    console.log(`    target ≥ 50,000 digests/s, p95 ≤ 2000 ms`);
}

/** (b0) The SDK's share of (b): the same ingestion, anchored by a stand-in that commits at once. */
async function batchedDigestsOffline(): Promise<void> {
    const { digests: count, batchItems } = KNOBS;
    console.log(`\n(b0) batcher, RFC 6962 tree and receipts alone (no network, anchors commit at once): ${String(count)} digests, batches of ${String(batchItems)}`);
    let anchors = 0;
    const anchor: BatchAnchorer = () => {
        anchors += 1;
        return Promise.resolve({ channel: 'offline', chaincode: 'evidence', batchId: `offline-${String(anchors)}`, transactionId: `tx-${String(anchors)}`, blockNumber: BigInt(anchors) });
    };
    const digests = itemDigests('offline', count);
    for (const mode of ['many', 'add', 'many', 'add'] as const) {
        const result = await ingest(new EvidenceBatcher({ ...batcherOptions(), anchor }), digests, mode);
        printIngest(mode === 'many' ? `addMany per ${String(CHUNK)}` : 'add per digest', count, result);
    }
}

/** Writes a test file of `mb` MiB in 4 MiB chunks. */
async function writeTestFile(path: string, mb: number): Promise<void> {
    const chunk = randomBytes(4 * 1024 * 1024);
    const handle = await open(path, 'w');
    try {
        for (let written = 0; written < mb * 1024 * 1024; written += chunk.length) {
            chunk.writeUInt32BE(written / chunk.length, 0);
            await handle.write(chunk, 0, Math.min(chunk.length, mb * 1024 * 1024 - written));
        }
    } finally {
        await handle.close();
    }
}

/** The plain node idiom: a read stream piped into crypto's SHA-256. */
async function rawStreamHash(path: string): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) {
        hash.update(chunk as Buffer);
    }
    return hash.digest('hex');
}

/** SHA-256 alone over as many bytes, from memory: the ceiling no file hashing can pass. */
function inMemoryHash(block: Buffer, bytes: number): void {
    const hash = createHash('sha256');
    for (let done = 0; done < bytes; done += block.length) {
        hash.update(block.subarray(0, Math.min(block.length, bytes - done)));
    }
    hash.digest();
}

async function timed(fn: () => unknown): Promise<number> {
    const started = performance.now();
    await fn();
    return performance.now() - started;
}

/** (c) hashFile against raw node:crypto over the same file, best of a few alternating rounds. */
async function fileHashing(): Promise<void> {
    const { fileMb, hashRounds } = KNOBS;
    const path = join(tmpdir(), `edgetrust-bench-${run}.bin`);
    console.log(`\n(c) hashing a ${String(fileMb)} MiB file in ${tmpdir()} (best of ${String(hashRounds)} alternating rounds; the file is in the page cache)`);
    await writeTestFile(path, fileMb);
    try {
        const best = { hashFile: Infinity, stream: Infinity, memory: Infinity };
        const block = randomBytes(64 * 1024 * 1024);
        for (let round = 0; round < hashRounds; round++) {
            let digests: string[] = [];
            best.hashFile = Math.min(best.hashFile, await timed(async () => digests.push((await hashFile(path)).digest)));
            best.stream = Math.min(best.stream, await timed(async () => digests.push(await rawStreamHash(path))));
            best.memory = Math.min(best.memory, await timed(() => inMemoryHash(block, fileMb * 1024 * 1024)));
            if (digests[0] !== digests[1]) {
                throw new Error('hashFile and the raw stream disagree on the digest');
            }
            digests = [];
        }
        const rate = (ms: number): string => `${(fileMb / (ms / 1000)).toFixed(0).padStart(6)} MiB/s`;
        console.log(`    hashFile (SDK, 4 MiB reads overlapped with hashing)  ${rate(best.hashFile)}`);
        console.log(`    raw node:crypto over createReadStream (4 MiB chunks)  ${rate(best.stream)}   hashFile ${((100 * best.stream) / best.hashFile).toFixed(1)} % of it (target ≥ 90 %)`);
        console.log(`    raw node:crypto over memory (CPU ceiling, same bytes) ${rate(best.memory)}   hashFile ${((100 * best.memory) / best.hashFile).toFixed(1)} % of it`);
    } finally {
        await rm(path, { force: true });
    }
}

async function main(): Promise<void> {
    const network = networkFromEnv();
    const parts = new Set(KNOBS.parts.split(','));
    console.log(`evidence benchmark, network ${network.dir}: BatchTimeout ${network.channel.batchTimeout}, MaxMessageCount ${String(network.channel.maxMessageCount)}, Raft ×${String(network.orderers.length)}`);
    if (parts.has('a') || parts.has('w') || parts.has('b')) {
        const profile = loadNetworkProfile(network.paths.connectionProfile);
        const connection = await connect({ profile, organization: 'EdgeOrg' });
        console.log(`gateway peer ${connection.peer.name} (${connection.peer.tier}) as ${connection.mspId} User1`);
        try {
            const channel = connection.gateway.getNetwork(profile.channel);
            const evidence = channel.getContract(profile.chaincodes.evidence ?? 'evidence');
            if (parts.has('a')) {
                await singleRecordAnchors(channel.getContract(profile.chaincodes.baseline ?? 'baseline'), evidence, network.paths.pids);
            }
            if (parts.has('w')) {
                await witnessedAnchors(evidence);
            }
            if (parts.has('b')) {
                await batchedDigests(new EvidenceClient(evidence));
            }
        } finally {
            connection.close();
        }
    }
    if (parts.has('b0')) {
        await batchedDigestsOffline();
    }
    if (parts.has('c')) {
        await fileHashing();
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
