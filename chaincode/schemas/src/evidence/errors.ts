/**
 * The evidence chaincode's own error codes, on top of the common ones (../error-codes.ts).
 */
export const EvidenceErrorCode = {
    /** The digest in the request is not the SHA-256 of the payload (or of salt || content digest) sent with it. */
    DigestMismatch: 'DIGEST_MISMATCH',
    /** A payload to be stored whole on chain is above the size cap. */
    PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
    /** A process step names a predecessor that was never anchored. */
    PredecessorNotFound: 'PREDECESSOR_NOT_FOUND',
    /** A signed capture names a device that device identity does not know. */
    SourceDeviceUnknown: 'SOURCE_DEVICE_UNKNOWN',
    /** The capturing device was suspended, revoked, not yet registered or outside its certificate's validity at capture or at anchoring. */
    SourceNotTrusted: 'SOURCE_NOT_TRUSTED',
    /** A capture's signature does not verify with the device's registered certificate. */
    SourceSignatureInvalid: 'SOURCE_SIGNATURE_INVALID',
    /** A capture's sequence is not above the device's last anchored one: a replay or a reordered capture. */
    CaptureReplayed: 'CAPTURE_REPLAYED',
    /** Device identity could not be asked (not installed on the channel, or it failed). */
    SourceRegistryUnavailable: 'SOURCE_REGISTRY_UNAVAILABLE',
} as const;

export type EvidenceErrorCode = (typeof EvidenceErrorCode)[keyof typeof EvidenceErrorCode];
