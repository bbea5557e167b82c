import { CommitError, CommitStatusError, EndorseError, GatewayError, type SubmitError } from '@hyperledger/fabric-gateway';
import { ErrorCode } from '@edgetrust/schemas';

/**
 * How far a failed transaction got: `proposal` — refused while being endorsed or ordered, so nothing reached the
 * ledger; `commit` — ordered into a block but marked invalid, so none of its writes took effect; `unknown` — its
 * commit status could not be learned.
 */
export type TransactionStage = 'proposal' | 'commit' | 'unknown';

/** Options every EdgeTrust error is built from. */
export interface EdgeTrustErrorOptions {
    /** Stable code: a chaincode code such as `NOT_FOUND`, or a transaction validation code such as `MVCC_READ_CONFLICT`. */
    code: string;
    message: string;
    transactionId?: string;
    /** Where the transaction stopped, when there was one. */
    stage?: TransactionStage;
    cause?: unknown;
}

/**
 * Base of every error the EdgeTrust clients throw. Chaincode errors cross the wire as text
 * (`chaincode response 500, CODE: message`); {@link toEdgeTrustError} turns that text back into these classes.
 */
export class EdgeTrustError extends Error {
    /** Stable error code. */
    readonly code: string;
    /** The id of the transaction proposal the error belongs to, when one was created (see {@link stage}). */
    readonly transactionId?: string;
    /** How far that transaction got; a refused proposal recorded nothing. */
    readonly stage?: TransactionStage;

    constructor(options: Readonly<EdgeTrustErrorOptions>) {
        super(options.message, { cause: options.cause });
        this.name = 'EdgeTrustError';
        this.code = options.code;
        this.transactionId = options.transactionId;
        this.stage = options.stage;
    }
}

/**
 * Names an error's transaction so that no one reads a refusal as something recorded: `proposal <id>, nothing
 * recorded`, `transaction <id> invalidated at commit, nothing written`; undefined without a transaction.
 */
export function transactionNote(err: Readonly<EdgeTrustError>): string | undefined {
    if (err.transactionId === undefined) {
        return undefined;
    }
    switch (err.stage) {
        case 'proposal':
            return `proposal ${err.transactionId}, nothing recorded`;
        case 'commit':
            return `transaction ${err.transactionId} invalidated at commit, nothing written`;
        default:
            return `transaction ${err.transactionId}, commit status unknown`;
    }
}

/** The chaincode refused an argument (`INVALID_ARGUMENT`). */
export class InvalidArgumentError extends EdgeTrustError {
    constructor(options: Readonly<EdgeTrustErrorOptions>) {
        super(options);
        this.name = 'InvalidArgumentError';
    }
}

/** The caller has no right to do this (`ACCESS_DENIED`). */
export class AccessDeniedError extends EdgeTrustError {
    constructor(options: Readonly<EdgeTrustErrorOptions>) {
        super(options);
        this.name = 'AccessDeniedError';
    }
}

/** The record does not exist (`NOT_FOUND`). */
export class NotFoundError extends EdgeTrustError {
    constructor(options: Readonly<EdgeTrustErrorOptions>) {
        super(options);
        this.name = 'NotFoundError';
    }
}

/** The record exists already (`ALREADY_EXISTS`). */
export class AlreadyExistsError extends EdgeTrustError {
    constructor(options: Readonly<EdgeTrustErrorOptions>) {
        super(options);
        this.name = 'AlreadyExistsError';
    }
}

/** The record is not in a state that allows this (`INVALID_STATE`). */
export class InvalidStateError extends EdgeTrustError {
    constructor(options: Readonly<EdgeTrustErrorOptions>) {
        super(options);
        this.name = 'InvalidStateError';
    }
}

/**
 * The transaction lost a race and nothing it wrote reached the ledger: it failed validation at commit
 * (`MVCC_READ_CONFLICT` when another transaction changed the same keys first), or its endorsers of different
 * organisations saw different state (`ENDORSEMENT_MISMATCH`). Retrying may succeed.
 */
export class TransactionConflictError extends EdgeTrustError {
    constructor(options: Readonly<EdgeTrustErrorOptions>) {
        super(options);
        this.name = 'TransactionConflictError';
    }
}

/** Options of a {@link ConsistencyTimeoutError}. */
export interface ConsistencyTimeoutErrorOptions extends EdgeTrustErrorOptions {
    channel: string;
    blockNumber: bigint;
    /** The peers that had not committed the block. */
    peers: string[];
}

