import { invalidArgument, requireIdentifier, requireText } from '../../common/src';
import type { IdentityPrincipal } from '../../schemas/src';

/** An identity `{ mspId, id }` as a request names it (schema IdentityPrincipal). */
export function requirePrincipal(value: unknown, field: string): IdentityPrincipal {
    if (typeof value !== 'object' || value === null) {
        throw invalidArgument(`${field} is required: { mspId, id }`);
    }
    const { mspId, id } = value as Partial<IdentityPrincipal>;
    return { mspId: requireIdentifier(mspId, `${field}.mspId`), id: requireText(id, `${field}.id`, 1024) };
}

export function optionalPrincipal(value: unknown, field: string): IdentityPrincipal | undefined {
    return value === undefined || value === null ? undefined : requirePrincipal(value, field);
}

export function samePrincipal(a: IdentityPrincipal, b: IdentityPrincipal): boolean {
    return a.mspId === b.mspId && a.id === b.id;
}

/** Orders principals so that lists of them are stored identically on every endorser. */
export function comparePrincipals(a: IdentityPrincipal, b: IdentityPrincipal): number {
    return a.mspId === b.mspId ? compareText(a.id, b.id) : compareText(a.mspId, b.mspId);
}

function compareText(a: string, b: string): number {
    if (a === b) {
        return 0;
    }
    return a < b ? -1 : 1;
}
