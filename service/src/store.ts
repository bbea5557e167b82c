import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The service's embedded store (SQLite through better-sqlite3: one file, transactions, a unique index for the
 * idempotency keys; a LevelDB would need the same bookkeeping done by hand): submissions by idempotency key with the
 * endorsed transaction, and event subscriptions with their acknowledged checkpoints.
 *
 * Durability: WAL with `synchronous=NORMAL` survives a crash of the service (the write is in the OS before the
 * statement returns) but not a power cut. The one write that must survive a power cut too — the endorsed transaction,
 * stored before it is sent — is committed with `synchronous=FULL`, grouped: every submission prepared in the same
 * turn of the event loop shares one fsync (about 5 ms here) instead of each blocking the loop for its own. A lost
 * `done` is harmless: the submission stays prepared and its transaction is sent again, which commits nothing new.
 */
export type SubmissionState = 'pending' | 'prepared' | 'done';

export interface SubmissionRow {
    id: string;
    caller: string;
    idempotencyKey: string | null;
    fingerprint: string;
    operation: string;
    state: SubmissionState;
    transactionId: string | null;
    prepared: Buffer | null;
    status: number | null;
    response: string | null;
}

export interface SubscriptionRow {
    caller: string;
    name: string;
    chaincode: string;
    /** JSON list of event names; empty: every event of the chaincode. */
    events: string;
    /** Where delivery starts when nothing was acknowledged yet. */
    startBlock: string | null;
    /** The last acknowledged event: block and transaction id. */
    ackBlock: string | null;
    ackTransactionId: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS submissions (
    id TEXT PRIMARY KEY,
    caller TEXT NOT NULL,
    idempotency_key TEXT,
    fingerprint TEXT NOT NULL,
    operation TEXT NOT NULL,
    state TEXT NOT NULL,
    transaction_id TEXT,
    prepared BLOB,
    status INTEGER,
    response TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (caller, idempotency_key)
);
CREATE TABLE IF NOT EXISTS subscriptions (
    caller TEXT NOT NULL,
    name TEXT NOT NULL,
    chaincode TEXT NOT NULL,
    events TEXT NOT NULL,
    start_block TEXT,
    ack_block TEXT,
    ack_transaction_id TEXT,
    PRIMARY KEY (caller, name)
);`;

const SUBMISSION_COLUMNS =
    'id, caller, idempotency_key AS idempotencyKey, fingerprint, operation, state, transaction_id AS transactionId, prepared, status, response';
const SUBSCRIPTION_COLUMNS = 'caller, name, chaincode, events, start_block AS startBlock, ack_block AS ackBlock, ack_transaction_id AS ackTransactionId';

interface PendingPrepared {
    id: string;
    transactionId: string;
    prepared: Buffer;
    resolve: () => void;
    reject: (err: unknown) => void;
}

export class ServiceStore {
    readonly #db: Database.Database;
    readonly #prepared: PendingPrepared[] = [];

    constructor(file: string) {
        if (file !== ':memory:') {
            mkdirSync(dirname(file), { recursive: true });
        }
        this.#db = new Database(file);
        // WAL with synchronous=FULL: a row is on disk when the statement returns, so a crash right after cannot lose it.
        this.#db.pragma('journal_mode = WAL');
        this.#db.pragma('synchronous = NORMAL');
        this.#db.exec(SCHEMA);
    }

    submissionByKey(caller: string, key: string): SubmissionRow | undefined {
        return this.#db.prepare(`SELECT ${SUBMISSION_COLUMNS} FROM submissions WHERE caller = ? AND idempotency_key = ?`).get(caller, key) as SubmissionRow | undefined;
    }

    submission(caller: string, id: string): SubmissionRow | undefined {
        return this.#db.prepare(`SELECT ${SUBMISSION_COLUMNS} FROM submissions WHERE caller = ? AND id = ?`).get(caller, id) as SubmissionRow | undefined;
    }

    submissionById(id: string): SubmissionRow | undefined {
        return this.#db.prepare(`SELECT ${SUBMISSION_COLUMNS} FROM submissions WHERE id = ?`).get(id) as SubmissionRow | undefined;
    }

    submissionsIn(state: SubmissionState): SubmissionRow[] {
        return this.#db.prepare(`SELECT ${SUBMISSION_COLUMNS} FROM submissions WHERE state = ?`).all(state) as SubmissionRow[];
    }

    insertSubmission(row: Pick<SubmissionRow, 'id' | 'caller' | 'idempotencyKey' | 'fingerprint' | 'operation'>): void {
        this.#db
            .prepare('INSERT INTO submissions (id, caller, idempotency_key, fingerprint, operation, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
            .run(row.id, row.caller, row.idempotencyKey, row.fingerprint, row.operation, 'pending', Date.now());
    }

    /** Stores the endorsed transaction; resolves once it is on disk (fsync), grouped with others of the same turn. */
    markPrepared(id: string, transactionId: string, prepared: Uint8Array): Promise<void> {
        return new Promise((resolve, reject) => {
            this.#prepared.push({ id, transactionId, prepared: Buffer.from(prepared), resolve, reject });
            if (this.#prepared.length === 1) {
                setImmediate(() => {
                    this.#flushPrepared();
                });
            }
        });
    }

    #flushPrepared(): void {
        const group = this.#prepared.splice(0);
        const update = this.#db.prepare("UPDATE submissions SET state = 'prepared', transaction_id = ?, prepared = ? WHERE id = ?");
        try {
            this.#db.pragma('synchronous = FULL');
            this.#db.transaction(() => {
                for (const p of group) {
                    update.run(p.transactionId, p.prepared, p.id);
                }
            })();
            group.forEach((p) => {
                p.resolve();
            });
        } catch (err) {
            group.forEach((p) => {
                p.reject(err);
            });
        } finally {
            this.#db.pragma('synchronous = NORMAL');
        }
    }

    markDone(id: string, status: number, response: string): void {
        this.#db.prepare("UPDATE submissions SET state = 'done', status = ?, response = ? WHERE id = ?").run(status, response, id);
    }

    deleteSubmission(id: string): void {
        this.#db.prepare('DELETE FROM submissions WHERE id = ?').run(id);
    }

    subscription(caller: string, name: string): SubscriptionRow | undefined {
        return this.#db.prepare(`SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE caller = ? AND name = ?`).get(caller, name) as SubscriptionRow | undefined;
    }

    subscriptions(caller: string): SubscriptionRow[] {
        return this.#db.prepare(`SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE caller = ? ORDER BY name`).all(caller) as SubscriptionRow[];
    }

    putSubscription(row: Pick<SubscriptionRow, 'caller' | 'name' | 'chaincode' | 'events' | 'startBlock'>): void {
        this.#db
            .prepare('INSERT INTO subscriptions (caller, name, chaincode, events, start_block) VALUES (?, ?, ?, ?, ?)')
            .run(row.caller, row.name, row.chaincode, row.events, row.startBlock);
    }

    deleteSubscription(caller: string, name: string): boolean {
        return this.#db.prepare('DELETE FROM subscriptions WHERE caller = ? AND name = ?').run(caller, name).changes > 0;
    }

    acknowledge(caller: string, name: string, block: bigint, transactionId: string): void {
        this.#db.prepare('UPDATE subscriptions SET ack_block = ?, ack_transaction_id = ? WHERE caller = ? AND name = ?').run(block.toString(), transactionId, caller, name);
    }

    close(): void {
        this.#db.close();
    }
}
