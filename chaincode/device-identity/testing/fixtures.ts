import { identities, identityId, MEMORY_CHANNEL, MemoryLedger, type TestIdentity, type TransactionOptions } from '../../common/testing/memory-ledger';
import { registrationMessage } from '../src/certificate-check';
import { fingerprint, keyOf, signWith } from './certificates';
import { DeviceIdentityContract } from '../src/device-identity-contract';
import { ASSET_TRANSIENT_KEY, type IdentityPrincipal, SALT_TRANSIENT_KEY } from '../../schemas/src';

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
export async function principalOf(ledger: MemoryLedger, contract: DeviceIdentityContract, identity: TestIdentity): Promise<IdentityPrincipal> {
    const { mspId, id } = parse<IdentityPrincipal>(await ledger.evaluate(identity, (ctx) => contract.WhoAmI(ctx)));
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

/**
 * Registration requests as a client sends them: every certificate made by the test helpers gets its
 * key's proof of possession for `registrant` (registrationMessage); certificates without a known key
 * (garbage, tampered copies) go without one, and fail their certificate check first.
 */
export function proofFor(registrant: TestIdentity, kind: 'device' | 'app', manufacturerId: string, id: unknown, certificatePem: unknown): string | undefined {
    const key = typeof certificatePem === 'string' ? keyOf(certificatePem) : undefined;
    if (key === undefined || typeof id !== 'string' || typeof certificatePem !== 'string') {
        return undefined;
    }
    const binding = { channel: MEMORY_CHANNEL, kind, manufacturerId, id, fingerprint: fingerprint(certificatePem), registrant: { mspId: registrant.mspId, id: identityId(registrant) } };
    return signWith(key, registrationMessage(binding));
}

type DeviceLike = { id?: unknown; certificatePem?: unknown; proof?: unknown } & Record<string, unknown>;

export function deviceRequest(registrant: TestIdentity, request: DeviceLike & { manufacturerId?: unknown }): string {
    const manufacturerId = typeof request.manufacturerId === 'string' ? request.manufacturerId : '';
    return JSON.stringify({ proof: proofFor(registrant, 'device', manufacturerId, request.id, request.certificatePem), ...request });
}

export function lotRequest(registrant: TestIdentity, request: { manufacturerId?: unknown; devices?: unknown[] } & Record<string, unknown>): string {
    const manufacturerId = typeof request.manufacturerId === 'string' ? request.manufacturerId : '';
    const prove = (d: unknown): unknown =>
        typeof d === 'object' && d !== null ? { proof: proofFor(registrant, 'device', manufacturerId, (d as DeviceLike).id, (d as DeviceLike).certificatePem), ...d } : d;
    const devices = request.devices?.map(prove);
    return JSON.stringify({ ...request, devices });
}

export function applicationRequest(registrant: TestIdentity, request: DeviceLike): string {
    return JSON.stringify({ proof: proofFor(registrant, 'app', '', request.id, request.certificatePem), ...request });
}

/** The transient map of an asset change (RegisterAsset, TransitionAsset), as the SDK sends it: the request and a base64 salt. */
export function assetInput(request: Record<string, unknown>, salt = Buffer.alloc(16, 0x5a).toString('base64')): TransactionOptions {
    return { transient: new Map([[ASSET_TRANSIENT_KEY, Buffer.from(JSON.stringify(request))], [SALT_TRANSIENT_KEY, Buffer.from(salt)]]) };
}
