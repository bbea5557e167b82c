import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PreparedJournal } from './prepared-journal';

/**
 * The service's embedded store (SQLite through better-sqlite3: one file, transactions, a unique index for the
 * idempotency keys; a LevelDB would need the same bookkeeping done by hand): submissions by idempotency key with the
 * endorsed transaction, and event subscriptions with their acknowledged checkpoints.
 *
 * Durability: WAL with `synchronous=NORMAL` survives a crash of the service (the write is in the OS before the
 * statement returns) but not a power cut. The one write that must survive a power cut too — the endorsed transaction,
 * stored before it is sent — also goes to the prepared journal (prepared-journal.ts: its own file, fsynced by a
 * worker thread, group commit), and the transaction is sent only once it is there. At start, the journal's entries
 * that the store lost or did not mark prepared are put back as prepared. A lost `done` is harmless: the submission
 * stays prepared and its transaction is sent again, which commits nothing new.
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
    /** Each statement compiled once: compiling costs about as much as running one. */
    readonly #statements = new Map<string, Database.Statement>();
    /** Absent for an in-memory store, which no restart outlives. */
    readonly #journal: PreparedJournal | undefined;

    constructor(file: string) {
        if (file !== ':memory:') {
            mkdirSync(dirname(file), { recursive: true });
            this.#journal = new PreparedJournal(`${file}-prepared`);
        }
        this.#db = new Database(file);
        this.#db.pragma('journal_mode = WAL');
        this.#db.pragma('synchronous = NORMAL');
        this.#db.exec(SCHEMA);
        this.#recoverJournal();
    }

    #statement(sql: string): Database.Statement {
        let statement = this.#statements.get(sql);
        if (!statement) {
            statement = this.#db.prepare(sql);
            this.#statements.set(sql, statement);
        }
        return statement;
    }

    /** Endorsed transactions the journal holds but the store lost (a power cut) become prepared submissions again. */
    #recoverJournal(): void {
        for (const entry of this.#journal?.entries() ?? []) {
            const row = this.submissionById(entry.id);
            if (row?.state === 'done') {
                this.#journal?.forget(entry.id);
            } else if (row === undefined) {
                this.#db
                    .prepare('INSERT INTO submissions (id, caller, idempotency_key, fingerprint, operation, state, transaction_id, prepared, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
                    .run(entry.id, entry.caller, entry.idempotencyKey, entry.fingerprint, entry.operation, 'prepared', entry.transactionId, entry.prepared, Date.now());
            } else if (row.state === 'pending') {
                this.#statement("UPDATE submissions SET state = 'prepared', transaction_id = ?, prepared = ? WHERE id = ?").run(entry.transactionId, entry.prepared, entry.id);
            }
        }
    }

    submissionByKey(caller: string, key: string): SubmissionRow | undefined {
        return this.#statement(`SELECT ${SUBMISSION_COLUMNS} FROM submissions WHERE caller = ? AND idempotency_key = ?`).get(caller, key) as SubmissionRow | undefined;
    }

    submission(caller: string, id: string): SubmissionRow | undefined {
        return this.#statement(`SELECT ${SUBMISSION_COLUMNS} FROM submissions WHERE caller = ? AND id = ?`).get(caller, id) as SubmissionRow | undefined;
    }

    submissionById(id: string): SubmissionRow | undefined {
        return this.#statement(`SELECT ${SUBMISSION_COLUMNS} FROM submissions WHERE id = ?`).get(id) as SubmissionRow | undefined;
    }

    submissionsIn(state: SubmissionState): SubmissionRow[] {
        return this.#statement(`SELECT ${SUBMISSION_COLUMNS} FROM submissions WHERE state = ?`).all(state) as SubmissionRow[];
    }

    insertSubmission(row: Pick<SubmissionRow, 'id' | 'caller' | 'idempotencyKey' | 'fingerprint' | 'operation'>): void {
        this.#statement('INSERT INTO submissions (id, caller, idempotency_key, fingerprint, operation, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
            .run(row.id, row.caller, row.idempotencyKey, row.fingerprint, row.operation, 'pending', Date.now());
    }

    /** Stores the endorsed transaction; resolves once it is on disk (the prepared journal's fsync). */
    async markPrepared(id: string, transactionId: string, prepared: Uint8Array): Promise<void> {
        const bytes = Buffer.from(prepared);
        this.#statement("UPDATE submissions SET state = 'prepared', transaction_id = ?, prepared = ? WHERE id = ?").run(transactionId, bytes, id);
        const row = this.submissionById(id);
        if (this.#journal && row) {
            await this.#journal.put({ id, caller: row.caller, idempotencyKey: row.idempotencyKey, fingerprint: row.fingerprint, operation: row.operation, transactionId, prepared: bytes });
        }
    }

    markDone(id: string, status: number, response: string): void {
        this.#statement("UPDATE submissions SET state = 'done', status = ?, response = ? WHERE id = ?").run(status, response, id);
        this.#journal?.forget(id);
    }

    deleteSubmission(id: string): void {
        this.#statement('DELETE FROM submissions WHERE id = ?').run(id);
        this.#journal?.forget(id);
    }

    subscription(caller: string, name: string): SubscriptionRow | undefined {
        return this.#statement(`SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE caller = ? AND name = ?`).get(caller, name) as SubscriptionRow | undefined;
    }

    subscriptions(caller: string): SubscriptionRow[] {
        return this.#statement(`SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE caller = ? ORDER BY name`).all(caller) as SubscriptionRow[];
    }

    putSubscription(row: Pick<SubscriptionRow, 'caller' | 'name' | 'chaincode' | 'events' | 'startBlock'>): void {
        this.#statement('INSERT INTO subscriptions (caller, name, chaincode, events, start_block) VALUES (?, ?, ?, ?, ?)')
            .run(row.caller, row.name, row.chaincode, row.events, row.startBlock);
    }

    deleteSubscription(caller: string, name: string): boolean {
        return this.#statement('DELETE FROM subscriptions WHERE caller = ? AND name = ?').run(caller, name).changes > 0;
    }

    acknowledge(caller: string, name: string, block: bigint, transactionId: string): void {
        this.#statement('UPDATE subscriptions SET ack_block = ?, ack_transaction_id = ? WHERE caller = ? AND name = ?').run(block.toString(), transactionId, caller, name);
    }

    close(): void {
        this.#journal?.close();
        this.#db.close();
    }
}
