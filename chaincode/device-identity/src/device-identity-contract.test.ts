import type { Context } from 'fabric-contract-api';
import { identities, MemoryLedger, type TestIdentity } from '../../common/testing/memory-ledger';
import { breakSignature, makeCertificate, signRotation, type TestCertificate } from '../testing/certificates';
import { applicationRequest, bootstrap, cast, deviceRequest, lotRequest, MANUFACTURER_ID, parse, principalOf } from '../testing/fixtures';
import type { CertificateStatusReport, DeviceCertificate, DeviceLookup } from '../../schemas/src';
import { DeviceIdentityContract } from './device-identity-contract';
import type { Manufacturer } from '../../schemas/src';

const contract = new DeviceIdentityContract();
const DAY = 86_400_000;

/** Asserts a coded rejection that wrote nothing and emitted nothing. */
async function expectRejected(ledger: MemoryLedger, identity: TestIdentity, fn: (ctx: Context) => Promise<unknown>, pattern: RegExp): Promise<void> {
    const before = ledger.snapshot();
    const events = ledger.events.length;
    await expect(ledger.submit(identity, fn)).rejects.toThrow(pattern);
    expect(ledger.snapshot()).toEqual(before);
    expect(ledger.events).toHaveLength(events);
}

function registerDevice(ledger: MemoryLedger, cert: TestCertificate, id: string, extra: Record<string, unknown> = {}, who: TestIdentity = cast.registrar): Promise<string> {
    const request = { manufacturerId: MANUFACTURER_ID, id, certificatePem: cert.pem, ...extra };
    return ledger.submit(who, (ctx) => contract.RegisterDevice(ctx, deviceRequest(who, request)));
}

async function check(ledger: MemoryLedger, fingerprint: string): Promise<CertificateStatusReport> {
    return parse<CertificateStatusReport>(await ledger.evaluate(identities.cloudUser, (ctx) => contract.CheckCertificate(ctx, fingerprint)));
}

describe('DeviceIdentityContract registry administrators', () => {
    it('is bootstrapped once by an organisation administrator', async () => {
        const ledger = new MemoryLedger();
        await expect(ledger.evaluate(identities.edgeUser, (ctx) => contract.ReadRegistry(ctx)).then(parse)).resolves.toEqual({ initialized: false, mspIds: [] });
        await expectRejected(ledger, identities.edgeUser, (ctx) => contract.InitRegistry(ctx), /^ACCESS_DENIED: InitRegistry needs an organisation administrator/);
        await expectRejected(
            ledger,
            identities.edgeAdmin,
            (ctx) => contract.RegisterManufacturer(ctx, JSON.stringify({ id: 'm', name: 'M', mspId: 'EdgeOrgMSP' })),
            /^ACCESS_DENIED: .*not initialized/,
        );
        await ledger.submit(identities.edgeAdmin, (ctx) => contract.InitRegistry(ctx));
        expect(ledger.events.map((e) => e.name)).toEqual(['RegistryInitialized']);
        await expectRejected(ledger, identities.cloudAdmin, (ctx) => contract.InitRegistry(ctx), /^ALREADY_EXISTS: /);
        await expect(ledger.evaluate(identities.cloudUser, (ctx) => contract.ReadRegistry(ctx)).then(parse)).resolves.toEqual({
            initialized: true,
            mspIds: ['EdgeOrgMSP'],
        });
    });

    it('adds and removes administrator organisations, never the last one', async () => {
        const ledger = new MemoryLedger();
        await ledger.submit(identities.edgeAdmin, (ctx) => contract.InitRegistry(ctx));
        await expectRejected(ledger, identities.cloudAdmin, (ctx) => contract.AddRegistryAdministrator(ctx, 'CloudOrgMSP'), /^ACCESS_DENIED: /);
        await expectRejected(ledger, identities.edgeUser, (ctx) => contract.AddRegistryAdministrator(ctx, 'CloudOrgMSP'), /^ACCESS_DENIED: /);
        await expectRejected(ledger, identities.edgeAdmin, (ctx) => contract.AddRegistryAdministrator(ctx, 'bad msp'), /^INVALID_ARGUMENT: mspId/);
        await ledger.submit(identities.edgeAdmin, (ctx) => contract.AddRegistryAdministrator(ctx, 'CloudOrgMSP'));
        await expectRejected(ledger, identities.edgeAdmin, (ctx) => contract.AddRegistryAdministrator(ctx, 'CloudOrgMSP'), /^ALREADY_EXISTS: /);
        await ledger.submit(identities.cloudAdmin, (ctx) => contract.RemoveRegistryAdministrator(ctx, 'EdgeOrgMSP'));
        await expectRejected(ledger, identities.cloudAdmin, (ctx) => contract.RemoveRegistryAdministrator(ctx, 'EdgeOrgMSP'), /^NOT_FOUND: /);
        await expectRejected(ledger, identities.cloudAdmin, (ctx) => contract.RemoveRegistryAdministrator(ctx, 'CloudOrgMSP'), /^INVALID_STATE: .*last/);
        expect(ledger.events.map((e) => e.name)).toEqual(['RegistryInitialized', 'RegistryAdministratorAdded', 'RegistryAdministratorRemoved']);
        const me = parse(await ledger.evaluate(identities.cloudAdmin, (ctx) => contract.WhoAmI(ctx)));
        expect(me).toMatchObject({ mspId: 'CloudOrgMSP', orgAdmin: true, registryAdmin: true });
        expect(me.id).toMatch(/^x509::.*CN=Admin@cloud\.edgetrust\.local/);
    });
});

