import { Object as DataType, Property } from 'fabric-contract-api';
import { invalidArgument, requireIdentifier, requireText } from '../../common/src';

/**
 * A Fabric identity: its organisation's MSP id and the X.509 id string that fabric-shim's
 * ClientIdentity.getID() gives (`x509::<subject>::<issuer>`); clients learn theirs from `WhoAmI`.
 */
@DataType()
export class Principal {
    @Property()
    mspId: string = '';

    @Property()
    id: string = '';
}

export function requirePrincipal(value: unknown, field: string): Principal {
    if (typeof value !== 'object' || value === null) {
        throw invalidArgument(`${field} is required: { mspId, id }`);
    }
    const { mspId, id } = value as Partial<Principal>;
    return { mspId: requireIdentifier(mspId, `${field}.mspId`), id: requireText(id, `${field}.id`, 1024) };
}

export function samePrincipal(a: Principal, b: Principal): boolean {
    return a.mspId === b.mspId && a.id === b.id;
}

/** Orders principals so that lists of them are stored identically on every endorser. */
export function comparePrincipals(a: Principal, b: Principal): number {
    return a.mspId === b.mspId ? compareText(a.id, b.id) : compareText(a.mspId, b.mspId);
}

function compareText(a: string, b: string): number {
    if (a === b) {
        return 0;
    }
    return a < b ? -1 : 1;
}