/**
 * The peers a read or an endorsement would run on did not commit the block this session requires (its own
 * latest write, or a consistency token it was given) in time (`CONSISTENCY_TIMEOUT`). Nothing was sent to them.
 */
export class ConsistencyTimeoutError extends EdgeTrustError {
    readonly channel: string;
    readonly blockNumber: bigint;
    readonly peers: string[];

    constructor(options: Readonly<ConsistencyTimeoutErrorOptions>) {
        super(options);
        this.name = 'ConsistencyTimeoutError';
        this.channel = options.channel;
        this.blockNumber = options.blockNumber;
        this.peers = [...options.peers];
    }
}

type ErrorClass = new (options: Readonly<EdgeTrustErrorOptions>) => EdgeTrustError;

// The codes are the schema package's, the very constants the chaincodes throw with.
const CLASS_BY_CODE: Readonly<Record<string, ErrorClass>> = {
    [ErrorCode.InvalidArgument]: InvalidArgumentError,
    [ErrorCode.AccessDenied]: AccessDeniedError,
    [ErrorCode.NotFound]: NotFoundError,
    [ErrorCode.AlreadyExists]: AlreadyExistsError,
    [ErrorCode.InvalidState]: InvalidStateError,
};

const CHAINCODE_MESSAGE = /chaincode response \d+, ([A-Z][A-Z0-9_]+): ([^]*)$/;

/** Finds `CODE: message` in an endorsing peer's error text, if the chaincode put one there. */
export function parseChaincodeMessage(text: string): { code: string; message: string } | undefined {
    const match = CHAINCODE_MESSAGE.exec(text);
    return match ? { code: match[1] ?? '', message: match[2] ?? '' } : undefined;
}

/**
 * Converts whatever a gateway call threw into an {@link EdgeTrustError}: the one place where raw
 * fabric-gateway errors become typed ones. Errors without a chaincode code keep code `GATEWAY_<gRPC code>`.
 */
export function toEdgeTrustError(err: unknown): EdgeTrustError {
    if (err instanceof EdgeTrustError) {
        return err;
    }
    const { transactionId, stage } = transactionOf(err);
    if (err instanceof CommitError) {
        const code = statusName(err.code);
        return new TransactionConflictError({ code, message: err.message, transactionId, stage, cause: err });
    }
    if (err instanceof GatewayError) {
        const texts = [...err.details.map((d) => d.message), err.message];
        const parsed = texts.map(parseChaincodeMessage).find((p) => p !== undefined);
        if (parsed) {
            const ErrorType = CLASS_BY_CODE[parsed.code] ?? EdgeTrustError;
            return new ErrorType({ code: parsed.code, message: `${parsed.code}: ${parsed.message}`, transactionId, stage, cause: err });
        }
        if (texts.some((t) => t.includes('ProposalResponsePayloads do not match'))) {
            // Endorsers of different organisations read different state (one was behind, or the keys changed between
            // the endorsements): nothing was written, and retrying usually succeeds.
            return new TransactionConflictError({ code: 'ENDORSEMENT_MISMATCH', message: texts.join('; '), transactionId, stage, cause: err });
        }
        return new EdgeTrustError({ code: `GATEWAY_${String(err.code)}`, message: texts.join('; '), transactionId, stage, cause: err });
    }
    const message = err instanceof Error ? err.message : String(err);
    return new EdgeTrustError({ code: 'CLIENT_ERROR', message, cause: err });
}

/** The transaction of a fabric-gateway error and how far it got. */
function transactionOf(err: unknown): { transactionId?: string; stage?: TransactionStage } {
    // fabric-gateway exports SubmitError (the orderer refused the transaction) as a type only.
    if (err instanceof EndorseError || (err instanceof GatewayError && err.name === 'SubmitError')) {
        return { transactionId: (err as EndorseError | SubmitError).transactionId, stage: 'proposal' };
    }
    if (err instanceof CommitError) {
        return { transactionId: err.transactionId, stage: 'commit' };
    }
    return err instanceof CommitStatusError ? { transactionId: err.transactionId, stage: 'unknown' } : {};
}

// Transaction validation codes from fabric-protos' TxValidationCode, by number, for readable errors.
const TX_VALIDATION_CODES: Readonly<Record<number, string>> = {
    1: 'NIL_ENVELOPE',
    2: 'BAD_PAYLOAD',
    10: 'ENDORSEMENT_POLICY_FAILURE',
    11: 'MVCC_READ_CONFLICT',
    12: 'PHANTOM_READ_CONFLICT',
};

function statusName(code: number): string {
    return TX_VALIDATION_CODES[code] ?? `TX_VALIDATION_${String(code)}`;
}
