import type { CertificateStatusReport } from './models';
import { normalizeFingerprint } from './certificate-proof';

/** Asks the ledger about one fingerprint; {@link DeviceIdentityClient.statusLookup} gives one. */
export type CertificateStatusLookup = (fingerprint: string) => Promise<CertificateStatusReport>;

/** Options for {@link CertificateStatusCache}. */
export interface CertificateStatusCacheOptions {
    lookup: CertificateStatusLookup;
    /** How long an answer is reused (default 30 000 ms); 0 disables caching. */
    ttlMillis?: number;
    /**
     * How long an `unknown` answer is reused (default 0): a certificate registered a moment ago
     * should not stay refused for a whole TTL.
     */
    unknownTtlMillis?: number;
    /** Entries kept at most (default 10 000); the oldest go first. */
    maxEntries?: number;
    /** Clock, for tests. */
    now?: () => number;
}

interface Entry {
    report: CertificateStatusReport;
    expiresAt: number;
}

/** Chaincode events after which a fingerprint's cached answer is wrong. */
const STATUS_EVENTS = new Set(['CertificateSuspended', 'CertificateReinstated', 'CertificateRevoked', 'CertificateRotated']);

/**
 * Caches the chaincode's answers to "may I trust this certificate?" for a time-to-live, so that a
 * TLS handshake does not always wait for a ledger query. Revocation is not left to the TTL: feed
 * the chaincode's events to {@link CertificateStatusCache.handleEvent} (or call
 * {@link CertificateStatusCache.invalidate}) and the next check asks the ledger again. Lookup
 * failures are never cached, and concurrent checks of one fingerprint share one query.
 */
export class CertificateStatusCache {
    readonly #lookup: CertificateStatusLookup;
    readonly #ttlMillis: number;
    readonly #unknownTtlMillis: number;
    readonly #maxEntries: number;
    readonly #now: () => number;
    readonly #entries = new Map<string, Entry>();
    readonly #pending = new Map<string, Promise<CertificateStatusReport>>();
    #generation = 0;

    /** @param options - The lookup and the cache policy. */
    constructor(options: Readonly<CertificateStatusCacheOptions>) {
        this.#lookup = options.lookup;
        this.#ttlMillis = options.ttlMillis ?? 30_000;
        this.#unknownTtlMillis = options.unknownTtlMillis ?? 0;
        this.#maxEntries = options.maxEntries ?? 10_000;
        this.#now = options.now ?? Date.now;
    }

    /** Number of cached answers, fresh or stale. */
    get size(): number {
        return this.#entries.size;
    }

    /**
     * The status of a certificate: a fresh cached answer, or the ledger's.
     * @param fingerprint - SHA-256 fingerprint, hex or `AB:CD:…`.
     */
    async status(fingerprint: string): Promise<CertificateStatusReport> {
        const key = normalizeFingerprint(fingerprint);
        const cached = this.cached(key);
        if (cached) {
            return cached;
        }
        const pending = this.#pending.get(key);
        if (pending) {
            return pending;
        }
        const query = this.#query(key);
        this.#pending.set(key, query);
        try {
            return await query;
        } finally {
            // An invalidation may have replaced this query by a newer one; leave that one be.
            if (this.#pending.get(key) === query) {
                this.#pending.delete(key);
            }
        }
    }

    /** Whether the certificate is trusted now (the `trusted` field of its {@link CertificateStatusReport}). */
    async isTrusted(fingerprint: string): Promise<boolean> {
        return (await this.status(fingerprint)).trusted;
    }

    /** A fresh cached answer without asking the ledger, or undefined. */
    cached(fingerprint: string): CertificateStatusReport | undefined {
        const key = normalizeFingerprint(fingerprint);
        const entry = this.#entries.get(key);
        if (entry && entry.expiresAt > this.#now()) {
            return entry.report;
        }
        if (entry) {
            this.#entries.delete(key);
        }
        return undefined;
    }

    /** Forgets one fingerprint's answer, e.g. on a revocation event; a query already under way is not cached. */
    invalidate(fingerprint: string): void {
        const key = normalizeFingerprint(fingerprint);
        this.#entries.delete(key);
        if (this.#pending.delete(key)) {
            this.#generation += 1;
        }
    }

    /** Forgets everything, e.g. after reconnecting to the event stream. */
    clear(): void {
        this.#entries.clear();
        this.#pending.clear();
        this.#generation += 1;
    }

    /**
     * Applies a device identity chaincode event: status changes and rotations invalidate the
     * fingerprints they name. Other events are ignored.
     * @param eventName - The chaincode event name.
     * @param payload - Its JSON payload, as bytes, text or parsed.
     * @returns The fingerprints invalidated.
     */
    handleEvent(eventName: string, payload: Uint8Array | string | object): string[] {
        if (!STATUS_EVENTS.has(eventName)) {
            return [];
        }
        const body = parsePayload(payload);
        const named = [body.fingerprint, body.previousFingerprint].filter((f): f is string => typeof f === 'string' && f !== '');
        const invalidated = named.map(normalizeFingerprint);
        invalidated.forEach((fingerprint) => {
            this.invalidate(fingerprint);
        });
        return invalidated;
    }

    async #query(key: string): Promise<CertificateStatusReport> {
        const generation = this.#generation;
        const report = await this.#lookup(key);
        // An invalidation while the query ran may mean the answer is already stale: use it once, keep it not.
        if (generation === this.#generation) {
            this.#store(key, report);
        }
        return report;
    }

    #store(key: string, report: CertificateStatusReport): void {
        const ttl = report.status === 'unknown' ? this.#unknownTtlMillis : this.#ttlMillis;
        const now = this.#now();
        // A trusted answer is never reused past the certificate's own notAfter.
        const notAfter = report.trusted && report.notAfter ? Date.parse(report.notAfter) : Number.POSITIVE_INFINITY;
        const expiresAt = Math.min(now + ttl, notAfter);
        if (expiresAt <= now) {
            return;
        }
        this.#entries.delete(key);
        this.#entries.set(key, { report, expiresAt });
        while (this.#entries.size > this.#maxEntries) {
            const oldest = this.#entries.keys().next().value;
            if (oldest === undefined) {
                break;
            }
            this.#entries.delete(oldest);
        }
    }
}

function parsePayload(payload: Uint8Array | string | object): { fingerprint?: unknown; previousFingerprint?: unknown } {
    if (typeof payload === 'string' || payload instanceof Uint8Array) {
        const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
        try {
            return JSON.parse(text) as { fingerprint?: unknown };
        } catch {
            return {};
        }
    }
    return payload;
}
