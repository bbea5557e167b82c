import { ErrorCode } from '../../schemas/src';

// The codes are defined once, in the schema package, where the SDK reads them too.
export { ErrorCode };

export class ChaincodeError extends Error {
    readonly code: string;

    constructor(code: string, message: string) {
        super(`${code}: ${message}`);
        this.name = 'ChaincodeError';
        this.code = code;
    }
}

export function invalidArgument(message: string): ChaincodeError {
    return new ChaincodeError(ErrorCode.InvalidArgument, message);
}

export function accessDenied(message: string): ChaincodeError {
    return new ChaincodeError(ErrorCode.AccessDenied, message);
}

export function notFound(message: string): ChaincodeError {
    return new ChaincodeError(ErrorCode.NotFound, message);
}

export function alreadyExists(message: string): ChaincodeError {
    return new ChaincodeError(ErrorCode.AlreadyExists, message);
}

export function invalidState(message: string): ChaincodeError {
    return new ChaincodeError(ErrorCode.InvalidState, message);
}
