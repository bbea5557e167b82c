import { createHash, generateKeyPairSync, type KeyObject, sign, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identities, MEMORY_CHANNEL, MemoryLedger } from '../../common/testing/memory-ledger';
import { captureMessage, captureSignatureHash, type DeviceStatus, EvidenceBatch, EvidenceRecord, EvidenceVerification, firstViolation, type SignedCapture } from '../../schemas/src';
import { EvidenceContract } from './evidence-contract';
import { DEVICE_IDENTITY_CHAINCODE } from './source-proof';

/*
 * Signed captures against a device registry that answers as device identity's ReadDevice does (its DeviceLookup);
 * the two chaincodes together on the real network: test/scenario/signed-capture.test.ts.
 */

const contract = new EvidenceContract();

interface TestDevice {
    id: string;
    key: KeyObject;
    keyType: string;
    pem: string;
    fingerprint: string;
}

function makeDevice(id: string, type: 'ec-p256' | 'ed25519'): TestDevice {
    const { privateKey } = type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const dir = mkdtempSync(join(tmpdir(), 'edgetrust-capture-'));
    try {
        writeFileSync(join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
        const args = ['req', '-x509', '-new', '-key', join(dir, 'key.pem'), '-subj', `/CN=${id}`, '-days', '30', ...(type === 'ed25519' ? [] : ['-sha256'])];
        const pem = execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        const fingerprint = createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
        return { id, key: privateKey, keyType: type, pem, fingerprint };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** A registry of devices with status histories, answering ReadDevice like device identity (NOT_FOUND for unknown ids). */
class FakeRegistry {
    readonly devices = new Map<string, { device: TestDevice; status: DeviceStatus; history: { seq: number; status: DeviceStatus; at: string }[] }>();
    calls = 0;

    constructor(private readonly ledger: MemoryLedger) {}

    register(device: TestDevice, kind = 'device'): void {
        this.devices.set(device.id, { device, status: 'active', history: [{ seq: 1, status: 'active', at: new Date(this.ledger.now).toISOString() }] });
        this.kinds.set(device.id, kind);
    }

    readonly kinds = new Map<string, string>();

    setStatus(id: string, status: DeviceStatus): void {
        const entry = this.devices.get(id);
        if (!entry) {
            throw new Error(id);
        }
        entry.status = status;
        entry.history.push({ seq: entry.history.length + 1, status, at: new Date(this.ledger.now).toISOString() });
    }

    readDevice(fn: string, [id = '']: string[]): Promise<string> {
        this.calls++;
        const entry = this.devices.get(id);
        if (fn !== 'ReadDevice' || !entry) {
            return Promise.reject(new Error(`NOT_FOUND: device ${id} does not exist`));
        }
        const cert = new X509Certificate(entry.device.pem);
        const certificate = {
            id,
            kind: this.kinds.get(id),
            fingerprint: entry.device.fingerprint,
            certificatePem: entry.device.pem,
            keyType: entry.device.keyType,
            notBefore: new Date(cert.validFrom).toISOString(),
            notAfter: new Date(cert.validTo).toISOString(),
            status: entry.status,
        };
        return Promise.resolve(JSON.stringify({ certificate, fingerprint: entry.device.fingerprint, fingerprintStatus: entry.status, history: entry.history }));
    }
}

describe('signed captures', () => {
    let ledger: MemoryLedger;
    let registry: FakeRegistry;
    const camera = makeDevice('cam-7', 'ec-p256');
    const sensor = makeDevice('sensor-3', 'ed25519');

    beforeEach(() => {
        ledger = new MemoryLedger(Date.now() + 60_000);
        registry = new FakeRegistry(ledger);
        ledger.linkChaincode(DEVICE_IDENTITY_CHAINCODE, (_ctx, fn, args) => registry.readDevice(fn, args));
        registry.register(camera);
        registry.register(sensor);
        ledger.advance(1000);
    });

    const digestOf = (text: string): string => createHash('sha256').update(text).digest('hex');

    function captureOf(device: TestDevice, digest: string, sequence: number, captureMillis = ledger.now - 500, channel = MEMORY_CHANNEL): SignedCapture {
        const captureTime = new Date(captureMillis).toISOString();
        const message = captureMessage({ channel, deviceId: device.id, digest, captureTime, sequence });
        return { deviceId: device.id, captureTime, sequence, signature: sign(captureSignatureHash(device.keyType), message, device.key).toString('base64') };
    }

    function request(device: TestDevice, id: string, sequence: number, captureMillis?: number): Record<string, unknown> {
        const digest = digestOf(id);
        return { id, digest, name: `${id}.mp4`, size: 10, source: { type: 'device', id: device.id }, capture: captureOf(device, digest, sequence, captureMillis) };
    }

    const anchor = (body: unknown): Promise<string> => ledger.submit(identities.edgeUser, (ctx) => contract.Anchor(ctx, JSON.stringify(body)));

    async function refused(body: unknown, pattern: RegExp): Promise<void> {
        const before = ledger.snapshot();
        await expect(anchor(body)).rejects.toThrow(pattern);
        expect(ledger.snapshot()).toEqual(before);
    }

    it.each([
        ['P-256', camera],
        ['Ed25519', sensor],
    ])('anchors a %s capture with its proof; Verify says signed and trusted at capture', async (_type, device) => {
        const record = JSON.parse(await anchor(request(device, 'seg-1', 1))) as EvidenceRecord;
        expect(record.sourceProof).toMatchObject({ deviceId: device.id, sequence: 1, previousSequence: 0, certificateFingerprint: device.fingerprint, keyType: device.keyType, statusAtCapture: 'active', trustedAtCapture: true });
        const verification = JSON.parse(await ledger.evaluate(identities.cloudUser, (ctx) => contract.Verify(ctx, 'seg-1', record.digest))) as EvidenceVerification;
        expect(verification).toMatchObject({ outcome: 'match', source: { basis: 'signed', signatureValid: true, trustedAtCapture: true, deviceStatusNow: 'active' } });
        // The answers meet their schemas (the contract metadata's).
        expect(firstViolation(EvidenceRecord, record, 'record')).toBeUndefined();
        expect(firstViolation(EvidenceVerification, verification, 'verification')).toBeUndefined();
    });

    it('says claimed for a record without a capture', async () => {
        await anchor({ id: 'plain', digest: digestOf('plain'), name: 'p', size: 1, source: { type: 'device', id: 'cam-7' } });
        const verification = JSON.parse(await ledger.evaluate(identities.cloudUser, (ctx) => contract.Verify(ctx, 'plain', digestOf('plain')))) as EvidenceVerification;
        expect(verification.source).toEqual({ basis: 'claimed', signatureValid: false, trustedAtCapture: false });
    });

    it('refuses an unknown device', async () => {
        const stranger = makeDevice('cam-99', 'ec-p256');
        await refused(request(stranger, 'seg-x', 1), /^SOURCE_DEVICE_UNKNOWN: /);
    });

    it('refuses a suspended or revoked device, and a capture made while suspended even after reinstatement', async () => {
        registry.setStatus('cam-7', 'suspended');
        await refused(request(camera, 'seg-s', 1), /^SOURCE_NOT_TRUSTED: cam-7 is suspended now/);
        const suspendedAt = ledger.now;
        ledger.advance(5000);
        registry.setStatus('cam-7', 'active');
        ledger.advance(1000);
        await refused(request(camera, 'seg-during', 1, suspendedAt + 1000), /^SOURCE_NOT_TRUSTED: cam-7 is suspended at /);
        await anchor(request(camera, 'seg-after', 1));
        registry.setStatus('cam-7', 'revoked');
        ledger.advance(1000);
        await refused(request(camera, 'seg-late', 2), /^SOURCE_NOT_TRUSTED: cam-7 is revoked now/);
        // Earlier captures still verify as captured while trusted, and Verify tells the device is revoked now.
        const verification = JSON.parse(await ledger.evaluate(identities.cloudUser, (ctx) => contract.Verify(ctx, 'seg-after', digestOf('seg-after')))) as EvidenceVerification;
        expect(verification.source).toEqual({ basis: 'signed', signatureValid: true, trustedAtCapture: true, deviceStatusNow: 'revoked' });
    });

    it('refuses a capture dated before the device was registered, or after the transaction', async () => {
        await refused(request(camera, 'seg-early', 1, ledger.now - 3_600_000), /^SOURCE_NOT_TRUSTED: cam-7 was not registered yet/);
        await refused(request(camera, 'seg-future', 1, ledger.now + 3_600_000), /^INVALID_ARGUMENT: capture.captureTime .* after the transaction time/);
    });

    it.each([
        ['another digest', (body: Record<string, unknown>) => ({ ...body, digest: digestOf('other') })],
        ['another record of the same sequence', (body: Record<string, unknown>) => ({ ...body, capture: { ...(body.capture as SignedCapture), sequence: 2 } })],
        ['another time', (body: Record<string, unknown>) => ({ ...body, capture: { ...(body.capture as SignedCapture), captureTime: new Date(ledger.now - 400).toISOString() } })],
        ['a signature by another key', (body: Record<string, unknown>) => ({ ...body, capture: { ...(body.capture as SignedCapture), signature: captureOf(sensor, String(body.digest), 1).signature } })],
        ['a garbage signature', (body: Record<string, unknown>) => ({ ...body, capture: { ...(body.capture as SignedCapture), signature: 'AAAA' } })],
    ])('refuses %s: SOURCE_SIGNATURE_INVALID, nothing written', async (_label, change) => {
        await refused(change(request(camera, 'seg-forged', 1)), /^SOURCE_SIGNATURE_INVALID: /);
    });

    it('refuses a capture signed for another channel', async () => {
        const body = request(camera, 'seg-chan', 1);
        const digest = String(body.digest);
        await refused({ ...body, capture: captureOf(camera, digest, 1, ledger.now - 500, 'other-channel') }, /^SOURCE_SIGNATURE_INVALID: /);
    });

    it('refuses a replay and a reordered capture, and records gaps', async () => {
        const first = request(camera, 'seg-1', 5);
        await anchor(first);
        await refused({ ...first, id: 'seg-1-again' }, /^CAPTURE_REPLAYED: cam-7's capture 5 is not above its last anchored sequence 5/);
        await refused(request(camera, 'seg-0', 4), /^CAPTURE_REPLAYED: /);
        const next = JSON.parse(await anchor(request(camera, 'seg-2', 9))) as EvidenceRecord;
        expect(next.sourceProof).toMatchObject({ sequence: 9, previousSequence: 5 });
        // Another device's counter is its own.
        await anchor(request(sensor, 'sensor-1', 1));
    });

    it.each([
        ['a source other than the signing device', (b: Record<string, unknown>) => ({ ...b, source: { type: 'device', id: 'cam-8' } })],
        ['an org source', (b: Record<string, unknown>) => ({ ...b, source: { type: 'org', id: 'cam-7' } })],
        ['a capture time not in the signed form', (b: Record<string, unknown>) => ({ ...b, capture: { ...(b.capture as SignedCapture), captureTime: '2026-05-01T00:00:00Z' } })],
        ['sequence 0', (b: Record<string, unknown>) => ({ ...b, capture: { ...(b.capture as SignedCapture), sequence: 0 } })],
        ['a fractional sequence', (b: Record<string, unknown>) => ({ ...b, capture: { ...(b.capture as SignedCapture), sequence: 1.5 } })],
        ['a sequence as text', (b: Record<string, unknown>) => ({ ...b, capture: { ...(b.capture as SignedCapture), sequence: '1' } })],
        ['a huge sequence', (b: Record<string, unknown>) => ({ ...b, capture: { ...(b.capture as SignedCapture), sequence: 2 ** 60 } })],
        ['a non-base64 signature', (b: Record<string, unknown>) => ({ ...b, capture: { ...(b.capture as SignedCapture), signature: 'not base64!' } })],
        ['an oversized signature', (b: Record<string, unknown>) => ({ ...b, capture: { ...(b.capture as SignedCapture), signature: 'A'.repeat(4096) } })],
        ['an extra capture field', (b: Record<string, unknown>) => ({ ...b, capture: { ...(b.capture as SignedCapture), proven: true } })],
        ['a capture that is a string', (b: Record<string, unknown>) => ({ ...b, capture: 'signed' })],
        ['a capture that is an array', (b: Record<string, unknown>) => ({ ...b, capture: [] })],
        ['a device id with a key separator', (b: Record<string, unknown>) => ({ ...b, capture: { ...(b.capture as SignedCapture), deviceId: 'cam\u00007' } })],
    ])('refuses %s with INVALID_ARGUMENT before asking the registry', async (_label, change) => {
        const calls = registry.calls;
        await refused(change(request(camera, 'seg-bad', 1)), /^INVALID_ARGUMENT: /);
        expect(registry.calls).toBe(calls);
    });

    it('refuses an app source for a registered device (the kind is the registry\'s)', async () => {
        await refused({ ...request(camera, 'seg-app', 1), source: { type: 'app', id: 'cam-7' } }, /^INVALID_ARGUMENT: cam-7 is registered as device, not as app/);
    });

    it('fails closed when device identity is not there', async () => {
        const alone = new MemoryLedger(Date.now() + 60_000);
        const before = alone.snapshot();
        await expect(alone.submit(identities.edgeUser, (ctx) => contract.Anchor(ctx, JSON.stringify(request(camera, 'seg-1', 1))))).rejects.toThrow(/^SOURCE_REGISTRY_UNAVAILABLE: /);
        expect(alone.snapshot()).toEqual(before);
    });

    it('signs a batch once: AnchorBatch with a capture of the root, sequence shared with single anchors', async () => {
        const root = digestOf('root');
        const metadata = { batchId: 'b1', source: { type: 'device', id: 'cam-7' }, capture: captureOf(camera, root, 3) };
        const batch = JSON.parse(await ledger.submit(identities.edgeUser, (ctx) => contract.AnchorBatch(ctx, root, '16', JSON.stringify(metadata)))) as { sourceProof?: unknown };
        expect(batch.sourceProof).toMatchObject({ deviceId: 'cam-7', sequence: 3, trustedAtCapture: true });
        expect(firstViolation(EvidenceBatch, batch, 'batch')).toBeUndefined();
        await refused(request(camera, 'seg-old', 2), /^CAPTURE_REPLAYED: /);
        const before = ledger.snapshot();
        await expect(ledger.submit(identities.edgeUser, (ctx) => contract.AnchorBatch(ctx, digestOf('root2'), '4', JSON.stringify({ ...metadata, batchId: 'b2' })))).rejects.toThrow(/^SOURCE_SIGNATURE_INVALID: /);
        expect(ledger.snapshot()).toEqual(before);
    });

    it('refuses a capture with AnchorPersonal', async () => {
        const body = request(camera, 'personal', 1);
        await expect(ledger.submit(identities.edgeUser, (ctx) => contract.AnchorPersonal(ctx, JSON.stringify({ ...body, kind: 'personal-document', digest: undefined })))).rejects.toThrow(/^INVALID_ARGUMENT: /);
    });
});
