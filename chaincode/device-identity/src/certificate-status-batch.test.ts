import { peer as protos } from '@hyperledger/fabric-protos';
import type { Context } from 'fabric-contract-api';
import { identities, type MemoryLedger } from '../../common/testing/memory-ledger';
import { negotiateStateBatches, setClock } from '../../common/src';
import { FakePeer, readyPayload, settled } from '../../common/testing/shim-peer';
import { makeCertificate, signRotation, type TestCertificate } from '../testing/certificates';
import { bootstrap, cast, deviceRequest, MANUFACTURER_ID, parse } from '../testing/fixtures';
import { type CertificateStatusReport, type CertificateStatusReports, MAX_STATUS_CHECKS } from '../../schemas/src';
import { DeviceIdentityContract } from './device-identity-contract';

// CheckCertificates: CheckCertificate for many fingerprints in one proposal, the same answer for each.
const contract = new DeviceIdentityContract();
const DAY = 86_400_000;
const Type = protos.ChaincodeMessage.Type;

async function register(ledger: MemoryLedger, cert: TestCertificate, id: string): Promise<void> {
    await ledger.submit(cast.registrar, (ctx) => contract.RegisterDevice(ctx, deviceRequest(cast.registrar, { manufacturerId: MANUFACTURER_ID, id, certificatePem: cert.pem })));
}

async function checkOne(ledger: MemoryLedger, fingerprint: string): Promise<CertificateStatusReport> {
    return parse<CertificateStatusReport>(await ledger.evaluate(identities.cloudUser, (ctx) => contract.CheckCertificate(ctx, fingerprint)));
}

async function checkMany(ledger: MemoryLedger, fingerprints: unknown): Promise<CertificateStatusReport[]> {
    const answer = await ledger.evaluate(identities.cloudUser, (ctx) => contract.CheckCertificates(ctx, JSON.stringify({ fingerprints })));
    return parse<CertificateStatusReports>(answer).reports;
}

describe('CheckCertificates', () => {
    let ledger: MemoryLedger;
    const active = makeCertificate();
    const held = makeCertificate();
    const old = makeCertificate({ commonName: 'cam-r' });
    const rotated = makeCertificate({ commonName: 'cam-r' });
    const brief = makeCertificate({ days: 1 });
    const unknown = 'e'.repeat(64);

    beforeEach(async () => {
        ledger = await bootstrap(contract);
        await register(ledger, active, 'cam-a');
        await register(ledger, held, 'cam-h');
        await register(ledger, old, 'cam-r');
        await register(ledger, brief, 'cam-b');
        await ledger.submit(cast.registrar, (ctx) => contract.SuspendCertificate(ctx, 'cam-h', '{}'));
        await ledger.submit(cast.registrar, (ctx) => contract.RotateCertificate(ctx, 'cam-r', JSON.stringify({ certificatePem: rotated.pem, signature: signRotation(old, rotated) })));
    });

    it('answers each fingerprint as CheckCertificate does, in the order asked, repeats included', async () => {
        ledger.advance(2 * DAY);
        const asked = [active, held, old, rotated, brief].map((c) => c.fingerprint).concat(unknown, active.fingerprint);
        const reports = await checkMany(ledger, asked);
        const singles = await Promise.all(asked.map((fingerprint) => checkOne(ledger, fingerprint)));
        // Every evaluation advances the in-memory ledger's clock: the batch has one transaction time, each single its own.
        expect(new Set(reports.map((r) => r.checkedAt)).size).toBe(1);
        const untimed = ({ checkedAt: _at, ...rest }: CertificateStatusReport): Omit<CertificateStatusReport, 'checkedAt'> => rest;
        expect(reports.map(untimed)).toEqual(singles.map(untimed));
        expect(reports.map((r) => [r.fingerprint, r.status, r.trusted])).toEqual([
            [active.fingerprint, 'active', true],
            [held.fingerprint, 'suspended', false],
            [old.fingerprint, 'superseded', false],
            [rotated.fingerprint, 'active', true],
            [brief.fingerprint, 'active', false],
            [unknown, 'unknown', false],
            [active.fingerprint, 'active', true],
        ]);
    });

    it.each<[string, string, RegExp]>([
        ['not JSON', 'fingerprints', /^INVALID_ARGUMENT: request must be a JSON object/],
        ['an array, not a request', JSON.stringify([active.fingerprint]), /^INVALID_ARGUMENT: request must be a JSON object/],
        ['no fingerprints', '{}', /^INVALID_ARGUMENT: fingerprints must be an array of 1 to 200/],
        ['an empty list', JSON.stringify({ fingerprints: [] }), /^INVALID_ARGUMENT: fingerprints must be an array of 1 to 200/],
        ['one too many', JSON.stringify({ fingerprints: Array<string>(MAX_STATUS_CHECKS + 1).fill(unknown) }), /^INVALID_ARGUMENT: fingerprints must be an array of 1 to 200/],
        ['an upper-case fingerprint', JSON.stringify({ fingerprints: [unknown, active.fingerprint.toUpperCase()] }), /^INVALID_ARGUMENT: fingerprints\[1\] must be a SHA-256 digest/],
        ['a number', JSON.stringify({ fingerprints: [unknown, unknown, 7] }), /^INVALID_ARGUMENT: fingerprints\[2\] must be a SHA-256 digest/],
    ])('refuses %s with a coded error', async (_label, request, pattern) => {
        await expect(ledger.evaluate(identities.cloudUser, (ctx) => contract.CheckCertificates(ctx, request))).rejects.toThrow(pattern);
    });

    it('takes the most fingerprints allowed', async () => {
        const reports = await checkMany(ledger, Array<string>(MAX_STATUS_CHECKS).fill(active.fingerprint));
        expect(reports).toHaveLength(MAX_STATUS_CHECKS);
        expect(reports.every((r) => r.trusted)).toBe(true);
    });
});