describe('DeviceIdentityContract manufacturers', () => {
    let ledger: MemoryLedger;
    beforeEach(async () => {
        ledger = await bootstrap(contract);
    });

    it('records the manufacturer and its registrars', async () => {
        const manufacturer = parse<Manufacturer>(await ledger.evaluate(identities.edgeUser, (ctx) => contract.ReadManufacturer(ctx, MANUFACTURER_ID)));
        const registrar = await principalOf(ledger, contract, cast.registrar);
        expect(manufacturer).toMatchObject({ id: MANUFACTURER_ID, mspId: 'CloudOrgMSP', registrars: [registrar] });
    });

    it('only lets registry administrators register manufacturers, once, with valid fields', async () => {
        const request = { id: 'globex', name: 'Globex', mspId: 'CloudOrgMSP' };
        await expectRejected(ledger, identities.cloudAdmin, (ctx) => contract.RegisterManufacturer(ctx, JSON.stringify(request)), /^ACCESS_DENIED: /);
        await expectRejected(ledger, cast.registryAdmin, (ctx) => contract.RegisterManufacturer(ctx, JSON.stringify({ ...request, name: '' })), /^INVALID_ARGUMENT: name/);
        await expectRejected(ledger, cast.registryAdmin, (ctx) => contract.RegisterManufacturer(ctx, '[]'), /^INVALID_ARGUMENT: request/);
        await ledger.submit(cast.registryAdmin, (ctx) => contract.RegisterManufacturer(ctx, JSON.stringify(request)));
        expect(ledger.events.at(-1)).toMatchObject({ name: 'ManufacturerRegistered', payload: request });
        await expectRejected(ledger, cast.registryAdmin, (ctx) => contract.RegisterManufacturer(ctx, JSON.stringify(request)), /^ALREADY_EXISTS: /);
        const page = parse<{ records: Manufacturer[]; bookmark: string }>(await ledger.evaluate(identities.edgeUser, (ctx) => contract.ListManufacturers(ctx, '1', '')));
        expect(page.records.map((m) => m.id)).toEqual(['acme']);
        const next = parse<{ records: Manufacturer[]; bookmark: string }>(
            await ledger.evaluate(identities.edgeUser, (ctx) => contract.ListManufacturers(ctx, '1', page.bookmark)),
        );
        expect(next.records.map((m) => m.id)).toEqual(['globex']);
        expect(next.bookmark).toBe('');
    });

    it('lets registry or manufacturer administrators appoint and withdraw registrars, nobody else', async () => {
        const factory2 = await principalOf(ledger, contract, { mspId: 'CloudOrgMSP', name: 'Factory2@cloud.edgetrust.local' });
        await expectRejected(ledger, identities.cloudUser, (ctx) => contract.AuthorizeRegistrar(ctx, MANUFACTURER_ID, JSON.stringify(factory2)), /^ACCESS_DENIED: /);
        await expectRejected(ledger, cast.registrar, (ctx) => contract.AuthorizeRegistrar(ctx, MANUFACTURER_ID, JSON.stringify(factory2)), /^ACCESS_DENIED: /);
        await expectRejected(ledger, cast.registryAdmin, (ctx) => contract.AuthorizeRegistrar(ctx, 'nobody', JSON.stringify(factory2)), /^NOT_FOUND: /);
        await expectRejected(ledger, cast.registryAdmin, (ctx) => contract.AuthorizeRegistrar(ctx, MANUFACTURER_ID, '{"mspId":"CloudOrgMSP"}'), /^INVALID_ARGUMENT: registrar.id/);
        await ledger.submit(cast.registryAdmin, (ctx) => contract.AuthorizeRegistrar(ctx, MANUFACTURER_ID, JSON.stringify(factory2)));
        await expectRejected(ledger, cast.registryAdmin, (ctx) => contract.AuthorizeRegistrar(ctx, MANUFACTURER_ID, JSON.stringify(factory2)), /^ALREADY_EXISTS: /);

        const registrar = await principalOf(ledger, contract, cast.registrar);
        await ledger.submit(cast.manufacturerAdmin, (ctx) => contract.WithdrawRegistrar(ctx, MANUFACTURER_ID, JSON.stringify(registrar)));
        expect(ledger.events.map((e) => e.name)).toEqual(['RegistrarAuthorized', 'RegistrarWithdrawn']);
        await expectRejected(ledger, cast.manufacturerAdmin, (ctx) => contract.WithdrawRegistrar(ctx, MANUFACTURER_ID, JSON.stringify(registrar)), /^NOT_FOUND: /);
        await expectRejected(
            ledger,
            cast.registrar,
            (ctx) => contract.RegisterDevice(ctx, deviceRequest(cast.registrar, { manufacturerId: MANUFACTURER_ID, id: 'd1', certificatePem: makeCertificate().pem })),
            /^ACCESS_DENIED: .*may not register devices for manufacturer acme/,
        );
    });
});

