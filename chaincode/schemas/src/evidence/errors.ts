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
} as const;

export type EvidenceErrorCode = (typeof EvidenceErrorCode)[keyof typeof EvidenceErrorCode];
