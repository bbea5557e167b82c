import { createHash, verify, X509Certificate } from 'node:crypto';
import { InvalidArgumentError } from '../errors';
import { certificateFingerprint, normalizeFingerprint, registrationMessage, rotationMessage, signRegistration, signRotation } from './certificate-proof';
import { makeCertificate } from '../../../chaincode/device-identity/testing/certificates';

describe('certificate proofs', () => {
    const oldCert = makeCertificate({ commonName: 'cam-7' });
    const newCert = makeCertificate({ commonName: 'cam-7', key: 'ed25519' });

    it('fingerprints the DER like the chaincode, from PEM, DER or parsed', () => {
        const x509 = new X509Certificate(oldCert.pem);
        const expected = createHash('sha256').update(x509.raw).digest('hex');
        expect(certificateFingerprint(oldCert.pem)).toBe(expected);
        expect(certificateFingerprint(x509.raw)).toBe(expected);
        expect(certificateFingerprint(x509)).toBe(expected);
        expect(normalizeFingerprint(x509.fingerprint256)).toBe(expected);
        expect(() => normalizeFingerprint('abc')).toThrow(InvalidArgumentError);
    });

    it.each(['p256', 'p384', 'ed25519'] as const)('signs the rotation message with an old %s key so the old certificate verifies it', (key) => {
        const old = makeCertificate({ commonName: 'old', key: key });
        const signature = signRotation(old.privateKeyPem, old.pem, newCert.pem);
        const message = rotationMessage(old.fingerprint, newCert.fingerprint);
        expect(message.toString()).toBe(`edgetrust:rotate:v1:${old.fingerprint}:${newCert.fingerprint}`);
        const digest = key === 'ed25519' ? null : key === 'p384' ? 'sha384' : 'sha256';
        const publicKey = new X509Certificate(old.pem).publicKey;
        expect(verify(digest, message, publicKey, Buffer.from(signature, 'base64'))).toBe(true);
        expect(verify(digest, rotationMessage(newCert.fingerprint, old.fingerprint), publicKey, Buffer.from(signature, 'base64'))).toBe(false);
    });
});

describe('registration proofs of possession', () => {
    it.each(['p256', 'p384', 'ed25519'] as const)('signs the registration message with a %s device key', (key) => {
        const device = makeCertificate({ commonName: 'cam-9', key: key });
        const binding = { channel: 'edgetrust', kind: 'device', manufacturerId: 'acme', id: 'cam-9', certificatePem: device.pem, registrant: { mspId: 'CloudOrgMSP', id: 'x509::/CN=f' } } as const;
        const message = registrationMessage(binding);
        expect(message.toString()).toBe(`edgetrust:register:v1:["edgetrust","device","acme","cam-9","${device.fingerprint}","CloudOrgMSP","x509::/CN=f"]`);
        const digest = key === 'ed25519' ? null : key === 'p384' ? 'sha384' : 'sha256';
        const signature = Buffer.from(signRegistration(device.privateKeyPem, binding), 'base64');
        const publicKey = new X509Certificate(device.pem).publicKey;
        expect(verify(digest, message, publicKey, signature)).toBe(true);
        expect(verify(digest, registrationMessage({ ...binding, id: 'cam-10' }), publicKey, signature)).toBe(false);
    });
});
