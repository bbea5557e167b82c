import { ChaincodeError } from '../../common/src';
import type { ComputeErrorCode } from '../../schemas/src';

export function computeError(code: ComputeErrorCode, message: string): ChaincodeError {
    return new ChaincodeError(code, message);
}
