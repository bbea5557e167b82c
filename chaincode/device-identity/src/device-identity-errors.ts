import { ChaincodeError } from '../../common/src';
import type { DeviceIdentityErrorCode } from '../../schemas/src';

// The codes are the schema package's (device-identity/errors.ts), beside the common ones; clients read them there too.
export { DeviceIdentityErrorCode } from '../../schemas/src';

export function deviceIdentityError(code: DeviceIdentityErrorCode, message: string): ChaincodeError {
    return new ChaincodeError(code, message);
}
