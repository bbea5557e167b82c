/** The resource billing chaincode's own error codes, on top of the common ones (../error-codes.ts). */
export const BillingErrorCode = {
    SessionAlreadyStarted: 'SESSION_ALREADY_STARTED',
    SessionClosed: 'SESSION_CLOSED',
    TimestampOutOfTolerance: 'TIMESTAMP_OUT_OF_TOLERANCE',
    InsufficientBalance: 'INSUFFICIENT_BALANCE',
    SignatureInvalid: 'SIGNATURE_INVALID',
    PlanVersionMismatch: 'PLAN_VERSION_MISMATCH',
    PeriodClosed: 'PERIOD_CLOSED',
    PeriodNotEnded: 'PERIOD_NOT_ENDED',
    DeadlinePassed: 'DEADLINE_PASSED',
    DeadlineNotReached: 'DEADLINE_NOT_REACHED',
    LineAlreadyDisputed: 'LINE_ALREADY_DISPUTED',
    AmountOverflow: 'AMOUNT_OVERFLOW',
    AlreadyRated: 'ALREADY_RATED',
    StopBeforeStart: 'STOP_BEFORE_START',
} as const;

export type BillingErrorCode = (typeof BillingErrorCode)[keyof typeof BillingErrorCode];
