import { invalidArgument } from '../../common/src';
import { requireMspId } from './billing-inputs';
import type { MeterUnit } from './price-plan';

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
const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The billing period (calendar month, UTC) an instant falls in: `YYYY-MM`. */
export function billingPeriod(millis: number): string {
    return new Date(millis).toISOString().slice(0, 7);
}

export function requirePeriod(value: unknown, field = 'period'): string {
    if (typeof value !== 'string' || !PERIOD.test(value)) {
        throw invalidArgument(`${field} must be a calendar month YYYY-MM`);
    }
    return value;
}

/** The first instant after the period. */
export function periodEndMillis(period: string): number {
    const [year = '0', month = '0'] = period.split('-');
    return Date.UTC(Number(year), Number(month), 1);
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
