import { createHash, createPrivateKey, type KeyObject, sign, X509Certificate } from 'node:crypto';
import { type RegistrationBinding as WireRegistrationBinding, registrationMessage as wireRegistrationMessage, rotationMessage as wireRotationMessage } from '@edgetrust/schemas';
import { InvalidArgumentError } from '../errors';

const HEX_FINGERPRINT = /^[0-9a-f]{64}$/;

/**
 * SHA-256 of a certificate's DER encoding as 64 lower-case hex characters: how the chaincode names
 * certificates.
 * @param certificate - PEM text, DER bytes, or a parsed certificate.
 */
export function certificateFingerprint(certificate: string | Uint8Array | X509Certificate): string {
    const parsed = certificate instanceof X509Certificate ? certificate : new X509Certificate(certificate);
    return createHash('sha256').update(parsed.raw).digest('hex');
}

/**
 * Accepts a fingerprint in the chaincode's form or in Node's `fingerprint256` form (`AB:CD:…`) and
 * returns the chaincode's form.
 * @throws {@link InvalidArgumentError} if it is not a SHA-256 fingerprint.
 */
export function normalizeFingerprint(fingerprint: string): string {
    const normalized = fingerprint.replace(/:/g, '').toLowerCase();
    if (!HEX_FINGERPRINT.test(normalized)) {
        throw new InvalidArgumentError({ code: 'INVALID_ARGUMENT', message: `not a SHA-256 fingerprint: ${fingerprint}` });
    }
    return normalized;
}

/**
 * The exact bytes an old key signs to prove a key rotation: UTF-8 of
 * `edgetrust:rotate:v1:<old fingerprint>:<new fingerprint>` (lower-case hex), as the chaincode verifies it.
 */
export function rotationMessage(oldFingerprint: string, newFingerprint: string): Buffer {
    return wireRotationMessage(normalizeFingerprint(oldFingerprint), normalizeFingerprint(newFingerprint));
}

/**
 * Signs the rotation from the old certificate to the new one with the old private key: ECDSA
 * (DER) with SHA-256 for P-256 and RSA, SHA-384 for P-384, pure Ed25519. Returns standard base64.
 * @param oldPrivateKey - The old certificate's private key (KeyObject or PEM).
 * @param oldCertificatePem - The certificate being replaced.
 * @param newCertificatePem - The replacement.
 */
export function signRotation(oldPrivateKey: KeyObject | string, oldCertificatePem: string, newCertificatePem: string): string {
    const key = typeof oldPrivateKey === 'string' ? createPrivateKey(oldPrivateKey) : oldPrivateKey;
    const message = rotationMessage(certificateFingerprint(oldCertificatePem), certificateFingerprint(newCertificatePem));
    return sign(rotationDigest(key), message, key).toString('base64');
}

/** What a registration's proof of possession is bound to (see {@link registrationMessage}): the certificate itself instead of its fingerprint; channel and registrant as `whoAmI()` tells them. */
export type RegistrationBinding = Omit<WireRegistrationBinding, 'fingerprint'> & { certificatePem: string };

/**
 * The exact bytes a certificate's own key signs to prove possession at registration, as the chaincode
 * verifies them: UTF-8 of `edgetrust:register:v1:` and the JSON array
 * [channel, kind, manufacturerId, id, certificate fingerprint, registrant mspId, registrant id].
 */
export function registrationMessage(binding: Readonly<RegistrationBinding>): Buffer {
    const { certificatePem, ...bound } = binding;
    return wireRegistrationMessage({ ...bound, fingerprint: certificateFingerprint(certificatePem) });
}

/**
 * Signs a registration with the certificate's own private key (digest as for rotation). Returns
 * standard base64: the request's `proof`.
 */
export function signRegistration(privateKey: KeyObject | string, binding: Readonly<RegistrationBinding>): string {
    const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
    return sign(rotationDigest(key), registrationMessage(binding), key).toString('base64');
}

function rotationDigest(key: KeyObject): string | null {
    if (key.asymmetricKeyType === 'ed25519') {
        return null;
    }
    return key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'sha384' : 'sha256';
}
