import type { BatchMetadata } from './models';
import { digestBytes, MerkleTree } from './merkle';
import type { EvidenceReceipt } from './receipt';

/** Where a batch root landed on chain. */
export interface AnchoredBatch {
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

interface PendingItem {
    digest: string;
    resolve: (receipt: EvidenceReceipt) => void;
    reject: (reason: unknown) => void;
}

/**
 * Collects item digests and anchors one RFC 6962 root per batch, flushing on size or on time; every
 * item gets a receipt with its inclusion proof once its batch has committed. Several batches may be in
 * flight at once, so ingestion never waits for the ledger.
 * @example
 * const batcher = client.createBatcher({ metadata: { source: { type: 'app', id: 'video-service' } } });
 * const receipt = await batcher.add(digest);
 */
export class EvidenceBatcher {
    readonly #options: Readonly<Required<EvidenceBatcherOptions>>;
    #pending: PendingItem[] = [];
    #timer: NodeJS.Timeout | undefined;
    readonly #inFlight = new Set<Promise<void>>();
    #closed = false;

    /**
     * @param options - Anchor function, metadata and flush thresholds.
     * @throws {@link RangeError} for non-positive thresholds.
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
        return this.#pending.length;
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
        try {
            digestBytes(itemDigest, 'itemDigest');
        } catch (err) {
            return Promise.reject(err as Error);
        }
        return new Promise<EvidenceReceipt>((resolve, reject) => {
            this.#pending.push({ digest: itemDigest, resolve, reject });
            if (this.#pending.length >= this.#options.maxItems) {
                this.#startBatch();
            } else {
                this.#timer ??= setTimeout(() => this.#startBatch(), this.#options.maxDelayMs);
            }
        });
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

    #startBatch(): void {
        clearTimeout(this.#timer);
        this.#timer = undefined;
        const items = this.#pending;
        this.#pending = [];
        if (items.length === 0) {
            return;
        }
        const batch = this.#anchorBatch(items).finally(() => this.#inFlight.delete(batch));
        this.#inFlight.add(batch);
    }

    async #anchorBatch(items: PendingItem[]): Promise<void> {
        try {
            const tree = new MerkleTree(items.map((item) => item.digest));
            const anchored = await this.#options.anchor(tree.root, tree.size, this.#options.metadata);
            items.forEach((item, leafIndex) => {
                item.resolve({ itemDigest: item.digest, leafIndex, treeSize: tree.size, proof: tree.proof(leafIndex), root: tree.root, ...anchored });
            });
        } catch (err) {
            for (const item of items) {
                item.reject(err);
            }
        }
    }
}
