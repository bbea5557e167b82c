import { AlreadyExistsError, type EvidenceClient, type EvidenceReceipt, type EvidenceSource, hashFile, MerkleTree, RECEIPT_TREE_ALGORITHM } from '@edgetrust/gateway-sdk';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** What the agent reports as it works. */
export type AgentEvent =
    | { type: 'hashed'; path: string; digest: string; size: number }
    | { type: 'anchored'; batchId: string; files: number; transactionId: string; blockNumber: number }
    | { type: 'altered'; path: string; reason: string }
    | { type: 'backpressure'; waiting: number }
    | { type: 'error'; message: string };

export interface AgentOptions {
    folder: string;
    evidence: EvidenceClient;
    channel: string;
    chaincode: string;
    /** The agent's store (default `<folder>/.edgetrust-agent.db`). */
    storeFile?: string;
    /** A file is complete once its size and modification time stayed the same this long (default 2000 ms). */
    stableMs?: number;
    /** Time between scans (default 1000 ms). */
    scanIntervalMs?: number;
    /** Files per Merkle batch at most (default 500). */
    maxBatch?: number;
    /** Hashed files waiting for anchoring at most: past it the agent stops hashing new files (default 5000). */
    maxWaiting?: number;
    source?: EvidenceSource;
    onEvent?: (event: AgentEvent) => void;
}

/** Receipts are written beside each file under this suffix, and never watched themselves. */
export const RECEIPT_SUFFIX = '.edgetrust-receipt.json';

interface FileRow {
    path: string;
    size: number;
    mtimeMs: number;
    seenAt: number;
    state: 'seen' | 'hashed' | 'planned' | 'anchored';
    digest: string | null;
    batchId: string | null;
    leafIndex: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ms INTEGER NOT NULL, seen_at INTEGER NOT NULL,
    state TEXT NOT NULL, digest TEXT, batch_id TEXT, leaf_index INTEGER, receipt TEXT);
