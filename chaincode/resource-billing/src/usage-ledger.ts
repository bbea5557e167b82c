import { Key, versionKey } from './keys';
import { alreadyExists, caller, invalidState, LedgerState, notFound, requireText, toJSON, txTime, txTimeMillis } from '../../common/src';
import { billingError, BillingErrorCode } from './billing-errors';
import { billingPeriod, lineIdOf } from './invoice';
import { addAmounts, meteredAmount } from './price-plan';
import { chainLineDigest, EMPTY_LINE_DIGEST, type InvoiceLine, type PricedUse, type ResourceKind, type Settlement, type UsageRecord, type UsageSource } from '../../schemas/src';
import type { Context } from 'fabric-contract-api';
import type { Parties } from './counterparty';
import { requirePairReader } from './role-grant';
import { pairCollection, readRoute } from './billing-collection';
import { putLineCount } from './line-count';

/** A use to be priced and recorded; the amount is computed here, never taken from a client. */
export interface MeteredUse extends PricedUse {
    recordId: string;
    source: UsageSource;
    sessionId?: string;
    operationId?: string;
    operationKind?: ResourceKind;
    quantity: number;
    startedAt?: string;
    stoppedAt?: string;
}

export function lineKey(state: LedgerState, line: Pick<InvoiceLine, 'operatorMspId' | 'tenantMspId' | 'period' | 'resourceId' | 'planVersion' | 'appId'>): string {
    return state.key(Key.Line, line.operatorMspId, line.tenantMspId, line.period, line.resourceId, versionKey(line.planVersion), line.appId);
}

export function invoiceKey(state: LedgerState, operatorMspId: string, tenantMspId: string, period: string): string {
    return state.key(Key.Invoice, tenantMspId, period, operatorMspId);
}

/** Position of a record in its line, padded so the index lists records in lineSeq order. */
export function lineSeqKey(seq: number): string {
    return String(seq).padStart(10, '0');
}

/** Which record holds a position of a line (Key.LineRecord). */
export interface LineRecord {
    recordId: string;
}

export function lineRecordKey(state: LedgerState, line: Pick<InvoiceLine, 'operatorMspId' | 'tenantMspId' | 'period' | 'lineId'>, seq: number): string {
    return state.key(Key.LineRecord, line.operatorMspId, line.tenantMspId, line.period, line.lineId, lineSeqKey(seq));
}

function newRecord(state: LedgerState, use: MeteredUse, settlement: Settlement): UsageRecord {
    const { cycle, ...metered } = use;
    return {
        ...metered,
        amount: meteredAmount(use.unit, use.rate, use.quantity),
        recordedAt: txTime(state.ctx),
        recordedByMspId: caller(state.ctx).mspId,
        period: billingPeriod(txTimeMillis(state.ctx), cycle),
        settlement,
        txId: state.ctx.stub.getTxID(),
    };
}

async function requireNewRecord(state: LedgerState, recordId: string, collection: string): Promise<void> {
    if (await state.exists(state.key(Key.Usage, recordId), collection)) {
        throw alreadyExists(`usage record ${recordId} exists already`);
    }
}

/**
 * Records invoice-settled usage and adds it to its line's running total in the same transaction,
 * so that closing the period only copies the lines. Refused once the period's invoice is issued.
 */
