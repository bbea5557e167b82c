import { invalidArgument } from '../../common/src';
import { requireMspId } from './billing-inputs';
import type { BillingCycle, MeterUnit } from './price-plan';

/**
 * A running total of one tenant's usage of one resource at one plan version by one application in
 * one period. It is updated as each usage record arrives, and becomes an invoice line as it stands
 * when the period is closed, so closing costs the same whatever the number of records (B4).
 */
export interface InvoiceLine {
    lineId: string;
    operatorMspId: string;
    tenantMspId: string;
    period: string;
    resourceId: string;
    planVersion: number;
    appId: string;
    unit: MeterUnit;
    rate: number;
    quantity: number;
    amount: number;
    recordCount: number;
    /** Chained digest of the line's records in lineSeq order (see chainLineDigest). */
    recordsDigest: string;
    /** The dispute naming this line, once one was raised. */
    disputeId?: string;
}

export const INVOICE_STATUSES = ['issued', 'disputed'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** One operator's invoice to one tenant for one period. */
export interface Invoice {
    invoiceId: string;
    operatorMspId: string;
    tenantMspId: string;
    period: string;
    lines: InvoiceLine[];
    total: number;
    creditTotal: number;
    amountDue: number;
    status: InvoiceStatus;
    openDisputes: number;
    issuedAt: string;
    issuedById: string;
    txId: string;
}

export const LINE_KEY = 'billing.line';
export const INVOICE_KEY = 'billing.invoice';
export const USAGE_BY_LINE_INDEX = 'billing.usage-by-line';
export const TENANT_BY_PERIOD_INDEX = 'billing.tenant-by-period';

const LINE_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/-]*\|[1-9]\d{0,5}\|[A-Za-z0-9][A-Za-z0-9._:@/-]*$/;
// The period of each cycle is the UTC ISO-8601 prefix of this length: 2026-11, 2026-11-22, 2026-11-22T09, 2026-11-22T09:15.
const PERIOD_LENGTH: Readonly<Record<BillingCycle, number>> = { month: 7, day: 10, hour: 13, minute: 16 };
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])(-\d{2}(T\d{2}(:\d{2})?)?)?$/;
const CYCLE_MILLIS: Readonly<Record<Exclude<BillingCycle, 'month'>, number>> = { day: 86_400_000, hour: 3_600_000, minute: 60_000 };

/** The billing period an instant falls in for a plan's cycle (calendar month, UTC, by default). */
export function billingPeriod(millis: number, cycle: BillingCycle = 'month'): string {
    return new Date(millis).toISOString().slice(0, PERIOD_LENGTH[cycle]);
}

/** The cycle a well-formed period string belongs to, from its length. */
export function periodCycle(period: string): BillingCycle {
    return (Object.keys(PERIOD_LENGTH) as BillingCycle[]).find((cycle) => PERIOD_LENGTH[cycle] === period.length) ?? 'month';
}

function periodStartMillis(period: string): number {
    const suffix: Record<BillingCycle, string> = { month: '-01T00:00:00.000Z', day: 'T00:00:00.000Z', hour: ':00:00.000Z', minute: ':00.000Z' };
    return Date.parse(`${period}${suffix[periodCycle(period)]}`);
}

/** A period of any cycle: YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH or YYYY-MM-DDTHH:MM (UTC), a real instant. */
export function requirePeriod(value: unknown, field = 'period'): string {
    if (typeof value !== 'string' || !PERIOD.test(value)) {
        throw invalidArgument(`${field} must be a period YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH or YYYY-MM-DDTHH:MM`);
    }
    const start = periodStartMillis(value);
    // Rejects 2026-02-30, 2026-11-22T24 and the like, which Date.parse would otherwise roll over or refuse.
    if (Number.isNaN(start) || billingPeriod(start, periodCycle(value)) !== value) {
        throw invalidArgument(`${field} ${value} is not a real ${periodCycle(value)}`);
    }
    return value;
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

/** `resourceId|planVersion|appId`: "|" cannot occur in identifiers, so the parts are unambiguous. */
export function lineIdOf(resourceId: string, planVersion: number, appId: string): string {
    return `${resourceId}|${String(planVersion)}|${appId}`;
}

/** `operatorMspId|tenantMspId|period`, known before the invoice exists, so open lines can be listed too. */
export function invoiceIdOf(operatorMspId: string, tenantMspId: string, period: string): string {
    return `${operatorMspId}|${tenantMspId}|${period}`;
}

export interface InvoiceRef {
    operatorMspId: string;
    tenantMspId: string;
    period: string;
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
