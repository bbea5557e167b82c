import { EdgeTrustError, transactionNote } from '@edgetrust/gateway-sdk';

/**
 * RFC 9457 problem details, as every error of the service is answered (`application/problem+json`), carrying the
 * EdgeTrust error code (`code`) so that a client can branch on it exactly as an SDK caller on the error class.
 */
export interface Problem {
    /** `urn:edgetrust:error:<CODE>`: stable, one per code. */
    type: string;
    title: string;
    status: number;
    detail: string;
    code: string;
    transactionId?: string;
    /** How far the transaction got (`proposal`: nothing recorded; `commit`: invalidated; `unknown`). */
    stage?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * HTTP status per EdgeTrust code: the chaincodes' general codes (errors.ts of the SDK), Fabric's validation codes
 * the SDK passes through, and the service's own. A chaincode domain code not listed here (a refusal of a
 * well-formed request, e.g. `DIGEST_MISMATCH`, `INSUFFICIENT_BALANCE`) is 422; a gateway failure without a chaincode
 * code (`GATEWAY_<gRPC code>`) is 502, except unavailability (503) and deadlines (504).
 */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
    INVALID_ARGUMENT: 400,
    UNAUTHENTICATED: 401,
    ACCESS_DENIED: 403,
    ENDORSEMENT_POLICY_FAILURE: 403,
    NOT_FOUND: 404,
    PREDECESSOR_NOT_FOUND: 404,
    OPERATION_NOT_FOUND: 404,
    SUBSCRIPTION_NOT_FOUND: 404,
    ALREADY_EXISTS: 409,
    INVALID_STATE: 409,
    ILLEGAL_TRANSITION: 409,
    SESSION_ALREADY_STARTED: 409,
    SESSION_CLOSED: 409,
    PERIOD_CLOSED: 409,
    PERIOD_NOT_SETTLED: 409,
    ALREADY_RATED: 409,
    LINE_ALREADY_DISPUTED: 409,
    PLAN_VERSION_MISMATCH: 409,
    MVCC_READ_CONFLICT: 409,
    PHANTOM_READ_CONFLICT: 409,
    ENDORSEMENT_MISMATCH: 409,
    PAYLOAD_TOO_LARGE: 413,
    IDEMPOTENCY_KEY_REUSED: 422,
    CORRUPT_STATE: 500,
    CLIENT_ERROR: 500,
    UNAVAILABLE: 503,
    CONSISTENCY_TIMEOUT: 503,
    GATEWAY_14: 503,
    GATEWAY_4: 504,
};

const TITLE_BY_STATUS: Readonly<Record<number, string>> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    413: 'Content Too Large',
    422: 'Unprocessable Content',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
};

/** The HTTP status for an EdgeTrust error code. */
export function statusForCode(code: string): number {
    const listed = STATUS_BY_CODE[code];
    if (listed !== undefined) {
        return listed;
    }
    return code.startsWith('GATEWAY_') || code.startsWith('TX_VALIDATION_') ? 502 : 422;
}

/** A problem for an EdgeTrust code and message. */
export function problem(code: string, detail: string, extra: Partial<Pick<Problem, 'transactionId' | 'stage'>> = {}): Problem {
    const status = statusForCode(code);
    return { type: `urn:edgetrust:error:${code}`, title: TITLE_BY_STATUS[status] ?? 'Error', status, detail, code, ...extra };
}

/** The problem for whatever a handler threw: an EdgeTrustError keeps its code, transaction and stage. */
export function problemOf(err: unknown): Problem {
    if (err instanceof EdgeTrustError) {
        const note = transactionNote(err);
        return problem(err.code, note === undefined ? err.message : `${err.message} (${note})`, {
            ...(err.transactionId === undefined ? {} : { transactionId: err.transactionId }),
            ...(err.stage === undefined ? {} : { stage: err.stage }),
        });
    }
    return problem('CLIENT_ERROR', err instanceof Error ? err.message : String(err));
}

/** An error the service raises itself, answered as a problem with its code. */
export class ServiceError extends EdgeTrustError {
    constructor(code: string, message: string) {
        super({ code, message });
        this.name = 'ServiceError';
    }
}
