import { verify } from 'node:crypto';
import { accessDenied, type Caller, caller, invalidArgument, invalidState, LedgerState, notFound, requireCount, requireIdentifier, toJSON, txTime, txTimeMillis } from '../../common/src';
import { isoInstant, requireBase64, requireInstant, requireMspId, requireObject } from './billing-inputs';
import { billingError, BillingErrorCode } from './billing-errors';
import { billedSeconds, requirePlanVersion } from './price-plan';
import { type ComputeTask, computeTaskText, type EdgeResource, type MeterUnit, type SessionPayment, type SessionPaymentRequest, type StartSessionRequest, type StopMeters, type UsageRecord, type UsageSession } from '../../schemas/src';
import { Key } from './keys';
import { disclosedAccount, holdInEscrow, releaseEscrow } from './token-ledger';
import { type MeteredUse, recordInvoicedUsage, recordTokenUsage } from './usage-ledger';
import { hasRole, requirePairReader, requireTenant } from './role-grant';
import { counterpartyOf, type Parties, requireAwaitedParty, requireParty } from './counterparty';
import type { Context } from 'fabric-contract-api';
import { escrowIdOf } from './token-account';
import { pairCollection, putRoute, readRoute, REQUEST_TRANSIENT_KEY, requireSameId, transientRequest } from './billing-collection';
import { sessionRecordId } from './usage-record';
import { readPlan, readResource } from './edge-resource';

/** A start request as checked: the payment deadline as epoch milliseconds. */
export type ValidStartRequest = Omit<StartSessionRequest, 'payment'> & { payment?: Omit<SessionPaymentRequest, 'deadline'> & { deadlineMillis: number } };

export function validateStartRequest(value: unknown): ValidStartRequest {
    const request = requireObject<StartSessionRequest>(value, 'request');
    const result: ValidStartRequest = {
        sessionId: requireIdentifier(request.sessionId, 'sessionId'),
        resourceId: requireIdentifier(request.resourceId, 'resourceId'),
        appId: requireIdentifier(request.appId, 'appId'),
    };
    if (request.tenantMspId !== undefined) {
        result.tenantMspId = requireMspId(request.tenantMspId, 'tenantMspId');
    }
    if (request.planVersion !== undefined) {
        result.planVersion = requirePlanVersion(request.planVersion);
    }
    if (request.payment !== undefined) {
        const payment = requireObject<StartSessionRequest['payment'] & object>(request.payment, 'payment');
        result.payment = {
            accountId: requireIdentifier(payment.accountId, 'payment.accountId'),
            budget: requireCount(payment.budget, 'payment.budget', { min: 1 }),
            deadlineMillis: requireInstant(payment.deadline, 'payment.deadline'),
        };
    }
    if (request.signature !== undefined) {
        if (result.payment === undefined || result.planVersion === undefined) {
            throw invalidArgument('a signed compute task needs payment and planVersion');
        }
        result.signature = requireBase64(request.signature, 'signature', { minBytes: 8, maxBytes: 80 });
    }
    return result;
}

export function validateStopMeters(value: unknown, unit: MeterUnit): number | undefined {
    const meters = requireObject<StopMeters>(value, 'meters');
    if (unit === 'call') {
        return requireCount(meters.calls, 'meters.calls');
    }
    if (unit === 'gb') {
        return requireCount(meters.bytes, 'meters.bytes');
    }
    if (meters.calls !== undefined || meters.bytes !== undefined) {
        throw invalidArgument('a per-second session is metered by its duration; give no calls or bytes');
    }
    return undefined;
}

/** The exact bytes a requester signs; see {@link ComputeTask}. */
export function taskSigningBytes(task: ComputeTask): Buffer {
    return Buffer.from(computeTaskText(task), 'utf8');
}

