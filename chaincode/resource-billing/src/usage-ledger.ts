import { alreadyExists, caller, invalidState, txTime, txTimeMillis } from '../../common/src';
import { billingError, BillingErrorCode } from './billing-errors';
import {
    billingPeriod,
    INVOICE_KEY,
    type InvoiceLine,
    LINE_KEY,
    lineIdOf,
    TENANT_BY_PERIOD_INDEX,
    USAGE_BY_LINE_INDEX,
} from './invoice';
import type { LedgerState } from '../../common/src';
import { addAmounts, meteredAmount, type PricedUse, versionKey } from './price-plan';
import { chainLineDigest, EMPTY_LINE_DIGEST, type Settlement, USAGE_KEY, type UsageRecord, type UsageSource } from './usage-record';

/** A use to be priced and recorded; the amount is computed here, never taken from a client. */
export interface MeteredUse extends PricedUse {
    recordId: string;
    source: UsageSource;
    sessionId?: string;
    operationId?: string;
    operationKind?: string;
    quantity: number;
    startedAt?: string;
    stoppedAt?: string;
}

export function lineKey(state: LedgerState, line: Pick<InvoiceLine, 'operatorMspId' | 'tenantMspId' | 'period' | 'resourceId' | 'planVersion' | 'appId'>): string {
    return state.key(LINE_KEY, line.operatorMspId, line.tenantMspId, line.period, line.resourceId, versionKey(line.planVersion), line.appId);
}

export function invoiceKey(state: LedgerState, operatorMspId: string, tenantMspId: string, period: string): string {
    return state.key(INVOICE_KEY, tenantMspId, period, operatorMspId);
}

/** Position of a record in its line, padded so the index lists records in lineSeq order. */
export function lineSeqKey(seq: number): string {
    return String(seq).padStart(10, '0');
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

async function requireNewRecord(state: LedgerState, recordId: string): Promise<void> {
    if (await state.exists(state.key(USAGE_KEY, recordId))) {
        throw alreadyExists(`usage record ${recordId} exists already`);
    }
}

/**
 * Records invoice-settled usage and adds it to its line's running total in the same transaction,
 * so that closing the period only copies the lines. Refused once the period's invoice is issued.
 */
export async function recordInvoicedUsage(state: LedgerState, use: MeteredUse): Promise<{ record: UsageRecord; line: InvoiceLine }> {
    await requireNewRecord(state, use.recordId);
    const draft = newRecord(state, use, 'invoice');
    if (await state.exists(invoiceKey(state, use.operatorMspId, use.tenantMspId, draft.period))) {
        throw billingError(BillingErrorCode.PeriodClosed, `period ${draft.period} of ${use.tenantMspId} is already invoiced`);
    }
    const lineId = lineIdOf(use.resourceId, use.planVersion, use.appId);
    const key = lineKey(state, { ...use, period: draft.period });
    const previous = (await state.read<InvoiceLine>(key, 'invoice line')) ?? emptyLine(use, draft.period, lineId);
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
    state.put(state.key(USAGE_KEY, record.recordId), record);
    state.put(key, line);
    state.putIndex(state.key(USAGE_BY_LINE_INDEX, use.operatorMspId, use.tenantMspId, record.period, lineId, lineSeqKey(line.recordCount), record.recordId));
    state.putIndex(state.key(TENANT_BY_PERIOD_INDEX, use.operatorMspId, record.period, use.tenantMspId));
    return { record, line };
}

/** Records token-settled usage: paid from the session's escrow, so it never reaches an invoice. */
export async function recordTokenUsage(state: LedgerState, use: MeteredUse, budget: number): Promise<UsageRecord> {
    await requireNewRecord(state, use.recordId);
    const draft = newRecord(state, use, 'token');
    const record: UsageRecord = { ...draft, charged: Math.min(draft.amount, budget) };
    state.put(state.key(USAGE_KEY, record.recordId), record);
    return record;
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
