// The main thread's time in the service's store per submission, at the service benchmark's rate (30 submissions at a
// time, about 0.5 s from endorsement to commit): event-loop utilisation × elapsed ÷ submissions. No network: the
// endorsement and the commit are timers, every store write is real (lookup, insert, prepared, done), on this disk.
// Usage: node bench/analysis/service-store.mjs [service/dist/store.js] (N, COMMIT_MS, CONCURRENCY to change the load).
import { Buffer } from 'node:buffer';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const { ServiceStore } = createRequire(import.meta.url)(resolve(process.argv[2] ?? 'service/dist/store.js'));
const n = Number(process.env.N ?? 300);
const concurrency = Number(process.env.CONCURRENCY ?? 30);
const commitMs = Number(process.env.COMMIT_MS ?? 500);
const store = new ServiceStore(join(mkdtempSync(join(tmpdir(), 'edgetrust-store-load-')), 'service.sqlite'));
const endorsed = Buffer.alloc(4000, 7);

async function submission(i) {
    const id = `id-${i}`;
    store.submissionByKey('caller', `key-${i}`);
    store.insertSubmission({ id, caller: 'caller', idempotencyKey: `key-${i}`, fingerprint: 'f', operation: 'anchor' });
    await sleep(5);
    await store.markPrepared(id, `tx-${i}`, endorsed);
    await sleep(commitMs);
    store.markDone(id, 200, JSON.stringify({ result: { id }, transactionId: `tx-${i}`, blockNumber: i }));
}

const before = performance.eventLoopUtilization();
const started = performance.now();
let next = 0;
await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
        await submission(next++);
    }
}));
const elapsed = performance.now() - started;
const used = performance.eventLoopUtilization(before);
console.log(`${n} submissions, ${concurrency} at a time: ${(n / (elapsed / 1000)).toFixed(0)}/s, main thread ${(used.active / n).toFixed(2)} ms per submission (event loop ${(used.utilization * 100).toFixed(0)} % busy)`);
store.close();
