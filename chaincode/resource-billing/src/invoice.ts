import { invalidArgument } from '../../common/src';
import { requireMspId } from './billing-inputs';
import { billingPeriod, type Invoice, invoiceIdOf, isRealPeriod, LINE_ID_PATTERN, lineIdOf, PERIOD_PATTERN, periodCycle, periodEndMillis } from '../../schemas/src';

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
