import { toEdgeTrustError } from '@edgetrust/gateway-sdk';
import { CommitError, type Gateway } from '@hyperledger/fabric-gateway';
import { createHash, randomUUID } from 'node:crypto';
import { jsonSafe } from './json-safe';
import { type Problem, problem, problemOf, ServiceError } from './problem';
import { submissionHooks } from './recording-contract';
import type { ServiceStore, SubmissionRow } from './store';

/** An HTTP answer: status and JSON body. */
export interface Outcome {
    status: number;
    body: unknown;
    /** True when this is the stored answer of an earlier request with the same Idempotency-Key. */
    replayed?: boolean;
}

/** One submission request. */
export interface SubmissionRequest {
    caller: string;
    operation: string;
    idempotencyKey?: string;
    /** What identifies the request's content: method, path and body. A key reused with other content is refused. */
    content: string;
    /** `Prefer: respond-async`: answer 202 once the transaction is endorsed and on its way. */
    async: boolean;
    /** Runs the client method (it submits through a recording contract). */
    run(): Promise<unknown>;
}

/** What a submission record shows at GET /v1/operations/{id}. */
export interface OperationStatus {
    operationId: string;
    operation: string;
    state: 'pending' | 'submitted' | 'done';
    transactionId?: string;
    httpStatus?: number;
    response?: unknown;
}

const utf8 = new TextDecoder();

/**
 * Submissions made safe to retry. With an `Idempotency-Key` (scoped to the caller), the first request's answer is
 * stored and every retry gets it back; a retry while the first is still running waits for it. The endorsed
 * transaction is stored before it goes to the orderer, so after a crash of the service a retry — or the service's
 * own recovery at start — sends the same transaction again instead of a new one: its id commits at most once.
 */
export class Submissions {
    readonly #store: ServiceStore;
    readonly #gatewayOf: (caller: string) => Promise<Gateway>;
    readonly #running = new Map<string, Promise<Outcome>>();

    constructor(store: ServiceStore, gatewayOf: (caller: string) => Promise<Gateway>) {
        this.#store = store;
        this.#gatewayOf = gatewayOf;
    }

    /**
     * After a restart: a submission stored as pending never reached the orderer (it is stored as prepared first), so
     * it is forgotten and a retry runs afresh; a prepared one is sent again and its outcome stored.
     */
    recover(): Promise<void> {
        for (const row of this.#store.submissionsIn('pending')) {
            this.#store.deleteSubmission(row.id);
        }
        const prepared = this.#store.submissionsIn('prepared').map((row) => this.#track(row.id, this.#resubmit(row)));
        return Promise.allSettled(prepared).then(() => undefined);
    }

    async submit(request: Readonly<SubmissionRequest>): Promise<Outcome> {
        if (request.idempotencyKey === undefined && !request.async) {
            // Nothing to retry by and nothing to look up later: no bookkeeping.
            return this.#answer(request.run);
        }
        const fingerprint = createHash('sha256').update(request.content).digest('hex');
        if (request.idempotencyKey !== undefined) {
            const earlier = this.#store.submissionByKey(request.caller, request.idempotencyKey);
            if (earlier) {
                return this.#replay(earlier, fingerprint, request.async);
            }
        }
        const id = randomUUID();
        this.#store.insertSubmission({ id, caller: request.caller, idempotencyKey: request.idempotencyKey ?? null, fingerprint, operation: request.operation });
        let announce: (transactionId: string) => void = () => undefined;
        const prepared = new Promise<string>((resolve) => {
            announce = resolve;
        });
        const hook = {
            prepared: async (transactionId: string, bytes: Uint8Array): Promise<void> => {
                await this.#store.markPrepared(id, transactionId, bytes);
                announce(transactionId);
            },
        };
        const outcome = this.#track(
            id,
            submissionHooks.run(hook, () => this.#settle(id, request.run)),
        );
        if (!request.async) {
            return outcome;
        }
        const first = await Promise.race([prepared.then((transactionId) => ({ transactionId })), outcome.then((done) => ({ done }))]);
        return 'done' in first ? first.done : { status: 202, body: { operationId: id, transactionId: first.transactionId, status: 'submitted' } };
    }

