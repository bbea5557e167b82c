import { CertificateStatusCache } from './certificate-status-cache';
import type { CertificateStatusReport, FingerprintStatus } from './models';

const FP = 'ab'.repeat(32);
const OTHER = 'cd'.repeat(32);

function report(fingerprint: string, status: FingerprintStatus, notAfter?: string): CertificateStatusReport {
    return { fingerprint, status, trusted: status === 'active', checkedAt: '2026-01-01T00:00:00.000Z', notAfter };
}

describe('CertificateStatusCache', () => {
    let now: number;
    let answers: Map<string, FingerprintStatus>;
    let calls: string[];
    const lookup = (fingerprint: string): Promise<CertificateStatusReport> => {
        calls.push(fingerprint);
        return Promise.resolve(report(fingerprint, answers.get(fingerprint) ?? 'unknown'));
    };
    const newCache = (options: { ttlMillis?: number; unknownTtlMillis?: number; maxEntries?: number } = {}): CertificateStatusCache =>
        new CertificateStatusCache({ lookup, now: () => now, ttlMillis: 1000, ...options });

    beforeEach(() => {
        now = Date.UTC(2026, 0, 1);
        answers = new Map([[FP, 'active']]);
        calls = [];
    });

    it('reuses an answer for its TTL, then asks again', async () => {
        const cache = newCache();
        await expect(cache.isTrusted(FP)).resolves.toBe(true);
        answers.set(FP, 'revoked');
        now += 999;
        await expect(cache.isTrusted(FP)).resolves.toBe(true);
        now += 1;
        await expect(cache.isTrusted(FP)).resolves.toBe(false);
        expect(calls).toEqual([FP, FP]);
    });

    it("accepts Node's AB:CD:... fingerprints and asks the ledger in lower-case hex", async () => {
        const cache = newCache();
        const colons = FP.toUpperCase().match(/../g)?.join(':') ?? '';
        await expect(cache.status(colons)).resolves.toMatchObject({ status: 'active' });
        expect(calls).toEqual([FP]);
        expect(() => cache.cached('xyz')).toThrow(/not a SHA-256 fingerprint/);
    });

    it('does not keep unknown answers unless told to', async () => {
        const cache = newCache();
        await cache.status(OTHER);
        await cache.status(OTHER);
        expect(calls).toEqual([OTHER, OTHER]);
        const patient = newCache({ unknownTtlMillis: 500 });
        await patient.status(OTHER);
        await patient.status(OTHER);
        expect(calls).toHaveLength(3);
    });

    it('never reuses a trusted answer past the certificate notAfter', async () => {
        const cache = new CertificateStatusCache({
            lookup: (fp) => {
                calls.push(fp);
                return Promise.resolve(report(fp, 'active', new Date(now + 100).toISOString()));
            },
            ttlMillis: 60_000,
            now: () => now,
        });
        await cache.status(FP);
        now += 99;
        expect(cache.cached(FP)).toBeDefined();
        now += 1;
        expect(cache.cached(FP)).toBeUndefined();
    });

    it('forgets on invalidate and on status events, not on other events', async () => {
        const cache = newCache();
        await cache.status(FP);
        cache.invalidate(FP);
        expect(cache.cached(FP)).toBeUndefined();
        await cache.status(FP);
        expect(cache.handleEvent('DeviceRegistered', { fingerprint: FP })).toEqual([]);
        expect(cache.cached(FP)).toBeDefined();
        expect(cache.handleEvent('CertificateRotated', Buffer.from(JSON.stringify({ fingerprint: OTHER, previousFingerprint: FP })))).toEqual([OTHER, FP]);
        expect(cache.cached(FP)).toBeUndefined();
        expect(cache.handleEvent('CertificateSuspended', 'not json')).toEqual([]);
    });

    it('shares one query between concurrent checks and caches no failure', async () => {
        let release: (r: CertificateStatusReport) => void = () => undefined;
        let fail = true;
        const slow = new CertificateStatusCache({
            lookup: (fp) => {
                calls.push(fp);
                if (fail) {
                    return Promise.reject(new Error('down'));
                }
                return new Promise((resolve) => (release = resolve));
            },
            now: () => now,
        });
        await expect(slow.status(FP)).rejects.toThrow('down');
        fail = false;
        const both = Promise.all([slow.status(FP), slow.status(FP)]);
        release(report(FP, 'active'));
        await expect(both).resolves.toHaveLength(2);
        expect(calls).toEqual([FP, FP]);
        expect(slow.cached(FP)).toBeDefined();
    });

    it('does not store an answer that an invalidation overtook', async () => {
        let release: (r: CertificateStatusReport) => void = () => undefined;
        const cache = new CertificateStatusCache({ lookup: () => new Promise((resolve) => (release = resolve)), now: () => now });
        const pending = cache.status(FP);
        cache.invalidate(FP);
        release(report(FP, 'active'));
        await expect(pending).resolves.toMatchObject({ trusted: true });
        expect(cache.cached(FP)).toBeUndefined();
    });

    it('keeps at most maxEntries answers, dropping the oldest', async () => {
        const cache = newCache({ maxEntries: 2 });
        const fps = ['01', '02', '03'].map((b) => b.repeat(32));
        fps.forEach((fp) => answers.set(fp, 'active'));
        for (const fp of fps) {
            await cache.status(fp);
        }
        expect(cache.size).toBe(2);
        expect(cache.cached(fps[0] ?? '')).toBeUndefined();
        expect(cache.cached(fps[2] ?? '')).toBeDefined();
    });
});