export async function recordInvoicedUsage(state: LedgerState, use: MeteredUse): Promise<{ record: UsageRecord; line: InvoiceLine }> {
    const collection = pairCollection(use);
    await requireNewRecord(state, use.recordId, collection);
    const draft = newRecord(state, use, 'invoice');
    if (await state.exists(invoiceKey(state, use.operatorMspId, use.tenantMspId, draft.period), collection)) {
        throw billingError(BillingErrorCode.PeriodClosed, `period ${draft.period} of ${use.tenantMspId} is already invoiced`);
    }
    const lineId = lineIdOf(use.resourceId, use.planVersion, use.appId);
    const key = lineKey(state, { ...use, period: draft.period });
    const existing = await state.read<InvoiceLine>(key, 'invoice line', collection);
    if (existing === undefined) {
        await addPeriodLine(state, { ...use, period: draft.period }, key, collection);
    }
    const previous = existing ?? emptyLine(use, draft.period, lineId);
    if (previous.unit !== use.unit || previous.rate !== use.rate) {
        throw invalidState(`line ${lineId} is priced ${String(previous.rate)} per ${previous.unit}, not ${String(use.rate)} per ${use.unit}`);
    }
    const record: UsageRecord = { ...draft, lineId, lineSeq: previous.recordCount + 1 };
    const line: InvoiceLine = {
        ...previous,
        quantity: addAmounts(previous.quantity, record.quantity),
        amount: addAmounts(previous.amount, record.amount),
        recordCount: record.lineSeq ?? 0,
        recordsDigest: chainLineDigest(previous.recordsDigest, record),
    };
    state.put(state.key(Key.Usage, record.recordId), record, collection);
    state.put(key, line, collection);
    putLineCount(state, line);
    state.putIndex(state.key(Key.UsageByLine, use.operatorMspId, use.tenantMspId, record.period, lineId, lineSeqKey(line.recordCount), record.recordId), collection);
    state.put(lineRecordKey(state, line, line.recordCount), { recordId: record.recordId } satisfies LineRecord, collection);
    // Public: that the operator has usage of the tenant in the period is evident from the collection's writes anyway.
    state.putIndex(state.key(Key.TenantByPeriod, use.operatorMspId, record.period, use.tenantMspId));
    return { record, line };
}

/** Records token-settled usage: paid from the session's escrow, so it never reaches an invoice. */
export async function recordTokenUsage(state: LedgerState, use: MeteredUse, budget: number): Promise<UsageRecord> {
    const collection = pairCollection(use);
    await requireNewRecord(state, use.recordId, collection);
    const draft = newRecord(state, use, 'token');
    const record: UsageRecord = { ...draft, charged: Math.min(draft.amount, budget) };
    state.put(state.key(Key.Usage, record.recordId), record, collection);
    return record;
}

/** The line keys of a pair's period, in key order (see Key.PeriodLines). */
export interface PeriodLines {
    lineKeys: string[];
}

export function periodLinesKey(state: LedgerState, ref: Pick<InvoiceLine, 'operatorMspId' | 'tenantMspId' | 'period'>): string {
    return state.key(Key.PeriodLines, ref.operatorMspId, ref.tenantMspId, ref.period);
}

async function addPeriodLine(state: LedgerState, ref: Pick<InvoiceLine, 'operatorMspId' | 'tenantMspId' | 'period'>, lineKey: string, collection: string): Promise<void> {
    const key = periodLinesKey(state, ref);
    const known = (await state.read<PeriodLines>(key, 'period lines', collection))?.lineKeys ?? [];
    state.put(key, { lineKeys: [...known, lineKey].sort() } satisfies PeriodLines, collection);
}

function emptyLine(use: MeteredUse, period: string, lineId: string): InvoiceLine {
    return {
        lineId,
        operatorMspId: use.operatorMspId,
        tenantMspId: use.tenantMspId,
        period,
        resourceId: use.resourceId,
        planVersion: use.planVersion,
        appId: use.appId,
        unit: use.unit,
        rate: use.rate,
        quantity: 0,
        amount: 0,
        recordCount: 0,
        recordsDigest: EMPTY_LINE_DIGEST,
    };
}

/** A usage record; for its operator, its tenant and auditors. */
export async function getUsageRecord(ctx: Context, recordId: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const id = requireText(recordId, 'recordId', 140);
    const route = await recordRoute(state, id);
    if (route) {
        await requirePairReader(state, route, `usage record ${id}`);
    }
    const record = route ? await state.read<UsageRecord>(state.key(Key.Usage, id), 'usage record', pairCollection(route)) : undefined;
    if (!record) {
        throw notFound(`usage record ${recordId} does not exist`);
    }
    return toJSON(record);
}

/** The pair of a usage record, from the route of the session or CT operation it came from. */
async function recordRoute(state: LedgerState, recordId: string): Promise<Parties | undefined> {
    const [source, ...rest] = recordId.split(':');
    const id = rest.join(':');
    if (source === 'session') {
        return readRoute(state, 'session', id);
    }
    return source === 'ct' ? readRoute(state, 'ct-operation', id) : undefined;
}

/** A usage event names the record only: its amounts and app are private to the pair. */
export function usageEvent(record: UsageRecord): Record<string, unknown> {
    return { recordId: record.recordId };
}
