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
    /** PurgeBillingRecords reaches a period that is not invoiced, or whose invoice has a dispute open. */
    PeriodNotSettled: 'PERIOD_NOT_SETTLED',
    DeadlinePassed: 'DEADLINE_PASSED',
    DeadlineNotReached: 'DEADLINE_NOT_REACHED',
    LineAlreadyDisputed: 'LINE_ALREADY_DISPUTED',
    AmountOverflow: 'AMOUNT_OVERFLOW',
    AlreadyRated: 'ALREADY_RATED',
    StopBeforeStart: 'STOP_BEFORE_START',
    /**
     * A purchase between two organisations that share no pair collection (the same organisation, or two that are not
     * an operator and a tenant): it could not be kept private to them, so it is refused.
     */
    NoPairCollection: 'NO_PAIR_COLLECTION',
    /** A cited evidence record (dispute, compute input or result) does not exist in the evidence chaincode. */
    CitedEvidenceNotFound: 'CITED_EVIDENCE_NOT_FOUND',
    /** A cited evidence record was revoked. */
    CitedEvidenceRevoked: 'CITED_EVIDENCE_REVOKED',
    /** A cited evidence record anchors another digest than the one it is cited for. */
    CitedEvidenceMismatch: 'CITED_EVIDENCE_MISMATCH',
    /** The evidence chaincode could not be asked (not on the channel, or it failed): the citation is refused. */
    EvidenceUnavailable: 'EVIDENCE_UNAVAILABLE',
    /** A disclosed token account or credit note is not what the owner's collection holds (its hash differs, or it is spent). */
    DisclosureMismatch: 'DISCLOSURE_MISMATCH',
} as const;

export type BillingErrorCode = (typeof BillingErrorCode)[keyof typeof BillingErrorCode];
