import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import {
    accessDenied,
    alreadyExists,
    type Caller,
    caller,
    collect,
    invalidArgument,
    invalidState,
    notFound,
    type Page,
    parseArgument,
    readIndexPage,
    requireIdentifier,
    toJSON,
    txTime,
    timestampToleranceMillis,
    txTimeMillis,
    unmarshal,
} from '../../common/src';
import { parseCountArgument, requireMspId } from './billing-inputs';
import { type BillingDispute, type CreditNote, DISPUTE_KEY, type ResolveDisputeRequest, validateRaiseDispute, validateResolveDispute } from './billing-dispute';
import { billingError, BillingErrorCode } from './billing-errors';
import {
    type Invoice,
    invoiceIdOf,
    type InvoiceLine,
    type InvoiceRef,
    INVOICE_KEY,
    LINE_KEY,
    parseInvoiceId,
    periodEndMillis,
    requireLineId,
    requirePeriod,
    TENANT_BY_PERIOD_INDEX,
    USAGE_BY_LINE_INDEX,
} from './invoice';
import { LedgerState } from '../../common/src';
import { addAmounts } from './price-plan';
import { callerIsAuditor, hasRole, requirePartyOrAuditor, requireRole } from './role-grant';
import { invoiceKey } from './usage-ledger';
import { USAGE_KEY, type UsageRecord } from './usage-record';

/**
 * Periodic settlement, invoices and disputes (B4, B5). Usage records keep per-line running totals
 * (see usage-ledger), so closing a period reads only the lines, never the records.
 */
@Info({ title: 'SettlementContract', description: 'Billing periods, invoices, disputes and credit notes' })
export class SettlementContract extends Contract {
    constructor() {
        super('settlement');
    }

    /**
     * Closes a tenant's period for the caller's organisation and issues the invoice: one line per
     * running total, copied as it stands. Only once, and only after the period's end plus the
     * timestamp tolerance: a close stamped as early as the tolerance allows still comes after every
     * honest use of the period, which the tenant stamped with the true time (issue 9 finding 5).
     */
    @Transaction()
    @Returns('string')
    async CloseBillingPeriod(ctx: Context, tenantMspId: string, period: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const ref: InvoiceRef = { operatorMspId: caller(ctx).mspId, tenantMspId: requireMspId(tenantMspId, 'tenantMspId'), period: requirePeriod(period) };
        const who = await requireRole(state, 'operator', 'CloseBillingPeriod');
        if (txTimeMillis(ctx) < periodEndMillis(ref.period) + timestampToleranceMillis()) {
            throw billingError(BillingErrorCode.PeriodNotEnded, `period ${ref.period} has not ended yet, or ended less than the ${String(timestampToleranceMillis() / 1000)} s tolerance ago`);
        }
        const key = invoiceKey(state, ref.operatorMspId, ref.tenantMspId, ref.period);
        if (await state.exists(key)) {
            throw billingError(BillingErrorCode.PeriodClosed, `period ${ref.period} of ${ref.tenantMspId} is already invoiced`);
        }
        const lines = await collect(await ctx.stub.getStateByPartialCompositeKey(LINE_KEY, [ref.operatorMspId, ref.tenantMspId, ref.period]), (kv) =>
            unmarshal<InvoiceLine>(kv.value, 'invoice line'),
        );
        if (lines.length === 0) {
            throw invalidState(`${ref.tenantMspId} has no usage from ${ref.operatorMspId} in ${ref.period}`);
        }
        const total = lines.reduce((sum, line) => addAmounts(sum, line.amount), 0);
        const invoice: Invoice = {
            invoiceId: invoiceIdOf(ref.operatorMspId, ref.tenantMspId, ref.period),
            ...ref,
            lines,
            total,
            creditTotal: 0,
            amountDue: total,
            status: 'issued',
            openDisputes: 0,
            issuedAt: txTime(ctx),
            issuedById: who.id,
            txId: ctx.stub.getTxID(),
        };
        state.put(key, invoice);
        await state.commit('InvoiceIssued', { invoiceId: invoice.invoiceId, tenantMspId: invoice.tenantMspId, period: invoice.period, total, lineCount: lines.length });
        return toJSON(invoice);
    }

