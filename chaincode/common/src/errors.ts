/**
 * Errors that cross the wire are text only ("chaincode response 500, <message>"), so every
 * rejection starts with a stable code the SDK turns back into a typed error.
 */
export const ErrorCode = {
    InvalidArgument: 'INVALID_ARGUMENT',
    AccessDenied: 'ACCESS_DENIED',
    NotFound: 'NOT_FOUND',
    AlreadyExists: 'ALREADY_EXISTS',
    InvalidState: 'INVALID_STATE',
    CorruptState: 'CORRUPT_STATE',
} as const;

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
