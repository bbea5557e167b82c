import { ChaincodeError } from '../../common/src';
import { BillingErrorCode } from '../../schemas/src';

// The codes are defined once, in the schema package, where the SDK reads them too.
export { BillingErrorCode };

export function billingError(code: BillingErrorCode, message: string): ChaincodeError {
    return new ChaincodeError(code, message);
}