describe('DeviceIdentityContract registration (D1, D2, D5)', () => {
    let ledger: MemoryLedger;
    let cert: TestCertificate;
    beforeAll(() => {
        cert = makeCertificate({ commonName: 'cam-7' });
    });
    beforeEach(async () => {
        ledger = await bootstrap(contract);
    });

    it('registers a device certificate with its manufacturer, owner and status, and looks it up by id and fingerprint', async () => {
        const record = parse<DeviceCertificate>(await registerDevice(ledger, cert, 'cam-7', { model: 'Cam X', lot: 'lot-2026-11' }));
        const registrar = await principalOf(ledger, contract, cast.registrar);
        expect(record).toMatchObject({
            id: 'cam-7',
            kind: 'device',
            fingerprint: cert.fingerprint,
            certificatePem: cert.pem,
            subject: 'CN=cam-7',
            keyType: 'ec-p256',
            manufacturerId: MANUFACTURER_ID,
            lot: 'lot-2026-11',
            model: 'Cam X',
            owner: registrar,
            registeredBy: registrar,
            status: 'active',
            version: 1,
        });
        expect(ledger.events).toHaveLength(1);
        expect(ledger.events[0]).toMatchObject({ name: 'DeviceRegistered', payload: { id: 'cam-7', fingerprint: cert.fingerprint, status: 'active' } });
        const byId = parse<DeviceLookup>(await ledger.evaluate(identities.edgeUser, (ctx) => contract.ReadDevice(ctx, 'cam-7')));
        const byFingerprint = parse<DeviceLookup>(await ledger.evaluate(identities.edgeUser, (ctx) => contract.ReadDeviceByFingerprint(ctx, cert.fingerprint)));
        expect(byId).toEqual(byFingerprint);
        expect(byId.certificate).toEqual(record);
        expect(byId.fingerprintStatus).toBe('active');
        expect(byId.history).toEqual([expect.objectContaining({ seq: 1, action: 'registered', status: 'active', fingerprint: cert.fingerprint, by: registrar })]);
        await expect(check(ledger, cert.fingerprint)).resolves.toMatchObject({ status: 'active', trusted: true, id: 'cam-7', kind: 'device' });
    });

    it('lets the manufacturer organisation administrators register and name another owner', async () => {
        const operator = await principalOf(ledger, contract, cast.operator);
        const record = parse<DeviceCertificate>(await registerDevice(ledger, cert, 'cam-7', { owner: operator }, cast.manufacturerAdmin));
        expect(record.owner).toEqual(operator);
    });

    it.each<[string, TestIdentity]>([
        ['a member of the manufacturer organisation who is no registrar', identities.cloudUser],
        ['a registry administrator of another organisation', identities.edgeAdmin],
        ['an edge user', identities.edgeUser],
    ])('refuses registration by %s', async (_label, who) => {
        await expectRejected(ledger, who, (ctx) => contract.RegisterDevice(ctx, deviceRequest(who, { manufacturerId: MANUFACTURER_ID, id: 'd', certificatePem: cert.pem })), /^ACCESS_DENIED: /);
    });

    it.each<[string, () => Record<string, unknown>, RegExp]>([
        ['garbage PEM', () => ({ certificatePem: 'garbage' }), /^CERTIFICATE_INVALID: certificatePem/],
        ['an RSA-1024 key', () => ({ certificatePem: makeCertificate({ key: 'rsa1024' }).pem }), /^KEY_TOO_WEAK: /],
        ['a broken self-signature', () => ({ certificatePem: breakSignature(makeCertificate().pem) }), /^CERTIFICATE_SIGNATURE_INVALID: /],
        ['a missing id', () => ({ id: undefined }), /^INVALID_ARGUMENT: id/],
        ['the reserved id platform', () => ({ id: 'platform' }), /^INVALID_ARGUMENT: id platform is reserved/],
        ['an unknown manufacturer', () => ({ manufacturerId: 'nobody' }), /^NOT_FOUND: manufacturer nobody/],
        ['a malformed owner', () => ({ owner: { mspId: 'EdgeOrgMSP' } }), /^INVALID_ARGUMENT: owner.id/],
        ['an oversized model', () => ({ model: 'm'.repeat(300) }), /^INVALID_ARGUMENT: model/],
    ])('refuses %s with a coded error and writes nothing', async (_label, change, pattern) => {
        const request = { manufacturerId: MANUFACTURER_ID, id: 'cam-9', certificatePem: makeCertificate().pem, ...change() };
        await expectRejected(ledger, cast.registrar, (ctx) => contract.RegisterDevice(ctx, deviceRequest(cast.registrar, request)), pattern);
    });

    it('refuses a certificate outside its validity window at the transaction time', async () => {
        const shortLived = makeCertificate({ days: 1 });
        const late = await bootstrap(contract, Date.now() + 2 * DAY);
        await expectRejected(late, cast.registrar, (ctx) => contract.RegisterDevice(ctx, deviceRequest(cast.registrar, { manufacturerId: MANUFACTURER_ID, id: 'd', certificatePem: shortLived.pem })), /^CERTIFICATE_EXPIRED: /);
        const early = await bootstrap(contract, Date.now() - DAY);
        await expectRejected(early, cast.registrar, (ctx) => contract.RegisterDevice(ctx, deviceRequest(cast.registrar, { manufacturerId: MANUFACTURER_ID, id: 'd', certificatePem: shortLived.pem })), /^CERTIFICATE_NOT_YET_VALID: /);
    });

    it('refuses a certificate or an id that is already registered', async () => {
        await registerDevice(ledger, cert, 'cam-7');
        const request = (id: string, pem: string): string => deviceRequest(cast.registrar, { manufacturerId: MANUFACTURER_ID, id, certificatePem: pem });
        await expectRejected(ledger, cast.registrar, (ctx) => contract.RegisterDevice(ctx, request('cam-8', cert.pem)), /^ALREADY_EXISTS: certificate .* \(id cam-7\)/);
        await expectRejected(ledger, cast.registrar, (ctx) => contract.RegisterDevice(ctx, request('cam-7', makeCertificate().pem)), /^ALREADY_EXISTS: .*id cam-7/);
        await expectRejected(ledger, identities.edgeUser, (ctx) => contract.RegisterApplication(ctx, applicationRequest(identities.edgeUser, { id: 'app-1', certificatePem: cert.pem })), /^ALREADY_EXISTS: /);
    });

    it('registers a production lot in one transaction with one event, listed page by page', async () => {
        const certs = [makeCertificate(), makeCertificate({ key: 'ed25519' }), makeCertificate({ key: 'p384' })];
        const request = { manufacturerId: MANUFACTURER_ID, lot: 'lot-7', model: 'Sensor S', devices: certs.map((c, i) => ({ id: `s-${String(i)}`, certificatePem: c.pem })) };
        const result = parse<{ count: number; devices: DeviceCertificate[] }>(await ledger.submit(cast.registrar, (ctx) => contract.RegisterDevices(ctx, lotRequest(cast.registrar, request))));
        expect(result.count).toBe(3);
        expect(result.devices.map((d) => [d.id, d.keyType, d.lot, d.model])).toEqual([
            ['s-0', 'ec-p256', 'lot-7', 'Sensor S'],
            ['s-1', 'ed25519', 'lot-7', 'Sensor S'],
            ['s-2', 'ec-p384', 'lot-7', 'Sensor S'],
        ]);
        expect(ledger.events).toHaveLength(1);
        expect(ledger.events[0]).toMatchObject({
            name: 'DevicesRegistered',
            payload: { manufacturerId: MANUFACTURER_ID, lot: 'lot-7', count: 3, devices: certs.map((c, i) => ({ id: `s-${String(i)}`, fingerprint: c.fingerprint })) },
        });
        const first = parse<{ records: DeviceCertificate[]; bookmark: string }>(
            await ledger.evaluate(identities.edgeUser, (ctx) => contract.ListDevicesByManufacturer(ctx, MANUFACTURER_ID, '2', '')),
        );
        const second = parse<{ records: DeviceCertificate[]; bookmark: string }>(
            await ledger.evaluate(identities.edgeUser, (ctx) => contract.ListDevicesByManufacturer(ctx, MANUFACTURER_ID, '2', first.bookmark)),
        );
        expect([...first.records, ...second.records].map((d) => d.id)).toEqual(['s-0', 's-1', 's-2']);
        expect(second.bookmark).toBe('');
    });

    it.each<[string, (good: TestCertificate[]) => unknown[], RegExp]>([
        ['one bad certificate', (good) => [{ id: 'a', certificatePem: good[0]?.pem }, { id: 'b', certificatePem: makeCertificate({ key: 'rsa1024' }).pem }], /^KEY_TOO_WEAK: devices\[1\]\.certificatePem/],
        ['a repeated id', (good) => [{ id: 'a', certificatePem: good[0]?.pem }, { id: 'a', certificatePem: good[1]?.pem }], /^INVALID_ARGUMENT: .*twice/],
        ['a repeated certificate', (good) => [{ id: 'a', certificatePem: good[0]?.pem }, { id: 'b', certificatePem: good[0]?.pem }], /^INVALID_ARGUMENT: .*twice/],
        ['a device already registered', (good) => [{ id: 'a', certificatePem: good[0]?.pem }, { id: 'b', certificatePem: cert.pem }], /^ALREADY_EXISTS: /],
        ['no devices', () => [], /^INVALID_ARGUMENT: devices/],
        ['a device that is not an object', () => ['x'], /^INVALID_ARGUMENT: devices\[0\]/],
    ])('registers nothing of a lot with %s', async (_label, devices, pattern) => {
        await registerDevice(ledger, cert, 'cam-7');
        const good = [makeCertificate(), makeCertificate()];
        const request = { manufacturerId: MANUFACTURER_ID, devices: devices(good) };
        await expectRejected(ledger, cast.registrar, (ctx) => contract.RegisterDevices(ctx, lotRequest(cast.registrar, request)), pattern);
    });

    it('lets any member register its own application certificate and own it', async () => {
        const appCert = makeCertificate({ commonName: 'video-analytics' });
        const record = parse<DeviceCertificate>(
            await ledger.submit(identities.edgeUser, (ctx) => contract.RegisterApplication(ctx, applicationRequest(identities.edgeUser, { id: 'video-analytics', certificatePem: appCert.pem, name: 'Video analytics' }))),
        );
        expect(record).toMatchObject({ kind: 'app', manufacturerId: '', model: 'Video analytics', owner: await principalOf(ledger, contract, identities.edgeUser) });
        expect(ledger.events.at(-1)?.name).toBe('ApplicationRegistered');
        await expectRejected(ledger, identities.edgeUser, (ctx) => contract.RegisterApplication(ctx, applicationRequest(identities.edgeUser, { id: 'app-2', certificatePem: 'x' })), /^CERTIFICATE_INVALID: /);
    });

    it('answers lookups of unknown certificates without error where it is a status check', async () => {
        await expect(check(ledger, 'c'.repeat(64))).resolves.toMatchObject({ status: 'unknown', trusted: false });
        await expect(ledger.evaluate(identities.edgeUser, (ctx) => contract.ReadDeviceByFingerprint(ctx, 'c'.repeat(64)))).rejects.toThrow(/^NOT_FOUND: /);
        await expect(ledger.evaluate(identities.edgeUser, (ctx) => contract.ReadDevice(ctx, 'nope'))).rejects.toThrow(/^NOT_FOUND: /);
        await expect(ledger.evaluate(identities.edgeUser, (ctx) => contract.CheckCertificate(ctx, 'C'.repeat(64)))).rejects.toThrow(/^INVALID_ARGUMENT: fingerprint/);
    });

    it('reports an expired registered certificate as not trusted', async () => {
        const shortLived = makeCertificate({ days: 1 });
        await registerDevice(ledger, shortLived, 'brief');
        await expect(check(ledger, shortLived.fingerprint)).resolves.toMatchObject({ status: 'active', trusted: true });
        ledger.advance(2 * DAY);
        await expect(check(ledger, shortLived.fingerprint)).resolves.toMatchObject({ status: 'active', trusted: false });
    });
});

