// The lists are the schema package's (through the SDK), so a kind or unit added there is accepted here.
import {
    BILLING_CYCLES,
    type CreateListingRequest,
    type CtOperationRequest,
    LISTING_KINDS,
    type ListingKind,
    METER_UNITS,
    type PricePlanTerms,
    type RaiseDisputeRequest,
    type RegisterResourceRequest,
    type ResolveDisputeRequest,
    RESOURCE_KINDS,
    type StartSessionRequest,
    type StopMeters,
} from '@edgetrust/gateway-sdk';
import { decodeBookmark } from './paging';
import { requiredText as required, list as repeated, UsageError as BillingUsageError, type Values } from './args';

/*
 * What the billing commands make of their arguments: pure functions, tested without a network.
 */

// The toolkit every group shares (args.ts), under the names the billing commands use.
export { UsageError as BillingUsageError, parseCommand as parseBillingCommand, requiredText as required, list as repeated } from './args';
export type { ParsedCommand as Parsed, Values } from './args';

/** A string option's value; an empty one counts as not given. */
export function optional(values: Values, name: string): string | undefined {
    const value = values[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A whole number of at least `min`; the chaincode checks the upper bounds. */
export function wholeNumber(text: string, what: string, min = 0): number {
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)) || Number(text) < min) {
        throw new BillingUsageError(`${what} must be a whole number${min > 0 ? ` of at least ${String(min)}` : ''}, not ${JSON.stringify(text)}`);
    }
    return Number(text);
}

export function optionalNumber(values: Values, name: string, min = 0): number | undefined {
    const text = optional(values, name);
    return text === undefined ? undefined : wholeNumber(text, `--${name}`, min);
}

function oneOf<T extends string>(text: string, what: string, allowed: readonly T[]): T {
    if (!(allowed as readonly string[]).includes(text)) {
        throw new BillingUsageError(`${what} must be one of ${allowed.join(', ')}, not ${JSON.stringify(text)}`);
    }
    return text as T;
}

/** `key=value` pairs (repeatable option) as a map. */
export function pairs(values: Values, name: string): Record<string, string> {
    const result: Record<string, string> = {};
    for (const pair of repeated(values, name)) {
        const at = pair.indexOf('=');
        if (at <= 0) {
            throw new BillingUsageError(`--${name} takes key=value, not ${JSON.stringify(pair)}`);
        }
        result[pair.slice(0, at)] = pair.slice(at + 1);
    }
    return result;
}

