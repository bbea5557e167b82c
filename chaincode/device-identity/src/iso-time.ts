import { invalidArgument } from '../../common/src';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/** An optional UTC timestamp in ISO-8601 (`2026-05-01T00:00:00Z`), normalized to milliseconds; '' if absent. */
export function optionalIsoTime(value: unknown, field: string): string {
    if (value === undefined || value === null || value === '') {
        return '';
    }
    const millis = typeof value === 'string' && ISO_TIME.test(value) ? Date.parse(value) : Number.NaN;
    const normalized = Number.isNaN(millis) ? '' : new Date(millis).toISOString();
    // Date.parse rolls 2026-02-30 over into March; a real date survives the round trip.
    if (normalized === '' || normalized.slice(0, 19) !== (value as string).slice(0, 19)) {
        throw invalidArgument(`${field} must be a UTC ISO-8601 time such as 2026-05-01T00:00:00Z`);
    }
    return normalized;
}
