import { accessDenied, alreadyExists, type Caller, caller, invalidArgument, invalidState, LedgerState, notFound, optionalText, requireCount, requireIdentifier, requireOneOf, requireText, toJSON, txTime } from '../../common/src';
import { requireObject } from './billing-inputs';
import { parseInvoiceId, readInvoice, requireLineId } from './invoice';
import { type BillingDispute, type CreditNote, DISPUTE_OUTCOMES, type Invoice, MAX_DISPUTED_LINES, type RaiseDisputeRequest, type ResolveDisputeRequest } from '../../schemas/src';
import { Key } from './keys';
import { billingError, BillingErrorCode } from './billing-errors';
import { hasRole, requirePairReader } from './role-grant';
import type { Context } from 'fabric-contract-api';
import { invoiceKey } from './usage-ledger';
import { citeEvidence } from './evidence-citation';
import { pairCollection, putRoute, readRoute, requireSameId, transientRequest } from './billing-collection';

export function validateRaiseDispute(value: unknown): RaiseDisputeRequest {
    const request = requireObject<RaiseDisputeRequest>(value, 'request');
    const invoiceId = request.invoiceId;
    parseInvoiceId(invoiceId);
    if (!Array.isArray(request.lineIds) || request.lineIds.length === 0 || request.lineIds.length > MAX_DISPUTED_LINES) {
        throw invalidArgument('lineIds must name 1 to 100 lines');
    }
    const lineIds = [...new Set(request.lineIds.map((id, i) => requireLineId(id, `lineIds[${String(i)}]`)))].sort();
    const evidenceId = request.evidenceId === undefined ? undefined : requireIdentifier(request.evidenceId, 'evidenceId');
    return {
        disputeId: requireIdentifier(request.disputeId, 'disputeId'),
        invoiceId: invoiceId as string,
        lineIds,
        reason: requireText(request.reason, 'reason', 1024),
        ...(evidenceId === undefined ? {} : { evidenceId }),
    };
}

export function validateResolveDispute(value: unknown): ResolveDisputeRequest {
    const request = requireObject<ResolveDisputeRequest>(value, 'decision');
    const outcome = requireOneOf(request.outcome, 'outcome', DISPUTE_OUTCOMES);
    if (outcome === 'rejected') {
        if (request.credits !== undefined) {
            throw invalidArgument('a rejected dispute grants no credits');
        }
        return { outcome, reason: requireText(request.reason, 'reason', 1024) };
    }
    const reason = optionalText(request.reason, 'reason', 1024);
    const result: ResolveDisputeRequest = { outcome, ...(reason === undefined ? {} : { reason }) };
    if (request.credits !== undefined) {
        if (!Array.isArray(request.credits) || request.credits.length === 0) {
            throw invalidArgument('credits must be a non-empty array of { lineId, amount }');
        }
        result.credits = request.credits.map((credit: unknown, i) => {
            const c = requireObject<{ lineId: string; amount: number }>(credit, `credits[${String(i)}]`);
            return { lineId: requireLineId(c.lineId, `credits[${String(i)}].lineId`), amount: requireCount(c.amount, `credits[${String(i)}].amount`) };
        });
    }
    return result;
}

/** The tenant disputes some lines of an invoice, optionally citing an evidence record that exists and is not revoked. */
export async function raiseDispute(ctx: Context, disputeId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const request = validateRaiseDispute(transientRequest(state, 'request'));
    requireSameId(disputeId, request.disputeId, 'disputeId');
    const ref = parseInvoiceId(request.invoiceId);
    const who = caller(ctx);
    if (who.mspId !== ref.tenantMspId) {
        throw accessDenied(`only ${ref.tenantMspId} may dispute invoice ${request.invoiceId}`);
    }
    const invoice = await readInvoice(state, ref);
    const key = state.key(Key.Dispute, request.disputeId);
    if ((await readRoute(state, 'dispute', request.disputeId)) !== undefined) {
        throw alreadyExists(`dispute ${request.disputeId} exists already`);
    }
    const lines = invoice.lines.map((line) => {
        if (!request.lineIds.includes(line.lineId)) {
            return line;
        }
        if (line.disputeId !== undefined) {
            throw billingError(BillingErrorCode.LineAlreadyDisputed, `line ${line.lineId} is already named in dispute ${line.disputeId}`);
        }
        return { ...line, disputeId: request.disputeId };
    });
    const unknown = request.lineIds.find((id) => !invoice.lines.some((line) => line.lineId === id));
    if (unknown !== undefined) {
        throw invalidArgument(`invoice ${invoice.invoiceId} has no line ${unknown}`);
    }
    // Checked at the time of the dispute, and what the evidence chaincode said is kept with it (issue 17).
    const citedEvidence = request.evidenceId === undefined ? undefined : await citeEvidence(ctx, request.evidenceId, 'the cited evidence');
    const dispute: BillingDispute = {
        ...request,
        ...(citedEvidence === undefined ? {} : { citedEvidence }),
        operatorMspId: ref.operatorMspId,
        tenantMspId: ref.tenantMspId,
        status: 'open',
        raisedAt: txTime(ctx),
        raisedById: who.id,
        txId: ctx.stub.getTxID(),
    };
    putRoute(state, 'dispute', dispute.disputeId, ref);
    state.put(key, dispute, pairCollection(ref));
    state.put(invoiceKey(state, ref.operatorMspId, ref.tenantMspId, ref.period), { ...invoice, lines, status: 'disputed', openDisputes: invoice.openDisputes + 1 }, pairCollection(ref));
    await state.commit('DisputeRaised', { disputeId: dispute.disputeId });
    return toJSON({ disputeId: dispute.disputeId });
}

