import { MAX_STATUS_CHECKS } from '@edgetrust/schemas';
import { EdgeTrustError } from '../errors';
import type { CertificateStatusReport } from './models';

/*
 * Concurrent status checks in one query. Each CheckCertificate is a proposal of its own: signed by the client,
 * checked and endorsed (signed again) by the peer, answered over gRPC; the chaincode's work is two state reads.
 * A TLS server accepting a burst of devices, or a gateway checking for many, pays that per check. The batcher
 * holds the checks asked within one turn of the event loop (or a short window) and sends them as one
 * CheckCertificates query, then hands each caller the report of its own fingerprint. Written here rather than with
 * DataLoader, which batches the same way for GraphQL: its per-key cache would have to be switched off (the status
 * cache is the cache, with its invalidation by chaincode events), the answer must be checked against the question,
 * and what remains is a queue and a timer.
 */

/** How concurrent status checks are coalesced into CheckCertificates queries. */
export interface StatusBatchingOptions {
    /**
     * Most distinct fingerprints in one query (default and most {@link MAX_STATUS_CHECKS}); a batch that fills up is
     * sent at once.
     */
    maxBatchSize?: number;
    /**
     * How long the first check of a batch waits for others, in milliseconds (default 0: the checks asked in the
     * same turn of the event loop, which delays a lone check by no timer at all).
     */
    windowMillis?: number;
}

/** Asks the ledger about several fingerprints at once: one report per fingerprint, in order. */
export type StatusBatchQuery = (fingerprints: readonly string[]) => Promise<CertificateStatusReport[]>;

interface Waiter {
    resolve(report: CertificateStatusReport): void;
    reject(error: unknown): void;
}

/**
 * Coalesces status checks of one client into batch queries. A check's answer is exactly the report the chaincode
 * gives its fingerprint; a query that fails fails every check it carried, with the query's error (a fingerprint the
 * chaincode would refuse never gets this far: it is checked by the caller first).
 */
export class StatusCheckBatcher {
    readonly #query: StatusBatchQuery;
    readonly #maxBatchSize: number;
    readonly #windowMillis: number;
    #waiting = new Map<string, Waiter[]>();
    #scheduled = false;

    /**
     * @param query - Sends one CheckCertificates query.
     * @param options - Batch size and window.
     */
    constructor(query: StatusBatchQuery, options: Readonly<StatusBatchingOptions> = {}) {
        const maxBatchSize = options.maxBatchSize ?? MAX_STATUS_CHECKS;
        if (!Number.isSafeInteger(maxBatchSize) || maxBatchSize < 1 || maxBatchSize > MAX_STATUS_CHECKS) {
            throw new RangeError(`maxBatchSize must be an integer from 1 to ${String(MAX_STATUS_CHECKS)}`);
        }
        this.#query = query;
        this.#maxBatchSize = maxBatchSize;
        this.#windowMillis = Math.max(0, options.windowMillis ?? 0);
    }

    /**
     * The status of one certificate, asked together with the other checks of this turn.
     * @param fingerprint - Lower-case hex SHA-256 (normalized by the caller).
     */
    check(fingerprint: string): Promise<CertificateStatusReport> {
        return new Promise((resolve, reject) => {
            const waiters = this.#waiting.get(fingerprint);
            if (waiters) {
                waiters.push({ resolve, reject });
                return;
            }
            this.#waiting.set(fingerprint, [{ resolve, reject }]);
            if (this.#waiting.size >= this.#maxBatchSize) {
                this.#flush();
            } else if (!this.#scheduled) {
                this.#scheduled = true;
                const flush = (): void => {
                    this.#flush();
                };
                if (this.#windowMillis === 0) {
                    setImmediate(flush);
                } else {
                    setTimeout(flush, this.#windowMillis);
                }
            }
        });
    }

    #flush(): void {
        const batch = this.#waiting;
        // A full batch flushed early leaves its timer behind; that timer then sends whatever came after.
        this.#scheduled = false;
        if (batch.size === 0) {
            return;
        }
        this.#waiting = new Map();
        const fingerprints = [...batch.keys()];
        this.#query(fingerprints).then(
            (reports) => {
                deliver(batch, fingerprints, reports);
            },
            (error: unknown) => {
                for (const waiters of batch.values()) {
                    waiters.forEach((waiter) => {
                        waiter.reject(error);
                    });
                }
            },
        );
    }
}

/** Hands each waiter its fingerprint's report; an answer that does not match the question fails them all. */
function deliver(batch: ReadonlyMap<string, Waiter[]>, fingerprints: readonly string[], reports: readonly CertificateStatusReport[]): void {
    const mismatch = reports.length !== fingerprints.length || reports.some((report, i) => report.fingerprint !== fingerprints[i]);
    for (const [i, fingerprint] of fingerprints.entries()) {
        const report = reports[i];
        for (const waiter of batch.get(fingerprint) ?? []) {
            if (mismatch || report === undefined) {
                waiter.reject(
                    new EdgeTrustError({ code: 'UNEXPECTED_RESPONSE', message: `CheckCertificates answered ${String(reports.length)} reports for ${String(fingerprints.length)} fingerprints, or not in order` }),
                );
            } else {
                waiter.resolve(report);
            }
        }
    }
}
