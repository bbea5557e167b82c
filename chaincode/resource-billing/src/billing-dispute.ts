import { invalidArgument, optionalText, requireCount, requireIdentifier, requireOneOf, requireText } from '../../common/src';
import { requireObject } from './billing-inputs';
import { parseInvoiceId, requireLineId } from './invoice';

/** A credit the operator grants when it accepts a dispute; it lowers the invoice's amount due. */
export interface CreditNote {
    creditNoteId: string;
    invoiceId: string;
    disputeId: string;
    amount: number;
    lines: { lineId: string; amount: number }[];
    issuedAt: string;
    txId: string;
}

export interface DisputeResolution {
    outcome: 'accepted' | 'rejected';
    reason?: string;
    creditNote?: CreditNote;
    resolvedAt: string;
    /** An auditor organisation, or the invoice's operator conceding. */
    resolvedByMspId: string;
    resolvedById: string;
    txId: string;
}

/** A tenant's objection to some lines of an invoice, and the decision: an auditor's, or the operator's concession (B5). */
export interface BillingDispute {
    disputeId: string;
    invoiceId: string;
    operatorMspId: string;
    tenantMspId: string;
    lineIds: string[];
    reason: string;
    /** An evidence chaincode record the tenant cites; stored as given, checked off chain. */
    evidenceId?: string;
    status: 'open' | 'accepted' | 'rejected';
    raisedAt: string;
    raisedById: string;
    txId: string;
    resolution?: DisputeResolution;
}

export interface RaiseDisputeRequest {
    disputeId: string;
    invoiceId: string;
    lineIds: string[];
    reason: string;
    evidenceId?: string;
}

export interface ResolveDisputeRequest {
    outcome: 'accepted' | 'rejected';
    reason?: string;
    /** Accepted only: credit per disputed line; by default each disputed line is credited in full. */
    credits?: { lineId: string; amount: number }[];
}

export const DISPUTE_KEY = 'billing.dispute';

export function validateRaiseDispute(value: unknown): RaiseDisputeRequest {
    const request = requireObject<RaiseDisputeRequest>(value, 'request');
    const invoiceId = request.invoiceId;
    parseInvoiceId(invoiceId);
    if (!Array.isArray(request.lineIds) || request.lineIds.length === 0 || request.lineIds.length > 100) {
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
    const outcome = requireOneOf(request.outcome, 'outcome', ['accepted', 'rejected'] as const);
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
