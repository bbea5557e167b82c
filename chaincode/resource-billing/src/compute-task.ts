import { verify } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { accessDenied, alreadyExists, caller, invalidArgument, invalidState, LedgerState, notFound, parseArgument, requireIdentifier, toJSON, txTime, txTimeMillis } from '../../common/src';
import { type ComputeOffer, computeOrderText, type ComputeOrder, type ComputeTaskRecord, type ComputeVerifier, type TaskStatus, type TaskStep } from '../../schemas/src';
import { billingError, BillingErrorCode } from './billing-errors';
import { computeError } from './compute-errors';
import { ComputeErrorCode } from '../../schemas/src';
import { validateAttestation, validateContest, validateDecision, validateResult, validateSubmitTask, validateVerifier } from './compute-inputs';
import { activeOffers, countForProvider, readProviderStats, reserve } from './compute-offer';
import { isPublicKey, verifyAggregateAttestation, verifyProofOfPossession } from './bls-attestation';
import { citeEvidence } from './evidence-citation';
import { Key } from './keys';
import { callerIsAuditor } from './role-grant';
import { disclosedAccount, holdInEscrow, readEscrow, releaseEscrow } from './token-ledger';

/*
 * Compute tasks (CFN flow): a signed order is escrowed and matched to an offer, the provider accepts or declines,
 * submits a result digest, and the requester, k of n BLS verifiers or (on a contest) the regulator accept it.
 * Every transaction stages its writes in LedgerState and commits once, after its last check.
 */

/** Tasks still holding capacity and escrow. */
const OPEN: readonly TaskStatus[] = ['assigned', 'running', 'submitted', 'contested'];

/**
 * The matching rule (docs/compute-exchange.md). Eligible: an active offer of the order's kind, not of the
 * requester's own organisation, not declined for this task, priced at most maxPricePerUnit, with units free.
 * Ranked by: the preferred site first, then the preferred tier, then the lower price, then the higher provider
 * reputation, then the smaller offer id. Everything compared is ledger data, so every endorser picks the same.
 */
export async function matchOffer(state: LedgerState, order: ComputeOrder, requesterMspId: string, declined: readonly string[]): Promise<ComputeOffer | undefined> {
    const candidates = (await activeOffers(state, order.kind)).filter(
        (offer) => offer.operatorMspId !== requesterMspId && !declined.includes(offer.offerId) && offer.pricePerUnit <= order.maxPricePerUnit && offer.capacity - offer.reserved >= order.units,
    );
    const reputation = new Map<string, number>();
    for (const offer of candidates) {
        if (!reputation.has(offer.operatorMspId)) {
            reputation.set(offer.operatorMspId, (await readProviderStats(state, offer.operatorMspId)).reputation);
        }
    }
    const rank = (offer: ComputeOffer): number[] => [
        order.preferredSiteId !== undefined && offer.siteId === order.preferredSiteId ? 0 : 1,
        order.preferredTier !== undefined && offer.tier === order.preferredTier ? 0 : 1,
        offer.pricePerUnit,
        -(reputation.get(offer.operatorMspId) ?? 0),
    ];
    return candidates.sort((a, b) => {
        const [ra, rb] = [rank(a), rank(b)];
        const diff = ra.findIndex((value, i) => value !== rb[i]);
        return diff >= 0 ? (ra[diff] ?? 0) - (rb[diff] ?? 0) : a.offerId < b.offerId ? -1 : a.offerId > b.offerId ? 1 : 0;
    })[0];
}

export async function readTask(state: LedgerState, taskId: string): Promise<ComputeTaskRecord> {
    const task = await state.read<ComputeTaskRecord>(state.key(Key.ComputeTask, taskId), 'compute task');
    if (!task) {
        throw notFound(`compute task ${taskId} does not exist`);
    }
    return task;
}

function step(state: LedgerState, name: TaskStep, extra: { offerId?: string; note?: string } = {}): ComputeTaskRecord['trail'][number] {
    return { step: name, at: txTime(state.ctx), byMspId: caller(state.ctx).mspId, txId: state.ctx.stub.getTxID(), ...extra };
}

