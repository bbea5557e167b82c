/**
 * Errors cross the wire as text only ("chaincode response 500, <message>"), so every rejection starts with one of
 * these codes and the SDK turns it back into a typed error. The common codes every chaincode uses; a chaincode's
 * own codes live beside its schemas (`evidence/errors.ts`).
 */
export const ErrorCode = {
    InvalidArgument: 'INVALID_ARGUMENT',
    AccessDenied: 'ACCESS_DENIED',
    NotFound: 'NOT_FOUND',
    AlreadyExists: 'ALREADY_EXISTS',
    InvalidState: 'INVALID_STATE',
    CorruptState: 'CORRUPT_STATE',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