CREATE TABLE IF NOT EXISTS batches (id TEXT PRIMARY KEY, root TEXT NOT NULL, count INTEGER NOT NULL, state TEXT NOT NULL);`;
const FILE_COLUMNS = 'path, size, mtime_ms AS mtimeMs, seen_at AS seenAt, state, digest, batch_id AS batchId, leaf_index AS leafIndex';

/**
 * The edge evidence agent (WP 2.2.1): watches a folder, hashes each file (streaming) once it is complete, anchors the
 * digests in RFC 6962 Merkle batches and keeps a receipt per file, beside it and in its store.
 *
 * Exactly once across restarts: a batch is planned in the store (its id, root and leaves) before it is sent, and its
 * id is derived from its content, so a batch sent before a crash is sent again under the same id after it — the
 * chaincode answers ALREADY_EXISTS, the agent reads the batch back, checks the root and writes the receipts. Files
 * are scanned by polling (size and modification time stable for `stableMs`), which also sees files written over
 * network shares, where change notifications are unreliable. One batch is in flight at a time; while the network is
 * slow hashed files wait, and past `maxWaiting` the agent hashes no more until they are anchored.
 */
export class EvidenceAgent {
    readonly #options: Required<Omit<AgentOptions, 'onEvent'>> & Pick<AgentOptions, 'onEvent'>;
    readonly #db: Database.Database;
    #timer: NodeJS.Timeout | undefined;
    #cycle: Promise<void> = Promise.resolve();
    #stopped = false;

    constructor(options: Readonly<AgentOptions>) {
        this.#options = {
            storeFile: join(options.folder, '.edgetrust-agent.db'),
            stableMs: 2000,
            scanIntervalMs: 1000,
            maxBatch: 500,
            maxWaiting: 5000,
            source: { type: 'app', id: 'edgetrust-agent' },
            ...options,
        };
        this.#db = new Database(this.#options.storeFile);
        this.#db.pragma('journal_mode = WAL');
        this.#db.pragma('synchronous = FULL');
        this.#db.exec(SCHEMA);
    }

    /** Starts scanning; a planned batch left by an earlier run is sent first. */
    start(): void {
        const tick = (): void => {
            this.#cycle = this.cycle().then(
                () => undefined,
                (err: unknown) => this.#emit({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
            );
            void this.#cycle.then(() => {
                if (!this.#stopped) {
                    this.#timer = setTimeout(tick, this.#options.scanIntervalMs);
                }
            });
        };
        tick();
    }

    /** Stops after the current cycle and closes the store. */
    async stop(): Promise<void> {
        this.#stopped = true;
        clearTimeout(this.#timer);
        await this.#cycle;
        this.#db.close();
    }

    /** One scan, hashing of complete files and anchoring of what waits. */
    async cycle(): Promise<void> {
        await this.#sendPlanned();
        await this.#scan();
        while (!this.#stopped && this.#plan()) {
            await this.#sendPlanned();
        }
    }

    /** Counts by state, for progress reports and tests. */
    counts(): Record<string, number> {
        const rows = this.#db.prepare('SELECT state, COUNT(*) AS n FROM files GROUP BY state').all() as Array<{ state: string; n: number }>;
        return Object.fromEntries(rows.map((r) => [r.state, r.n]));
    }

    /** The stored receipt of a file (path relative to the folder). */
    receipt(path: string): EvidenceReceipt | undefined {
        const row = this.#db.prepare('SELECT receipt FROM files WHERE path = ?').get(path) as { receipt: string | null } | undefined;
        return row?.receipt ? (JSON.parse(row.receipt) as EvidenceReceipt) : undefined;
    }

    #emit(event: AgentEvent): void {
        this.#options.onEvent?.(event);
    }

    async #scan(): Promise<void> {
        const now = Date.now();
        const waiting = (): number => (this.#db.prepare("SELECT COUNT(*) AS n FROM files WHERE state = 'hashed'").get() as { n: number }).n;
        for (const path of await listFiles(this.#options.folder)) {
            const rel = relative(this.#options.folder, path);
            const info = await stat(path).catch(() => undefined);
            if (!info) {
                continue;
            }
            const row = this.#stableRow(rel, info.size, Math.trunc(info.mtimeMs), now);
            if (!row) {
                continue;
            }
            const queued = waiting();
            if (queued >= this.#options.maxWaiting) {
                this.#emit({ type: 'backpressure', waiting: queued });
                return;
            }
            const { digest, size } = await hashFile(path);
            const after = await stat(path);
            if (after.size !== info.size || Math.trunc(after.mtimeMs) !== row.mtimeMs) {
                continue; // written to while being hashed: not complete yet
            }
            this.#db.prepare("UPDATE files SET state = 'hashed', digest = ? WHERE path = ? AND state = 'seen'").run(digest, rel);
            this.#emit({ type: 'hashed', path: rel, digest, size });
        }
    }

    /**
     * The file's row when it has stayed unchanged for `stableMs` and is not hashed yet; otherwise records what it
     * saw (a new size or time restarts the wait) and reports an anchored file that changed.
     */
    #stableRow(rel: string, size: number, mtimeMs: number, now: number): FileRow | undefined {
        const row = this.#db.prepare(`SELECT ${FILE_COLUMNS} FROM files WHERE path = ?`).get(rel) as FileRow | undefined;
        const changed = !row || row.size !== size || row.mtimeMs !== mtimeMs;
        if (row && row.state !== 'seen') {
            if (changed && row.state === 'anchored') {
                this.#emit({ type: 'altered', path: rel, reason: 'size or modification time changed after anchoring; verify it against its receipt' });
            }
            return undefined;
        }
        if (changed) {
            this.#db
                .prepare("INSERT INTO files (path, size, mtime_ms, seen_at, state) VALUES (?, ?, ?, ?, 'seen') ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, seen_at = excluded.seen_at")
                .run(rel, size, mtimeMs, now);
            return undefined;
        }
        return now - row.seenAt < this.#options.stableMs ? undefined : row;
    }

    /** Plans the next batch of hashed files; false when none wait. */
    #plan(): boolean {
        const rows = this.#db.prepare(`SELECT ${FILE_COLUMNS} FROM files WHERE state = 'hashed' ORDER BY path LIMIT ?`).all(this.#options.maxBatch) as FileRow[];
        if (rows.length === 0) {
            return false;
        }
        const tree = new MerkleTree(rows.map((r) => r.digest ?? ''));
        // The id depends on the batch's content only, so that sending it again after a crash names the same batch.
        const batchId = `agent-${createHash('sha256').update(tree.root).update(rows.map((r) => r.path).join('\n')).digest('hex').slice(0, 40)}`;
        this.#db.transaction(() => {
            this.#db.prepare("INSERT INTO batches (id, root, count, state) VALUES (?, ?, ?, 'planned')").run(batchId, tree.root, rows.length);
            const mark = this.#db.prepare("UPDATE files SET state = 'planned', batch_id = ?, leaf_index = ? WHERE path = ?");
            rows.forEach((r, i) => mark.run(batchId, i, r.path));
        })();
        return true;
    }

    async #sendPlanned(): Promise<void> {
        const batch = this.#db.prepare("SELECT id, root, count FROM batches WHERE state = 'planned' LIMIT 1").get() as { id: string; root: string; count: number } | undefined;
        if (!batch) {
            return;
        }
        const files = this.#db.prepare(`SELECT ${FILE_COLUMNS} FROM files WHERE batch_id = ? ORDER BY leaf_index`).all(batch.id) as FileRow[];
        const tree = new MerkleTree(files.map((f) => f.digest ?? ''));
        let where: { transactionId: string; blockNumber: bigint };
        try {
            const { transactionId, blockNumber } = await this.#options.evidence.anchorBatch(batch.root, batch.count, { batchId: batch.id, name: `agent batch of ${batch.count} files`, source: this.#options.source });
            where = { transactionId, blockNumber };
        } catch (err) {
            if (!(err instanceof AlreadyExistsError)) {
                throw err;
            }
            // Sent before a restart: the ledger has it. Its root must be ours, or the id was taken by someone else.
            const onChain = await this.#options.evidence.readBatch(batch.id);
            if (onChain.root !== batch.root || onChain.count !== batch.count) {
                throw new Error(`batch ${batch.id} on chain has another root`);
            }
            where = { transactionId: onChain.txId, blockNumber: -1n };
        }
        await this.#complete(batch.id, tree, files, where);
    }

    async #complete(batchId: string, tree: MerkleTree, files: readonly FileRow[], where: { transactionId: string; blockNumber: bigint }): Promise<void> {
        const receipts = files.map((f, i): EvidenceReceipt => ({
            algorithm: RECEIPT_TREE_ALGORITHM,
            channel: this.#options.channel,
            chaincode: this.#options.chaincode,
            itemDigest: f.digest ?? '',
            leafIndex: i,
            treeSize: files.length,
            proof: tree.proof(i),
            root: tree.root,
            batchId,
            transactionId: where.transactionId,
            blockNumber: where.blockNumber,
        }));
        const text = (r: EvidenceReceipt): string => `${JSON.stringify({ ...r, blockNumber: Number(r.blockNumber) }, null, 2)}\n`;
        for (const [i, f] of files.entries()) {
            const receipt = receipts[i];
            if (receipt) {
                await writeFile(join(this.#options.folder, f.path + RECEIPT_SUFFIX), text(receipt));
            }
        }
        this.#db.transaction(() => {
            const mark = this.#db.prepare("UPDATE files SET state = 'anchored', receipt = ? WHERE path = ?");
            files.forEach((f, i) => mark.run(text(receipts[i] as EvidenceReceipt), f.path));
            this.#db.prepare("UPDATE batches SET state = 'anchored' WHERE id = ?").run(batchId);
        })();
        this.#emit({ type: 'anchored', batchId, files: files.length, transactionId: where.transactionId, blockNumber: Number(where.blockNumber) });
    }
}

/** Every regular file under a folder, except the agent's own store and receipts. */
async function listFiles(folder: string): Promise<string[]> {
    const found: string[] = [];
    for (const entry of await readdir(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.name.startsWith('.edgetrust-agent') || entry.name.endsWith(RECEIPT_SUFFIX)) {
            continue;
        }
        if (entry.isDirectory()) {
            found.push(...(await listFiles(path)));
        } else if (entry.isFile()) {
            found.push(path);
        }
    }
    return found.sort();
}
