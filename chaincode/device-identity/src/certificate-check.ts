import { createHash, type KeyObject, verify, X509Certificate } from 'node:crypto';
import { Certificate as ExtensionReader } from '@fidm/x509';
import { ed25519 } from '@noble/curves/ed25519';
import { invalidArgument } from '../../common/src';
import { DeviceIdentityErrorCode as Code, deviceIdentityError } from './device-identity-errors';

// The signed messages are the schema package's, the very bytes the SDK signs.
export { type RegistrationBinding, registrationMessage, rotationMessage } from '../../schemas/src';

/** A device certificate is well under 2 KiB; the bound keeps a transaction argument small. */
export const MAX_PEM_LENGTH = 16_384;

/** What the contract keeps of a certificate that passed every check. */
export interface CheckedCertificate {
    /** Node's canonical PEM re-encoding, so the same DER is always stored as the same text. */
    pem: string;
    /** SHA-256 of the DER encoding, lower-case hex. */
    fingerprint: string;
    subject: string;
    serialNumber: string;
    /** `ec-p256`, `ec-p384`, `ed25519` or `rsa-<bits>`. */
    keyType: string;
    notBefore: string;
    notAfter: string;
    publicKey: KeyObject;
}

const PEM_BLOCK = /^-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*$/;
const ACCEPTED_CURVES: Readonly<Record<string, string>> = { prime256v1: 'ec-p256', secp384r1: 'ec-p384' };
const WEAK_CURVES = ['prime192v1', 'secp192k1', 'secp224r1', 'secp224k1'];
const MIN_RSA_BITS = 2048;
// RSA public exponents below 65537 (e=1 makes every signature forgeable, e=3 invites Bleichenbacher-style forgeries).
const MIN_RSA_EXPONENT = 65537n;
/**
 * The signature algorithms accepted per key type: an allowlist, so aliases of weak algorithms (OIW's
 * sha1WithRSA 1.3.14.3.2.29, md5WithRSA 1.3.14.3.2.3, …) and unknown OIDs are refused alike.
 * RSASSA-PSS is left out: its hash is a parameter, which would need checking too.
 */
const SIGNATURE_ALGORITHMS: Readonly<Record<string, readonly string[]>> = {
    ed25519: ['1.3.101.112'],
    // ecdsa-with-SHA256, -SHA384, -SHA512
    ec: ['1.2.840.10045.4.3.2', '1.2.840.10045.4.3.3', '1.2.840.10045.4.3.4'],
    // sha256WithRSAEncryption, sha384…, sha512…
    rsa: ['1.2.840.113549.1.1.11', '1.2.840.113549.1.1.12', '1.2.840.113549.1.1.13'],
};
// serverAuth, clientAuth, anyExtendedKeyUsage: a device or app certificate is used for mutual TLS.
const TLS_EXTENDED_USAGES = ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2', '2.5.29.37.0'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// OpenSSL's ASN1_TIME_print format, which is what X509Certificate.validFrom/validTo return on Node 20.
const OPENSSL_TIME = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)? (\d{4}) GMT$/;

/**
 * Checks a self-signed device or application certificate at the transaction time and returns what
 * the ledger keeps. Throws a coded error naming the first check that failed; the order is fixed so
 * every endorser gives the same answer: parse, self-issued, key, signature algorithm, self-signature,
 * key usage, validity. The key and algorithm come first: a forgeable key verifies any signature.
 */
export function checkCertificate(pem: unknown, atMillis: number, field = 'certificatePem'): CheckedCertificate {
    const cert = parsePem(pem, field);
    const extensions = readExtensions(cert, field);
    requireSelfIssued(cert, field);
    const keyType = requireStrongKey(cert.publicKey, field);
    requireSignatureAlgorithm(cert.publicKey, extensions, field);
    requireSelfSignature(cert, field);
    requireSigningUsage(cert, extensions, field);
    const { notBefore, notAfter } = requireValidAt(cert, atMillis, field);
    return {
        pem: cert.toString(),
        fingerprint: fingerprintOf(cert),
        subject: cert.subject,
        serialNumber: cert.serialNumber.toLowerCase(),
        keyType,
        notBefore: new Date(notBefore).toISOString(),
        notAfter: new Date(notAfter).toISOString(),
        publicKey: cert.publicKey,
    };
}

/** The public key of a certificate already on the ledger. */
export function publicKeyOf(pem: string): KeyObject {
    return new X509Certificate(pem).publicKey;
}

/** SHA-256 of the certificate's DER encoding, lower-case hex: the id of a certificate everywhere. */
export function fingerprintOf(cert: X509Certificate): string {
    return createHash('sha256').update(cert.raw).digest('hex');
}