describe('DeviceIdentityContract status (D4)', () => {
    let ledger: MemoryLedger;
    let cert: TestCertificate;
    beforeAll(() => {
        cert = makeCertificate();
    });
    beforeEach(async () => {
        ledger = await bootstrap(contract);
        await registerDevice(ledger, cert, 'cam-7', { owner: await principalOf(ledger, contract, cast.operator) });
        ledger.events.length = 0;
    });

    const suspend = (who: TestIdentity, comment = 'maintenance'): Promise<string> =>
        ledger.submit(who, (ctx) => contract.SuspendCertificate(ctx, 'cam-7', JSON.stringify({ comment })));
    const reinstate = (who: TestIdentity): Promise<string> => ledger.submit(who, (ctx) => contract.ReinstateCertificate(ctx, 'cam-7', '{}'));
    const revoke = (who: TestIdentity, request: Record<string, unknown> = { reason: 'keyCompromise' }): Promise<string> =>
        ledger.submit(who, (ctx) => contract.RevokeCertificate(ctx, 'cam-7', JSON.stringify(request)));

    it('suspends and reinstates with RFC 5280 reasons, time and history', async () => {
        const suspended = parse<DeviceCertificate>(await suspend(cast.operator));
        expect(suspended).toMatchObject({ status: 'suspended', statusReason: 'certificateHold', statusReasonCode: 6, statusChangedAt: new Date(ledger.now).toISOString(), version: 2 });
        await expect(check(ledger, cert.fingerprint)).resolves.toMatchObject({ status: 'suspended', trusted: false });
        await expectRejected(ledger, cast.operator, (ctx) => contract.SuspendCertificate(ctx, 'cam-7', '{}'), /^INVALID_STATE: /);
        const reinstated = parse<DeviceCertificate>(await reinstate(cast.registrar));
        expect(reinstated).toMatchObject({ status: 'active', statusReason: 'removeFromCRL', statusReasonCode: 8, version: 3 });
        await expectRejected(ledger, cast.operator, (ctx) => contract.ReinstateCertificate(ctx, 'cam-7', '{}'), /^INVALID_STATE: /);
        expect(ledger.events.map((e) => [e.name, (e.payload as { fingerprint: string; reasonCode: number }).fingerprint, (e.payload as { reasonCode: number }).reasonCode])).toEqual([
            ['CertificateSuspended', cert.fingerprint, 6],
            ['CertificateReinstated', cert.fingerprint, 8],
        ]);
        const lookup = parse<DeviceLookup>(await ledger.evaluate(identities.cloudUser, (ctx) => contract.ReadDevice(ctx, 'cam-7')));
        expect(lookup.history.map((h) => [h.seq, h.action, h.status, h.reasonCode, h.comment])).toEqual([
            [1, 'registered', 'active', -1, ''],
            [2, 'suspended', 'suspended', 6, 'maintenance'],
            [3, 'reinstated', 'active', 8, ''],
        ]);
    });

    it('lets a registry administrator hold a certificate but not revoke it', async () => {
        const thirdAdmin = { mspId: 'ThirdOrgMSP', name: 'Admin@third.edgetrust.local', role: 'admin' };
        await expectRejected(ledger, thirdAdmin, (ctx) => contract.SuspendCertificate(ctx, 'cam-7', '{}'), /^ACCESS_DENIED: SuspendCertificate of cam-7 is for .*or a registry administrator/);
        await ledger.submit(cast.registryAdmin, (ctx) => contract.AddRegistryAdministrator(ctx, 'ThirdOrgMSP'));
        await suspend(thirdAdmin);
        await expect(check(ledger, cert.fingerprint)).resolves.toMatchObject({ status: 'suspended' });
        await expectRejected(ledger, thirdAdmin, (ctx) => contract.RevokeCertificate(ctx, 'cam-7', '{"reason":"unspecified"}'), /^ACCESS_DENIED: RevokeCertificate of cam-7 is for its owner or its manufacturer,/);
    });

    it('revokes for good, by the manufacturer, with reason and invalidity date', async () => {
        const invalidityDate = new Date(ledger.now - DAY).toISOString();
        const revoked = parse<DeviceCertificate>(await revoke(cast.registrar, { reason: 'keyCompromise', invalidityDate, comment: 'key extracted' }));
        expect(revoked).toMatchObject({ status: 'revoked', statusReason: 'keyCompromise', statusReasonCode: 1, invalidityDate });
        expect(ledger.events.at(-1)).toMatchObject({ name: 'CertificateRevoked', payload: { id: 'cam-7', fingerprint: cert.fingerprint, reason: 'keyCompromise', reasonCode: 1 } });
        await expect(check(ledger, cert.fingerprint)).resolves.toMatchObject({ status: 'revoked', trusted: false });
        await expectRejected(ledger, cast.operator, (ctx) => contract.ReinstateCertificate(ctx, 'cam-7', '{}'), /^CERTIFICATE_REVOKED: /);
        await expectRejected(ledger, cast.operator, (ctx) => contract.SuspendCertificate(ctx, 'cam-7', '{}'), /^CERTIFICATE_REVOKED: /);
        await expectRejected(ledger, cast.operator, (ctx) => contract.RevokeCertificate(ctx, 'cam-7', '{"reason":"unspecified"}'), /^CERTIFICATE_REVOKED: /);
    });

    it('lets the owner, or an administrator of the owner organisation, revoke a suspended certificate', async () => {
        await suspend(cast.operator);
        await revoke(identities.edgeAdmin, { reason: 'cessationOfOperation' });
        await expect(check(ledger, cert.fingerprint)).resolves.toMatchObject({ status: 'revoked' });
    });

    it.each<[string, TestIdentity, Record<string, unknown>, RegExp]>([
        ['a stranger', identities.cloudUser, { reason: 'keyCompromise' }, /^ACCESS_DENIED: /],
        ['an unknown reason', cast.operator, { reason: 'boredom' }, /^INVALID_ARGUMENT: reason/],
        ['a hold given as revocation reason', cast.operator, { reason: 'certificateHold' }, /^INVALID_ARGUMENT: reason/],
        ['a future invalidity date', cast.operator, { reason: 'keyCompromise', invalidityDate: '2999-01-01T00:00:00Z' }, /^INVALID_ARGUMENT: invalidityDate/],
        ['a malformed invalidity date', cast.operator, { reason: 'keyCompromise', invalidityDate: '2026-02-30T00:00:00Z' }, /^INVALID_ARGUMENT: invalidityDate/],
    ])('refuses a revocation by or with %s', async (_label, who, request, pattern) => {
        await expectRejected(ledger, who, (ctx) => contract.RevokeCertificate(ctx, 'cam-7', JSON.stringify(request)), pattern);
    });

    it('refuses status changes of unknown ids and malformed requests', async () => {
        await expectRejected(ledger, cast.operator, (ctx) => contract.SuspendCertificate(ctx, 'nope', '{}'), /^NOT_FOUND: /);
        await expectRejected(ledger, cast.operator, (ctx) => contract.SuspendCertificate(ctx, 'cam-7', 'not json'), /^INVALID_ARGUMENT: request/);
        await expectRejected(ledger, cast.operator, (ctx) => contract.SuspendCertificate(ctx, 'cam-7', JSON.stringify({ comment: 'c'.repeat(2000) })), /^INVALID_ARGUMENT: comment/);
        await expectRejected(ledger, identities.edgeUser, (ctx) => contract.SuspendCertificate(ctx, 'cam-7', '{}'), /^ACCESS_DENIED: /);
    });
});

