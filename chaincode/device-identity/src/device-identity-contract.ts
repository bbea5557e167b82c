import { Context, Contract, Info, Transaction } from 'fabric-contract-api';
import * as certificates from './device-certificate';
import * as assets from './equipment-asset';
import * as manufacturers from './manufacturer';
import * as registry from './registry';
import * as trust from './trust-relationship';

/**
 * Device and application identities without a CA (whitepaper 2.3.1): self-signed certificates
 * registered on chain by manufacturers (devices) or by edge applications themselves, looked up by id
 * or fingerprint, suspended, revoked and rotated; app trust relationships (2.3.3); and the equipment
 * asset registry (2.2.5). Every change emits exactly one event; every rejection writes nothing.
 *
 * This class only routes: each transaction's request and return shape, rules and callers are in the schema
 * package's DEVICE_IDENTITY_TRANSACTIONS (served as the contract metadata, META-INF/metadata.json), and its code,
 * access check first, in the module of its aggregate.
 */
@Info({ title: 'DeviceIdentityContract', description: 'Self-signed device and app certificates on chain, app trust, equipment assets' })
export class DeviceIdentityContract extends Contract {
    constructor() {
        super('device-identity');
    }

    // ---- Registry administrators (registry.ts) ----

    @Transaction()
    async InitRegistry(ctx: Context): Promise<string> {
        return registry.initRegistry(ctx);
    }

    @Transaction()
    async AddRegistryAdministrator(ctx: Context, mspId: string): Promise<string> {
        return registry.addRegistryAdministrator(ctx, mspId);
    }

    @Transaction()
    async RemoveRegistryAdministrator(ctx: Context, mspId: string): Promise<string> {
        return registry.removeRegistryAdministrator(ctx, mspId);
    }

    @Transaction(false)
    async ReadRegistry(ctx: Context): Promise<string> {
        return registry.readRegistry(ctx);
    }

    @Transaction(false)
    async WhoAmI(ctx: Context): Promise<string> {
        return registry.whoAmI(ctx);
    }

    // ---- Manufacturers, D5 (manufacturer.ts) ----

    @Transaction()
    async RegisterManufacturer(ctx: Context, request: string): Promise<string> {
        return manufacturers.registerManufacturer(ctx, request);
    }

    @Transaction()
    async AuthorizeRegistrar(ctx: Context, manufacturerId: string, registrar: string): Promise<string> {
        return manufacturers.authorizeRegistrar(ctx, manufacturerId, registrar);
    }

    @Transaction()
    async WithdrawRegistrar(ctx: Context, manufacturerId: string, registrar: string): Promise<string> {
        return manufacturers.withdrawRegistrar(ctx, manufacturerId, registrar);
    }

    @Transaction(false)
    async ReadManufacturer(ctx: Context, id: string): Promise<string> {
        return manufacturers.readManufacturerRecord(ctx, id);
    }

    @Transaction(false)
    async ListManufacturers(ctx: Context, pageSize: string, bookmark: string): Promise<string> {
        return manufacturers.listManufacturers(ctx, pageSize, bookmark);
    }

    // ---- Certificates: registration D1, D2; lookup D3, D6; status D4 (device-certificate.ts) ----

    @Transaction()
    async RegisterDevice(ctx: Context, request: string): Promise<string> {
        return certificates.registerDevice(ctx, request);
    }

    @Transaction()
    async RegisterDevices(ctx: Context, request: string): Promise<string> {
        return certificates.registerDevices(ctx, request);
    }

    @Transaction()
    async RegisterApplication(ctx: Context, request: string): Promise<string> {
        return certificates.registerApplication(ctx, request);
    }

    @Transaction(false)
    async ReadDevice(ctx: Context, id: string): Promise<string> {
        return certificates.readDeviceLookup(ctx, id);
    }

    @Transaction(false)
    async ReadDeviceByFingerprint(ctx: Context, fingerprint: string): Promise<string> {
        return certificates.readDeviceByFingerprint(ctx, fingerprint);
    }

    @Transaction(false)
    async CheckCertificate(ctx: Context, fingerprint: string): Promise<string> {
        return certificates.checkCertificateStatus(ctx, fingerprint);
    }

    @Transaction(false)
    async CheckCertificates(ctx: Context, request: string): Promise<string> {
        return certificates.checkCertificateStatuses(ctx, request);
    }

    @Transaction(false)
    async ListDevicesByManufacturer(ctx: Context, manufacturerId: string, pageSize: string, bookmark: string): Promise<string> {
        return certificates.listDevicesByManufacturer(ctx, manufacturerId, pageSize, bookmark);
    }

    @Transaction()
    async SuspendCertificate(ctx: Context, id: string, request: string): Promise<string> {
        return certificates.suspendCertificate(ctx, id, request);
    }

    @Transaction()
    async ReinstateCertificate(ctx: Context, id: string, request: string): Promise<string> {
        return certificates.reinstateCertificate(ctx, id, request);
    }

    @Transaction()
    async RevokeCertificate(ctx: Context, id: string, request: string): Promise<string> {
        return certificates.revokeCertificate(ctx, id, request);
    }

    @Transaction()
    async RotateCertificate(ctx: Context, id: string, request: string): Promise<string> {
        return certificates.rotateCertificate(ctx, id, request);
    }

    // ---- App trust relationships, D8 (trust-relationship.ts) ----

    @Transaction()
    async GrantTrust(ctx: Context, request: string): Promise<string> {
        return trust.grantTrust(ctx, request);
    }

    @Transaction()
    async RevokeTrust(ctx: Context, from: string, to: string): Promise<string> {
        return trust.revokeTrust(ctx, from, to);
    }

    @Transaction(false)
    async CheckTrust(ctx: Context, from: string, to: string): Promise<string> {
        return trust.checkTrust(ctx, from, to);
    }

    @Transaction(false)
    async ListTrustFrom(ctx: Context, from: string, pageSize: string, bookmark: string): Promise<string> {
        return trust.listTrustFrom(ctx, from, pageSize, bookmark);
    }

    @Transaction(false)
    async ListTrustTo(ctx: Context, to: string, pageSize: string, bookmark: string): Promise<string> {
        return trust.listTrustTo(ctx, to, pageSize, bookmark);
    }

    // ---- Equipment assets, D7 (equipment-asset.ts) ----

    @Transaction()
    async RegisterAsset(ctx: Context, id: string): Promise<string> {
        return assets.registerAsset(ctx, id);
    }

    @Transaction()
    async TransitionAsset(ctx: Context, id: string): Promise<string> {
        return assets.transitionAsset(ctx, id);
    }

    @Transaction(false)
    async ReadAsset(ctx: Context, id: string): Promise<string> {
        return assets.readOwnAsset(ctx, id);
    }

    @Transaction(false)
    async ReadAssetByTag(ctx: Context, tag: string): Promise<string> {
        return assets.readAssetByTag(ctx, tag);
    }

    @Transaction(false)
    async AssetHistory(ctx: Context, id: string, pageSize: string, bookmark: string): Promise<string> {
        return assets.assetHistory(ctx, id, pageSize, bookmark);
    }

    @Transaction(false)
    async ListAssetsBySite(ctx: Context, site: string, state: string, pageSize: string, bookmark: string): Promise<string> {
        return assets.listAssetsBySite(ctx, site, state, pageSize, bookmark);
    }

    @Transaction(false)
    async ListAssetsByState(ctx: Context, state: string, pageSize: string, bookmark: string): Promise<string> {
        return assets.listAssetsByState(ctx, state, pageSize, bookmark);
    }
}