function parsePem(pem: unknown, field: string): X509Certificate {
    if (typeof pem !== 'string' || pem.length === 0) {
        throw invalidArgument(`${field} is required`);
    }
    if (pem.length > MAX_PEM_LENGTH || !PEM_BLOCK.test(pem.trimStart())) {
        throw deviceIdentityError(Code.CertificateInvalid, `${field} must be exactly one PEM CERTIFICATE block`);
    }
    try {
        return new X509Certificate(pem);
    } catch (err) {
        throw deviceIdentityError(Code.CertificateInvalid, `${field} is not an X.509 certificate: ${errorText(err)}`);
    }
}

function requireSelfIssued(cert: X509Certificate, field: string): void {
    if (cert.issuer !== cert.subject) {
        throw deviceIdentityError(Code.CertificateSignatureInvalid, `${field} is not self-issued (issuer differs from subject)`);
    }
}

function requireSelfSignature(cert: X509Certificate, field: string): void {
    let valid = false;
    try {
        valid = cert.verify(cert.publicKey);
    } catch {
        valid = false;
    }
    if (!valid) {
        throw deviceIdentityError(Code.CertificateSignatureInvalid, `${field}'s self-signature does not verify with its own key`);
    }
}

function requireStrongKey(key: KeyObject, field: string): string {
    const details = key.asymmetricKeyDetails ?? {};
    switch (key.asymmetricKeyType) {
        case 'ed25519':
            return ed25519KeyType(key, field);
        case 'ec':
            return curveKeyType(details.namedCurve ?? '', field);
        case 'rsa':
            return rsaKeyType(details.modulusLength ?? 0, details.publicExponent ?? 0n, field);
        case 'dsa':
            throw deviceIdentityError(Code.KeyTooWeak, `${field} has a DSA key`);
        default:
            throw deviceIdentityError(Code.KeyTypeUnsupported, `${field} has an unsupported ${String(key.asymmetricKeyType)} key`);
    }
}

function curveKeyType(curve: string, field: string): string {
    const accepted = ACCEPTED_CURVES[curve];
    if (accepted !== undefined) {
        return accepted;
    }
    if (WEAK_CURVES.includes(curve)) {
        throw deviceIdentityError(Code.KeyTooWeak, `${field} has a key on the weak curve ${curve}`);
    }
    throw deviceIdentityError(Code.KeyTypeUnsupported, `${field} has a key on curve ${curve}; P-256 or P-384 are accepted`);
}

function rsaKeyType(bits: number, exponent: bigint, field: string): string {
    if (bits < MIN_RSA_BITS) {
        throw deviceIdentityError(Code.KeyTooWeak, `${field} has a ${String(bits)}-bit RSA key; at least ${String(MIN_RSA_BITS)} bits are needed`);
    }
    if (exponent < MIN_RSA_EXPONENT || exponent % 2n === 0n) {
        throw deviceIdentityError(Code.KeyTooWeak, `${field} has an RSA key with public exponent ${exponent.toString()}; an odd exponent of at least 65537 is needed`);
    }
    return `rsa-${String(bits)}`;
}

/**
 * An Ed25519 key must be a point of the prime-order subgroup: a small-order key (the identity and the
 * other 7 torsion points) lets one signature verify for every message under OpenSSL's cofactorless
 * check, and a key with a torsion component is not one a honest key generator makes. Node exposes
 * no point arithmetic, so @noble/curves (audited, the curve library fabric-gateway itself uses) decodes
 * the point, refusing non-canonical encodings too.
 */
function ed25519KeyType(key: KeyObject, field: string): string {
    const raw = Buffer.from(key.export({ format: 'jwk' }).x ?? '', 'base64url');
    let point: InstanceType<typeof ed25519.Point>;
    try {
        point = ed25519.Point.fromHex(raw.toString('hex'));
    } catch {
        throw deviceIdentityError(Code.KeyTooWeak, `${field} has an Ed25519 key that is not a canonical curve point`);
    }
    if (point.isSmallOrder() || !point.isTorsionFree()) {
        throw deviceIdentityError(Code.KeyTooWeak, `${field} has an Ed25519 small-order key (or one with a small-order component)`);
    }
    return 'ed25519';
}

function requireSignatureAlgorithm(key: KeyObject, extensions: ExtensionReader, field: string): void {
    const accepted = SIGNATURE_ALGORITHMS[key.asymmetricKeyType ?? ''] ?? [];
    if (!accepted.includes(extensions.signatureOID)) {
        const name = extensions.signatureAlgorithm === '' ? extensions.signatureOID : `${extensions.signatureAlgorithm} (${extensions.signatureOID})`;
        throw deviceIdentityError(Code.WeakSignatureAlgorithm, `${field} is signed with ${name}; accepted: SHA-256/384/512 with ECDSA or RSA PKCS#1 v1.5, or Ed25519`);
    }
}

