/**
 * The device identity chaincode's own error codes, on top of the common ones (../error-codes.ts).
 */
export const DeviceIdentityErrorCode = {
    /** Not a single parseable X.509 certificate in PEM, or unreadable extensions. */
    CertificateInvalid: 'CERTIFICATE_INVALID',
    /** The transaction time is after the certificate's notAfter. */
    CertificateExpired: 'CERTIFICATE_EXPIRED',
    /** The transaction time is before the certificate's notBefore. */
    CertificateNotYetValid: 'CERTIFICATE_NOT_YET_VALID',
    /** Not self-issued, or the self-signature does not verify with the certificate's own key. */
    CertificateSignatureInvalid: 'CERTIFICATE_SIGNATURE_INVALID',
    /** The certificate's signature algorithm is not on the allowlist (SHA-256/384/512 with ECDSA or RSA PKCS#1 v1.5, Ed25519). */
    WeakSignatureAlgorithm: 'WEAK_SIGNATURE_ALGORITHM',
    /** RSA below 2048 bits or with a public exponent below 65537 or even, DSA, a curve below 256 bits, an Ed25519 small-order key. */
    KeyTooWeak: 'KEY_TOO_WEAK',
    /** A key type that is neither EC P-256/P-384, Ed25519 nor RSA. */
    KeyTypeUnsupported: 'KEY_TYPE_UNSUPPORTED',
    /** Key usage present without digitalSignature, or extended key usage without TLS client/server auth. */
    KeyUsageInvalid: 'KEY_USAGE_INVALID',
    /** The rotation proof does not verify with the old certificate's key. */
    SignatureInvalid: 'SIGNATURE_INVALID',
    /** The certificate is revoked, which is final. */
    CertificateRevoked: 'CERTIFICATE_REVOKED',
    /** The equipment asset's lifecycle does not allow this state change. */
    IllegalTransition: 'ILLEGAL_TRANSITION',
} as const;

export type DeviceIdentityErrorCode = (typeof DeviceIdentityErrorCode)[keyof typeof DeviceIdentityErrorCode];