/** Whether the text's leading YYYY-MM-DD is a real day: Date.parse rolls 2026-02-30 over into March 2, as the chaincode does not. */
function isCalendarDate(text: string): boolean {
    const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
    if (match === null) {
        return true;
    }
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** An ISO-8601 instant, normalised to `toISOString()`; an impossible calendar day is refused. */
export function instant(text: string, what: string): string {
    const millis = Date.parse(text);
    if (Number.isNaN(millis) || !isCalendarDate(text)) {
        throw new BillingUsageError(`${what} must be an ISO-8601 time, not ${JSON.stringify(text)}`);
    }
    return new Date(millis).toISOString();
}

/** A fresh id for a record the user did not name. */
export function generatedId(prefix: string, now = Date.now()): string {
    return `${prefix}-${now.toString(36)}-${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
}

export const PLAN_OPTIONS = { unit: { type: 'string' }, rate: { type: 'string' }, cycle: { type: 'string' } } as const;

export function planFrom(values: Values): PricePlanTerms {
    const cycle = optional(values, 'cycle');
    return {
        unit: oneOf(required(values, 'unit'), '--unit', METER_UNITS),
        rate: wholeNumber(required(values, 'rate'), '--rate'),
        ...(cycle === undefined ? {} : { cycle: oneOf(cycle, '--cycle', BILLING_CYCLES) }),
    };
}

export const RESOURCE_OPTIONS = {
    ...PLAN_OPTIONS,
    site: { type: 'string' },
    kind: { type: 'string' },
    name: { type: 'string' },
    description: { type: 'string' },
    payee: { type: 'string' },
    attribute: { type: 'string', multiple: true },
} as const;

export function resourceRequestFrom(resourceId: string, values: Values): RegisterResourceRequest {
    const description = optional(values, 'description');
    const payee = optional(values, 'payee');
    return {
        resourceId,
        siteId: required(values, 'site'),
        kind: oneOf(required(values, 'kind'), '--kind', RESOURCE_KINDS),
        name: required(values, 'name'),
        ...(description === undefined ? {} : { description }),
        attributes: pairs(values, 'attribute'),
        ...(payee === undefined ? {} : { payeeAccountId: payee }),
        plan: planFrom(values),
    };
}

export const START_OPTIONS = {
    session: { type: 'string' },
    resource: { type: 'string' },
    app: { type: 'string' },
    tenant: { type: 'string' },
    'plan-version': { type: 'string' },
    account: { type: 'string' },
    budget: { type: 'string' },
    deadline: { type: 'string' },
} as const;

export function startRequestFrom(values: Values, newId: () => string = () => generatedId('session')): StartSessionRequest {
    const tenantMspId = optional(values, 'tenant');
    const planVersion = optionalNumber(values, 'plan-version', 1);
    const account = optional(values, 'account');
    if (account === undefined && (optional(values, 'budget') !== undefined || optional(values, 'deadline') !== undefined)) {
        throw new BillingUsageError('--budget and --deadline pay a session from --account; give --account too');
    }
    return {
        sessionId: optional(values, 'session') ?? newId(),
        resourceId: required(values, 'resource'),
        appId: required(values, 'app'),
        ...(tenantMspId === undefined ? {} : { tenantMspId }),
        ...(planVersion === undefined ? {} : { planVersion }),
        ...(account === undefined
            ? {}
            : { payment: { accountId: account, budget: wholeNumber(required(values, 'budget'), '--budget', 1), deadline: instant(required(values, 'deadline'), '--deadline') } }),
    };
}

export const METER_OPTIONS = { calls: { type: 'string' }, bytes: { type: 'string' } } as const;

export function metersFrom(values: Values): StopMeters {
    const calls = optionalNumber(values, 'calls');
    const bytes = optionalNumber(values, 'bytes');
    if (calls !== undefined && bytes !== undefined) {
        throw new BillingUsageError('give --calls or --bytes, not both');
    }
    return { ...(calls === undefined ? {} : { calls }), ...(bytes === undefined ? {} : { bytes }) };
}

export const CT_OPTIONS = { ...METER_OPTIONS, operation: { type: 'string' }, resource: { type: 'string' }, tenant: { type: 'string' }, app: { type: 'string' } } as const;

export function ctOperationFrom(values: Values, newId: () => string = () => generatedId('ct-op')): CtOperationRequest {
    const meters = metersFrom(values);
    if (meters.calls === undefined && meters.bytes === undefined) {
        throw new BillingUsageError('a CT operation needs --calls or --bytes');
    }
    return { operationId: optional(values, 'operation') ?? newId(), resourceId: required(values, 'resource'), tenantMspId: required(values, 'tenant'), appId: required(values, 'app'), ...meters };
}

export const RAISE_OPTIONS = { id: { type: 'string' }, line: { type: 'string', multiple: true }, reason: { type: 'string' }, evidence: { type: 'string' } } as const;

export function raiseDisputeFrom(invoiceId: string, values: Values, newId: () => string = () => generatedId('dispute')): RaiseDisputeRequest {
    const lineIds = repeated(values, 'line');
    if (lineIds.length === 0) {
        throw new BillingUsageError('name at least one --line');
    }
    const evidenceId = optional(values, 'evidence');
    return { disputeId: optional(values, 'id') ?? newId(), invoiceId, lineIds, reason: required(values, 'reason'), ...(evidenceId === undefined ? {} : { evidenceId }) };
}

export const RESOLVE_OPTIONS = { accept: { type: 'boolean' }, reject: { type: 'boolean' }, reason: { type: 'string' }, credit: { type: 'string', multiple: true } } as const;

export function resolveDisputeFrom(values: Values): ResolveDisputeRequest {
    if ((values.accept === true) === (values.reject === true)) {
        throw new BillingUsageError('give exactly one of --accept or --reject');
    }
    const reason = optional(values, 'reason');
    if (values.reject === true) {
        if (repeated(values, 'credit').length > 0) {
            throw new BillingUsageError('--credit goes with --accept');
        }
        return { outcome: 'rejected', reason: required(values, 'reason') };
    }
    const credits = Object.entries(pairs(values, 'credit')).map(([lineId, amount]) => ({ lineId, amount: wholeNumber(amount, `--credit ${lineId}`) }));
    return { outcome: 'accepted', ...(reason === undefined ? {} : { reason }), ...(credits.length === 0 ? {} : { credits }) };
}

export const LISTING_OPTIONS = {
    id: { type: 'string' },
    kind: { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string' },
    config: { type: 'string', multiple: true },
    unit: { type: 'string' },
    price: { type: 'string' },
    payee: { type: 'string' },
} as const;

export function listingFrom(values: Values, newId: () => string = () => generatedId('listing')): CreateListingRequest {
    const description = optional(values, 'description');
    return {
        listingId: optional(values, 'id') ?? newId(),
        kind: oneOf(required(values, 'kind'), '--kind', LISTING_KINDS),
        title: required(values, 'title'),
        ...(description === undefined ? {} : { description }),
        config: pairs(values, 'config'),
        unit: required(values, 'unit'),
        unitPrice: wholeNumber(required(values, 'price'), '--price', 1),
        payeeAccountId: required(values, 'payee'),
    };
}

export function listingKind(values: Values): ListingKind | undefined {
    const kind = optional(values, 'kind');
    return kind === undefined ? undefined : oneOf(kind, '--kind', LISTING_KINDS);
}

/** A deadline from --deadline, or --hours from now (default 24). */
export function deadlineFrom(values: Values, now = Date.now()): string {
    const deadline = optional(values, 'deadline');
    if (deadline !== undefined) {
        return instant(deadline, '--deadline');
    }
    return new Date(now + (optionalNumber(values, 'hours', 1) ?? 24) * 3_600_000).toISOString();
}

export function rating(text: string): 1 | 2 | 3 | 4 | 5 {
    const stars = wholeNumber(text, 'rating', 1);
    if (stars > 5) {
        throw new BillingUsageError('rating must be 1 to 5');
    }
    return stars as 1 | 2 | 3 | 4 | 5;
}

export const PAGE_OPTIONS = { 'page-size': { type: 'string' }, bookmark: { type: 'string' } } as const;

export function pageFrom(values: Values): { pageSize?: number; bookmark?: string } {
    const pageSize = optionalNumber(values, 'page-size', 1);
    const given = optional(values, 'bookmark');
    const bookmark = given === undefined ? undefined : decodeBookmark(given);
    return { ...(pageSize === undefined ? {} : { pageSize }), ...(bookmark === undefined ? {} : { bookmark }) };
}