    /** An invoice; for its operator, its tenant and auditors. */
    @Transaction(false)
    @Returns('string')
    async GetInvoice(ctx: Context, invoiceId: string): Promise<string> {
        const state = LedgerState.query(ctx);
        return toJSON(await this.#readVisibleInvoice(state, parseInvoiceId(invoiceId)));
    }

    /**
     * A page of a tenant's invoices, oldest period first. The tenant and auditors see all of them;
     * an operator sees only its own on each page.
     */
    @Transaction(false)
    @Returns('string')
    async ListInvoices(ctx: Context, tenantMspId: string, pageSize: string, bookmark: string): Promise<string> {
        const state = LedgerState.query(ctx);
        const tenant = requireMspId(tenantMspId, 'tenantMspId');
        const { mspId } = caller(ctx);
        const seesAll = mspId === tenant || (await callerIsAuditor(state));
        const page = await readIndexPage(ctx, INVOICE_KEY, [tenant], parseCountArgument(pageSize, 'pageSize'), bookmark, (kv) =>
            unmarshal<Invoice>(kv.value, 'invoice'),
        );
        const visible: Page<Invoice> = { ...page, records: page.records.filter((invoice) => seesAll || invoice.operatorMspId === mspId) };
        return toJSON(visible);
    }

    /** The running totals of an open or closed period (what its invoice holds or will hold). */
    @Transaction(false)
    @Returns('string')
    async ListPeriodLines(ctx: Context, invoiceId: string): Promise<string> {
        const state = LedgerState.query(ctx);
        const ref = parseInvoiceId(invoiceId);
        await requirePartyOrAuditor(state, [ref.operatorMspId, ref.tenantMspId], `the lines of ${invoiceId}`);
        const lines = await collect(await ctx.stub.getStateByPartialCompositeKey(LINE_KEY, [ref.operatorMspId, ref.tenantMspId, ref.period]), (kv) =>
            unmarshal<InvoiceLine>(kv.value, 'invoice line'),
        );
        return toJSON(lines);
    }

    /** A page of the usage records of one line, in lineSeq order, so the tenant can recompute it (B5). */
    @Transaction(false)
    @Returns('string')
    async ListLineUsage(ctx: Context, invoiceId: string, lineId: string, pageSize: string, bookmark: string): Promise<string> {
        const state = LedgerState.query(ctx);
        const ref = parseInvoiceId(invoiceId);
        const line = requireLineId(lineId);
        await requirePartyOrAuditor(state, [ref.operatorMspId, ref.tenantMspId], `the usage of ${invoiceId}`);
        const attributes = [ref.operatorMspId, ref.tenantMspId, ref.period, line];
        const page = await readIndexPage(ctx, USAGE_BY_LINE_INDEX, attributes, parseCountArgument(pageSize, 'pageSize'), bookmark, async (kv) => {
            const recordId = ctx.stub.splitCompositeKey(kv.key).attributes[5] ?? '';
            const record = await state.read<UsageRecord>(state.key(USAGE_KEY, recordId), 'usage record');
            if (!record) {
                throw notFound(`usage record ${recordId} is indexed but missing`);
            }
            return record;
        });
        return toJSON(page);
    }

    /** A page of the tenants the caller's organisation has usage for in a period: whom to invoice. */
    @Transaction(false)
    @Returns('string')
    async ListPeriodTenants(ctx: Context, period: string, pageSize: string, bookmark: string): Promise<string> {
        const state = LedgerState.query(ctx);
        const wanted = requirePeriod(period);
        const who = await requireRole(state, 'operator', 'ListPeriodTenants');
        const page = await readIndexPage(ctx, TENANT_BY_PERIOD_INDEX, [who.mspId, wanted], parseCountArgument(pageSize, 'pageSize'), bookmark, (kv) =>
            ctx.stub.splitCompositeKey(kv.key).attributes[2] ?? '',
        );
        return toJSON(page);
    }

    /** The tenant disputes some lines of an invoice, optionally citing an evidence record. */
    @Transaction()
    @Returns('string')
    async RaiseDispute(ctx: Context, requestJson: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const request = validateRaiseDispute(parseArgument(requestJson, 'request'));
        const ref = parseInvoiceId(request.invoiceId);
        const who = caller(ctx);
        if (who.mspId !== ref.tenantMspId) {
            throw accessDenied(`only ${ref.tenantMspId} may dispute invoice ${request.invoiceId}`);
        }
        const invoice = await this.#readInvoice(state, ref);
        const key = state.key(DISPUTE_KEY, request.disputeId);
        if (await state.exists(key)) {
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
        const dispute: BillingDispute = {
            ...request,
            operatorMspId: ref.operatorMspId,
            tenantMspId: ref.tenantMspId,
            status: 'open',
            raisedAt: txTime(ctx),
            raisedById: who.id,
            txId: ctx.stub.getTxID(),
        };
        state.put(key, dispute);
        state.put(invoiceKey(state, ref.operatorMspId, ref.tenantMspId, ref.period), { ...invoice, lines, status: 'disputed', openDisputes: invoice.openDisputes + 1 });
        await state.commit('DisputeRaised', { disputeId: dispute.disputeId, invoiceId: dispute.invoiceId, lineIds: dispute.lineIds, evidenceId: dispute.evidenceId ?? null });
        return toJSON(dispute);
    }

    /**
     * Decides a dispute (issue 9 finding 4): an auditor organisation that is party to neither side
     * accepts it with a credit note or rejects it with a reason. The invoice's operator may only
     * concede, i.e. accept against itself; it never rejects a dispute about its own invoice.
     */
    @Transaction()
    @Returns('string')
    async ResolveDispute(ctx: Context, disputeId: string, decisionJson: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const decision = validateResolveDispute(parseArgument(decisionJson, 'decision'));
        const dispute = await this.#readDispute(state, requireIdentifier(disputeId, 'disputeId'));
        const who = await requireArbiter(state, dispute, decision.outcome);
        if (dispute.status !== 'open') {
            throw invalidState(`dispute ${dispute.disputeId} is already ${dispute.status}`);
        }
        const ref = parseInvoiceId(dispute.invoiceId);
        const invoice = await this.#readInvoice(state, ref);
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
        state.put(state.key(DISPUTE_KEY, dispute.disputeId), resolved);
        state.put(invoiceKey(state, ref.operatorMspId, ref.tenantMspId, ref.period), {
            ...invoice,
            creditTotal: invoice.creditTotal + credited,
            amountDue: invoice.amountDue - credited,
            openDisputes,
            status: openDisputes > 0 ? 'disputed' : 'issued',
        });
        await state.commit('DisputeResolved', { disputeId: dispute.disputeId, invoiceId: dispute.invoiceId, outcome: decision.outcome, credited });
        return toJSON(resolved);
    }

    /** A dispute and its outcome; for the invoice's operator, its tenant and auditors. */
    @Transaction(false)
    @Returns('string')
    async GetDispute(ctx: Context, disputeId: string): Promise<string> {
        const state = LedgerState.query(ctx);
        const dispute = await this.#readDispute(state, requireIdentifier(disputeId, 'disputeId'));
        await requirePartyOrAuditor(state, [dispute.operatorMspId, dispute.tenantMspId], `dispute ${dispute.disputeId}`);
        return toJSON(dispute);
    }

    async #readVisibleInvoice(state: LedgerState, ref: InvoiceRef): Promise<Invoice> {
        await requirePartyOrAuditor(state, [ref.operatorMspId, ref.tenantMspId], `invoice ${invoiceIdOf(ref.operatorMspId, ref.tenantMspId, ref.period)}`);
        return this.#readInvoice(state, ref);
    }

    async #readInvoice(state: LedgerState, ref: InvoiceRef): Promise<Invoice> {
        const invoice = await state.read<Invoice>(invoiceKey(state, ref.operatorMspId, ref.tenantMspId, ref.period), 'invoice');
        if (!invoice) {
            throw notFound(`invoice ${invoiceIdOf(ref.operatorMspId, ref.tenantMspId, ref.period)} does not exist`);
        }
        return invoice;
    }

    async #readDispute(state: LedgerState, disputeId: string): Promise<BillingDispute> {
        const dispute = await state.read<BillingDispute>(state.key(DISPUTE_KEY, disputeId), 'dispute');
        if (!dispute) {
            throw notFound(`dispute ${disputeId} does not exist`);
        }
        return dispute;
    }
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