    /** The state of a submission of this caller. */
    status(caller: string, id: string): OperationStatus {
        const row = this.#store.submission(caller, id);
        if (!row) {
            throw new ServiceError('OPERATION_NOT_FOUND', `no operation ${id}`);
        }
        const state = row.state === 'done' ? 'done' : row.state === 'prepared' ? 'submitted' : 'pending';
        return {
            operationId: row.id,
            operation: row.operation,
            state,
            ...(row.transactionId === null ? {} : { transactionId: row.transactionId }),
            ...(row.status === null ? {} : { httpStatus: row.status }),
            ...(row.response === null ? {} : { response: JSON.parse(row.response) as unknown }),
        };
    }

    /** Waits for submissions still running (e.g. before the service stops). */
    async drain(): Promise<void> {
        await Promise.allSettled(this.#running.values());
    }

    #track(id: string, outcome: Promise<Outcome>): Promise<Outcome> {
        const tracked = outcome.finally(() => this.#running.delete(id));
        this.#running.set(id, tracked);
        return tracked;
    }

    async #replay(row: SubmissionRow, fingerprint: string, async: boolean): Promise<Outcome> {
        if (row.fingerprint !== fingerprint) {
            const refused = problem('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key ${row.idempotencyKey ?? ''} was used for a different request (operation ${row.operation})`);
            return { status: refused.status, body: refused };
        }
        if (row.state === 'done') {
            return { status: row.status ?? 200, body: JSON.parse(row.response ?? 'null') as unknown, replayed: true };
        }
        const running = this.#running.get(row.id);
        if (async && row.transactionId !== null) {
            return { status: 202, body: { operationId: row.id, transactionId: row.transactionId, status: 'submitted' }, replayed: true };
        }
        if (running) {
            return { ...(await running), replayed: true };
        }
        // Prepared by an earlier run of the service whose recovery failed (e.g. the network was down): try again.
        return { ...(await this.#track(row.id, this.#resubmit(row))), replayed: true };
    }

    async #answer(run: () => Promise<unknown>): Promise<Outcome> {
        try {
            return { status: 200, body: jsonSafe(await run()) };
        } catch (err) {
            const refused = problemOf(toEdgeTrustError(err));
            return { status: refused.status, body: refused };
        }
    }

    /** Runs a submission and stores its outcome; a failure with nothing sent is forgotten, so a retry runs again. */
    async #settle(id: string, run: () => Promise<unknown>): Promise<Outcome> {
        try {
            const result = jsonSafe(await run());
            const outcome = { status: 200, body: result };
            this.#store.markDone(id, outcome.status, JSON.stringify(outcome.body));
            return outcome;
        } catch (err) {
            const refused = problemOf(toEdgeTrustError(err));
            return this.#failed(id, refused);
        }
    }

    #failed(id: string, refused: Problem): Outcome {
        if (refused.status >= 500 && this.#store.submissionById(id)?.state === 'prepared') {
            // Sent, outcome unknown (e.g. the commit status wait failed): keep it prepared for recovery or a retry.
            return { status: refused.status, body: refused };
        }
        if (refused.status >= 500) {
            this.#store.deleteSubmission(id);
        } else {
            this.#store.markDone(id, refused.status, JSON.stringify(refused));
        }
        return { status: refused.status, body: refused };
    }

    /** Sends a stored endorsed transaction again and waits for its commit status. */
    async #resubmit(row: SubmissionRow): Promise<Outcome> {
        try {
            if (row.prepared === null) {
                throw new ServiceError('INVALID_STATE', `submission ${row.id} has no stored transaction`);
            }
            const gateway = await this.#gatewayOf(row.caller);
            const transaction = gateway.newTransaction(row.prepared);
            // Already ordered before the crash? The orderer takes it again, the peers mark the copy a duplicate, and
            // the commit status (looked up by transaction id) is the first one's.
            const submitted = await transaction.submit();
            const status = await submitted.getStatus();
            if (!status.successful) {
                throw new CommitError({ code: status.code, transactionId: status.transactionId, message: `transaction ${status.transactionId} failed to commit with status code ${String(status.code)}` });
            }
            const text = utf8.decode(transaction.getResult());
            const body = { result: text === '' ? undefined : (JSON.parse(text) as unknown), transactionId: status.transactionId, blockNumber: Number(status.blockNumber) };
            this.#store.markDone(row.id, 200, JSON.stringify(body));
            return { status: 200, body };
        } catch (err) {
            return this.#failed(row.id, problemOf(toEdgeTrustError(err)));
        }
    }
}
