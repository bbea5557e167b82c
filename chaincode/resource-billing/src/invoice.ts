import { caller, collect, invalidArgument, invalidState, LedgerState, notFound, type Page, parsePageSize, readIndexPage, timestampToleranceMillis, toJSON, txTime, txTimeMillis } from '../../common/src';
import { requireMspId } from './billing-inputs';
import { billingPeriod, type Invoice, invoiceIdOf, type InvoiceLine, isRealPeriod, LINE_ID_PATTERN, lineIdOf, PERIOD_PATTERN, periodCycle, periodEndMillis, type UsageRecord } from '../../schemas/src';
import { Key } from './keys';
import { addAmounts } from './price-plan';
import { callerIsAuditor, requirePairReader, requireRole } from './role-grant';
import { billingError, BillingErrorCode } from './billing-errors';
import type { Context } from 'fabric-contract-api';
import type { Iterators } from 'fabric-shim-api';
import { invoiceKey, type PeriodLines, periodLinesKey } from './usage-ledger';
import { pairCollection } from './billing-collection';

export { billingPeriod, invoiceIdOf, lineIdOf, periodCycle, periodEndMillis };

/** The parts of an invoice id. */
export type InvoiceRef = Pick<Invoice, 'operatorMspId' | 'tenantMspId' | 'period'>;

const LINE_ID = new RegExp(LINE_ID_PATTERN);
const PERIOD = new RegExp(PERIOD_PATTERN);

/** A period of any cycle: YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH or YYYY-MM-DDTHH:MM (UTC), a real instant. */
export function requirePeriod(value: unknown, field = 'period'): string {
    if (typeof value !== 'string' || !PERIOD.test(value)) {
        throw invalidArgument(`${field} must be a period YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH or YYYY-MM-DDTHH:MM`);
    }
    // Rejects 2026-02-30, 2026-11-22T24 and the like, which Date.parse would otherwise roll over or refuse.
    if (!isRealPeriod(value)) {
        throw invalidArgument(`${field} ${value} is not a real ${periodCycle(value)}`);
    }
    return value;
}

export function parseInvoiceId(value: unknown): InvoiceRef {
    const parts = typeof value === 'string' ? value.split('|') : [];
    if (parts.length !== 3) {
        throw invalidArgument('invoiceId must be operatorMspId|tenantMspId|YYYY-MM');
    }
    const [operator, tenant, period] = parts;
    return {
        operatorMspId: requireMspId(operator, 'invoiceId operator'),
        tenantMspId: requireMspId(tenant, 'invoiceId tenant'),
        period: requirePeriod(period, 'invoiceId period'),
    };
}

export function requireLineId(value: unknown, field = 'lineId'): string {
    if (typeof value !== 'string' || value.length > 300 || !LINE_ID.test(value)) {
        throw invalidArgument(`${field} must be resourceId|planVersion|appId`);
    }
    return value;
}

/**
 * Closes a tenant's period for the caller's organisation and issues the invoice: one line per
 * running total, copied as it stands. Only once, and only after the period's end plus the
 * timestamp tolerance: a close stamped as early as the tolerance allows still comes after every
 * honest use of the period, which the tenant stamped with the true time (issue 9 finding 5).
 */
export async function closeBillingPeriod(ctx: Context, tenantMspId: string, period: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const ref: InvoiceRef = { operatorMspId: caller(ctx).mspId, tenantMspId: requireMspId(tenantMspId, 'tenantMspId'), period: requirePeriod(period) };
    const who = await requireRole(state, 'operator', 'CloseBillingPeriod');
    if (txTimeMillis(ctx) < periodEndMillis(ref.period) + timestampToleranceMillis()) {
        throw billingError(BillingErrorCode.PeriodNotEnded, `period ${ref.period} has not ended yet, or ended less than the ${String(timestampToleranceMillis() / 1000)} s tolerance ago`);
    }
    const collection = pairCollection(ref);
    const key = invoiceKey(state, ref.operatorMspId, ref.tenantMspId, ref.period);
    if (await state.exists(key, collection)) {
        throw billingError(BillingErrorCode.PeriodClosed, `period ${ref.period} of ${ref.tenantMspId} is already invoiced`);
    }
    const lines = await readPeriodLines(state, ref);
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
    state.put(key, invoice, collection);
    state.putIndex(state.key(Key.InvoiceByTenant, ref.tenantMspId, ref.period, ref.operatorMspId));
    // Ids only: the total and the lines are private to the pair.
    await state.commit('InvoiceIssued', { invoiceId: invoice.invoiceId });
    return toJSON({ invoiceId: invoice.invoiceId });
}

/** An invoice; for its operator, its tenant and auditors. */
export async function getInvoice(ctx: Context, invoiceId: string): Promise<string> {
    const state = LedgerState.query(ctx);
    return toJSON(await readVisibleInvoice(state, parseInvoiceId(invoiceId)));
}

/**
 * A page of a tenant's invoices, oldest period first. The tenant and auditors see all of them;
 * an operator sees only its own on each page.
 */
