import { endorsingOrgsOf, setClock } from '../../common/src';
import { identities, type MemoryLedger } from '../../common/testing/memory-ledger';
import { makeCertificate } from '../testing/certificates';
import { applicationRequest, assetInput, bootstrap, cast, deviceRequest, MANUFACTURER_ID, principalOf } from '../testing/fixtures';
import { DeviceIdentityContract } from './device-identity-contract';

/*
 * Finding 2: which organisations' peers Fabric demands for later changes of each key (the key-level policies
 * this chaincode sets); finding 3: proposal time bounded by the endorser's clock. The real-network proof of the
 * policies is test/integration/attack-tampered-peer.test.ts.
 */

const contract = new DeviceIdentityContract();
const DAY = 86_400_000;

function compositeKey(objectType: string, attributes: string[]): string {
    return `\u0000${objectType}\u0000${attributes.map((a) => `${a}\u0000`).join('')}`;
}

function ownersOf(ledger: MemoryLedger, objectType: string, ...attributes: string[]): string[] {
    return endorsingOrgsOf(ledger.readValidationParameter(compositeKey(objectType, attributes)));
}

describe('device identity key-level endorsement', () => {
    it('needs every registry administrator organisation for governance keys', async () => {
        const ledger = await bootstrap(contract);
        expect(ownersOf(ledger, 'registry', 'administrators')).toEqual(['EdgeOrgMSP']);
        // Manufacturer acme is CloudOrg's: its organisation and the registry administrators.
        expect(ownersOf(ledger, 'manufacturer', MANUFACTURER_ID)).toEqual(['CloudOrgMSP', 'EdgeOrgMSP']);
        await ledger.submit(cast.registryAdmin, (ctx) => contract.AddRegistryAdministrator(ctx, 'CloudOrgMSP'));
        expect(ownersOf(ledger, 'registry', 'administrators')).toEqual(['CloudOrgMSP', 'EdgeOrgMSP']);
    });

    it("needs the owner's and the manufacturer's organisations for a certificate, its indexes and its history", async () => {
        const ledger = await bootstrap(contract);
        const owner = await principalOf(ledger, contract, cast.operator);
        const camera = makeCertificate();
        const request = { manufacturerId: MANUFACTURER_ID, id: 'cam-1', certificatePem: camera.pem, owner };
        await ledger.submit(cast.registrar, (ctx) => contract.RegisterDevice(ctx, deviceRequest(cast.registrar, request)));
        await ledger.submit(cast.registryAdmin, (ctx) => contract.SuspendCertificate(ctx, 'cam-1', '{}'));
        const both = ['CloudOrgMSP', 'EdgeOrgMSP'];
        expect(ownersOf(ledger, 'device', 'cam-1')).toEqual(both);
        expect(ownersOf(ledger, 'device~fingerprint~id', camera.fingerprint, 'cam-1')).toEqual(both);
        expect(ownersOf(ledger, 'device~manufacturer~id', MANUFACTURER_ID, 'cam-1')).toEqual(both);
        expect(ownersOf(ledger, 'device~history', 'cam-1', '0000000001')).toEqual(both);
        expect(ownersOf(ledger, 'device~history', 'cam-1', '0000000002')).toEqual(both);
    });

    it("needs the target's owner for trust (assets: the owner collection's endorsement policy, collections.json)", async () => {
        const ledger = await bootstrap(contract);
        await ledger.submit(identities.cloudUser, (ctx) => contract.RegisterApplication(ctx, applicationRequest(identities.cloudUser, { id: 'app-a', certificatePem: makeCertificate().pem })));
        await ledger.submit(identities.edgeUser, (ctx) => contract.RegisterApplication(ctx, applicationRequest(identities.edgeUser, { id: 'app-b', certificatePem: makeCertificate().pem })));
        await ledger.submit(identities.edgeUser, (ctx) => contract.GrantTrust(ctx, JSON.stringify({ from: 'app-a', to: 'app-b' })));
        expect(ownersOf(ledger, 'trust', 'app-a', 'app-b')).toEqual(['EdgeOrgMSP']);
        expect(ownersOf(ledger, 'device', 'app-a')).toEqual(['CloudOrgMSP']);
    });
});

