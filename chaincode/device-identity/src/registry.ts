import type { Context } from 'fabric-contract-api';
import { Object as DataType, Property } from 'fabric-contract-api';
import { accessDenied, caller, isOrgAdmin, readJSON } from '../../common/src';
import { key, ObjectType } from './keys';
import { Principal } from './principal';

/**
 * The organisations whose administrators (OU=admin) run the registry: they register manufacturers,
 * appoint registrars, manage the platform's trust relationships and may put any certificate on hold.
 *
 * Bootstrap: the set starts empty; an administrator of the organisation the deployment names
 * (EDGETRUST_GOVERNANCE_MSP_ID on the chaincode server) calls `InitRegistry`, which makes that
 * organisation the first registry administrator (the deployment script does this right after the
 * chaincode is committed). From then on only registry administrators add or remove
 * organisations, and the last one cannot be removed.
 */
@DataType()
export class RegistryAdministrators {
    @Property('mspIds', 'string[]')
    mspIds: string[] = [];

    @Property()
    updatedAt: string = '';

    @Property()
    updatedBy: Principal = new Principal();

    /**
     * The manufacturers the registry administrators registered. A manufacturer key is new when it is written, so
     * the chaincode-level OR policy lets any organisation's peer create one; this list lives in the registry key,
     * whose key-level policy needs every administrator organisation, and only listed manufacturers count.
     */
    manufacturerIds?: string[];
}

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