function readExtensions(cert: X509Certificate, field: string): ExtensionReader {
    try {
        return ExtensionReader.fromPEM(Buffer.from(cert.toString()));
    } catch (err) {
        throw deviceIdentityError(Code.CertificateInvalid, `${field}'s extensions cannot be read: ${errorText(err)}`);
    }
}

/**
 * Node's X509Certificate does not expose the keyUsage extension (its `keyUsage` is the extended key
 * usage), so the extension is read with @fidm/x509, the parser fabric-shim itself depends on.
 */
function requireSigningUsage(cert: X509Certificate, extensions: ExtensionReader, field: string): void {
    const keyUsage = extensions.getExtension('keyUsage') as { digitalSignature?: boolean } | null;
    if (keyUsage && keyUsage.digitalSignature !== true) {
        throw deviceIdentityError(Code.KeyUsageInvalid, `${field}'s key usage does not allow digitalSignature`);
    }
    const extendedUsage = cert.keyUsage as string[] | undefined;
    if (extendedUsage !== undefined && !extendedUsage.some((oid) => TLS_EXTENDED_USAGES.includes(oid))) {
        throw deviceIdentityError(Code.KeyUsageInvalid, `${field}'s extended key usage allows neither TLS client nor server authentication`);
    }
}

function requireValidAt(cert: X509Certificate, atMillis: number, field: string): { notBefore: number; notAfter: number } {
    const notBefore = parseOpenSslTime(cert.validFrom, field);
    const notAfter = parseOpenSslTime(cert.validTo, field);
    const at = new Date(atMillis).toISOString();
    if (atMillis < notBefore) {
        throw deviceIdentityError(Code.CertificateNotYetValid, `${field} is valid from ${new Date(notBefore).toISOString()}, not at ${at}`);
    }
    if (atMillis > notAfter) {
        throw deviceIdentityError(Code.CertificateExpired, `${field} expired at ${new Date(notAfter).toISOString()}, before ${at}`);
    }
    return { notBefore, notAfter };
}

/** Parses `Nov  2 23:52:33 2026 GMT` exactly, instead of trusting the JavaScript engine's Date parser. */
export function parseOpenSslTime(text: string, field: string): number {
    const match = OPENSSL_TIME.exec(text);
    const month = MONTHS.indexOf(match?.[1] ?? '');
    if (!match || month < 0) {
        throw deviceIdentityError(Code.CertificateInvalid, `${field} has an unreadable validity time ${JSON.stringify(text)}`);
    }
    const [day = 0, hours = 0, minutes = 0, seconds = 0, year = 0] = match.slice(2).map(Number);
    return Date.UTC(year, month, day, hours, minutes, seconds);
}

function errorText(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}

/**
 * The digest each key type signs with: SHA-384 for P-384, none for Ed25519 (pure EdDSA), SHA-256
 * otherwise (ECDSA P-256, RSA PKCS#1 v1.5). ECDSA signatures are DER-encoded (Node's default).
 */
export function rotationDigest(keyType: string): string | null {
    if (keyType === 'ed25519') {
        return null;
    }
    return keyType === 'ec-p384' ? 'sha384' : 'sha256';
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Verifies a rotation proof: `signature` is standard base64 of the old key's signature over
 * {@link rotationMessage}(old, new), with the digest of {@link rotationDigest}.
 */
export function verifyRotationSignature(oldPem: string, oldKeyType: string, message: Buffer, signature: unknown): void {
    if (!verifiesWith(publicKeyOf(oldPem), oldKeyType, message, signature, 'signature')) {
        throw deviceIdentityError(Code.SignatureInvalid, 'signature is not the old key signature over the rotation message');
    }
}

/** Verifies the proof of possession `proof` (base64, digest as for rotation) of a checked certificate. */
export function verifyPossessionProof(checked: CheckedCertificate, message: Buffer, proof: unknown, field = 'proof'): void {
    if (proof === undefined || proof === null || proof === '') {
        throw invalidArgument(`${field} is required: the certificate key's base64 signature over the registration message (proof of possession)`);
    }
    if (!verifiesWith(checked.publicKey, checked.keyType, message, proof, field)) {
        throw deviceIdentityError(Code.SignatureInvalid, `${field} is not the certificate key's signature over the registration message`);
    }
}

function verifiesWith(key: KeyObject, keyType: string, message: Buffer, signature: unknown, field: string): boolean {
    if (typeof signature !== 'string' || signature.length > 2048 || !BASE64.test(signature) || signature.length % 4 !== 0) {
        throw invalidArgument(`${field} must be the standard base64 encoding of a signature`);
    }
    try {
        return verify(rotationDigest(keyType), message, key, Buffer.from(signature, 'base64'));
    } catch {
        return false;
    }
}