export async function listInvoices(ctx: Context, tenantMspId: string, pageSize: string, bookmark: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const tenant = requireMspId(tenantMspId, 'tenantMspId');
    const { mspId } = caller(ctx);
    const seesAll = mspId === tenant || (await callerIsAuditor(state));
    // The public index pages; each invoice is read from its pair's collection, only where the caller is a member.
    const page = await readIndexPage(ctx, Key.InvoiceByTenant, [tenant], parsePageSize(pageSize), bookmark, (kv) => {
        const [, period = '', operatorMspId = ''] = ctx.stub.splitCompositeKey(kv.key).attributes;
        return { operatorMspId, tenantMspId: tenant, period };
    });
    const records: Invoice[] = [];
    for (const ref of page.records.filter((r) => seesAll || r.operatorMspId === mspId)) {
        records.push(await readInvoice(state, ref));
    }
    const visible: Page<Invoice> = { ...page, records };
    return toJSON(visible);
}

/** The running totals of an open or closed period (what its invoice holds or will hold). */
export async function listPeriodLines(ctx: Context, invoiceId: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const ref = parseInvoiceId(invoiceId);
    await requirePairReader(state, ref, `the lines of ${invoiceId}`);
    return toJSON(await readPeriodLines(state, ref));
}

/** A page of the usage records of one line, in lineSeq order, so the tenant can recompute it (B5). */
export async function listLineUsage(ctx: Context, invoiceId: string, lineId: string, pageSize: string, bookmark: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const ref = parseInvoiceId(invoiceId);
    const line = requireLineId(lineId);
    await requirePairReader(state, ref, `usage of line ${line} of ${invoiceId}`);
    const attributes = [ref.operatorMspId, ref.tenantMspId, ref.period, line];
    const collection = pairCollection(ref);
    const page = await readPrivatePage(state, collection, Key.UsageByLine, attributes, parsePageSize(pageSize), bookmark, async (key) => {
        const recordId = ctx.stub.splitCompositeKey(key).attributes[5] ?? '';
        const record = await state.read<UsageRecord>(state.key(Key.Usage, recordId), 'usage record', collection);
        if (!record) {
            throw notFound(`usage record ${recordId} is indexed but missing`);
        }
        return record;
    });
    return toJSON(page);
}

/** A page of the tenants the caller's organisation has usage for in a period: whom to invoice. */
export async function listPeriodTenants(ctx: Context, period: string, pageSize: string, bookmark: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const wanted = requirePeriod(period);
    const who = await requireRole(state, 'operator', 'ListPeriodTenants');
    const page = await readIndexPage(ctx, Key.TenantByPeriod, [who.mspId, wanted], parsePageSize(pageSize), bookmark, (kv) =>
        ctx.stub.splitCompositeKey(kv.key).attributes[2] ?? '',
    );
    return toJSON(page);
}

async function readVisibleInvoice(state: LedgerState, ref: InvoiceRef): Promise<Invoice> {
    await requirePairReader(state, ref, `invoice ${invoiceIdOf(ref.operatorMspId, ref.tenantMspId, ref.period)}`);
    return readInvoice(state, ref);
}

export async function readInvoice(state: LedgerState, ref: InvoiceRef): Promise<Invoice> {
    const invoice = await state.read<Invoice>(invoiceKey(state, ref.operatorMspId, ref.tenantMspId, ref.period), 'invoice', pairCollection(ref));
    if (!invoice) {
        throw notFound(`invoice ${invoiceIdOf(ref.operatorMspId, ref.tenantMspId, ref.period)} does not exist`);
    }
    return invoice;
}

/** The running totals of a pair's period, from its collection, each read by key (see Key.PeriodLines), in key order. */
async function readPeriodLines(state: LedgerState, ref: InvoiceRef): Promise<InvoiceLine[]> {
    const collection = pairCollection(ref);
    const index = await state.read<PeriodLines>(periodLinesKey(state, ref), 'period lines', collection);
    const lines: InvoiceLine[] = [];
    for (const key of index?.lineKeys ?? []) {
        const line = await state.read<InvoiceLine>(key, 'invoice line', collection);
        if (line === undefined) {
            throw notFound(`invoice line ${key} is listed for ${ref.period} but missing`);
        }
        lines.push(line);
    }
    return lines;
}

/**
 * A page of a private index. Fabric has no paginated range query on private data, so the page is cut here: the
 * bookmark is the last key of the previous page, and the walk skips up to it (deterministic, in key order).
 */
export async function readPrivatePage<R>(state: LedgerState, collection: string, objectType: string, attributes: string[], pageSize: number, bookmark: string, map: (key: string) => Promise<R>): Promise<Page<R>> {
    // fabric-shim 2.5 resolves a private range query to { iterator, metadata } (a public one to the iterator itself).
    const prefix = state.key(objectType, ...attributes);
    const response = (await state.ctx.stub.getPrivateDataByRange(collection, prefix, `${prefix}\u{10FFFF}`)) as Iterators.StateQueryIterator | { iterator: Iterators.StateQueryIterator };
    const range = 'iterator' in response ? response.iterator : response;
    const keys = (await collect(range, (kv) => kv.key)).filter((key) => bookmark === '' || key > bookmark);
    const pageKeys = keys.slice(0, pageSize);
    const records: R[] = [];
    for (const key of pageKeys) {
        records.push(await map(key));
    }
    const more = keys.length > pageSize;
    return { records, bookmark: more ? (pageKeys[pageKeys.length - 1] ?? '') : '', fetchedRecordsCount: records.length };
}
