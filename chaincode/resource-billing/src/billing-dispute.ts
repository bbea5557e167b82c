import { invalidArgument, optionalText, requireCount, requireIdentifier, requireOneOf, requireText } from '../../common/src';
import { requireObject } from './billing-inputs';
import { parseInvoiceId, requireLineId } from './invoice';
import { DISPUTE_OUTCOMES, MAX_DISPUTED_LINES, type RaiseDisputeRequest, type ResolveDisputeRequest } from '../../schemas/src';

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
