import type { Context } from 'fabric-contract-api';
import {
    accessDenied,
    alreadyExists,
    caller,
    invalidState,
    isOrgAdmin,
    marshal,
    notFound,
    readJSON,
    requireDeploymentGovernor,
    requireIdentifier,
    requireOrgAdmin,
    requireOwnersForChanges,
    requireTimelyProposal,
    toJSON,
    txTime,
} from '../../common/src';
import type { CallerIdentity, DeviceRegistryState, RegistryAdministrators } from '../../schemas/src';
import { key, ObjectType } from './keys';

/*
 * The registry administrators: the organisations whose administrators (OU=admin) register manufacturers, appoint
 * registrars, manage the platform's trust relationships and may put any certificate on hold.
 *
 * Bootstrap: the set starts empty; an administrator of the organisation the deployment names
 * (EDGETRUST_GOVERNANCE_MSP_ID on the chaincode server) calls `InitRegistry`, which makes that organisation the
 * first registry administrator (the deployment script does this right after the chaincode is committed). From then
 * on only registry administrators add or remove organisations, and the last one cannot be removed.
 */

export function registryKey(ctx: Context): string {
    return key(ctx, ObjectType.Registry, 'administrators');
}

export async function readAdministrators(ctx: Context): Promise<RegistryAdministrators | undefined> {
    return readJSON<RegistryAdministrators>(ctx, registryKey(ctx), 'registry administrators');
}

/** An administrator (OU=admin) of an organisation in the registry administrator set. */
export async function isRegistryAdmin(ctx: Context): Promise<boolean> {
    if (!isOrgAdmin(ctx)) {
        return false;
    }
    const administrators = await readAdministrators(ctx);
    return administrators?.mspIds.includes(caller(ctx).mspId) ?? false;
}

export async function requireRegistryAdmin(ctx: Context, action: string): Promise<RegistryAdministrators> {
    const administrators = await readAdministrators(ctx);
    if (!administrators) {
        throw accessDenied(`${action}: the registry is not initialized; an organisation administrator calls InitRegistry first`);
    }
    const who = caller(ctx);
    if (!isOrgAdmin(ctx) || !administrators.mspIds.includes(who.mspId)) {
        throw accessDenied(`${action} needs a registry administrator (OU=admin of ${administrators.mspIds.join(', ')}), not ${who.id}`);
    }
    return administrators;
}

// ---- transactions ----

export async function initRegistry(ctx: Context): Promise<string> {
    requireTimelyProposal(ctx);
    requireOrgAdmin(ctx, 'InitRegistry');
    if (await readAdministrators(ctx)) {
        throw alreadyExists('the registry is already initialized');
    }
    requireDeploymentGovernor(ctx, 'InitRegistry');
    const registry: RegistryAdministrators = { mspIds: [caller(ctx).mspId], updatedAt: txTime(ctx), updatedBy: caller(ctx) };
    await ctx.stub.putState(registryKey(ctx), marshal(registry));
    await requireOwnersForChanges(ctx, [registryKey(ctx)], registry.mspIds);
    ctx.stub.setEvent('RegistryInitialized', marshal({ mspIds: registry.mspIds, by: registry.updatedBy }));
    return toJSON(registry);
}

export async function addRegistryAdministrator(ctx: Context, mspId: string): Promise<string> {
    requireTimelyProposal(ctx);
    const added = requireIdentifier(mspId, 'mspId');
    const registry = await requireRegistryAdmin(ctx, 'AddRegistryAdministrator');
    if (registry.mspIds.includes(added)) {
        throw alreadyExists(`${added} is already a registry administrator`);
    }
    return putAdministrators(ctx, registry, [...registry.mspIds, added].sort(), 'RegistryAdministratorAdded', added);
}

export async function removeRegistryAdministrator(ctx: Context, mspId: string): Promise<string> {
    requireTimelyProposal(ctx);
    const removed = requireIdentifier(mspId, 'mspId');
    const registry = await requireRegistryAdmin(ctx, 'RemoveRegistryAdministrator');
    if (!registry.mspIds.includes(removed)) {
        throw notFound(`${removed} is not a registry administrator`);
    }
    if (registry.mspIds.length === 1) {
        throw invalidState(`${removed} is the last registry administrator`);
    }
    const remaining = registry.mspIds.filter((id) => id !== removed);
    return putAdministrators(ctx, registry, remaining, 'RegistryAdministratorRemoved', removed);
}

export async function readRegistry(ctx: Context): Promise<string> {
    const registry = await readAdministrators(ctx);
    return toJSON({ initialized: registry !== undefined, mspIds: registry?.mspIds ?? [] } satisfies DeviceRegistryState);
}

export async function whoAmI(ctx: Context): Promise<string> {
    // The channel too: a registrant binds proofs of possession to it (registrationMessage).
    const identity: CallerIdentity = { ...caller(ctx), channel: ctx.stub.getChannelID(), orgAdmin: isOrgAdmin(ctx), registryAdmin: await isRegistryAdmin(ctx) };
    return toJSON(identity);
}

async function putAdministrators(ctx: Context, previous: RegistryAdministrators, mspIds: string[], eventName: string, changed: string): Promise<string> {
    const { manufacturerIds } = previous;
    const registry: RegistryAdministrators = { mspIds, updatedAt: txTime(ctx), updatedBy: caller(ctx) };
    await ctx.stub.putState(registryKey(ctx), marshal(manufacturerIds === undefined ? registry : { ...registry, manufacturerIds }));
    // Governance: a change of the administrator set needs a peer of every administrator organisation.
    await requireOwnersForChanges(ctx, [registryKey(ctx)], mspIds);
    ctx.stub.setEvent(eventName, marshal({ mspId: changed, mspIds, by: registry.updatedBy }));
    return toJSON(registry);
}
