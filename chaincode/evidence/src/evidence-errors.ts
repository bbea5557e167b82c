import { ChaincodeError } from '../../common/src';

/**
 * Evidence-specific error codes, on top of the generic ones in chaincode/common (INVALID_ARGUMENT,
 * ACCESS_DENIED, NOT_FOUND, ALREADY_EXISTS, INVALID_STATE, CORRUPT_STATE).
 */
export const EvidenceErrorCode = {
    /** The digest in the request is not the SHA-256 of the payload (or of salt || content digest) sent with it. */
    DigestMismatch: 'DIGEST_MISMATCH',
    /** A payload to be stored whole on chain is above the size cap. */
    PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
    /** A process step names a predecessor that was never anchored. */
    PredecessorNotFound: 'PREDECESSOR_NOT_FOUND',
} as const;

export function digestMismatch(message: string): ChaincodeError {
    return new ChaincodeError(EvidenceErrorCode.DigestMismatch, message);
}

export function payloadTooLarge(message: string): ChaincodeError {
    return new ChaincodeError(EvidenceErrorCode.PayloadTooLarge, message);
}

export function predecessorNotFound(message: string): ChaincodeError {
    return new ChaincodeError(EvidenceErrorCode.PredecessorNotFound, message);
}
