import type { Context } from 'fabric-contract-api';
import {
    accessDenied,
    alreadyExists,
    caller,
    isOrgAdmin,
    marshal,
    notFound,
    parseArgument,
    parsePageSize,
    readIndexPage,
    readJSON,
    requireIdentifier,
    requireOwnersForChanges,
    requireText,
    requireTimelyProposal,
    toJSON,
    txTime,
    unmarshal,
} from '../../common/src';
import type { IdentityPrincipal, Manufacturer, RegisterManufacturerRequest } from '../../schemas/src';
import { key, ObjectType } from './keys';
import { comparePrincipals, requirePrincipal, samePrincipal } from './principal';
import { readAdministrators, registryKey, requireRegistryAdmin, isRegistryAdmin } from './registry';

/*
 * Device manufacturers (D5) and who may register certificates under their name: administrators (OU=admin) of the
 * manufacturer's organisation `mspId`, and the registrar identities appointed on chain.
 */

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

/** The manufacturer a registration names, if the caller may register devices for it. */
export async function requireRegistrar(ctx: Context, manufacturerId: unknown): Promise<Manufacturer> {
    const manufacturer = await readManufacturer(ctx, requireIdentifier(manufacturerId, 'manufacturerId'));
    if (!mayActForManufacturer(ctx, manufacturer)) {
        throw accessDenied(`${caller(ctx).id} may not register devices for manufacturer ${manufacturer.id}`);
    }
    return manufacturer;
}

// ---- transactions ----

export async function registerManufacturer(ctx: Context, requestJson: string): Promise<string> {
    requireTimelyProposal(ctx);
    const request = validateManufacturerRequest(parseArgument<Partial<RegisterManufacturerRequest>>(requestJson, 'request'));
    const registry = await requireRegistryAdmin(ctx, 'RegisterManufacturer');
    if ((await ctx.stub.getState(manufacturerKey(ctx, request.id))).length > 0) {
        throw alreadyExists(`manufacturer ${request.id} is already registered`);
    }
    const now = txTime(ctx);
    const manufacturer: Manufacturer = { ...request, registrars: [], registeredBy: caller(ctx), registeredAt: now, updatedAt: now };
    await ctx.stub.putState(manufacturerKey(ctx, manufacturer.id), marshal(manufacturer));
    await requireOwnersForChanges(ctx, [manufacturerKey(ctx, manufacturer.id)], [...registry.mspIds, manufacturer.mspId]);
    // Listing it changes the registry key, so the transaction needs every registry administrator organisation's peer.
    const manufacturerIds = [...(registry.manufacturerIds ?? []), manufacturer.id].sort();
    await ctx.stub.putState(registryKey(ctx), marshal({ ...registry, manufacturerIds }));
    ctx.stub.setEvent('ManufacturerRegistered', marshal({ id: manufacturer.id, name: manufacturer.name, mspId: manufacturer.mspId }));
    return toJSON(manufacturer);
}

export async function authorizeRegistrar(ctx: Context, manufacturerId: string, registrarJson: string): Promise<string> {
    requireTimelyProposal(ctx);
    const registrar = requirePrincipal(parseArgument<Partial<IdentityPrincipal>>(registrarJson, 'registrar'), 'registrar');
    const manufacturer = await requireManufacturerAdmin(ctx, manufacturerId, 'AuthorizeRegistrar');
    if (manufacturer.registrars.some((r) => samePrincipal(r, registrar))) {
        throw alreadyExists(`${registrar.id} is already a registrar of ${manufacturer.id}`);
    }
    const registrars = [...manufacturer.registrars, registrar].sort(comparePrincipals);
    return putRegistrars(ctx, manufacturer, registrars, 'RegistrarAuthorized', registrar);
}

export async function withdrawRegistrar(ctx: Context, manufacturerId: string, registrarJson: string): Promise<string> {
    requireTimelyProposal(ctx);
    const registrar = requirePrincipal(parseArgument<Partial<IdentityPrincipal>>(registrarJson, 'registrar'), 'registrar');
    const manufacturer = await requireManufacturerAdmin(ctx, manufacturerId, 'WithdrawRegistrar');
    if (!manufacturer.registrars.some((r) => samePrincipal(r, registrar))) {
        throw notFound(`${registrar.id} is not a registrar of ${manufacturer.id}`);
    }
    const registrars = manufacturer.registrars.filter((r) => !samePrincipal(r, registrar));
    return putRegistrars(ctx, manufacturer, registrars, 'RegistrarWithdrawn', registrar);
}

export async function readManufacturerRecord(ctx: Context, id: string): Promise<string> {
    return toJSON(await readManufacturer(ctx, id));
}

export async function listManufacturers(ctx: Context, pageSize: string, bookmark: string): Promise<string> {
    const page = await readIndexPage(ctx, ObjectType.Manufacturer, [], parsePageSize(pageSize), bookmark, (kv) => unmarshal<Manufacturer>(kv.value, 'manufacturer'));
    // Only those the registry administrators listed (see RegistryAdministrators.manufacturerIds).
    const listed = new Set((await readAdministrators(ctx))?.manufacturerIds ?? []);
    const records = page.records.filter((m) => listed.has(m.id));
    return toJSON({ ...page, records, fetchedRecordsCount: records.length });
}

async function requireManufacturerAdmin(ctx: Context, manufacturerId: string, action: string): Promise<Manufacturer> {
    const manufacturer = await readManufacturer(ctx, manufacturerId);
    const ownAdmin = isOrgAdmin(ctx) && caller(ctx).mspId === manufacturer.mspId;
    if (!ownAdmin && !(await isRegistryAdmin(ctx))) {
        throw accessDenied(`${action} needs a registry administrator or an administrator of ${manufacturer.mspId}`);
    }
    return manufacturer;
}

async function putRegistrars(ctx: Context, manufacturer: Manufacturer, registrars: IdentityPrincipal[], eventName: string, registrar: IdentityPrincipal): Promise<string> {
    const updated: Manufacturer = { ...manufacturer, registrars, updatedAt: txTime(ctx) };
    await ctx.stub.putState(manufacturerKey(ctx, updated.id), marshal(updated));
    // Who registers for a manufacturer is governance: its organisation and every registry administrator organisation.
    const administrators = (await readAdministrators(ctx))?.mspIds ?? [];
    await requireOwnersForChanges(ctx, [manufacturerKey(ctx, updated.id)], [...administrators, updated.mspId]);
    ctx.stub.setEvent(eventName, marshal({ manufacturerId: updated.id, registrar, by: caller(ctx) }));
    return toJSON(updated);
}