/**
 * Decides a dispute (issue 9 finding 4): an auditor organisation that is party to neither side
 * accepts it with a credit note or rejects it with a reason. The invoice's operator may only
 * concede, i.e. accept against itself; it never rejects a dispute about its own invoice.
 */
export async function resolveDispute(ctx: Context, disputeId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const decision = validateResolveDispute(transientRequest(state, 'decision'));
    const dispute = await readDispute(state, requireIdentifier(disputeId, 'disputeId'));
    const who = await requireArbiter(state, dispute, decision.outcome);
    if (dispute.status !== 'open') {
        throw invalidState(`dispute ${dispute.disputeId} is already ${dispute.status}`);
    }
    const ref = parseInvoiceId(dispute.invoiceId);
    const invoice = await readInvoice(state, ref);
    const creditNote = decision.outcome === 'accepted' ? creditNoteFor(dispute, invoice, decision, state) : undefined;
    const credited = creditNote?.amount ?? 0;
    const openDisputes = invoice.openDisputes - 1;
    const resolved: BillingDispute = {
        ...dispute,
        status: decision.outcome,
        resolution: {
            outcome: decision.outcome,
            ...(decision.reason === undefined ? {} : { reason: decision.reason }),
            ...(creditNote ? { creditNote } : {}),
            resolvedAt: txTime(ctx),
            resolvedByMspId: who.mspId,
            resolvedById: who.id,
            txId: ctx.stub.getTxID(),
        },
    };
    state.put(state.key(Key.Dispute, dispute.disputeId), resolved, pairCollection(ref));
    state.put(invoiceKey(state, ref.operatorMspId, ref.tenantMspId, ref.period), {
        ...invoice,
        creditTotal: invoice.creditTotal + credited,
        amountDue: invoice.amountDue - credited,
        openDisputes,
        status: openDisputes > 0 ? 'disputed' : 'issued',
    }, pairCollection(ref));
    await state.commit('DisputeResolved', { disputeId: dispute.disputeId });
    return toJSON({ disputeId: dispute.disputeId });
}

/** A dispute and its outcome; for the invoice's operator, its tenant and auditors. */
export async function getDispute(ctx: Context, disputeId: string): Promise<string> {
    const state = LedgerState.query(ctx);
    return toJSON(await readDispute(state, requireIdentifier(disputeId, 'disputeId')));
}

/** A dispute, for the invoice's operator, its tenant and auditors (members of the pair collection). */
async function readDispute(state: LedgerState, disputeId: string): Promise<BillingDispute> {
    const route = await readRoute(state, 'dispute', disputeId);
    if (route) {
        await requirePairReader(state, route, `dispute ${disputeId}`);
    }
    const dispute = route ? await state.read<BillingDispute>(state.key(Key.Dispute, disputeId), 'dispute', pairCollection(route)) : undefined;
    if (!dispute) {
        throw notFound(`dispute ${disputeId} does not exist`);
    }
    return dispute;
}

/** An auditor outside the dispute decides it; the invoice's operator may only concede. */
async function requireArbiter(state: LedgerState, dispute: BillingDispute, outcome: ResolveDisputeRequest['outcome']): Promise<Caller> {
    const who = caller(state.ctx);
    const party = who.mspId === dispute.operatorMspId || who.mspId === dispute.tenantMspId;
    if (!party && (await hasRole(state, who.mspId, 'auditor'))) {
        return who;
    }
    if (who.mspId === dispute.operatorMspId && outcome === 'accepted' && (await hasRole(state, who.mspId, 'operator'))) {
        return who;
    }
    throw accessDenied(
        who.mspId === dispute.operatorMspId
            ? `${who.mspId} may concede dispute ${dispute.disputeId} about its own invoice, not reject it: an auditor decides`
            : `dispute ${dispute.disputeId} is decided by an auditor that is neither ${dispute.operatorMspId} nor ${dispute.tenantMspId}`,
    );
}

/** Credits each disputed line in full, or as the operator decided (never more than the line). */
function creditNoteFor(dispute: BillingDispute, invoice: Invoice, decision: ResolveDisputeRequest, state: LedgerState): CreditNote {
    const amountOf = (lineId: string): number => invoice.lines.find((line) => line.lineId === lineId)?.amount ?? 0;
    const credits = decision.credits ?? dispute.lineIds.map((lineId) => ({ lineId, amount: amountOf(lineId) }));
    const seen = new Set<string>();
    for (const { lineId, amount } of credits) {
        if (!dispute.lineIds.includes(lineId) || seen.has(lineId)) {
            throw invalidArgument(`credit for ${lineId}: the dispute names each of ${dispute.lineIds.join(', ')} once`);
        }
        if (amount > amountOf(lineId)) {
            throw invalidArgument(`credit for ${lineId} exceeds the line amount ${String(amountOf(lineId))}`);
        }
        seen.add(lineId);
    }
    return {
        creditNoteId: `credit:${dispute.disputeId}`,
        invoiceId: invoice.invoiceId,
        disputeId: dispute.disputeId,
        amount: credits.reduce((sum, credit) => sum + credit.amount, 0),
        lines: credits,
        issuedAt: txTime(state.ctx),
        txId: state.ctx.stub.getTxID(),
    };
}
