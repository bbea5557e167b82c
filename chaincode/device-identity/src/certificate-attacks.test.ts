import {
    ED25519_IDENTITY_SIGNATURE,
    ED25519_SMALL_ORDER_KEYS,
    ed25519SmallOrderCertificate,
    OID,
    rsaCertificateSignedAs,
    rsaExponentOneCertificate,
} from '../testing/crafted-certificates';
import { checkCertificate, rotationMessage, verifyRotationSignature } from './certificate-check';

/*
 * Attacks (issue 9, finding 6): certificates whose self-signature verifies, but whose key or signature
 * algorithm makes every signature by "the device" forgeable. Each must be refused with a coded error.
 */
describe('certificate checks against forgeable keys and weak algorithms', () => {
    const now = Date.now() + 60_000;

    it('refuses an RSA-2048 key with public exponent 1 (anybody can sign for it)', () => {
        const pem = rsaExponentOneCertificate();
        expect(() => checkCertificate(pem, now)).toThrow(/^KEY_TOO_WEAK: .*exponent 1/);
    });

    it.each(ED25519_SMALL_ORDER_KEYS.map((key) => [key] as const))('refuses the Ed25519 small-order public key %s', (key) => {
        expect(() => checkCertificate(ed25519SmallOrderCertificate(key), now)).toThrow(/^KEY_TOO_WEAK: .*small-order/);
    });

    it('would otherwise let one signature of the identity key prove any rotation', () => {
        // The reason for the check above: this verifies for any message, so it would "prove" any rotation.
        const pem = ed25519SmallOrderCertificate();
        expect(() => verifyRotationSignature(pem, 'ed25519', rotationMessage('a'.repeat(64), 'b'.repeat(64)), ED25519_IDENTITY_SIGNATURE)).not.toThrow();
    });

    it.each([
        ['sha1WithRSA under its OIW OID 1.3.14.3.2.29', OID.sha1WithRSAOiw, 'sha1'],
        ['md5WithRSA under its OIW OID 1.3.14.3.2.3', OID.md5WithRSAOiw, 'md5'],
    ] as const)('refuses a certificate signed with %s', (_label, signatureOid, digest) => {
        expect(() => checkCertificate(rsaCertificateSignedAs(signatureOid, digest).pem, now)).toThrow(/^WEAK_SIGNATURE_ALGORITHM: /);
    });
});
