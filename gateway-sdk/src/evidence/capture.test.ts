import { createHash, createPublicKey, generateKeyPairSync, verify, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureMessage } from '@edgetrust/schemas';
import { captureFile, captureReading, deviceKeyType, signCapture, verifyCaptureSignature } from './capture';

const digest = createHash('sha256').update('segment').digest('hex');
const options = { channel: 'edgetrust', deviceId: 'cam-7', sequence: 3, captureTime: new Date('2026-05-01T08:30:00Z') };

describe('signCapture', () => {
    it.each([
        ['ec-p256', generateKeyPairSync('ec', { namedCurve: 'prime256v1' })],
        ['ec-p384', generateKeyPairSync('ec', { namedCurve: 'secp384r1' })],
        ['ed25519', generateKeyPairSync('ed25519')],
    ] as const)('signs the capture message with a %s key', (keyType, { privateKey, publicKey }) => {
        expect(deviceKeyType(privateKey)).toBe(keyType);
        const capture = signCapture(digest, { ...options, key: privateKey });
        expect(capture).toMatchObject({ deviceId: 'cam-7', captureTime: '2026-05-01T08:30:00.000Z', sequence: 3 });
        const message = captureMessage({ channel: 'edgetrust', deviceId: 'cam-7', digest, captureTime: capture.captureTime, sequence: 3 });
        const hash = keyType === 'ed25519' ? null : keyType === 'ec-p384' ? 'sha384' : 'sha256';
        expect(verify(hash, message, publicKey, Buffer.from(capture.signature, 'base64'))).toBe(true);
    });

    it('takes a PEM key and refuses curves the registry refuses', () => {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
        expect(signCapture(digest, { ...options, key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }).signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
        expect(() => signCapture(digest, { ...options, key: generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey })).toThrow(/curve secp256k1/);
    });
});

describe('device-side helpers', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const dir = mkdtempSync(join(tmpdir(), 'edgetrust-capture-sdk-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('turns a reading and a file into the same signed capture of their SHA-256', async () => {
        const reading = captureReading({ temperature: 21.5 }, { ...options, key: privateKey });
        expect(reading.digest).toBe(createHash('sha256').update('{"temperature":21.5}').digest('hex'));
        writeFileSync(join(dir, 'r.json'), reading.bytes);
        const file = await captureFile(join(dir, 'r.json'), { ...options, key: privateKey });
        expect(file).toEqual({ digest: reading.digest, size: reading.size, source: { type: 'device', id: 'cam-7' }, capture: reading.capture });
    });

    it('checks a proof again off chain with the certificate, and only with that certificate', () => {
        writeFileSync(join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
        const pem = execFileSync('openssl', ['req', '-x509', '-new', '-key', join(dir, 'key.pem'), '-subj', '/CN=cam-7', '-days', '1'], { encoding: 'utf8' });
        const certificateFingerprint = createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
        const capture = signCapture(digest, { ...options, key: privateKey });
        const proof = { ...capture, certificateFingerprint };
        expect(createPublicKey(pem).asymmetricKeyType).toBe('ed25519');
        expect(verifyCaptureSignature(pem, 'edgetrust', digest, proof)).toBe(true);
        expect(verifyCaptureSignature(pem, 'other', digest, proof)).toBe(false);
        expect(verifyCaptureSignature(pem, 'edgetrust', '0'.repeat(64), proof)).toBe(false);
        expect(verifyCaptureSignature(pem, 'edgetrust', digest, { ...proof, certificateFingerprint: 'f'.repeat(64) })).toBe(false);
    });
});
