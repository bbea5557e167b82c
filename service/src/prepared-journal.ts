import Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';

/**
 * The one write of the service that must survive a power cut — an endorsed transaction, stored before it is sent — in
 * an SQLite file of its own (`<store>-prepared`, WAL, `synchronous=FULL`) written by a worker thread. better-sqlite3 is
 * synchronous, and an fsync costs 5–8 ms on this kind of disk: done on the main thread, it stopped every request
 * for that long, once per group of submissions (measured: docs/performance-service.md). In the worker the fsync
 * runs beside the event loop; each submission still waits for its own transaction to be on disk before sending it.
 * Its own file, so the worker never waits for the main store's write lock nor the main thread for the worker's.
 * Group commit: while one group is being synced, the next ones gather, and go in one transaction, one fsync.
 */
export interface PreparedEntry {
    id: string;
    caller: string;
    idempotencyKey: string | null;
    fingerprint: string;
    operation: string;
    transactionId: string;
    prepared: Buffer;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS prepared (
    id TEXT PRIMARY KEY,
    caller TEXT NOT NULL,
    idempotency_key TEXT,
    fingerprint TEXT NOT NULL,
    operation TEXT NOT NULL,
    transaction_id TEXT NOT NULL,
    prepared BLOB NOT NULL
);`;

// The worker's code, evaluated: a worker file would not exist when the service runs from its TypeScript sources (the
// tests); the driver's path comes from the main thread, so resolution does not depend on the working directory.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(workerData.schema);
const put = db.prepare('INSERT OR REPLACE INTO prepared (id, caller, idempotency_key, fingerprint, operation, transaction_id, prepared) VALUES (?, ?, ?, ?, ?, ?, ?)');
const forget = db.prepare('DELETE FROM prepared WHERE id = ?');
const write = db.transaction((entries, forgotten) => {
    for (const e of entries) put.run(e.id, e.caller, e.idempotencyKey, e.fingerprint, e.operation, e.transactionId, Buffer.from(e.prepared));
    for (const id of forgotten) forget.run(id);
});
parentPort.on('message', ({ entries, forgotten }) => {
    try {
        write(entries, forgotten);
        parentPort.postMessage({ ok: true });
    } catch (err) {
        parentPort.postMessage({ ok: false, error: String(err && err.message || err) });
    }
});
`;

interface Waiting {
    entry: PreparedEntry;
    resolve: () => void;
    reject: (err: unknown) => void;
}

export class PreparedJournal {
    readonly #file: string;
    #worker: Worker | undefined;
    #queue: Waiting[] = [];
    #forgotten: string[] = [];
    #inFlight: Waiting[] | undefined;

    constructor(file: string) {
        this.#file = file;
    }

    /** What the journal holds from earlier runs (read on the main thread, before the worker starts). */
    entries(): PreparedEntry[] {
        const db = new Database(this.#file);
        try {
            db.pragma('journal_mode = WAL');
            db.exec(SCHEMA);
            return db
                .prepare('SELECT id, caller, idempotency_key AS idempotencyKey, fingerprint, operation, transaction_id AS transactionId, prepared FROM prepared')
                .all() as PreparedEntry[];
        } finally {
            db.close();
        }
    }

    /** Resolves once the entry is on disk. */
    put(entry: PreparedEntry): Promise<void> {
        return new Promise((resolve, reject) => {
            this.#queue.push({ entry, resolve, reject });
            void this.#send();
        });
    }

    /** Drops entries whose submissions are done (with the next write; a leftover is dropped at the next start). */
    forget(id: string): void {
        this.#forgotten.push(id);
    }

    close(): void {
        const worker = this.#worker;
        this.#worker = undefined;
        this.#fail(new Error('the store is closed'));
        void worker?.terminate();
    }

    #start(): Worker {
        const worker = new Worker(WORKER, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), file: this.#file, schema: SCHEMA } });
        worker.on('message', (answer: { ok: boolean; error?: string }) => {
            const group = this.#inFlight ?? [];
            this.#inFlight = undefined;
            for (const w of group) {
                if (answer.ok) {
                    w.resolve();
                } else {
                    w.reject(new Error(`the endorsed transaction could not be stored: ${answer.error ?? ''}`));
                }
            }
            if (!this.#send()) {
                // Idle: the worker alone does not keep the process alive (a waiting submission does).
                worker.unref();
            }
        });
        worker.on('error', (err) => {
            this.#worker = undefined;
            this.#fail(err);
        });
        return worker;
    }

    /** Sends the gathered entries unless a group is being synced or nothing waits; tells whether a group is in flight. */
    #send(): boolean {
        if (this.#inFlight !== undefined) {
            return true;
        }
        if (this.#queue.length === 0) {
            return false;
        }
        this.#worker ??= this.#start();
        this.#worker.ref();
        const group = this.#queue;
        this.#queue = [];
        this.#inFlight = group;
        const forgotten = this.#forgotten;
        this.#forgotten = [];
        this.#worker.postMessage({ entries: group.map((w) => w.entry), forgotten });
        return true;
    }

    #fail(err: unknown): void {
        const waiting = [...(this.#inFlight ?? []), ...this.#queue];
        this.#inFlight = undefined;
        this.#queue = [];
        for (const w of waiting) {
            w.reject(err);
        }
    }
}
