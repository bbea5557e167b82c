import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The service's embedded store (SQLite through better-sqlite3: one file, synchronous writes that are durable when
 * they return, transactions; a LevelDB would need the same bookkeeping done by hand): submissions by idempotency key
 * with the endorsed transaction, and event subscriptions with their acknowledged checkpoints.
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

export class ServiceStore {
    readonly #db: Database.Database;

    constructor(file: string) {
        if (file !== ':memory:') {
            mkdirSync(dirname(file), { recursive: true });
        }
        this.#db = new Database(file);
        // WAL with synchronous=FULL: a row is on disk when the statement returns, so a crash right after cannot lose it.
        this.#db.pragma('journal_mode = WAL');
        this.#db.pragma('synchronous = FULL');
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

    markPrepared(id: string, transactionId: string, prepared: Uint8Array): void {
        this.#db.prepare("UPDATE submissions SET state = 'prepared', transaction_id = ?, prepared = ? WHERE id = ?").run(transactionId, Buffer.from(prepared), id);
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
