import { generateKeyPairSync, sign } from 'node:crypto';
import { breakSignature, makeCaIssuedCertificate, makeCertificate, signRotation, type TestCertificate } from '../testing/certificates';
import { checkCertificate, parseOpenSslTime, rotationMessage, verifyRotationSignature } from './certificate-check';

const DAY = 86_400_000;

describe('checkCertificate', () => {
    const now = (): number => Date.now() + 60_000;

    it.each([
        ['p256', 'ec-p256'],
        ['p384', 'ec-p384'],
        ['ed25519', 'ed25519'],
        ['rsa2048', 'rsa-2048'],
    ] as const)('accepts a self-signed %s certificate', (key, keyType) => {
        const cert = makeCertificate({ key, commonName: `dev-${key}`, days: 10 });
        const checked = checkCertificate(cert.pem, now());
        expect(checked).toMatchObject({ keyType, fingerprint: cert.fingerprint, subject: `CN=dev-${key}` });
        expect(checked.pem).toBe(cert.pem);
        expect(Date.parse(checked.notAfter) - Date.parse(checked.notBefore)).toBe(10 * DAY);
    });

    it('accepts a certificate without key usage extensions', () => {
        const cert = makeCertificate({ extensions: ['subjectKeyIdentifier = hash'] });
        expect(checkCertificate(cert.pem, now()).fingerprint).toBe(cert.fingerprint);
    });

    const valid = makeCertificate();
    it.each<[string, () => unknown, RegExp]>([
        ['a missing certificate', () => undefined, /^INVALID_ARGUMENT: certificatePem is required/],
        ['garbage text', () => 'hello, I am a certificate', /^CERTIFICATE_INVALID: /],
        ['a PEM block of garbage', () => '-----BEGIN CERTIFICATE-----\nAAAAbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n', /^CERTIFICATE_INVALID: .*not an X.509/],
        ['two certificates', () => valid.pem + valid.pem, /^CERTIFICATE_INVALID: .*exactly one/],
        ['a private key', () => valid.privateKeyPem, /^CERTIFICATE_INVALID: /],
        ['an RSA-1024 key', () => makeCertificate({ key: 'rsa1024' }).pem, /^KEY_TOO_WEAK: .*1024-bit RSA/],
        ['a P-224 key', () => makeCertificate({ key: 'p224' }).pem, /^KEY_TOO_WEAK: .*secp224r1/],
        ['a secp256k1 key', () => makeCertificate({ key: 'secp256k1' }).pem, /^KEY_TYPE_UNSUPPORTED: /],
        ['a broken self-signature', () => breakSignature(valid.pem), /^CERTIFICATE_SIGNATURE_INVALID: .*does not verify/],
        ['a CA-issued certificate', () => makeCaIssuedCertificate().pem, /^CERTIFICATE_SIGNATURE_INVALID: .*not self-issued/],
        ['a SHA-1 signature', () => makeCertificate({ digest: 'sha1' }).pem, /^WEAK_SIGNATURE_ALGORITHM: /],
        ['key usage without digitalSignature', () => makeCertificate({ extensions: ['keyUsage = keyEncipherment'] }).pem, /^KEY_USAGE_INVALID: .*digitalSignature/],
        ['extended key usage without TLS', () => makeCertificate({ extensions: ['extendedKeyUsage = codeSigning'] }).pem, /^KEY_USAGE_INVALID: .*extended/],
    ])('refuses %s', (_label, pem, pattern) => {
        expect(() => checkCertificate(pem(), now())).toThrow(pattern);
    });

    it('checks the validity window against the given (transaction) time', () => {
        const cert = makeCertificate({ days: 1 });
        expect(() => checkCertificate(cert.pem, Date.now() - DAY)).toThrow(/^CERTIFICATE_NOT_YET_VALID: /);
        expect(() => checkCertificate(cert.pem, Date.now() + 2 * DAY)).toThrow(/^CERTIFICATE_EXPIRED: /);
        expect(checkCertificate(cert.pem, Date.now() + DAY / 2).fingerprint).toBe(cert.fingerprint);
    });

    it('names the field in its errors', () => {
        expect(() => checkCertificate('x', now(), 'devices[3].certificatePem')).toThrow(/devices\[3\]\.certificatePem/);
    });
});

describe('parseOpenSslTime', () => {
    it('reads both day widths exactly', () => {
        expect(parseOpenSslTime('Nov 21 23:52:33 2026 GMT', 'f')).toBe(Date.UTC(2026, 10, 21, 23, 52, 33));
        expect(parseOpenSslTime('Jan  2 00:00:01 2027 GMT', 'f')).toBe(Date.UTC(2027, 0, 2, 0, 0, 1));
        expect(() => parseOpenSslTime('2026-11-21T00:00:00Z', 'f')).toThrow(/^CERTIFICATE_INVALID: /);
    });
});

describe('verifyRotationSignature', () => {
    it.each(['p256', 'p384', 'ed25519', 'rsa2048'] as const)('accepts the old %s key signing the rotation message', (key) => {
        const oldCert = makeCertificate({ key });
        const newCert = makeCertificate();
        const keyType = checkCertificate(oldCert.pem, Date.now() + 60_000).keyType;
        const message = rotationMessage(oldCert.fingerprint, newCert.fingerprint);
        expect(message.toString('utf8')).toBe(`edgetrust:rotate:v1:${oldCert.fingerprint}:${newCert.fingerprint}`);
        expect(() => verifyRotationSignature(oldCert.pem, keyType, message, signRotation(oldCert, newCert))).not.toThrow();
    });

    describe('refusals', () => {
        let oldCert: TestCertificate;
        let newCert: TestCertificate;
        beforeAll(() => {
            oldCert = makeCertificate();
            newCert = makeCertificate();
        });

        it('refuses a signature over another message', () => {
            const message = rotationMessage(oldCert.fingerprint, newCert.fingerprint);
            const other = sign('sha256', rotationMessage(oldCert.fingerprint, 'b'.repeat(64)), oldCert.privateKey).toString('base64');
            expect(() => verifyRotationSignature(oldCert.pem, 'ec-p256', message, other)).toThrow(/^SIGNATURE_INVALID: /);
        });

        it('refuses a signature by another key', () => {
            const message = rotationMessage(oldCert.fingerprint, newCert.fingerprint);
            const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
            expect(() => verifyRotationSignature(oldCert.pem, 'ec-p256', message, sign('sha256', message, stranger).toString('base64'))).toThrow(
                /^SIGNATURE_INVALID: /,
            );
        });

        it.each([undefined, '', 'not base64!', 'abc', 'A'.repeat(4096)])('refuses the malformed signature %p', (signature) => {
            const message = rotationMessage(oldCert.fingerprint, newCert.fingerprint);
            expect(() => verifyRotationSignature(oldCert.pem, 'ec-p256', message, signature)).toThrow(/^INVALID_ARGUMENT: signature/);
        });
    });
});