describe('DeviceIdentityContract key rotation (D4)', () => {
    let ledger: MemoryLedger;
    let oldCert: TestCertificate;
    let newCert: TestCertificate;
    beforeAll(() => {
        oldCert = makeCertificate({ commonName: 'cam-7' });
        newCert = makeCertificate({ commonName: 'cam-7', key: 'ed25519' });
    });
    beforeEach(async () => {
        ledger = await bootstrap(contract);
        await registerDevice(ledger, oldCert, 'cam-7');
        ledger.events.length = 0;
    });

    const rotate =
        (request: Record<string, unknown>): ((ctx: Context) => Promise<string>) =>
        (ctx) =>
            contract.RotateCertificate(ctx, 'cam-7', JSON.stringify(request));

    it('supersedes the old certificate with the new one, proven by the old key', async () => {
        const rotated = parse<DeviceCertificate>(await ledger.submit(cast.registrar, rotate({ certificatePem: newCert.pem, signature: signRotation(oldCert, newCert) })));
        expect(rotated).toMatchObject({ id: 'cam-7', fingerprint: newCert.fingerprint, keyType: 'ed25519', previousFingerprints: [oldCert.fingerprint], status: 'active', version: 2 });
        expect(ledger.events).toHaveLength(1);
        expect(ledger.events[0]).toMatchObject({ name: 'CertificateRotated', payload: { fingerprint: newCert.fingerprint, previousFingerprint: oldCert.fingerprint } });
        await expect(check(ledger, newCert.fingerprint)).resolves.toMatchObject({ status: 'active', trusted: true, id: 'cam-7' });
        await expect(check(ledger, oldCert.fingerprint)).resolves.toMatchObject({ status: 'superseded', trusted: false, id: 'cam-7' });
        const old = parse<DeviceLookup>(await ledger.evaluate(identities.edgeUser, (ctx) => contract.ReadDeviceByFingerprint(ctx, oldCert.fingerprint)));
        expect(old).toMatchObject({ fingerprint: oldCert.fingerprint, fingerprintStatus: 'superseded', certificate: { fingerprint: newCert.fingerprint } });
        expect(old.history.at(-1)).toMatchObject({ action: 'rotated', previousFingerprint: oldCert.fingerprint, fingerprint: newCert.fingerprint, reason: 'superseded', reasonCode: 4 });
        await expectRejected(ledger, cast.registrar, (ctx) => contract.RegisterDevice(ctx, deviceRequest(cast.registrar, { manufacturerId: MANUFACTURER_ID, id: 'again', certificatePem: oldCert.pem })), /^ALREADY_EXISTS: /);
    });

    it.each<[string, TestIdentity, () => Record<string, unknown>, RegExp]>([
        ['a proof signed by the new key', cast.registrar, () => ({ certificatePem: newCert.pem, signature: signRotation(newCert, newCert) }), /^SIGNATURE_INVALID: /],
        ['a proof for another certificate', cast.registrar, () => ({ certificatePem: newCert.pem, signature: signRotation(oldCert, makeCertificate()) }), /^SIGNATURE_INVALID: /],
        ['a missing proof', cast.registrar, () => ({ certificatePem: newCert.pem }), /^INVALID_ARGUMENT: signature/],
        ['a weak new key', cast.registrar, () => ({ certificatePem: makeCertificate({ key: 'rsa1024' }).pem, signature: 'AAAA' }), /^KEY_TOO_WEAK: /],
        ['garbage as new certificate', cast.registrar, () => ({ certificatePem: 'garbage', signature: 'AAAA' }), /^CERTIFICATE_INVALID: /],
        ['the same key again', cast.registrar, () => {
            const sameKey = makeCertificate({ commonName: 'cam-7b' }, oldCert.privateKey);
            return { certificatePem: sameKey.pem, signature: signRotation(oldCert, sameKey) };
        }, /^INVALID_ARGUMENT: .*new key/],
        ['a caller who is neither owner nor manufacturer', identities.edgeAdmin, () => ({ certificatePem: newCert.pem, signature: signRotation(oldCert, newCert) }), /^ACCESS_DENIED: /],
    ])('refuses %s', async (_label, who, request, pattern) => {
        await expectRejected(ledger, who, rotate(request()), pattern);
    });

    it('refuses to rotate a suspended certificate, or onto a certificate already registered', async () => {
        const other = makeCertificate();
        await registerDevice(ledger, other, 'cam-8');
        await expectRejected(ledger, cast.registrar, rotate({ certificatePem: other.pem, signature: signRotation(oldCert, other) }), /^ALREADY_EXISTS: /);
        await ledger.submit(cast.registrar, (ctx) => contract.SuspendCertificate(ctx, 'cam-7', '{}'));
        await expectRejected(ledger, cast.registrar, rotate({ certificatePem: newCert.pem, signature: signRotation(oldCert, newCert) }), /^INVALID_STATE: /);
    });
});
