import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json';
import type { BillingCycle, MeterUnit } from './enums';
import type { ComputeTask } from './requests';
import type { UsageRecord } from './records';

/*
 * The billing arithmetic, once: the chaincode prices and totals usage with it, and the SDK's verifyInvoice
 * recomputes an invoice with the same functions, so a client checks exactly what the chaincode computed.
 * Integers only (money in minor units); times as epoch milliseconds.
 */

export const BYTES_PER_GB = 1_000_000_000;

/**
 * The amount for a metered quantity, exact in integers: seconds × rate, calls × rate, or bytes × rate-per-GB /
 * 10^9 rounded up. Above Number.MAX_SAFE_INTEGER the result is not exact: the chaincode refuses such an amount
 * (AMOUNT_OVERFLOW), so no record ever carries one.
 */
export function meteredAmount(unit: MeterUnit, rate: number, quantity: number): number {
    const product = BigInt(rate) * BigInt(quantity);
    return Number(unit === 'gb' ? (product + BigInt(BYTES_PER_GB - 1)) / BigInt(BYTES_PER_GB) : product);
}

/** Whole seconds billed between two instants (epoch milliseconds): every started second counts. */
export function billedSeconds(startMillis: number, stopMillis: number): number {
    return Math.ceil(Math.max(0, stopMillis - startMillis) / 1000);
}

/** Digest of an invoice line with no records. */
export const EMPTY_LINE_DIGEST = '0'.repeat(64);

/**
 * One step of a line's running digest: sha256(previous + "\n" + recordId + "\n" + quantity + "\n" + amount),
 * lower-case hex, chained over the line's records in `lineSeq` order.
 */
export function chainLineDigest(previous: string, record: Pick<UsageRecord, 'recordId' | 'quantity' | 'amount'>): string {
    return createHash('sha256')
        .update([previous, record.recordId, String(record.quantity), String(record.amount)].join('\n'))
        .digest('hex');
}

/** `resourceId|planVersion|appId`: "|" cannot occur in identifiers, so the parts are unambiguous. */
export function lineIdOf(resourceId: string, planVersion: number, appId: string): string {
    return `${resourceId}|${String(planVersion)}|${appId}`;
}

/** `operatorMspId|tenantMspId|period`, known before the invoice exists, so open lines can be listed too. */
export function invoiceIdOf(operatorMspId: string, tenantMspId: string, period: string): string {
    return `${operatorMspId}|${tenantMspId}|${period}`;
}

// The period of each cycle is the UTC ISO-8601 prefix of this length: 2026-11, 2026-11-22, 2026-11-22T09, 2026-11-22T09:15.
const PERIOD_LENGTH: Readonly<Record<BillingCycle, number>> = { month: 7, day: 10, hour: 13, minute: 16 };
const CYCLE_MILLIS: Readonly<Record<Exclude<BillingCycle, 'month'>, number>> = { day: 86_400_000, hour: 3_600_000, minute: 60_000 };
const PERIOD_START_SUFFIX: Readonly<Record<BillingCycle, string>> = { month: '-01T00:00:00.000Z', day: 'T00:00:00.000Z', hour: ':00:00.000Z', minute: ':00.000Z' };

/** The billing period an instant falls in for a plan's cycle (calendar month, UTC, by default). */
export function billingPeriod(millis: number, cycle: BillingCycle = 'month'): string {
    return new Date(millis).toISOString().slice(0, PERIOD_LENGTH[cycle]);
}

/** The cycle a well-formed period string belongs to, from its length. */
export function periodCycle(period: string): BillingCycle {
    return (Object.keys(PERIOD_LENGTH) as BillingCycle[]).find((cycle) => PERIOD_LENGTH[cycle] === period.length) ?? 'month';
}

/** The first instant of a period, NaN when it is no real time. */
export function periodStartMillis(period: string): number {
    return Date.parse(`${period}${PERIOD_START_SUFFIX[periodCycle(period)]}`);
}

/** Whether a text matching the Period pattern names a real period: 2026-02-30 and 2026-11-22T24 do not. */
export function isRealPeriod(period: string): boolean {
    const start = periodStartMillis(period);
    return !Number.isNaN(start) && billingPeriod(start, periodCycle(period)) === period;
}

/** The first instant after the period. */
export function periodEndMillis(period: string): number {
    const cycle = periodCycle(period);
    if (cycle === 'month') {
        const [year = '0', month = '0'] = period.split('-');
        return Date.UTC(Number(year), Number(month), 1);
    }
    return periodStartMillis(period) + CYCLE_MILLIS[cycle];
}

/**
 * The exact text a requester signs for a compute task (B9): the canonical JSON of its eight fields, keys sorted,
 * no whitespace, e.g. {"accountId":"alice","appId":"game-1","budget":500,"deadline":"2026-01-01T01:00:00.000Z",
 * "planVersion":1,"resourceId":"gpu-1","sessionId":"s-1","tenantMspId":"CloudOrgMSP"}; signed as UTF-8 with
 * ECDSA P-256 over SHA-256. `deadline` is in the normalised form toISOString() writes (milliseconds, `Z`).
 */
export function computeTaskText(task: ComputeTask): string {
    const { sessionId, resourceId, tenantMspId, appId, planVersion, accountId, budget, deadline } = task;
    return canonicalJson({ sessionId, resourceId, tenantMspId, appId, planVersion, accountId, budget, deadline });
}