function requireStatus(task: ComputeTaskRecord, ...allowed: TaskStatus[]): void {
    if (!allowed.includes(task.status)) {
        throw invalidState(`compute task ${task.order.taskId} is ${task.status}, not ${allowed.join(' or ')}`);
    }
}

function requireProvider(state: LedgerState, task: ComputeTaskRecord): void {
    if (caller(state.ctx).mspId !== task.providerMspId) {
        throw accessDenied(`compute task ${task.order.taskId} is assigned to ${task.providerMspId ?? 'nobody'}`);
    }
}

function requireRequester(state: LedgerState, task: ComputeTaskRecord): void {
    // The task names the account's owner as it was at submission (the account itself is in the owner's collection).
    const who = caller(state.ctx);
    if (who.mspId !== task.requesterMspId || who.id !== task.requesterId) {
        throw accessDenied(`only the owner of account ${task.order.accountId} speaks for the requester of ${task.order.taskId}`);
    }
}

function verifyOrderSignature(order: ComputeOrder, signature: string, publicKeyPem: string): void {
    let valid = false;
    try {
        valid = verify('sha256', Buffer.from(computeOrderText(order), 'utf8'), { key: publicKeyPem, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
    } catch {
        valid = false;
    }
    if (!valid) {
        throw billingError(BillingErrorCode.SignatureInvalid, `the order signature does not verify with the task key of account ${order.accountId}`);
    }
}

/** Points the task and its escrow at an offer and reserves the offer's capacity. */
async function assign(state: LedgerState, task: ComputeTaskRecord, offer: ComputeOffer): Promise<ComputeTaskRecord> {
    await reserve(state, offer.offerId, task.order.units);
    const escrow = await readEscrow(state, task.escrowId);
    state.put(state.key(Key.Escrow, escrow.escrowId), { ...escrow, payeeAccountId: offer.payeeAccountId });
    return {
        ...task,
        status: 'assigned',
        offerId: offer.offerId,
        siteId: offer.siteId,
        providerMspId: offer.operatorMspId,
        pricePerUnit: offer.pricePerUnit,
        price: task.order.units * offer.pricePerUnit,
        trail: [...task.trail, step(state, 'assigned', { offerId: offer.offerId })],
    };
}

function assignedEvent(task: ComputeTaskRecord): object {
    return { taskId: task.order.taskId, offerId: task.offerId, siteId: task.siteId, providerMspId: task.providerMspId, inputDigest: task.order.inputDigest, deadline: task.order.deadline };
}

async function save(state: LedgerState, task: ComputeTaskRecord, event: string, payload: object): Promise<string> {
    state.put(state.key(Key.ComputeTask, task.order.taskId), task);
    await state.commit(event, { taskId: task.order.taskId, status: task.status, ...payload });
    return toJSON(task);
}

/** Pays the price (the rest of the budget back to the requester), frees the capacity and credits the provider. */
async function settle(state: LedgerState, task: ComputeTaskRecord, pay: number, outcome: 'completed' | 'missed' | 'none'): Promise<ComputeTaskRecord> {
    if (task.offerId !== undefined && OPEN.includes(task.status)) {
        await reserve(state, task.offerId, -task.order.units);
    }
    const escrow = await releaseEscrow(state, task.escrowId, pay, txTime(state.ctx));
    if (outcome !== 'none' && task.providerMspId !== undefined) {
        await countForProvider(state, task.providerMspId, outcome);
    }
    return { ...task, paid: escrow.paid ?? 0, refunded: escrow.refunded ?? 0 };
}

export async function submitTask(ctx: Context, requestJson: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const { order, signature } = validateSubmitTask(parseArgument(requestJson, 'request'));
    const key = state.key(Key.ComputeTask, order.taskId);
    if (await state.exists(key)) {
        throw alreadyExists(`compute task ${order.taskId} exists already`);
    }
    if (Date.parse(order.deadline) <= txTimeMillis(ctx)) {
        throw billingError(BillingErrorCode.DeadlinePassed, `the deadline ${order.deadline} has passed`);
    }
    // The owner disclosed the account (its task key); the order's signature is the owner's consent to the debit.
    const account = await disclosedAccount(state, order.accountId);
    if (account.taskKey === undefined) {
        throw invalidState(`account ${order.accountId} has no task key`);
    }
    verifyOrderSignature(order, signature, account.taskKey);
    for (const verifierId of order.verifierIds ?? []) {
        await readVerifier(state, verifierId);
    }
    const inputEvidence = order.inputEvidenceId === undefined ? undefined : await citeEvidence(ctx, order.inputEvidenceId, 'the input evidence', order.inputDigest);
    const offer = await matchOffer(state, order, account.ownerMspId, []);
    if (!offer) {
        throw computeError(ComputeErrorCode.NoMatchingOffer, `no active ${order.kind} offer has ${String(order.units)} free units at ${String(order.maxPricePerUnit)} or less`);
    }
    const budget = order.units * order.maxPricePerUnit;
    const escrow = await holdInEscrow(
        state,
        { purpose: 'compute', referenceId: order.taskId, payerAccountId: order.accountId, payeeAccountId: offer.payeeAccountId, amount: budget, deadlineMillis: Date.parse(order.deadline), ownerConsented: true },
        txTime(ctx),
    );
    const submitted: ComputeTaskRecord = {
        order,
        signature,
        requesterMspId: account.ownerMspId,
        requesterId: account.ownerId,
        status: 'assigned',
        budget,
        escrowId: escrow.escrowId,
        ...(inputEvidence === undefined ? {} : { inputEvidence }),
        declinedOfferIds: [],
        trail: [step(state, 'submitted')],
    };
    const task = await assign(state, submitted, offer);
    return save(state, task, 'ComputeTaskAssigned', assignedEvent(task));
}

export async function acceptTask(ctx: Context, taskId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const task = await readTask(state, requireIdentifier(taskId, 'taskId'));
    requireProvider(state, task);
    requireStatus(task, 'assigned');
    requireBeforeDeadline(state, task);
    const running: ComputeTaskRecord = { ...task, status: 'running', trail: [...task.trail, step(state, 'accepted', { offerId: task.offerId })] };
    return save(state, running, 'ComputeTaskAccepted', { offerId: task.offerId, siteId: task.siteId, providerMspId: task.providerMspId });
}

export async function declineTask(ctx: Context, taskId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const task = await readTask(state, requireIdentifier(taskId, 'taskId'));
    requireProvider(state, task);
    requireStatus(task, 'assigned', 'running');
    const offerId = task.offerId ?? '';
    await reserve(state, offerId, -task.order.units);
    const declined: ComputeTaskRecord = {
        ...task,
        declinedOfferIds: [...task.declinedOfferIds, offerId],
        trail: [...task.trail, step(state, 'declined', { offerId })],
    };
    const next = txTimeMillis(ctx) < Date.parse(task.order.deadline) ? await matchOffer(state, task.order, task.requesterMspId, declined.declinedOfferIds) : undefined;
    if (next) {
        const reassigned = await assign(state, declined, next);
        return save(state, reassigned, 'ComputeTaskAssigned', assignedEvent(reassigned));
    }
    const { offerId: _o, siteId: _s, providerMspId: _p, pricePerUnit: _pp, price: _pr, ...unassigned } = declined;
    // The capacity is released above, so settle only refunds.
    const refunded = await settle(state, { ...unassigned, status: 'refunded' }, 0, 'none');
    return save(state, { ...refunded, trail: [...refunded.trail, step(state, 'unmatched')] }, 'ComputeTaskUnmatched', {});
}

function requireBeforeDeadline(state: LedgerState, task: ComputeTaskRecord): void {
    if (txTimeMillis(state.ctx) > Date.parse(task.order.deadline)) {
        throw billingError(BillingErrorCode.DeadlinePassed, `compute task ${task.order.taskId} passed its deadline ${task.order.deadline}`);
    }
}

export async function submitResult(ctx: Context, taskId: string, resultJson: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const task = await readTask(state, requireIdentifier(taskId, 'taskId'));
    const result = validateResult(parseArgument(resultJson, 'result'));
    requireProvider(state, task);
    requireStatus(task, 'running');
    requireBeforeDeadline(state, task);
    const resultEvidence = result.resultEvidenceId === undefined ? undefined : await citeEvidence(ctx, result.resultEvidenceId, 'the result evidence', result.resultDigest);
    const { inputEvidenceId } = task.order;
    const submitted: ComputeTaskRecord = {
        ...task,
        status: 'submitted',
        result: {
            ...result,
            ...(resultEvidence === undefined ? {} : { resultEvidence }),
            inputDigest: task.order.inputDigest,
            ...(inputEvidenceId === undefined ? {} : { inputEvidenceId }),
            submittedAt: txTime(ctx),
            submittedByMspId: caller(ctx).mspId,
            txId: ctx.stub.getTxID(),
        },
        trail: [...task.trail, step(state, 'result')],
    };
    return save(state, submitted, 'ComputeResultSubmitted', { resultDigest: result.resultDigest, inputDigest: task.order.inputDigest, verifierIds: task.order.verifierIds ?? [] });
}

async function complete(state: LedgerState, task: ComputeTaskRecord, acceptance: ComputeTaskRecord['acceptance'] & object, stepName: TaskStep): Promise<string> {
    const settled = await settle(state, task, task.price ?? 0, 'completed');
    const completed: ComputeTaskRecord = { ...settled, status: 'completed', acceptance, trail: [...task.trail, step(state, stepName)] };
    return save(state, completed, 'ComputeTaskCompleted', { by: acceptance.by, paid: completed.paid, refunded: completed.refunded, providerMspId: task.providerMspId });
}

export async function acceptResult(ctx: Context, taskId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const task = await readTask(state, requireIdentifier(taskId, 'taskId'));
    requireRequester(state, task);
    requireStatus(task, 'submitted');
    return complete(state, task, { by: 'requester', at: txTime(ctx), txId: ctx.stub.getTxID() }, 'accepted-by-requester');
}

export async function attestResult(ctx: Context, taskId: string, attestationJson: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const task = await readTask(state, requireIdentifier(taskId, 'taskId'));
    const attestation = validateAttestation(parseArgument(attestationJson, 'attestation'));
    requireStatus(task, 'submitted');
    const allowed = task.order.verifierIds ?? [];
    const threshold = task.order.threshold ?? 0;
    if (allowed.length === 0) {
        throw invalidState(`compute task ${task.order.taskId} names no verifiers`);
    }
    const outsider = attestation.verifierIds.find((id) => !allowed.includes(id));
    if (outsider !== undefined) {
        throw computeError(ComputeErrorCode.AttestationInvalid, `${outsider} is not a verifier of compute task ${task.order.taskId}`);
    }
    if (attestation.verifierIds.length < threshold) {
        throw computeError(ComputeErrorCode.AttestationInvalid, `${String(attestation.verifierIds.length)} signers, ${String(threshold)} needed`);
    }
    const keys = await Promise.all(attestation.verifierIds.map(async (id) => (await readVerifier(state, id)).publicKey));
    if (!verifyAggregateAttestation(task.order.taskId, task.result?.resultDigest ?? '', keys, attestation.signature)) {
        throw computeError(ComputeErrorCode.AttestationInvalid, `the aggregate signature does not verify for ${attestation.verifierIds.join(', ')}`);
    }
    return complete(state, task, { by: 'verifiers', verifierIds: attestation.verifierIds, aggregateSignature: attestation.signature, at: txTime(ctx), txId: ctx.stub.getTxID() }, 'attested');
}

export async function contestResult(ctx: Context, taskId: string, requestJson: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const task = await readTask(state, requireIdentifier(taskId, 'taskId'));
    const { reason } = validateContest(parseArgument(requestJson, 'request'));
    requireRequester(state, task);
    requireStatus(task, 'submitted');
    const contested: ComputeTaskRecord = { ...task, status: 'contested', contest: { reason, at: txTime(ctx) }, trail: [...task.trail, step(state, 'contested', { note: reason })] };
    return save(state, contested, 'ComputeResultContested', { requesterMspId: task.requesterMspId, providerMspId: task.providerMspId });
}

export async function resolveContest(ctx: Context, taskId: string, decisionJson: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const task = await readTask(state, requireIdentifier(taskId, 'taskId'));
    const decision = validateDecision(parseArgument(decisionJson, 'decision'));
    const { mspId } = caller(ctx);
    if (!(await callerIsAuditor(state)) || mspId === task.requesterMspId || mspId === task.providerMspId) {
        throw accessDenied(`ResolveContest needs an auditor organisation that is neither requester nor provider, not ${mspId}`);
    }
    requireStatus(task, 'contested');
    const contest = { ...(task.contest ?? { reason: '', at: txTime(ctx) }), outcome: decision.outcome, decisionReason: decision.reason, decidedByMspId: mspId, decidedAt: txTime(ctx) };
    const pay = decision.outcome === 'pay-provider';
    const settled = await settle(state, task, pay ? (task.price ?? 0) : 0, pay ? 'completed' : 'none');
    const resolved: ComputeTaskRecord = {
        ...settled,
        status: pay ? 'completed' : 'refunded',
        contest,
        ...(pay ? { acceptance: { by: 'regulator' as const, at: txTime(ctx), txId: ctx.stub.getTxID() } } : {}),
        trail: [...task.trail, step(state, 'resolved', { note: `${decision.outcome}: ${decision.reason}` })],
    };
    return save(state, resolved, 'ComputeContestResolved', { outcome: decision.outcome, paid: resolved.paid, refunded: resolved.refunded });
}

/** Judged against the transaction's timestamp, which every endorser bounds by its own clock (peer-clock.ts). */
export async function expireTask(ctx: Context, taskId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const task = await readTask(state, requireIdentifier(taskId, 'taskId'));
    requireStatus(task, 'assigned', 'running');
    if (txTimeMillis(ctx) <= Date.parse(task.order.deadline)) {
        throw billingError(BillingErrorCode.DeadlineNotReached, `compute task ${task.order.taskId} is due by ${task.order.deadline}`);
    }
    const settled = await settle(state, task, 0, 'missed');
    const expired: ComputeTaskRecord = { ...settled, status: 'expired', trail: [...task.trail, step(state, 'expired')] };
    return save(state, expired, 'ComputeTaskExpired', { providerMspId: task.providerMspId, refunded: expired.refunded });
}

export async function getTask(ctx: Context, taskId: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const task = await readTask(state, requireIdentifier(taskId, 'taskId'));
    const { mspId } = caller(ctx);
    if (mspId !== task.requesterMspId && mspId !== task.providerMspId && !(await callerIsAuditor(state))) {
        const owners = await Promise.all((task.order.verifierIds ?? []).map(async (id) => (await readVerifier(state, id)).ownerMspId));
        if (!owners.includes(mspId)) {
            throw accessDenied(`${mspId} may not read compute task ${task.order.taskId}`);
        }
    }
    return toJSON(task);
}

export async function readVerifier(state: LedgerState, verifierId: string): Promise<ComputeVerifier> {
    const verifier = await state.read<ComputeVerifier>(state.key(Key.ComputeVerifier, verifierId), 'compute verifier');
    if (!verifier) {
        throw notFound(`verifier ${verifierId} is not registered`);
    }
    return verifier;
}

export async function registerVerifier(ctx: Context, requestJson: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const request = validateVerifier(parseArgument(requestJson, 'request'));
    if (!isPublicKey(request.publicKey)) {
        throw invalidArgument('publicKey is not a valid compressed G1 point');
    }
    const key = state.key(Key.ComputeVerifier, request.verifierId);
    if (await state.exists(key)) {
        throw alreadyExists(`verifier ${request.verifierId} exists already`);
    }
    if (!verifyProofOfPossession(request.publicKey, request.proofOfPossession)) {
        throw computeError(ComputeErrorCode.ProofOfPossessionInvalid, `the proof of possession does not verify for ${request.verifierId}`);
    }
    const who = caller(ctx);
    const verifier: ComputeVerifier = { verifierId: request.verifierId, publicKey: request.publicKey, ownerMspId: who.mspId, ownerId: who.id, registeredAt: txTime(ctx), txId: ctx.stub.getTxID() };
    state.put(key, verifier);
    await state.commit('ComputeVerifierRegistered', { verifierId: verifier.verifierId, ownerMspId: verifier.ownerMspId });
    return toJSON(verifier);
}

export async function getVerifier(ctx: Context, verifierId: string): Promise<string> {
    return toJSON(await readVerifier(LedgerState.query(ctx), requireIdentifier(verifierId, 'verifierId')));
}
