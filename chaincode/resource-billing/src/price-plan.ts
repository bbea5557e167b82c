import { requireCount, requireIdentifier, requireOneOf } from '../../common/src';
import { requireObject } from './billing-inputs';
import { billingError, BillingErrorCode } from './billing-errors';
import { BILLING_CYCLES, MAX_PLAN_VERSION, MAX_RATE, meteredAmount as amountOf, METER_UNITS, type MeterUnit, type PricePlanTerms } from '../../schemas/src';

export { billedSeconds } from '../../schemas/src';

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
    return requireCount(value, field, { min: 1, max: MAX_PLAN_VERSION });
}

/**
 * The amount for a metered quantity (the schema package's meteredAmount, which the SDK's verifyInvoice applies
 * too), refused with AMOUNT_OVERFLOW when it leaves the safe integer range.
 */
export function meteredAmount(unit: MeterUnit, rate: number, quantity: number): number {
    const amount = amountOf(unit, rate, quantity);
    if (!Number.isSafeInteger(amount)) {
        throw billingError(BillingErrorCode.AmountOverflow, `${String(quantity)} ${unit} at ${String(rate)} exceeds the largest safe amount`);
    }
    return amount;
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

