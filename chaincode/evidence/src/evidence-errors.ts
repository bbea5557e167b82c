import { ChaincodeError } from '../../common/src';
import { EvidenceErrorCode } from '../../schemas/src';

// The codes are the schema package's (schemas/src/evidence/errors.ts), where the SDK reads them too.
export { EvidenceErrorCode } from '../../schemas/src';

export function digestMismatch(message: string): ChaincodeError {
    return new ChaincodeError(EvidenceErrorCode.DigestMismatch, message);
}

export function payloadTooLarge(message: string): ChaincodeError {
    return new ChaincodeError(EvidenceErrorCode.PayloadTooLarge, message);
}

export function predecessorNotFound(message: string): ChaincodeError {
    return new ChaincodeError(EvidenceErrorCode.PredecessorNotFound, message);
}
