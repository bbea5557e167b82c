import { Metadata, status } from '@grpc/grpc-js';
import { GatewayError, type Contract, type ProposalOptions } from '@hyperledger/fabric-gateway';
import { EdgeTrustError, InvalidArgumentError } from '../errors';
import { CertificateStatusCache } from './certificate-status-cache';
import { DeviceIdentityClient, type DeviceIdentityClientOptions } from './device-identity-client';
import type { CertificateStatusReport } from './models';

interface Call {
    name: string;
    fingerprints: string[];
}

const fp = (c: string): string => c.repeat(64);

function report(fingerprint: string): CertificateStatusReport {
    return { fingerprint, status: fingerprint === fp('0') ? 'unknown' : 'active', trusted: fingerprint !== fp('0'), checkedAt: '2026-12-01T00:00:00.000Z' };
}

/** A Contract answering CheckCertificate and CheckCertificates as the chaincode does, recording every query. */
function fakeContract(answer: (fingerprints: string[]) => unknown = (fingerprints) => ({ reports: fingerprints.map(report) })): { contract: Contract; calls: Call[] } {
    const calls: Call[] = [];
    const contract = {
        evaluate: (name: string, options: ProposalOptions = {}) =>
            Promise.resolve().then(() => {
                const args = (options.arguments ?? []).map(String);
                const fingerprints = name === 'CheckCertificates' ? (JSON.parse(args[0] ?? '{}') as { fingerprints: string[] }).fingerprints : args;
                calls.push({ name, fingerprints });
                const value = name === 'CheckCertificates' ? answer(fingerprints) : report(args[0] ?? '');
                if (value instanceof Error) {
                    throw value;
                }
                return Buffer.from(JSON.stringify(value));
            }),
    } as unknown as Contract;
    return { contract, calls };
}

function client(options?: DeviceIdentityClientOptions, answer?: (fingerprints: string[]) => unknown): { identity: DeviceIdentityClient; calls: Call[] } {
    const { contract, calls } = fakeContract(answer);
    return { identity: new DeviceIdentityClient(contract, options), calls };
}

