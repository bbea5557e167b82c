import { connect, EvidenceClient, hashFile, loadNetworkProfile } from '@edgetrust/gateway-sdk';
import { EvidenceAgent, prepareServiceFolder, createService } from '@edgetrust/service';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatSummary, runConcurrently, summarize } from './stats';

/*
 * The service against the SDK (issue 13), figures printed, never asserted, loads alternating in one run:
 *   (s) single-record anchors per second and latency through the REST API (HTTPS, API key, Idempotency-Key, so each
 *       submission's endorsed transaction is stored in SQLite first) against EvidenceClient.anchor directly, same
 *       identity, same concurrency; the service runs in this process, so it shares the CPU with the load generator;
 *   (g) files per second through the agent (scan, stable check, streaming hash, Merkle batch, receipt beside each
 *       file) against hashFile + the SDK batcher over the same kind of files, and digests per second through the SDK
 *       batcher alone (no files).
 * Usage: npm run bench -- service   (or node bench/dist/service.js with EDGETRUST_NETWORK_DIR).
 */
const KNOBS = {
    anchors: Number(process.env.BENCH_ANCHORS ?? '300'),
    concurrency: Number(process.env.BENCH_CONCURRENCY ?? '30'),
    rounds: Number(process.env.BENCH_ROUNDS ?? '2'),
    files: Number(process.env.BENCH_FILES ?? '2000'),
    fileKb: Number(process.env.BENCH_FILE_KB ?? '64'),
};
const run = `${String(process.pid)}-${String(Date.now())}`;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const anchorRequest = (id: string): Record<string, unknown> => ({ id, digest: sha256(id), name: `${id}.mp4`, size: 1_048_576, mediaType: 'video/mp4', source: { type: 'device', id: 'bench-camera' }, tags: ['bench'] });

/** Successful submissions per second and their latencies; a failed one is counted and its first error printed. */
async function measure(count: number, concurrency: number, submit: (i: number) => Promise<void>): Promise<{ tps: number; latencies: number[]; failed: number }> {
    const latencies: number[] = [];
    let failed = 0;
    const elapsed = await runConcurrently(count, concurrency, async (i) => {
        const started = performance.now();
        try {
            await submit(i);
            latencies.push(performance.now() - started);
        } catch (err) {
            if (failed === 0) {
                console.log(`first failure: ${err instanceof Error ? err.message : String(err)}`);
            }
            failed += 1;
        }
    });
    return { tps: latencies.length / (elapsed / 1000), latencies, failed };
}

function writeFiles(count: number, kb: number, tag: string): string {
    const folder = mkdtempSync(join(tmpdir(), `edgetrust-bench-${tag}-`));
    for (let i = 0; i < count; i += 1) {
        writeFileSync(join(folder, `segment-${String(i).padStart(6, '0')}.bin`), Buffer.alloc(kb * 1024, `${tag}-${run}-${String(i)}`));
    }
    return folder;
}

function portOf(address: string | { port: number } | null): number {
    return typeof address === 'object' && address ? address.port : 0;
}

