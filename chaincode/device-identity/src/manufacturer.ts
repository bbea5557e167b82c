import type { Context } from 'fabric-contract-api';
import { Object as DataType, Property } from 'fabric-contract-api';
import { caller, isOrgAdmin, notFound, readJSON, requireIdentifier, requireText } from '../../common/src';
import { key, ObjectType } from './keys';
import { Principal, samePrincipal } from './principal';
import { readAdministrators } from './registry';

/**
 * A device manufacturer and who may register certificates under its name (D5): administrators
 * (OU=admin) of its organisation `mspId`, and the registrar identities appointed on chain.
 */
@DataType()
export class Manufacturer {
    @Property()
    id: string = '';

    @Property()
    name: string = '';

    @Property()
    mspId: string = '';

    @Property('registrars', 'Principal[]')
    registrars: Principal[] = [];

    @Property()
    registeredBy: Principal = new Principal();

    @Property()
    registeredAt: string = '';

    @Property()
    updatedAt: string = '';
}

export interface RegisterManufacturerRequest {
    id: string;
    name: string;
    mspId: string;
}

export function validateManufacturerRequest(request: Partial<RegisterManufacturerRequest>): RegisterManufacturerRequest {
    return {
        id: requireIdentifier(request.id, 'id'),
        name: requireText(request.name, 'name'),
        mspId: requireIdentifier(request.mspId, 'mspId'),
    };
}

export function manufacturerKey(ctx: Context, id: string): string {
    return key(ctx, ObjectType.Manufacturer, id);
}

export async function readManufacturer(ctx: Context, id: string): Promise<Manufacturer> {
    const manufacturerId = requireIdentifier(id, 'manufacturerId');
    const manufacturer = await readJSON<Manufacturer>(ctx, manufacturerKey(ctx, manufacturerId), 'manufacturer');
    // One the registry administrators did not list was written by somebody else's peer: it does not exist.
    if (!manufacturer || !(await isListed(ctx, manufacturerId))) {
        throw notFound(`manufacturer ${manufacturerId} is not registered`);
    }
    return manufacturer;
}

/** Whether the registry administrators registered this manufacturer (see RegistryAdministrators.manufacturerIds). */
export async function isListed(ctx: Context, manufacturerId: string): Promise<boolean> {
    return (await readAdministrators(ctx))?.manufacturerIds?.includes(manufacturerId) ?? false;
}

/** Whether the caller may act for the manufacturer: an admin of its organisation or an appointed registrar. */
export function mayActForManufacturer(ctx: Context, manufacturer: Manufacturer): boolean {
    const who = caller(ctx);
    if (who.mspId === manufacturer.mspId && isOrgAdmin(ctx)) {
        return true;
    }
    return manufacturer.registrars.some((registrar) => samePrincipal(registrar, who));
}