describe('status checks coalesced into CheckCertificates', () => {
    it('sends the checks of one turn as one query of distinct fingerprints and answers each with its own report', async () => {
        const { identity, calls } = client();
        const asked = [fp('a'), fp('b'), 'AA:'.repeat(31) + 'AA', fp('0'), fp('b')];
        const reports = await Promise.all(asked.map((f) => identity.checkCertificate(f)));
        expect(calls).toEqual([{ name: 'CheckCertificates', fingerprints: [fp('a'), fp('b'), fp('0')] }]);
        expect(reports.map((r) => [r.fingerprint, r.trusted])).toEqual([
            [fp('a'), true],
            [fp('b'), true],
            [fp('a'), true],
            [fp('0'), false],
            [fp('b'), true],
        ]);
    });

    it('gives the same answers as one CheckCertificate per check', async () => {
        const asked = [fp('a'), fp('0'), fp('c')];
        const batched = client();
        const single = client({ statusBatching: false });
        const a = await Promise.all(asked.map((f) => batched.identity.checkCertificate(f)));
        const b = await Promise.all(asked.map((f) => single.identity.checkCertificate(f)));
        expect(a).toEqual(b);
        expect(single.calls.map((c) => c.name)).toEqual(['CheckCertificate', 'CheckCertificate', 'CheckCertificate']);
        expect(batched.calls.map((c) => c.name)).toEqual(['CheckCertificates']);
    });

    it('sends a batch as soon as it is full', async () => {
        const { identity, calls } = client({ statusBatching: { maxBatchSize: 2 } });
        await Promise.all(['1', '2', '3', '4', '5'].map((c) => identity.checkCertificate(fp(c))));
        expect(calls.map((c) => c.fingerprints.length)).toEqual([2, 2, 1]);
    });

    it('refuses a batch size the chaincode would refuse', () => {
        expect(() => client({ statusBatching: { maxBatchSize: 201 } })).toThrow(RangeError);
        expect(() => client({ statusBatching: { maxBatchSize: 0 } })).toThrow(RangeError);
    });

    it('fails a malformed fingerprint alone, before any query', async () => {
        const { identity, calls } = client();
        const results = await Promise.allSettled([identity.checkCertificate(fp('a')), identity.checkCertificate('nope'), identity.checkCertificate(fp('c'))]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(InvalidArgumentError);
        expect(calls).toEqual([{ name: 'CheckCertificates', fingerprints: [fp('a'), fp('c')] }]);
    });

    it('fails every check of a failed query with its typed error, and the next batch asks again', async () => {
        let fail = true;
        const failure = new GatewayError({
            code: status.UNAVAILABLE,
            details: [],
            cause: Object.assign(new Error('unavailable'), { code: status.UNAVAILABLE, details: '', metadata: new Metadata() }),
            message: '14 UNAVAILABLE: no peer',
        });
        const { identity, calls } = client(undefined, (fingerprints) => (fail ? failure : { reports: fingerprints.map(report) }));
        const results = await Promise.allSettled([identity.checkCertificate(fp('a')), identity.checkCertificate(fp('b'))]);
        expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
        for (const result of results) {
            expect((result as PromiseRejectedResult).reason).toBeInstanceOf(EdgeTrustError);
        }
        fail = false;
        await expect(identity.checkCertificate(fp('a'))).resolves.toMatchObject({ fingerprint: fp('a'), trusted: true });
        expect(calls).toHaveLength(2);
    });

    it('refuses an answer that does not match the question', async () => {
        const { identity } = client(undefined, (fingerprints) => ({ reports: [...fingerprints].reverse().map(report) }));
        const results = await Promise.allSettled([identity.checkCertificate(fp('a')), identity.checkCertificate(fp('b'))]);
        expect(results.map((r) => (r.status === 'rejected' ? (r.reason as EdgeTrustError).code : 'fulfilled'))).toEqual(['UNEXPECTED_RESPONSE', 'UNEXPECTED_RESPONSE']);
    });

    it('sends checks of later turns in queries of their own, unless a window holds them', async () => {
        const perTurn = client();
        await perTurn.identity.checkCertificate(fp('a'));
        await perTurn.identity.checkCertificate(fp('b'));
        expect(perTurn.calls).toHaveLength(2);
        const windowed = client({ statusBatching: { windowMillis: 30 } });
        const first = windowed.identity.checkCertificate(fp('a'));
        await new Promise((resolve) => setTimeout(resolve, 5));
        const second = windowed.identity.checkCertificate(fp('b'));
        await Promise.all([first, second]);
        expect(windowed.calls).toEqual([{ name: 'CheckCertificates', fingerprints: [fp('a'), fp('b')] }]);
    });

    it('serves the status cache (and so chain-verified TLS): concurrent handshakes of different peers, one query', async () => {
        const { identity, calls } = client();
        const cache = new CertificateStatusCache({ lookup: identity.statusLookup(), ttlMillis: 0 });
        await Promise.all([fp('a'), fp('b'), fp('c'), fp('a')].map((f) => cache.status(f)));
        expect(calls).toEqual([{ name: 'CheckCertificates', fingerprints: [fp('a'), fp('b'), fp('c')] }]);
    });

    it('sends an explicit batch as one query in the order given', async () => {
        const { identity, calls } = client();
        const { reports } = await identity.checkCertificates([fp('c'), 'AB:'.repeat(31) + 'AB', fp('c')]);
        expect(reports.map((r) => r.fingerprint)).toEqual([fp('c'), 'ab'.repeat(32), fp('c')]);
        expect(calls).toEqual([{ name: 'CheckCertificates', fingerprints: [fp('c'), 'ab'.repeat(32), fp('c')] }]);
    });
});