/** A FakePeer context that also answers the fingerprint index's range query (FakePeer has no range queries). */
function withIndexRange(peer: FakePeer, txid: string, at: number): Context {
    const ctx = peer.context(txid, at);
    const stub = ctx.stub as unknown as Record<string, unknown>;
    stub.splitCompositeKey = (key: string) => {
        const [objectType = '', ...attributes] = key.split('\u0000').slice(1, -1);
        return { objectType, attributes };
    };
    stub.getStateByPartialCompositeKey = (objectType: string, attributes: string[]) => {
        const prefix = `\u0000${[objectType, ...attributes].join('\u0000')}\u0000`;
        const keys = [...peer.state.keys()].filter((key) => key.startsWith(prefix)).sort();
        let next = 0;
        return Promise.resolve({
            next: () => Promise.resolve(next < keys.length ? { done: false, value: { key: keys[next++], value: new Uint8Array() } } : { done: true, value: undefined }),
            close: () => Promise.resolve(),
        });
    };
    return ctx;
}

describe('CheckCertificates and the peer it reads from', () => {
    beforeAll(() => {
        negotiateStateBatches();
        setClock();
    });

    it('reads the records in one GET_STATE_MULTIPLE on a Fabric 3.1 peer, one GET_STATE each on a Fabric 3.0 peer, same answers', async () => {
        const batched = new FakePeer(readyPayload({ useWriteBatch: true, maxSizeWriteBatch: 1000, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 1000 }));
        const plain = new FakePeer(new Uint8Array(), { fabric30: true });
        await settled();
        const records = [makeCertificate(), makeCertificate()].map((cert, i) => ({
            id: `cam-${String(i)}`,
            fingerprint: cert.fingerprint,
            status: 'active',
            kind: 'device',
            manufacturerId: MANUFACTURER_ID,
            owner: { mspId: 'CloudOrgMSP', id: 'x509::owner' },
            notBefore: '2000-01-01T00:00:00.000Z',
            notAfter: '2999-01-01T00:00:00.000Z',
        }));
        const fingerprints = [records[0]?.fingerprint, 'e'.repeat(64), records[1]?.fingerprint, records[0]?.fingerprint];
        const answers: CertificateStatusReport[][] = [];
        const at = Date.now();
        for (const peer of [batched, plain]) {
            for (const record of records) {
                peer.state.set(`\u0000device\u0000${record.id}\u0000`, JSON.stringify(record));
                peer.state.set(`\u0000device~fingerprint~id\u0000${record.fingerprint}\u0000${record.id}\u0000`, '\u0000');
            }
            const answer = await contract.CheckCertificates(withIndexRange(peer, 'tx-1', at), JSON.stringify({ fingerprints }));
            answers.push(parse<CertificateStatusReports>(answer).reports);
        }
        expect(batched.received.map((m) => [m.type, m.keys.length])).toEqual([[Type.GET_STATE_MULTIPLE, 2]]);
        expect(plain.received.map((m) => m.type)).toEqual([Type.GET_STATE, Type.GET_STATE]);
        expect(answers[0]?.map((r) => [r.id, r.status, r.trusted])).toEqual([
            ['cam-0', 'active', true],
            [undefined, 'unknown', false],
            ['cam-1', 'active', true],
            ['cam-0', 'active', true],
        ]);
        expect(answers[1]).toEqual(answers[0]);
    });
});
