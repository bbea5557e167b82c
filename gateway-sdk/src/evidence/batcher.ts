import type { BatchMetadata } from './models';
import { decodeDigestInto, MerkleTree, notADigest } from './merkle';
import { type EvidenceReceipt, RECEIPT_TREE_ALGORITHM } from './receipt';

/** Where a batch root landed on chain. */
export interface AnchoredBatch {
    /** The channel and chaincode that anchored it, named in every receipt. */
    channel: string;
    chaincode: string;
    batchId: string;
    transactionId: string;
    blockNumber: bigint;
}

/** Anchors one root; `EvidenceClient.createBatcher` supplies one that calls AnchorBatch. */
export type BatchAnchorer = (root: string, count: number, metadata: BatchMetadata) => Promise<AnchoredBatch>;

/** Options of an {@link EvidenceBatcher}. */
export interface EvidenceBatcherOptions {
    anchor: BatchAnchorer;
    /** Metadata of every batch (without batchId: each batch's id is its transaction id). */
    metadata: Omit<BatchMetadata, 'batchId'>;
    /** Anchor as soon as this many digests wait. Default 10,000. */
    maxItems?: number;
    /** Anchor at the latest this long after the first digest of a batch arrived. Default 1,000 ms. */
    maxDelayMs?: number;
}

const HASH_BYTES = 32;
const INITIAL_CAPACITY = 4096;

/** A batch's tree once its root has committed: makes the receipts of its items. */
class CommittedBatch {
    readonly #tree: MerkleTree;
    readonly #digests: readonly string[];
    readonly #root: string;
    readonly #where: AnchoredBatch;

    constructor(tree: MerkleTree, digests: readonly string[], where: AnchoredBatch) {
        this.#tree = tree;
        this.#digests = digests;
        this.#root = tree.root;
        this.#where = where;
    }

    receipt(leafIndex: number): EvidenceReceipt {
        const { channel, chaincode, batchId, transactionId, blockNumber } = this.#where;
        return {
            algorithm: RECEIPT_TREE_ALGORITHM,
            channel,
            chaincode,
            itemDigest: this.#digests[leafIndex] ?? '',
            leafIndex,
            treeSize: this.#digests.length,
            proof: this.#tree.proof(leafIndex),
            root: this.#root,
            batchId,
            transactionId,
            blockNumber,
        };
    }

    receipts(first: number, count: number): EvidenceReceipt[] {
        const receipts = new Array<EvidenceReceipt>(count);
        for (let i = 0; i < count; i += 1) {
            receipts[i] = this.receipt(first + i);
        }
        return receipts;
    }
}

/**
 * The digests of one batch as they arrive: hex for the receipts, and packed 32 bytes each for the tree,
 * so each digest is checked and decoded once. Every item waits on the batch's single promise.
 */
class OpenBatch {
    readonly digests: string[] = [];
    readonly committed: Promise<CommittedBatch>;
    #packed: Buffer;
    #settle: { resolve: (batch: CommittedBatch) => void; reject: (reason: unknown) => void } | undefined;

    constructor(capacity: number) {
        this.#packed = Buffer.allocUnsafe(capacity * HASH_BYTES);
        this.committed = new Promise<CommittedBatch>((resolve, reject) => {
            this.#settle = { resolve, reject };
        });
    }

    get size(): number {
        return this.digests.length;
    }

