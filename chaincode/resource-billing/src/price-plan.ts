import { requireCount, requireIdentifier, requireOneOf } from '../../common/src';
import { requireObject } from './billing-inputs';
import { billingError, BillingErrorCode } from './billing-errors';

/** What a plan charges for: each second of a session, each call, or each GB (10^9 bytes) of volume. */
export const METER_UNITS = ['second', 'call', 'gb'] as const;
export type MeterUnit = (typeof METER_UNITS)[number];

export const BYTES_PER_GB = 1_000_000_000;
export const MAX_RATE = 1_000_000_000_000;

/**
 * How often a plan's invoice-settled usage is settled: its usage falls into calendar-month periods
 * by default, or into day, hour or minute periods (spot capacity, and tests on a live network that
 * cannot wait for a month to end). The period string is the UTC ISO-8601 prefix of that length.
 */
export const BILLING_CYCLES = ['month', 'day', 'hour', 'minute'] as const;
export type BillingCycle = (typeof BILLING_CYCLES)[number];

/** The priced part of a plan; `rate` is in integer minor units per unit; no `cycle` means monthly. */
export interface PricePlanTerms {
    unit: MeterUnit;
    rate: number;
    cycle?: BillingCycle;
}

/**
 * One version of a resource's price plan. Versions are never changed once published; a session
 * and a usage record keep the version they were priced with.
 */
export interface PricePlan extends PricePlanTerms {
    resourceId: string;
    version: number;
    publishedAt: string;
    publishedByMspId: string;
    txId: string;
}

export const PLAN_KEY = 'billing.plan';

export function validatePlanTerms(value: unknown, field = 'plan'): PricePlanTerms {
    const terms = requireObject<PricePlanTerms>(value, field);
    const valid: PricePlanTerms = {
        unit: requireOneOf(terms.unit, `${field}.unit`, METER_UNITS),
        rate: requireCount(terms.rate, `${field}.rate`, { max: MAX_RATE }),
    };
    // Stored only when given, so monthly plans keep exactly the shape they had before cycles existed.
    if (terms.cycle !== undefined) {
        valid.cycle = requireOneOf(terms.cycle, `${field}.cycle`, BILLING_CYCLES);
    }
    return valid;
}

export function requirePlanVersion(value: unknown, field = 'planVersion'): number {
    return requireCount(value, field, { min: 1, max: 999_999 });
}

/** Plan versions padded so that composite keys sort in version order. */
export function versionKey(version: number): string {
    return String(version).padStart(6, '0');
}

/** Whole seconds billed for a session: every started second counts. */
export function billedSeconds(startMillis: number, stopMillis: number): number {
    return Math.ceil(Math.max(0, stopMillis - startMillis) / 1000);
}

/**
 * The amount for a metered quantity, exact in integers: seconds × rate, calls × rate, or
 * bytes × rate-per-GB / 10^9 rounded up. The SDK's verifyInvoice applies the same formula.
 */
export function meteredAmount(unit: MeterUnit, rate: number, quantity: number): number {
    const product = BigInt(rate) * BigInt(quantity);
    const amount = unit === 'gb' ? (product + BigInt(BYTES_PER_GB - 1)) / BigInt(BYTES_PER_GB) : product;
    if (amount > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw billingError(BillingErrorCode.AmountOverflow, `${String(quantity)} ${unit} at ${String(rate)} exceeds the largest safe amount`);
    }
    return Number(amount);
}

/** Sum of two amounts, refusing to leave the safe integer range. */
export function addAmounts(a: number, b: number): number {
    const sum = a + b;
    if (!Number.isSafeInteger(sum)) {
        throw billingError(BillingErrorCode.AmountOverflow, 'a running total exceeds the largest safe amount');
    }
    return sum;
}

export function requireResourceId(value: unknown, field = 'resourceId'): string {
    return requireIdentifier(value, field);
}

/** Who uses which resource at which price: the terms every session, CT operation and metered use carries. */
export interface PricedUse {
    resourceId: string;
    operatorMspId: string;
    tenantMspId: string;
    appId: string;
    planVersion: number;
    unit: MeterUnit;
    rate: number;
    /** The plan's settlement cycle, which decides the period; monthly when absent. */
    cycle?: BillingCycle;
}
