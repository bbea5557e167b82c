import type { Context } from 'fabric-contract-api';
import { MemoryLedger, type TestIdentity, type TransactionOptions } from '../../common/testing/memory-ledger';
import { conforms, DEVICE_IDENTITY_TRANSACTIONS, type DeviceIdentityTransactionName, firstViolation, RegisterAssetRequest } from '../../schemas/src';
import { makeCertificate, signRotation } from '../testing/certificates';
import { applicationRequest, assetInput, cast, deviceRequest, lotRequest, MANUFACTURER_ID, principalOf } from '../testing/fixtures';
import { DeviceIdentityContract } from './device-identity-contract';

// What the chaincode returns is what its contract metadata says: every transaction's answer meets its schema.
const contract = new DeviceIdentityContract();
const ledger = new MemoryLedger(Date.now() + 60_000);
const checked = new Set<DeviceIdentityTransactionName>();

async function call(name: DeviceIdentityTransactionName, who: TestIdentity, run: (ctx: Context) => Promise<string>, options?: TransactionOptions): Promise<unknown> {
    const json = DEVICE_IDENTITY_TRANSACTIONS[name].type === 'submit' ? await ledger.submit(who, run, options) : await ledger.evaluate(who, run, options);
    const value = JSON.parse(json) as unknown;
    expect(firstViolation(DEVICE_IDENTITY_TRANSACTIONS[name].returns, value, name)).toBeUndefined();
    checked.add(name);
    return value;
}

