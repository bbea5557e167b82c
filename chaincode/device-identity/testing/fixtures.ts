import { identities, MemoryLedger, type TestIdentity } from '../../common/testing/memory-ledger';
import { DeviceIdentityContract } from '../src/device-identity-contract';
import type { Principal } from '../src/principal';

/** Cast of the unit tests: EdgeOrg runs the registry, manufacturer "acme" belongs to CloudOrg. */
export const cast = {
    registryAdmin: identities.edgeAdmin,
    edgeUser: identities.edgeUser,
    manufacturerAdmin: identities.cloudAdmin,
    cloudUser: identities.cloudUser,
    registrar: { mspId: 'CloudOrgMSP', name: 'Factory1@cloud.edgetrust.local' },
    operator: { mspId: 'EdgeOrgMSP', name: 'Operator@edge.edgetrust.local' },
} satisfies Record<string, TestIdentity>;

export const MANUFACTURER_ID = 'acme';

/** Parses a transaction's JSON result. */
export function parse<T = Record<string, unknown>>(json: string): T {
    return JSON.parse(json) as T;
}

/** The Principal the chaincode sees for a test identity. */
export async function principalOf(ledger: MemoryLedger, contract: DeviceIdentityContract, identity: TestIdentity): Promise<Principal> {
    const { mspId, id } = parse<Principal>(await ledger.evaluate(identity, (ctx) => contract.WhoAmI(ctx)));
    return { mspId, id };
}

/**
 * A ledger whose clock starts a minute after now, so certificates the test just made with
 * `openssl -days N` are valid; the registry is initialized and manufacturer acme has one registrar.
 */
export async function bootstrap(contract: DeviceIdentityContract, startMillis = Date.now() + 60_000): Promise<MemoryLedger> {
    const ledger = new MemoryLedger(startMillis);
    await ledger.submit(cast.registryAdmin, (ctx) => contract.InitRegistry(ctx));
    const manufacturer = { id: MANUFACTURER_ID, name: 'Acme Radio Devices', mspId: 'CloudOrgMSP' };
    await ledger.submit(cast.registryAdmin, (ctx) => contract.RegisterManufacturer(ctx, JSON.stringify(manufacturer)));
    const registrar = await principalOf(ledger, contract, cast.registrar);
    await ledger.submit(cast.manufacturerAdmin, (ctx) => contract.AuthorizeRegistrar(ctx, MANUFACTURER_ID, JSON.stringify(registrar)));
    ledger.events.length = 0;
    return ledger;
}