    /** Appends one digest, checked and decoded in one pass; its leaf index, or -1 (nothing added) when malformed. */
    append(digest: string): number {
        const leafIndex = this.digests.length;
        this.#reserve(leafIndex + 1);
        if (!decodeDigestInto(digest, this.#packed, leafIndex * HASH_BYTES)) {
            return -1;
        }
        this.digests.push(digest);
        return leafIndex;
    }

    /** Appends `count` digests from `from` on, whose bytes the caller has already decoded into `packed` (same indexes). */
    appendDecoded(digests: readonly string[], packed: Buffer, from: number, count: number): void {
        this.#reserve(this.digests.length + count);
        packed.copy(this.#packed, this.digests.length * HASH_BYTES, from * HASH_BYTES, (from + count) * HASH_BYTES);
        for (let i = from; i < from + count; i += 1) {
            this.digests.push(digests[i] ?? '');
        }
    }

    tree(): MerkleTree {
        return new MerkleTree(this.#packed.subarray(0, this.size * HASH_BYTES));
    }

    resolve(batch: CommittedBatch): void {
        this.#settle?.resolve(batch);
    }

    reject(reason: unknown): void {
        this.#settle?.reject(reason);
    }

    #reserve(count: number): void {
        if (count * HASH_BYTES > this.#packed.length) {
            const grown = Buffer.allocUnsafe(Math.max(count, (2 * this.#packed.length) / HASH_BYTES) * HASH_BYTES);
            this.#packed.copy(grown);
            this.#packed = grown;
        }
    }
}

/**
 * Collects item digests and anchors one RFC 6962 root per batch, flushing on size or on time; every
 * item gets a receipt with its inclusion proof once its batch has committed. Several batches may be in
 * flight at once, so ingestion never waits for the ledger.
 * @example
 * const batcher = client.createBatcher({ metadata: { source: { type: 'app', id: 'video-service' } } });
 * const receipt = await batcher.add(digest);
 * const receipts = await batcher.addMany(moreDigests); // one promise for many items: cheaper at high rates
 */
export class EvidenceBatcher {
    readonly #options: Readonly<Required<EvidenceBatcherOptions>>;
    #open: OpenBatch | undefined;
    #timer: NodeJS.Timeout | undefined;
    readonly #inFlight = new Set<Promise<void>>();
    #closed = false;

    /**
     * @param options - Anchor function, metadata and flush thresholds.
     * @throws RangeError for non-positive thresholds.
     */
    constructor(options: Readonly<EvidenceBatcherOptions>) {
        const resolved = { maxItems: 10_000, maxDelayMs: 1000, ...options };
        if (!(resolved.maxItems >= 1) || !(resolved.maxDelayMs >= 0)) {
            throw new RangeError('maxItems must be at least 1 and maxDelayMs not negative');
        }
        this.#options = resolved;
    }

    /** Digests waiting for the next flush. */
    get pending(): number {
        return this.#open?.size ?? 0;
    }

    /**
     * Adds one item digest.
     * @param itemDigest - SHA-256 of the item, hex.
     * @returns The item's receipt, once its batch root has committed; rejects if that anchor failed.
     */
    add(itemDigest: string): Promise<EvidenceReceipt> {
        if (this.#closed) {
            return Promise.reject(new Error('the batcher is closed'));
        }
        const batch = this.#openBatch();
        const leafIndex = batch.append(itemDigest);
        if (leafIndex < 0) {
            return Promise.reject(notADigest(itemDigest, 'itemDigest'));
        }
        const receipt = batch.committed.then((committed) => committed.receipt(leafIndex));
        this.#afterAdding(batch);
        return receipt;
    }

    /**
     * Adds many item digests at once, in order; they may span several batches. All or none are added.
     * @param itemDigests - SHA-256 of each item, hex.
     * @returns The items' receipts in the same order, once every batch involved has committed; rejects
     *   if one of those anchors failed, or (adding nothing) if a digest is malformed.
     */
    addMany(itemDigests: readonly string[]): Promise<EvidenceReceipt[]> {
        if (this.#closed) {
            return Promise.reject(new Error('the batcher is closed'));
        }
        // Decoding everything first checks every digest before any is added.
        const packed = Buffer.allocUnsafe(itemDigests.length * HASH_BYTES);
        const bad = itemDigests.findIndex((digest, i) => !decodeDigestInto(digest, packed, i * HASH_BYTES));
        if (bad >= 0) {
            return Promise.reject(notADigest(itemDigests[bad], `itemDigests[${String(bad)}]`));
        }
        const parts: Promise<EvidenceReceipt[]>[] = [];
        for (let next = 0; next < itemDigests.length; ) {
            const batch = this.#openBatch();
            const first = batch.size;
            const count = Math.min(itemDigests.length - next, Math.ceil(this.#options.maxItems) - first);
            batch.appendDecoded(itemDigests, packed, next, count);
            parts.push(batch.committed.then((committed) => committed.receipts(first, count)));
            next += count;
            this.#afterAdding(batch);
        }
        return parts.length === 1 ? (parts[0] as Promise<EvidenceReceipt[]>) : Promise.all(parts).then((receipts) => receipts.flat());
    }

    /** Anchors what is waiting now and waits for every batch in flight. */
    async flush(): Promise<void> {
        this.#startBatch();
        await Promise.allSettled([...this.#inFlight]);
    }

    /** Flushes, then refuses further digests. */
    async close(): Promise<void> {
        this.#closed = true;
        await this.flush();
    }

    #openBatch(): OpenBatch {
        this.#open ??= new OpenBatch(Math.min(this.#options.maxItems, INITIAL_CAPACITY));
        return this.#open;
    }

    #afterAdding(batch: OpenBatch): void {
        if (batch.size >= this.#options.maxItems) {
            this.#startBatch();
        } else {
            this.#timer ??= setTimeout(() => this.#startBatch(), this.#options.maxDelayMs);
        }
    }

    #startBatch(): void {
        clearTimeout(this.#timer);
        this.#timer = undefined;
        const batch = this.#open;
        this.#open = undefined;
        if (batch === undefined || batch.size === 0) {
            return;
        }
        const anchoring = this.#anchorBatch(batch).finally(() => this.#inFlight.delete(anchoring));
        this.#inFlight.add(anchoring);
    }

    async #anchorBatch(batch: OpenBatch): Promise<void> {
        try {
            const tree = batch.tree();
            const anchored = await this.#options.anchor(tree.root, tree.size, this.#options.metadata);
            batch.resolve(new CommittedBatch(tree, batch.digests, anchored));
        } catch (err) {
            batch.reject(err);
        }
    }
}