describe('device identity wire shapes', () => {
    it('every transaction returns what its schema in the contract metadata describes', async () => {
        const { registryAdmin, manufacturerAdmin, registrar, edgeUser } = cast;
        await call('InitRegistry', registryAdmin, (ctx) => contract.InitRegistry(ctx));
        await call('AddRegistryAdministrator', registryAdmin, (ctx) => contract.AddRegistryAdministrator(ctx, 'CloudOrgMSP'));
        await call('RemoveRegistryAdministrator', registryAdmin, (ctx) => contract.RemoveRegistryAdministrator(ctx, 'CloudOrgMSP'));
        await call('ReadRegistry', edgeUser, (ctx) => contract.ReadRegistry(ctx));
        await call('WhoAmI', edgeUser, (ctx) => contract.WhoAmI(ctx));
        const manufacturer = { id: MANUFACTURER_ID, name: 'Acme Radio Devices', mspId: 'CloudOrgMSP' };
        await call('RegisterManufacturer', registryAdmin, (ctx) => contract.RegisterManufacturer(ctx, JSON.stringify(manufacturer)));
        const appointed = JSON.stringify(await principalOf(ledger, contract, registrar));
        await call('AuthorizeRegistrar', manufacturerAdmin, (ctx) => contract.AuthorizeRegistrar(ctx, MANUFACTURER_ID, appointed));
        await call('ReadManufacturer', edgeUser, (ctx) => contract.ReadManufacturer(ctx, MANUFACTURER_ID));
        await call('ListManufacturers', edgeUser, (ctx) => contract.ListManufacturers(ctx, '10', ''));

        const [cam1, cam1b, cam2, app1, app2] = ['cam-1', 'cam-1', 'cam-2', 'app-1', 'app-2'].map((commonName) => makeCertificate({ commonName }));
        const device = { manufacturerId: MANUFACTURER_ID, id: 'cam-1', certificatePem: cam1!.pem, lot: 'L1', model: 'r1' };
        await call('RegisterDevice', registrar, (ctx) => contract.RegisterDevice(ctx, deviceRequest(registrar, device)));
        const lot = { manufacturerId: MANUFACTURER_ID, lot: 'L2', devices: [{ id: 'cam-2', certificatePem: cam2!.pem }] };
        await call('RegisterDevices', registrar, (ctx) => contract.RegisterDevices(ctx, lotRequest(registrar, lot)));
        for (const [id, cert] of [['app-1', app1], ['app-2', app2]] as const) {
            await call('RegisterApplication', edgeUser, (ctx) => contract.RegisterApplication(ctx, applicationRequest(edgeUser, { id, certificatePem: cert!.pem, name: id })));
        }
        await call('ReadDevice', edgeUser, (ctx) => contract.ReadDevice(ctx, 'cam-1'));
        await call('CheckCertificate', edgeUser, (ctx) => contract.CheckCertificate(ctx, 'f'.repeat(64)));
        await call('ListDevicesByManufacturer', edgeUser, (ctx) => contract.ListDevicesByManufacturer(ctx, MANUFACTURER_ID, '10', ''));
        await call('SuspendCertificate', registrar, (ctx) => contract.SuspendCertificate(ctx, 'cam-1', JSON.stringify({ comment: 'inspection' })));
        await call('ReinstateCertificate', registrar, (ctx) => contract.ReinstateCertificate(ctx, 'cam-1', '{}'));
        const rotation = { certificatePem: cam1b!.pem, signature: signRotation(cam1!, cam1b!) };
        await call('RotateCertificate', registrar, (ctx) => contract.RotateCertificate(ctx, 'cam-1', JSON.stringify(rotation)));
        // The superseded certificate and the current one: both forms of the lookup and of the status report.
        for (const fingerprint of [cam1!.fingerprint, cam1b!.fingerprint]) {
            await call('ReadDeviceByFingerprint', edgeUser, (ctx) => contract.ReadDeviceByFingerprint(ctx, fingerprint));
            await call('CheckCertificate', edgeUser, (ctx) => contract.CheckCertificate(ctx, fingerprint));
        }
        const batch = { fingerprints: [cam1!.fingerprint, cam1b!.fingerprint, 'f'.repeat(64)] };
        await call('CheckCertificates', edgeUser, (ctx) => contract.CheckCertificates(ctx, JSON.stringify(batch)));
        await call('RevokeCertificate', registrar, (ctx) => contract.RevokeCertificate(ctx, 'cam-2', JSON.stringify({ reason: 'keyCompromise', comment: 'leaked' })));
        await call('ReadDevice', edgeUser, (ctx) => contract.ReadDevice(ctx, 'cam-2'));

        await call('GrantTrust', edgeUser, (ctx) => contract.GrantTrust(ctx, JSON.stringify({ from: 'app-1', to: 'app-2', purpose: 'telemetry' })));
        await call('CheckTrust', edgeUser, (ctx) => contract.CheckTrust(ctx, 'app-1', 'app-2'));
        await call('CheckTrust', edgeUser, (ctx) => contract.CheckTrust(ctx, 'app-2', 'app-1'));
        await call('ListTrustFrom', edgeUser, (ctx) => contract.ListTrustFrom(ctx, 'app-1', '10', ''));
        await call('ListTrustTo', edgeUser, (ctx) => contract.ListTrustTo(ctx, 'app-2', '10', ''));
        await call('RevokeTrust', edgeUser, (ctx) => contract.RevokeTrust(ctx, 'app-1', 'app-2'));

        await call('RegisterAsset', edgeUser, (ctx) => contract.RegisterAsset(ctx, 'bs-1'), assetInput({ id: 'bs-1', tag: 'qr-1', type: 'base_station', site: 'site-a' }));
        await call('TransitionAsset', edgeUser, (ctx) => contract.TransitionAsset(ctx, 'bs-1'), assetInput({ to: 'installed', location: 'rack 1', note: 'commissioned' }));
        await call('ReadAsset', edgeUser, (ctx) => contract.ReadAsset(ctx, 'bs-1'));
        await call('ReadAssetByTag', edgeUser, (ctx) => contract.ReadAssetByTag(ctx, 'qr-1'));
        await call('AssetHistory', edgeUser, (ctx) => contract.AssetHistory(ctx, 'bs-1', '10', ''));
        await call('ListAssetsBySite', edgeUser, (ctx) => contract.ListAssetsBySite(ctx, 'site-a', '', '10', ''));
        await call('ListAssetsByState', edgeUser, (ctx) => contract.ListAssetsByState(ctx, 'installed', '10', ''));

        await call('WithdrawRegistrar', manufacturerAdmin, (ctx) => contract.WithdrawRegistrar(ctx, MANUFACTURER_ID, appointed));
        expect([...checked].sort()).toEqual(Object.keys(DEVICE_IDENTITY_TRANSACTIONS).sort());
    });

    it('accepts a request that meets the schema of the transaction table and refuses one that does not', () => {
        const request = { id: 'bs-1', tag: 'qr-1', type: 'base_station', site: 'site-a' };
        expect(conforms(DEVICE_IDENTITY_TRANSACTIONS.GrantTrust.parameters[0][1], { from: 'app-1', to: 'app-2' })).toBe(true);
        expect(conforms(DEVICE_IDENTITY_TRANSACTIONS.GrantTrust.parameters[0][1], { from: 'app-1' })).toBe(false);
        // RegisterAsset's request travels in the transient map (the SDK's registerAsset takes this shape).
        expect(conforms(RegisterAssetRequest, request)).toBe(true);
        expect(conforms(RegisterAssetRequest, { ...request, state: 'lent' })).toBe(false);
    });
});