describe('manufacturers created in the registry administrators\' name', () => {
    it('do not exist unless the registry lists them', async () => {
        const ledger = await bootstrap(contract);
        // What a modified CloudOrg peer can create on its own: a new manufacturer key with itself as registrar.
        const registrar = await principalOf(ledger, contract, identities.cloudUser);
        const planted = { id: 'planted', name: 'Planted', mspId: 'CloudOrgMSP', registrars: [registrar], registeredBy: registrar, registeredAt: '', updatedAt: '' };
        await ledger.submit(identities.cloudUser, (ctx) => ctx.stub.putState(compositeKey('manufacturer', ['planted']), Buffer.from(JSON.stringify(planted))));
        await expect(ledger.evaluate(identities.cloudUser, (ctx) => contract.ReadManufacturer(ctx, 'planted'))).rejects.toThrow(/^NOT_FOUND: /);
        const request = { manufacturerId: 'planted', id: 'cam-x', certificatePem: makeCertificate().pem };
        await expect(ledger.submit(identities.cloudUser, (ctx) => contract.RegisterDevice(ctx, deviceRequest(identities.cloudUser, request)))).rejects.toThrow(/^NOT_FOUND: /);
        const page = JSON.parse(await ledger.evaluate(identities.cloudUser, (ctx) => contract.ListManufacturers(ctx, '10', ''))) as { records: { id: string }[] };
        expect(page.records.map((m) => m.id)).toEqual([MANUFACTURER_ID]);
    });
});

describe('device identity proposal time (bounded by the endorsing peer)', () => {
    afterAll(() => setClock());

    it('refuses a change backdated by a year and writes nothing', async () => {
        const ledger = await bootstrap(contract);
        setClock(() => ledger.now + 365 * DAY);
        const before = ledger.snapshot();
        const asset = { id: 'srv-1', tag: 'QR-1', type: 'server', site: 'edge-site-a' };
        await expect(ledger.submit(identities.edgeUser, (ctx) => contract.RegisterAsset(ctx, asset.id), assetInput(asset))).rejects.toThrow(/^TIMESTAMP_OUT_OF_TOLERANCE: /);
        await expect(ledger.submit(cast.registryAdmin, (ctx) => contract.AddRegistryAdministrator(ctx, 'CloudOrgMSP'))).rejects.toThrow(/^TIMESTAMP_OUT_OF_TOLERANCE: /);
        expect(ledger.snapshot()).toEqual(before);
        expect(ledger.privateSnapshot().size).toBe(0);
    });

    it('refuses a certificate that expired 9 days ago, registered with a timestamp from when it was valid', async () => {
        const ledger = await bootstrap(contract);
        const expiring = makeCertificate({ days: 1 });
        // The endorsing peer's clock is 10 days on: the certificate expired 9 days ago; the proposal says it is still valid.
        setClock(() => ledger.now + 10 * DAY);
        const request = { manufacturerId: MANUFACTURER_ID, id: 'cam-old', certificatePem: expiring.pem };
        await expect(ledger.submit(cast.registrar, (ctx) => contract.RegisterDevice(ctx, deviceRequest(cast.registrar, request)))).rejects.toThrow(/^TIMESTAMP_OUT_OF_TOLERANCE: /);
        await expect(
            ledger.submit(identities.cloudUser, (ctx) => contract.RegisterApplication(ctx, applicationRequest(identities.cloudUser, { id: 'app-old', certificatePem: expiring.pem }))),
        ).rejects.toThrow(/^TIMESTAMP_OUT_OF_TOLERANCE: /);
        // Nor can a client make CheckCertificate call it trusted by backdating its query.
        await expect(ledger.evaluate(identities.cloudUser, (ctx) => contract.CheckCertificate(ctx, expiring.fingerprint))).rejects.toThrow(/^TIMESTAMP_OUT_OF_TOLERANCE: /);
        const batch = JSON.stringify({ fingerprints: [expiring.fingerprint] });
        await expect(ledger.evaluate(identities.cloudUser, (ctx) => contract.CheckCertificates(ctx, batch))).rejects.toThrow(/^TIMESTAMP_OUT_OF_TOLERANCE: /);
    });
});