/** Verifies a compute task's signature with the payer's registered key; SIGNATURE_INVALID otherwise. */
export function verifyTaskSignature(task: ComputeTask, signature: string, publicKeyPem: string): void {
    let valid = false;
    try {
        valid = verify('sha256', taskSigningBytes(task), { key: publicKeyPem, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
    } catch {
        valid = false;
    }
    if (!valid) {
        throw billingError(BillingErrorCode.SignatureInvalid, `the compute task signature does not verify with the key of account ${task.accountId}`);
    }
}

/**
 * Proposes a usage session (B2). The tenant's application proposes it for itself, or the
 * resource's operator proposes it for a named tenant; it is `proposed` and bills nothing until
 * the other organisation calls AcceptSession. The one exception is the operator submitting the
 * tenant's signed compute task (B9): the payer's signature, by the key registered for an account
 * of the tenant's organisation, is the tenant's consent, so that session starts at once.
 * With `payment`, the token budget goes into escrow at the proposal; a decline refunds it.
 */
export async function startSession(ctx: Context, sessionId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const request = validateStartRequest(transientRequest(state, 'request'));
    requireSameId(sessionId, request.sessionId, 'sessionId');
    const who = caller(ctx);
    const resource = await readResource(state, request.resourceId);
    const tenantMspId = request.tenantMspId ?? who.mspId;
    await requireSessionStarter(state, who, resource, tenantMspId);
    if (request.planVersion !== undefined && request.planVersion !== resource.planVersion) {
        throw billingError(BillingErrorCode.PlanVersionMismatch, `resource ${resource.resourceId} is at plan version ${String(resource.planVersion)}`);
    }
    const parties: Parties = { operatorMspId: resource.operatorMspId, tenantMspId };
    const collection = pairCollection(parties);
    const key = state.key(Key.Session, request.sessionId);
    if ((await readRoute(state, 'session', request.sessionId)) !== undefined) {
        throw billingError(BillingErrorCode.SessionAlreadyStarted, `session ${request.sessionId} was already started`);
    }
    const plan = await readPlan(state, resource.resourceId, resource.planVersion);
    const payment = request.payment ? await holdBudget(state, request, resource, tenantMspId, collection) : undefined;
    const now = txTime(ctx);
    const consent = startConsent(ctx, who, { operatorMspId: resource.operatorMspId, tenantMspId }, payment);
    const session: UsageSession = {
        sessionId: request.sessionId,
        resourceId: resource.resourceId,
        siteId: resource.siteId,
        operatorMspId: resource.operatorMspId,
        tenantMspId,
        appId: request.appId,
        planVersion: plan.version,
        unit: plan.unit,
        rate: plan.rate,
        ...(plan.cycle ? { cycle: plan.cycle } : {}),
        ...consent,
        proposedAt: now,
        startedByMspId: who.mspId,
        startedById: who.id,
        startTxId: ctx.stub.getTxID(),
        ...(payment ? { payment } : {}),
    };
    putRoute(state, 'session', session.sessionId, parties);
    state.put(key, session, collection);
    await state.commit(session.status === 'active' ? 'SessionStarted' : 'SessionProposed', sessionEvent(session));
    return toJSON(sessionEvent(session));
}

/** The counterparty organisation accepts a proposed session; billing runs from this transaction. */
export async function acceptSession(ctx: Context, sessionId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const session = await readSession(state, requireIdentifier(sessionId, 'sessionId'));
    requireSessionStatus(session, 'proposed');
    const who = requireAwaitedParty(state, session.awaitingMspId, `session ${session.sessionId}`);
    if (session.payment && txTimeMillis(ctx) > Date.parse(session.payment.deadline)) {
        throw billingError(BillingErrorCode.DeadlinePassed, `session ${session.sessionId} passed its deadline; decline or refund it`);
    }
    const { awaitingMspId: _awaiting, ...rest } = session;
    const active: UsageSession = { ...rest, status: 'active', startedAt: txTime(ctx), acceptedByMspId: who.mspId, acceptedById: who.id, acceptTxId: ctx.stub.getTxID() };
    state.put(state.key(Key.Session, session.sessionId), active, pairCollection(session));
    await state.commit('SessionStarted', sessionEvent(active));
    return toJSON(sessionEvent(active));
}

/** Either party declines (or withdraws) a proposed session; a budget held for it is refunded in full. */
export async function declineSession(ctx: Context, sessionId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const session = await readSession(state, requireIdentifier(sessionId, 'sessionId'));
    const who = requireParty(state, session, `session ${session.sessionId}`);
    requireSessionStatus(session, 'proposed');
    const escrow = session.payment ? await releaseEscrow(state, session.payment.escrowId, 0, txTime(ctx), pairCollection(session)) : undefined;
    const { awaitingMspId: _awaiting, ...rest } = session;
    const declined: UsageSession = { ...rest, status: 'declined', stoppedAt: txTime(ctx), stoppedByMspId: who.mspId, stoppedById: who.id, stopTxId: ctx.stub.getTxID() };
    state.put(state.key(Key.Session, session.sessionId), declined, pairCollection(session));
    await state.commit('SessionDeclined', { ...sessionEvent(declined), ...(escrow ? { escrowId: escrow.escrowId } : {}) });
    return toJSON({ ...sessionEvent(declined), ...(escrow ? { escrowId: escrow.escrowId } : {}) });
}

/**
 * Stops an active session (B3). Either party may stop it; a per-second session is priced at
 * once from the agreed start to this transaction's timestamp, which may not lie before the start.
 * A per-call or per-GB session's reading (`calls` or `bytes`) is only a proposal: the session
 * becomes `stopping` until the other party confirms it with ConfirmStop, or answers with its own
 * reading by calling StopSession again. A second stop of a closed session is SESSION_CLOSED.
 */
export async function stopSession(ctx: Context, sessionId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const session = await readSession(state, requireIdentifier(sessionId, 'sessionId'));
    const who = requireParty(state, session, `session ${session.sessionId}`);
    requireStoppable(session);
    const meter = validateStopMeters(stopMeters(state), session.unit);
    const now = txTimeMillis(ctx);
    const startedAt = requireStopTime(session, now);
    if (meter === undefined) {
        return toJSON(await closeSession(state, session, billedSeconds(startedAt, now), isoInstant(now), who));
    }
    const stopping: UsageSession = {
        ...session,
        status: 'stopping',
        awaitingMspId: counterpartyOf(session, who.mspId),
        stopProposal: {
            quantity: meter,
            stoppedAt: session.stopProposal?.stoppedAt ?? isoInstant(now),
            proposedByMspId: who.mspId,
            proposedById: who.id,
            txId: ctx.stub.getTxID(),
        },
    };
    state.put(state.key(Key.Session, session.sessionId), stopping, pairCollection(session));
    await state.commit('SessionStopProposed', sessionEvent(stopping));
    return toJSON(sessionEvent(stopping));
}

/** The other party confirms a stopping session's reading: its usage is recorded and paid. */
export async function confirmStop(ctx: Context, sessionId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const session = await readSession(state, requireIdentifier(sessionId, 'sessionId'));
    if (session.status !== 'stopping' || session.stopProposal === undefined) {
        throw invalidState(`session ${session.sessionId} is ${session.status}, with no reading to confirm`);
    }
    const who = requireAwaitedParty(state, session.awaitingMspId, `the stop reading of session ${session.sessionId}`);
    return toJSON(await closeSession(state, session, session.stopProposal.quantity, session.stopProposal.stoppedAt, who));
}

/**
 * After a token-paid session's deadline, anyone may settle it. A per-second session that was
 * running pays pro rata for the time up to the deadline and refunds the rest, so a refund
 * stamped just past the deadline takes nothing from the operator; a proposed session, or a
 * metered one whose reading nobody agreed, is refunded in full.
 */
export async function refundExpiredSession(ctx: Context, sessionId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const session = await readSession(state, requireIdentifier(sessionId, 'sessionId'));
    if (!OPEN_STATUSES.includes(session.status)) {
        throw billingError(BillingErrorCode.SessionClosed, `session ${session.sessionId} is ${session.status}`);
    }
    if (!session.payment) {
        throw invalidState(`session ${session.sessionId} holds no escrow`);
    }
    const deadline = Date.parse(session.payment.deadline);
    if (txTimeMillis(ctx) <= deadline) {
        throw billingError(BillingErrorCode.DeadlineNotReached, `session ${session.sessionId} runs until ${session.payment.deadline}`);
    }
    const { awaitingMspId: _awaiting, ...rest } = session;
    const usage = await recordUsageToDeadline(state, session, session.payment);
    const escrow = await releaseEscrow(state, session.payment.escrowId, usage?.charged ?? 0, txTime(ctx), pairCollection(session));
    const expired: UsageSession = {
        ...rest,
        status: 'expired',
        stoppedAt: usage ? session.payment.deadline : txTime(ctx),
        stopTxId: ctx.stub.getTxID(),
        ...(usage ? { usageRecordId: usage.recordId } : {}),
    };
    state.put(state.key(Key.Session, session.sessionId), expired, pairCollection(session));
    const ids = { ...sessionEvent(expired), escrowId: escrow.escrowId, ...(usage ? { usageRecordId: usage.recordId } : {}) };
    await state.commit('SessionExpired', ids);
    return toJSON(ids);
}

/** A session; for its operator, its tenant and auditors. */
export async function getSession(ctx: Context, sessionId: string): Promise<string> {
    const state = LedgerState.query(ctx);
    return toJSON(await readSession(state, requireIdentifier(sessionId, 'sessionId')));
}

/** Records the agreed usage of a session, pays its escrow, and closes it. */
async function closeSession(state: LedgerState, session: UsageSession, quantity: number, stoppedAt: string, who: Caller): Promise<Record<string, unknown>> {
    const record = await recordSessionUsage(state, session, sessionUse(session, quantity, stoppedAt));
    const { awaitingMspId: _awaiting, ...rest } = session;
    const stopped: UsageSession = {
        ...rest,
        status: 'closed',
        stoppedAt,
        stoppedByMspId: session.stopProposal?.proposedByMspId ?? who.mspId,
        stoppedById: session.stopProposal?.proposedById ?? who.id,
        stopTxId: state.ctx.stub.getTxID(),
        usageRecordId: record.recordId,
    };
    state.put(state.key(Key.Session, session.sessionId), stopped, pairCollection(session));
    const ids = { ...sessionEvent(stopped), usageRecordId: record.recordId };
    await state.commit('SessionStopped', ids);
    return ids;
}

async function recordSessionUsage(state: LedgerState, session: UsageSession, use: MeteredUse): Promise<UsageRecord> {
    if (!session.payment) {
        return (await recordInvoicedUsage(state, use)).record;
    }
    const record = await recordTokenUsage(state, use, session.payment.budget);
    await releaseEscrow(state, session.payment.escrowId, record.charged ?? 0, record.recordedAt, pairCollection(session));
    return record;
}

async function holdBudget(state: LedgerState, request: ValidStartRequest, resource: EdgeResource, tenantMspId: string, collection: string): Promise<SessionPayment> {
    const payment = request.payment;
    if (!payment) {
        throw invalidArgument('payment is required');
    }
    if (payment.deadlineMillis <= txTimeMillis(state.ctx)) {
        throw invalidArgument('payment.deadline must be in the future');
    }
    if (resource.payeeAccountId === undefined) {
        throw invalidState(`resource ${resource.resourceId} has no payee account and cannot be paid in tokens`);
    }
    // Without a signed task the debit checks that the caller owns the account; a signed task is the owner's consent.
    if (request.signature !== undefined) {
        await verifySignedTask(state, request, tenantMspId, request.signature);
    }
    const escrow = await holdInEscrow(
        state,
        {
            purpose: 'session',
            referenceId: request.sessionId,
            payerAccountId: payment.accountId,
            payeeAccountId: resource.payeeAccountId,
            amount: payment.budget,
            deadlineMillis: payment.deadlineMillis,
            collection,
            ownerConsented: request.signature !== undefined,
        },
        txTime(state.ctx),
    );
    return { accountId: payment.accountId, budget: payment.budget, deadline: escrow.deadline, escrowId: escrowIdOf('session', request.sessionId), signedTask: request.signature !== undefined };
}

/**
 * A session, for its operator, its tenant and auditors: the public route names the pair, whose collection only its
 * members hold, so to anyone else the session does not exist (NOT_FOUND, before any collection read: a non-member's
 * peer could not read it, memberOnlyRead).
 */
async function readSession(state: LedgerState, sessionId: string): Promise<UsageSession> {
    const route = await readRoute(state, 'session', sessionId);
    if (route) {
        await requirePairReader(state, route, `session ${sessionId}`);
    }
    const session = route ? await state.read<UsageSession>(state.key(Key.Session, sessionId), 'usage session', pairCollection(route)) : undefined;
    if (!session) {
        throw notFound(`session ${sessionId} does not exist`);
    }
    return session;
}

/** The tenant itself, or the resource's operator on the tenant's behalf. */
async function requireSessionStarter(state: LedgerState, who: Caller, resource: EdgeResource, tenantMspId: string): Promise<void> {
    if (who.mspId !== tenantMspId) {
        if (who.mspId !== resource.operatorMspId || !(await hasRole(state, who.mspId, 'operator'))) {
            throw accessDenied(`${who.mspId} may start sessions only for itself or on its own resources`);
        }
    }
    await requireTenant(state, tenantMspId);
}

async function verifySignedTask(state: LedgerState, request: ValidStartRequest, tenantMspId: string, signature: string): Promise<void> {
    const payment = request.payment;
    if (!payment || request.planVersion === undefined) {
        throw invalidArgument('a signed compute task needs payment and planVersion');
    }
    const account = await disclosedAccount(state, payment.accountId);
    if (account.ownerMspId !== tenantMspId) {
        // Only the tenant's own key consents for the tenant: an operator's account signs for nobody else.
        throw accessDenied(`token account ${account.accountId} belongs to ${account.ownerMspId}, not to the tenant ${tenantMspId}`);
    }
    if (account.taskKey === undefined) {
        throw invalidState(`token account ${account.accountId} has no registered task key`);
    }
    const task: ComputeTask = {
        sessionId: request.sessionId,
        resourceId: request.resourceId,
        tenantMspId,
        appId: request.appId,
        planVersion: request.planVersion,
        accountId: payment.accountId,
        budget: payment.budget,
        deadline: isoInstant(payment.deadlineMillis),
    };
    verifyTaskSignature(task, signature, account.taskKey);
}

/** The metered use of a session from its agreed start to `stoppedAt`. */
function sessionUse(session: UsageSession, quantity: number, stoppedAt: string): MeteredUse {
    return {
        recordId: sessionRecordId(session.sessionId),
        source: 'session',
        sessionId: session.sessionId,
        operatorMspId: session.operatorMspId,
        tenantMspId: session.tenantMspId,
        appId: session.appId,
        resourceId: session.resourceId,
        planVersion: session.planVersion,
        unit: session.unit,
        rate: session.rate,
        quantity,
        startedAt: session.startedAt ?? session.proposedAt,
        stoppedAt,
        ...(session.cycle ? { cycle: session.cycle } : {}),
    };
}

const OPEN_STATUSES: readonly UsageSession['status'][] = ['proposed', 'active', 'stopping'];

/** A start by the operator with the tenant's signed compute task is active at once; any other start awaits the counterparty. */
function startConsent(ctx: Context, who: Caller, parties: { operatorMspId: string; tenantMspId: string }, payment: SessionPayment | undefined): Pick<UsageSession, 'status' | 'awaitingMspId' | 'startedAt' | 'acceptedByMspId' | 'acceptTxId'> {
    const tenantSigned = payment?.signedTask === true && who.mspId === parties.operatorMspId && who.mspId !== parties.tenantMspId;
    if (tenantSigned) {
        return { status: 'active', startedAt: txTime(ctx), acceptedByMspId: parties.tenantMspId, acceptTxId: ctx.stub.getTxID() };
    }
    return { status: 'proposed', awaitingMspId: counterpartyOf(parties, who.mspId) };
}

function requireStoppable(session: UsageSession): void {
    if (session.status === 'proposed') {
        throw invalidState(`session ${session.sessionId} is proposed and was never accepted; decline it instead`);
    }
    if (session.status !== 'active' && session.status !== 'stopping') {
        throw billingError(BillingErrorCode.SessionClosed, `session ${session.sessionId} is ${session.status}`);
    }
}

/** The agreed start, if a stop at `now` may follow it: never before the start, never after a token deadline. */
function requireStopTime(session: UsageSession, now: number): number {
    const startedAt = Date.parse(session.startedAt ?? session.proposedAt);
    if (now < startedAt) {
        throw billingError(BillingErrorCode.StopBeforeStart, `session ${session.sessionId} started at ${session.startedAt ?? ''}; a stop may not be stamped before it`);
    }
    if (session.payment && now > Date.parse(session.payment.deadline)) {
        throw billingError(BillingErrorCode.DeadlinePassed, `session ${session.sessionId} passed its deadline; only a refund is possible`);
    }
    return startedAt;
}

/** A running per-second session's usage from its start to its deadline; nothing for other sessions, whose reading nobody agreed. */
async function recordUsageToDeadline(state: LedgerState, session: UsageSession, payment: SessionPayment): Promise<UsageRecord | undefined> {
    if (session.status !== 'active' || session.unit !== 'second' || session.startedAt === undefined) {
        return undefined;
    }
    const seconds = billedSeconds(Date.parse(session.startedAt), Date.parse(payment.deadline));
    return recordTokenUsage(state, sessionUse(session, seconds, payment.deadline), payment.budget);
}

function requireSessionStatus(session: UsageSession, wanted: UsageSession['status']): void {
    if (session.status !== wanted) {
        throw invalidState(`session ${session.sessionId} is ${session.status}, not ${wanted}`);
    }
}

/** A session's result and event name it only: app, budget, readings and amounts are private to the pair. */
function sessionEvent(session: UsageSession): { sessionId: string } {
    return { sessionId: session.sessionId };
}

/** A stop's reading: confidential, so from the transient map; a per-second stop needs none. */
function stopMeters(state: LedgerState): unknown {
    const bytes = state.ctx.stub.getTransient().get(REQUEST_TRANSIENT_KEY);
    return bytes === undefined || bytes.length === 0 ? {} : transientRequest(state, 'meters');
}