/** (s): the service and the SDK anchoring side by side. */
async function benchService(networkDir: string, evidence: EvidenceClient): Promise<void> {
    const folder = prepareServiceFolder(networkDir, mkdtempSync(join(tmpdir(), 'edgetrust-bench-service-')));
    const service = await createService({ profile: folder.profile, wallet: folder.wallet, access: folder.access, storeFile: folder.storeFile, tls: folder.tls });
    await service.app.listen({ host: '127.0.0.1', port: 0 });
    const port = portOf(service.app.server.address());
    const ca = readFileSync(folder.tls.caFile ?? '');
    const apiKey = readFileSync(folder.apiKeyFiles['edgeorg-user1'] ?? '', 'utf8').trim();
    const agent = new Agent({ keepAlive: true, maxSockets: KNOBS.concurrency, ca });
    const post = (id: string): Promise<void> =>
        new Promise((resolve, reject) => {
            const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/evidence/records', agent, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'idempotency-key': id } }, (res) => {
                let text = '';
                res.on('data', (c: Buffer) => (text += c.toString()));
                res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${String(res.statusCode)} for ${id}: ${text}`))));
            });
            req.on('error', reject);
            req.end(JSON.stringify(anchorRequest(id)));
        });

    const loads = [
        {
            label: 'SDK EvidenceClient.anchor',
            submit: async (id: string): Promise<void> => {
                await evidence.anchor(anchorRequest(id) as never);
            }, tps: [] as number[], latencies: [] as number[], failed: 0 },
        { label: 'service POST /v1/evidence/records', submit: post, tps: [] as number[], latencies: [] as number[], failed: 0 },
    ];
    for (const load of loads) {
        await measure(30, 10, (i) => load.submit(`bench-warm-${load.label.length}-${run}-${String(i)}`));
    }
    for (let round = 0; round < KNOBS.rounds; round += 1) {
        for (const [n, load] of loads.entries()) {
            const result = await measure(KNOBS.anchors, KNOBS.concurrency, (i) => load.submit(`bench-svc-${String(n)}-${String(round)}-${run}-${String(i)}`));
            load.tps.push(result.tps);
            load.latencies.push(...result.latencies);
            load.failed += result.failed;
        }
    }
    console.log(`(s) ${String(KNOBS.anchors)} anchors × ${String(KNOBS.rounds)} rounds, concurrency ${String(KNOBS.concurrency)}, alternating`);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    for (const load of loads) {
        console.log(`${formatSummary(load.label, summarize(load.latencies))}  ${mean(load.tps).toFixed(1).padStart(7)} anchors/s  failed ${String(load.failed)}`);
    }
    console.log(`service / SDK throughput: ${(mean(loads[1]?.tps ?? []) / mean(loads[0]?.tps ?? [1])).toFixed(2)}`);
    agent.destroy();
    await service.close();
}

/** (g): the agent against hashFile + the SDK batcher. */
async function benchAgent(evidence: EvidenceClient, channel: string): Promise<void> {
    // (g) the agent against hashFile + the SDK batcher, the same number and size of files.
    const batcherFolder = writeFiles(KNOBS.files, KNOBS.fileKb, 'batcher');
    const batcher = evidence.createBatcher({ metadata: { source: { type: 'app', id: 'bench-batcher' } }, maxItems: 500, maxDelayMs: 250 });
    let started = performance.now();
    const { readdirSync } = await import('node:fs');
    await Promise.all(readdirSync(batcherFolder).map(async (name) => batcher.add((await hashFile(join(batcherFolder, name))).digest)));
    const batcherSeconds = (performance.now() - started) / 1000;
    await batcher.close();
    // Digests alone (already hashed), so the files' reading and hashing can be told from the batching and anchoring.
    const digestBatcher = evidence.createBatcher({ metadata: { source: { type: 'app', id: 'bench-batcher' } }, maxItems: 500, maxDelayMs: 250 });
    started = performance.now();
    await Promise.all(Array.from({ length: KNOBS.files }, (_, i) => digestBatcher.add(sha256(`digest-${run}-${String(i)}`))));
    const digestSeconds = (performance.now() - started) / 1000;
    await digestBatcher.close();
    const agentFolder = writeFiles(KNOBS.files, KNOBS.fileKb, 'agent');
    const watcher = new EvidenceAgent({ folder: agentFolder, evidence, channel, chaincode: 'evidence', stableMs: 0, scanIntervalMs: 50, maxBatch: 500 });
    started = performance.now();
    while ((watcher.counts().anchored ?? 0) < KNOBS.files) {
        await watcher.cycle();
    }
    const agentSeconds = (performance.now() - started) / 1000;
    await watcher.stop();
    console.log(`(g) ${String(KNOBS.files)} files of ${String(KNOBS.fileKb)} KiB, batches of at most 500`);
    console.log(`SDK batcher, digests only: ${(KNOBS.files / digestSeconds).toFixed(1)} digests/s (${digestSeconds.toFixed(2)} s)`);
    console.log(`SDK hashFile + batcher: ${(KNOBS.files / batcherSeconds).toFixed(1)} files/s (${batcherSeconds.toFixed(2)} s)`);
    console.log(`agent (scan, stable check, hash, batch, receipts beside the files): ${(KNOBS.files / agentSeconds).toFixed(1)} files/s (${agentSeconds.toFixed(2)} s)`);
    console.log(`agent / batcher: ${(batcherSeconds / agentSeconds).toFixed(2)}`);
}

async function main(): Promise<void> {
    const networkDir = process.env.EDGETRUST_NETWORK_DIR ?? join('.edgetrust', 'network');
    const profile = loadNetworkProfile(join(networkDir, 'connection.json'));
    const connection = await connect({ profile, organization: 'EdgeOrg' });
    const evidence = new EvidenceClient(connection.gateway.getNetwork(profile.channel).getContract('evidence'), { mspId: connection.mspId });
    try {
        await benchService(networkDir, evidence);
        await benchAgent(evidence, profile.channel);
    } finally {
        connection.close();
    }
}

main().then(
    () => process.exit(0),
    (err: unknown) => {
        console.error(err);
        process.exit(1);
    },
);
