import { X509Certificate } from 'node:crypto';
import { breakSignature, makeCaIssuedCertificate, makeCertificate, signRotation, type TestCertificate } from '../../chaincode/device-identity/testing/certificates';
import {
    AccessDeniedError,
    AlreadyExistsError,
    type AssetTransitionRequest,
    type DeviceCertificate,
    type Page,
    EdgeTrustError,
    InvalidArgumentError,
    InvalidStateError,
    type Manufacturer,
    NotFoundError,
    PLATFORM_ID,
} from '../../gateway-sdk/src';
import { datedCertificate, type DeviceIdentityActor, deviceEventsOf, deviceIdentityAs, keyOf, keysOf } from '../support/device-identity';
import { closeConnections, uniqueId } from '../support/network';

jest.setTimeout(120_000);

const DAY = 86_400_000;
let counter = 0;
/** An id no other test or run uses. */
function fresh(prefix: string): string {
    counter += 1;
    return `${uniqueId(prefix)}-${String(counter)}`;
}

type ErrorClass = new (...args: never[]) => EdgeTrustError;

/** Asserts a typed, coded rejection of a call that reached the chaincode (so it has a transaction id). */
async function expectCoded(call: Promise<unknown>, code: string, type: ErrorClass = EdgeTrustError): Promise<EdgeTrustError> {
    const error = await call.then(
        () => undefined,
        (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ code, message: expect.stringMatching(new RegExp(`^${code}: `)) as unknown });
    return error as EdgeTrustError;
}

/** Every record of a paginated query, following bookmarks; also returns the page sizes seen. */
async function allPages<T>(read: (bookmark: string) => Promise<Page<T>>, maxPages = 50): Promise<{ records: T[]; sizes: number[] }> {
    const records: T[] = [];
    const sizes: number[] = [];
    let bookmark = '';
    for (let i = 0; i < maxPages; i++) {
        const page = await read(bookmark);
        records.push(...page.records);
        sizes.push(page.records.length);
        expect(page.fetchedRecordsCount).toBe(page.records.length);
        if (page.bookmark === '' || page.records.length === 0) {
            return { records, sizes };
        }
        bookmark = page.bookmark;
    }
    throw new Error(`more than ${String(maxPages)} pages`);
}

/** Node's `AB:CD:…` form of a hex fingerprint. */
function colonForm(fingerprint: string): string {
    return (fingerprint.toUpperCase().match(/../g) ?? []).join(':');
}

describe('DeviceIdentityClient against the real network', () => {
    // EdgeOrg (MEC platform operator) runs the registry; manufacturer "factory" belongs to CloudOrg.
    let registryAdmin: DeviceIdentityActor; // EdgeOrg Admin
    let operator: DeviceIdentityActor; // EdgeOrg User1: no registry or manufacturer right
    let manufacturerAdmin: DeviceIdentityActor; // CloudOrg Admin: administrator of the manufacturer's organisation
    let factory: DeviceIdentityActor; // CloudOrg User1: appointed registrar
    const manufacturerId = fresh('it-mfr');

    beforeAll(async () => {
        [registryAdmin, operator, manufacturerAdmin, factory] = await Promise.all([
            deviceIdentityAs('EdgeOrg', 'Admin'),
            deviceIdentityAs('EdgeOrg'),
            deviceIdentityAs('CloudOrg', 'Admin'),
            deviceIdentityAs('CloudOrg'),
        ]);
        // A run that failed half-way may have left CloudOrg among the registry administrators.
        if ((await registryAdmin.client.readRegistry()).mspIds.includes('CloudOrgMSP')) {
            await registryAdmin.client.removeRegistryAdministrator('CloudOrgMSP');
        }
    });
    afterAll(closeConnections);

    describe('registry and manufacturers (D5)', () => {
        it('has EdgeOrg as registry administrator and tells each caller who it is', async () => {
            await expect(operator.client.readRegistry()).resolves.toMatchObject({ initialized: true, mspIds: expect.arrayContaining(['EdgeOrgMSP']) as unknown });
            await expect(registryAdmin.client.whoAmI()).resolves.toMatchObject({ mspId: 'EdgeOrgMSP', orgAdmin: true, registryAdmin: true });
            await expect(operator.client.whoAmI()).resolves.toMatchObject({ mspId: 'EdgeOrgMSP', orgAdmin: false, registryAdmin: false });
            await expect(manufacturerAdmin.client.whoAmI()).resolves.toMatchObject({ mspId: 'CloudOrgMSP', orgAdmin: true, registryAdmin: false });
            expect(factory.principal.id).toMatch(/^x509::.*CN=User1@cloud\.edgetrust\.local::/);
            await expectCoded(registryAdmin.client.initRegistry(), 'ALREADY_EXISTS', AlreadyExistsError);
            await expectCoded(operator.client.initRegistry(), 'ACCESS_DENIED', AccessDeniedError);
        });

        it('lets only a registry administrator register a manufacturer, once', async () => {
            const request = { id: manufacturerId, name: 'Integration Test Radios', mspId: 'CloudOrgMSP' };
            await expectCoded(operator.client.registerManufacturer(request), 'ACCESS_DENIED', AccessDeniedError);
            await expectCoded(manufacturerAdmin.client.registerManufacturer(request), 'ACCESS_DENIED', AccessDeniedError);
            await expectCoded(registryAdmin.client.registerManufacturer({ ...request, id: 'has space' }), 'INVALID_ARGUMENT', InvalidArgumentError);
            await expectCoded(operator.client.readManufacturer(manufacturerId), 'NOT_FOUND', NotFoundError);

            const { result, transactionId, blockNumber } = await registryAdmin.client.registerManufacturer(request);
            expect(result).toEqual({ ...request, registrars: [], registeredBy: registryAdmin.principal, registeredAt: result.registeredAt, updatedAt: result.registeredAt });
            await expect(factory.client.readManufacturer(manufacturerId)).resolves.toEqual(result);
            await expectCoded(registryAdmin.client.registerManufacturer(request), 'ALREADY_EXISTS', AlreadyExistsError);

            const listed = await allPages<Manufacturer>((bookmark) => operator.client.listManufacturers(1000, bookmark));
            expect(listed.records.filter((m) => m.id === manufacturerId)).toEqual([result]);
            const events = await deviceEventsOf(operator.network, blockNumber, [transactionId]);
            expect(events.get(transactionId)).toMatchObject({ name: 'ManufacturerRegistered', payload: { id: manufacturerId, mspId: 'CloudOrgMSP' } });
        });

        it('adds and removes a registry administrator organisation, never the last one', async () => {
            await expectCoded(operator.client.addRegistryAdministrator('CloudOrgMSP'), 'ACCESS_DENIED', AccessDeniedError);
            await expectCoded(manufacturerAdmin.client.addRegistryAdministrator('CloudOrgMSP'), 'ACCESS_DENIED', AccessDeniedError);
            const added = await registryAdmin.client.addRegistryAdministrator('CloudOrgMSP');
            expect(added.result.mspIds).toEqual(expect.arrayContaining(['CloudOrgMSP', 'EdgeOrgMSP']));
            await expect(manufacturerAdmin.client.whoAmI()).resolves.toMatchObject({ registryAdmin: true });
            await expect(factory.client.whoAmI()).resolves.toMatchObject({ registryAdmin: false });
            await expectCoded(registryAdmin.client.addRegistryAdministrator('CloudOrgMSP'), 'ALREADY_EXISTS', AlreadyExistsError);

            const removed = await manufacturerAdmin.client.removeRegistryAdministrator('CloudOrgMSP');
            expect(removed.result.mspIds).not.toContain('CloudOrgMSP');
            await expectCoded(registryAdmin.client.removeRegistryAdministrator('CloudOrgMSP'), 'NOT_FOUND', NotFoundError);
            // Only try to remove the last administrator when EdgeOrg really is the last one.
            await expect(operator.client.readRegistry()).resolves.toEqual({ initialized: true, mspIds: ['EdgeOrgMSP'] });
            await expectCoded(registryAdmin.client.removeRegistryAdministrator('EdgeOrgMSP'), 'INVALID_STATE', InvalidStateError);
            await expect(operator.client.readRegistry()).resolves.toEqual({ initialized: true, mspIds: ['EdgeOrgMSP'] });
        });

        it("lets the manufacturer organisation's administrator appoint a registrar", async () => {
            await expectCoded(operator.client.authorizeRegistrar(manufacturerId, factory.principal), 'ACCESS_DENIED', AccessDeniedError);
            await expectCoded(factory.client.authorizeRegistrar(manufacturerId, factory.principal), 'ACCESS_DENIED', AccessDeniedError);
            await expectCoded(manufacturerAdmin.client.authorizeRegistrar(fresh('it-no-mfr'), factory.principal), 'NOT_FOUND', NotFoundError);
            await expect(factory.client.readManufacturer(manufacturerId)).resolves.toMatchObject({ registrars: [] });

            const { result } = await manufacturerAdmin.client.authorizeRegistrar(manufacturerId, factory.principal);
            expect(result.registrars).toEqual([factory.principal]);
            await expectCoded(registryAdmin.client.authorizeRegistrar(manufacturerId, factory.principal), 'ALREADY_EXISTS', AlreadyExistsError);
        });
    });

    describe('certificates (D1, D3, D4, D5)', () => {
        const lot = fresh('it-lot');
        const cameraId = fresh('it-cam');
        const lotIds = [0, 1, 2].map((i) => `${lot}-dev-${String(i)}`);
        let camera: TestCertificate;
        let lotCerts: TestCertificate[];
        let registered: DeviceCertificate;

        beforeAll(() => {
            camera = makeCertificate({ commonName: cameraId });
            lotCerts = [makeCertificate({ commonName: lotIds[0] }), makeCertificate({ key: 'p384', commonName: lotIds[1] }), makeCertificate({ key: 'ed25519', commonName: lotIds[2] })];
        });

        it('registers a device certificate through the appointed registrar and finds it by id and fingerprint with its history', async () => {
            await expectCoded(operator.client.registerDevice({ manufacturerId, id: cameraId, certificatePem: camera.pem }, keyOf(camera.pem)), 'ACCESS_DENIED', AccessDeniedError);
            await expect(operator.client.checkCertificate(camera.fingerprint)).resolves.toMatchObject({ status: 'unknown', trusted: false });

            const submitted = await factory.client.registerDevice({ manufacturerId, id: cameraId, certificatePem: camera.pem, model: 'IPC-7', lot }, keyOf(camera.pem));
            registered = submitted.result;
            expect(registered).toMatchObject({
                id: cameraId,
                kind: 'device',
                fingerprint: camera.fingerprint,
                keyType: 'ec-p256',
                manufacturerId,
                lot,
                model: 'IPC-7',
                owner: factory.principal,
                registeredBy: factory.principal,
                status: 'active',
                statusReasonCode: -1,
                previousFingerprints: [],
                version: 1,
            });
            expect(new X509Certificate(registered.certificatePem).raw).toEqual(new X509Certificate(camera.pem).raw);
            expect(Date.parse(registered.notAfter) - Date.parse(registered.notBefore)).toBe(30 * DAY);

            const byId = await operator.client.readDevice(cameraId);
            expect(byId).toEqual({ certificate: registered, fingerprint: camera.fingerprint, fingerprintStatus: 'active', history: [expect.objectContaining({ seq: 1, action: 'registered', txId: submitted.transactionId, by: factory.principal })] });
            await expect(manufacturerAdmin.client.readDeviceByFingerprint(colonForm(camera.fingerprint))).resolves.toEqual(byId);
            await expect(operator.client.checkCertificate(camera.fingerprint)).resolves.toMatchObject({ status: 'active', trusted: true, id: cameraId, kind: 'device', manufacturerId, ownerMspId: 'CloudOrgMSP' });

            const events = await deviceEventsOf(operator.network, submitted.blockNumber, [submitted.transactionId]);
            expect(events.get(submitted.transactionId)).toMatchObject({ name: 'DeviceRegistered', payload: { id: cameraId, fingerprint: camera.fingerprint, status: 'active' } });
        });

        it('registers a production lot all or nothing, one device owned by the operator, and pages through the manufacturer', async () => {
            const devices = lotIds.map((id, i) => ({ id, certificatePem: lotCerts[i]?.pem ?? '' }));
            const withWeak = [...devices.slice(0, 1), { id: `${lot}-weak`, certificatePem: makeCertificate({ key: 'rsa1024' }).pem }, ...devices.slice(1)];
            const weak = await expectCoded(factory.client.registerDevices({ manufacturerId, lot, devices: withWeak }, keysOf(withWeak)), 'KEY_TOO_WEAK');
            expect(weak.message).toMatch(/devices\[1\]\.certificatePem .*1024-bit RSA/);
            await expectCoded(factory.client.readDevice(lotIds[0] ?? ''), 'NOT_FOUND', NotFoundError);

            const owned = devices.map((d, i) => (i === 0 ? { ...d, owner: operator.principal } : d));
            const { result, transactionId, blockNumber } = await factory.client.registerDevices({ manufacturerId, lot, model: 'RRU-3', devices: owned }, keysOf(owned));
            expect(result).toMatchObject({ manufacturerId, lot, count: 3 });
            expect(result.devices.map((d) => [d.id, d.keyType, d.model, d.lot, d.owner.mspId])).toEqual([
                [lotIds[0], 'ec-p256', 'RRU-3', lot, 'EdgeOrgMSP'],
                [lotIds[1], 'ec-p384', 'RRU-3', lot, 'CloudOrgMSP'],
                [lotIds[2], 'ed25519', 'RRU-3', lot, 'CloudOrgMSP'],
            ]);
            const events = await deviceEventsOf(operator.network, blockNumber, [transactionId]);
            expect(events.get(transactionId)).toMatchObject({ name: 'DevicesRegistered', payload: { manufacturerId, lot, count: 3 } });

            const paged = await allPages<DeviceCertificate>((bookmark) => operator.client.listDevicesByManufacturer(manufacturerId, 2, bookmark));
            expect(paged.records.map((d) => d.id)).toEqual([cameraId, ...lotIds].sort());
            expect(paged.sizes.slice(0, 2)).toEqual([2, 2]);
        });

        const bad: [string, () => string, string, ErrorClass][] = [
            ['garbage instead of PEM', () => 'this is not a certificate', 'CERTIFICATE_INVALID', EdgeTrustError],
            ['a PEM block of garbage', () => '-----BEGIN CERTIFICATE-----\nAAAAAAAAAAAA\n-----END CERTIFICATE-----\n', 'CERTIFICATE_INVALID', EdgeTrustError],
            ['an RSA-1024 key', () => makeCertificate({ key: 'rsa1024' }).pem, 'KEY_TOO_WEAK', EdgeTrustError],
            ['a P-224 key', () => makeCertificate({ key: 'p224' }).pem, 'KEY_TOO_WEAK', EdgeTrustError],
            ['an expired certificate', () => datedCertificate(new Date(Date.now() - 60 * DAY), new Date(Date.now() - DAY)).pem, 'CERTIFICATE_EXPIRED', EdgeTrustError],
            ['a certificate not valid yet', () => datedCertificate(new Date(Date.now() + DAY), new Date(Date.now() + 60 * DAY)).pem, 'CERTIFICATE_NOT_YET_VALID', EdgeTrustError],
            ['a broken self-signature', () => breakSignature(makeCertificate().pem), 'CERTIFICATE_SIGNATURE_INVALID', EdgeTrustError],
            ['a CA-issued certificate', () => makeCaIssuedCertificate().pem, 'CERTIFICATE_SIGNATURE_INVALID', EdgeTrustError],
            ['a SHA-1 signature', () => makeCertificate({ digest: 'sha1' }).pem, 'WEAK_SIGNATURE_ALGORITHM', EdgeTrustError],
            ['a key usage without digitalSignature', () => makeCertificate({ extensions: ['keyUsage = critical,keyEncipherment'] }).pem, 'KEY_USAGE_INVALID', EdgeTrustError],
            ['no certificate at all', () => '', 'INVALID_ARGUMENT', InvalidArgumentError],
        ];

        it.each(bad)('refuses %s with a coded error and writes nothing', async (_label, pem, code, type) => {
            const certificatePem = pem();
            const id = fresh('it-bad');
            const error = await expectCoded(factory.client.registerDevice({ manufacturerId, id, certificatePem }, keyOf(certificatePem)), code, type);
            expect(error.transactionId).toEqual(expect.any(String));
            await expectCoded(operator.client.readDevice(id), 'NOT_FOUND', NotFoundError);
            if (code !== 'CERTIFICATE_INVALID' && code !== 'INVALID_ARGUMENT') {
                const fingerprint = makeFingerprint(certificatePem);
                await expect(operator.client.checkCertificate(fingerprint)).resolves.toMatchObject({ status: 'unknown', trusted: false });
            }
            await expectCoded(operator.client.registerApplication({ id, certificatePem }, keyOf(certificatePem)), code, type);
            await expectCoded(operator.client.readDevice(id), 'NOT_FOUND', NotFoundError);
        });

        it('refuses a duplicate id or certificate, an unknown manufacturer and a caller without the right, writing nothing', async () => {
            const other = makeCertificate();
            const id = fresh('it-dup');
            await expectCoded(factory.client.registerDevice({ manufacturerId, id: cameraId, certificatePem: other.pem }, keyOf(other.pem)), 'ALREADY_EXISTS', AlreadyExistsError);
            await expectCoded(factory.client.registerDevice({ manufacturerId, id, certificatePem: camera.pem }, keyOf(camera.pem)), 'ALREADY_EXISTS', AlreadyExistsError);
            await expectCoded(operator.client.registerApplication({ id, certificatePem: camera.pem }, keyOf(camera.pem)), 'ALREADY_EXISTS', AlreadyExistsError);
            await expectCoded(factory.client.registerDevices({ manufacturerId, devices: [{ id, certificatePem: other.pem }, { id: `${id}-b`, certificatePem: other.pem }] }, keysOf([{ id, certificatePem: other.pem }, { id: `${id}-b`, certificatePem: other.pem }])), 'INVALID_ARGUMENT', InvalidArgumentError);
            await expectCoded(factory.client.registerDevice({ manufacturerId: fresh('it-no-mfr'), id, certificatePem: other.pem }, keyOf(other.pem)), 'NOT_FOUND', NotFoundError);
            await expectCoded(registryAdmin.client.registerDevice({ manufacturerId, id, certificatePem: other.pem }, keyOf(other.pem)), 'ACCESS_DENIED', AccessDeniedError);
            await expectCoded(factory.client.registerDevice({ manufacturerId, id: PLATFORM_ID, certificatePem: other.pem }, keyOf(other.pem)), 'INVALID_ARGUMENT', InvalidArgumentError);
            await expectCoded(operator.client.readDevice(id), 'NOT_FOUND', NotFoundError);
            await expect(operator.client.checkCertificate(other.fingerprint)).resolves.toMatchObject({ status: 'unknown' });
            await expect(operator.client.readDevice(cameraId)).resolves.toMatchObject({ certificate: registered });
        });

        it('suspends and reinstates with RFC 5280 reasons: owner, manufacturer or registry administrator, no one else', async () => {
            await expectCoded(operator.client.suspendCertificate(cameraId, 'not mine'), 'ACCESS_DENIED', AccessDeniedError);
            const suspended = await registryAdmin.client.suspendCertificate(cameraId, 'site inspection');
            expect(suspended.result).toMatchObject({ status: 'suspended', statusReason: 'certificateHold', statusReasonCode: 6, statusChangedBy: registryAdmin.principal, version: 2 });
            await expect(operator.client.checkCertificate(camera.fingerprint)).resolves.toMatchObject({ status: 'suspended', trusted: false });
            await expectCoded(factory.client.suspendCertificate(cameraId), 'INVALID_STATE', InvalidStateError);

            const reinstated = await factory.client.reinstateCertificate(cameraId, 'inspection passed');
            expect(reinstated.result).toMatchObject({ status: 'active', statusReason: 'removeFromCRL', statusReasonCode: 8, version: 3 });
            await expectCoded(factory.client.reinstateCertificate(cameraId), 'INVALID_STATE', InvalidStateError);
            await expect(operator.client.checkCertificate(camera.fingerprint)).resolves.toMatchObject({ status: 'active', trusted: true });

            const events = await deviceEventsOf(operator.network, suspended.blockNumber, [suspended.transactionId, reinstated.transactionId]);
            expect(events.get(suspended.transactionId)).toMatchObject({ name: 'CertificateSuspended', payload: { id: cameraId, fingerprint: camera.fingerprint, reason: 'certificateHold', reasonCode: 6 } });
            expect(events.get(reinstated.transactionId)).toMatchObject({ name: 'CertificateReinstated', payload: { id: cameraId, status: 'active', reasonCode: 8 } });
        });

        it('revokes only by owner or manufacturer, finally, and keeps the whole history', async () => {
            const future = new Date(Date.now() + DAY).toISOString();
            await expectCoded(registryAdmin.client.revokeCertificate(cameraId, { reason: 'keyCompromise' }), 'ACCESS_DENIED', AccessDeniedError);
            await expectCoded(operator.client.revokeCertificate(cameraId, { reason: 'keyCompromise' }), 'ACCESS_DENIED', AccessDeniedError);
            await expectCoded(factory.client.revokeCertificate(cameraId, { reason: 'because' as 'unspecified' }), 'INVALID_ARGUMENT', InvalidArgumentError);
            await expectCoded(factory.client.revokeCertificate(cameraId, { reason: 'keyCompromise', invalidityDate: future }), 'INVALID_ARGUMENT', InvalidArgumentError);
            await expect(operator.client.readDevice(cameraId)).resolves.toMatchObject({ certificate: { status: 'active', version: 3 } });

            const invalidityDate = new Date(Date.now() - DAY).toISOString();
            const revoked = await factory.client.revokeCertificate(cameraId, { reason: 'keyCompromise', comment: 'key extracted', invalidityDate });
            expect(revoked.result).toMatchObject({ status: 'revoked', statusReason: 'keyCompromise', statusReasonCode: 1, invalidityDate, version: 4 });
            await expectCoded(factory.client.reinstateCertificate(cameraId), 'CERTIFICATE_REVOKED');
            await expectCoded(registryAdmin.client.suspendCertificate(cameraId), 'CERTIFICATE_REVOKED');
            await expectCoded(factory.client.revokeCertificate(cameraId, { reason: 'superseded' }), 'CERTIFICATE_REVOKED');
            const next = makeCertificate();
            await expectCoded(factory.client.rotateWithKey(cameraId, { oldPrivateKey: camera.privateKey, oldCertificatePem: camera.pem, newCertificatePem: next.pem }), 'CERTIFICATE_REVOKED');
            await expect(operator.client.checkCertificate(camera.fingerprint)).resolves.toMatchObject({ status: 'revoked', trusted: false });

            const lookup = await operator.client.readDeviceByFingerprint(camera.fingerprint);
            expect(lookup.fingerprintStatus).toBe('revoked');
            expect(lookup.history.map((h) => [h.seq, h.action, h.status, h.reasonCode])).toEqual([
                [1, 'registered', 'active', -1],
                [2, 'suspended', 'suspended', 6],
                [3, 'reinstated', 'active', 8],
                [4, 'revoked', 'revoked', 1],
            ]);
            expect(lookup.history[3]).toMatchObject({ txId: revoked.transactionId, by: factory.principal, comment: 'key extracted', reason: 'keyCompromise' });
            const events = await deviceEventsOf(operator.network, revoked.blockNumber, [revoked.transactionId]);
            expect(events.get(revoked.transactionId)).toMatchObject({ name: 'CertificateRevoked', payload: { id: cameraId, fingerprint: camera.fingerprint, status: 'revoked', reason: 'keyCompromise', invalidityDate } });
        });

        it("lets a device's owner revoke it even though another organisation made it", async () => {
            const id = lotIds[0] ?? '';
            await expectCoded(registryAdmin.client.revokeCertificate(fresh('it-nothing'), { reason: 'unspecified' }), 'NOT_FOUND', NotFoundError);
            const { result } = await operator.client.revokeCertificate(id, { reason: 'cessationOfOperation' });
            expect(result).toMatchObject({ status: 'revoked', statusReasonCode: 5, statusChangedBy: operator.principal });
        });

        it('rotates a key: the old key signs the new fingerprint, the old fingerprint resolves as superseded', async () => {
            const id = lotIds[1] ?? '';
            const old = lotCerts[1] as TestCertificate;
            const next = makeCertificate({ key: 'ed25519', commonName: id });
            const stranger = makeCertificate();
            const before = await operator.client.readDevice(id);

            await expectCoded(operator.client.rotateWithKey(id, { oldPrivateKey: old.privateKey, oldCertificatePem: old.pem, newCertificatePem: next.pem }), 'ACCESS_DENIED', AccessDeniedError);
            await expectCoded(factory.client.rotateCertificate(id, { certificatePem: next.pem, signature: signRotation(stranger, next) }), 'SIGNATURE_INVALID');
            await expectCoded(factory.client.rotateCertificate(id, { certificatePem: next.pem, signature: signRotation(old, stranger) }), 'SIGNATURE_INVALID');
            await expectCoded(factory.client.rotateCertificate(id, { certificatePem: next.pem, signature: 'not base64!' }), 'INVALID_ARGUMENT', InvalidArgumentError);
            const sameKey = makeCertificate({ key: 'p384', commonName: `${id}-renewed` }, old.privateKey);
            await expectCoded(factory.client.rotateWithKey(id, { oldPrivateKey: old.privateKey, oldCertificatePem: old.pem, newCertificatePem: sameKey.pem }), 'INVALID_ARGUMENT', InvalidArgumentError);
            const taken = lotCerts[2] as TestCertificate;
            await expectCoded(factory.client.rotateWithKey(id, { oldPrivateKey: old.privateKey, oldCertificatePem: old.pem, newCertificatePem: taken.pem }), 'ALREADY_EXISTS', AlreadyExistsError);
            await expectCoded(factory.client.rotateWithKey(id, { oldPrivateKey: old.privateKey, oldCertificatePem: old.pem, newCertificatePem: makeCertificate({ key: 'rsa1024' }).pem }), 'KEY_TOO_WEAK');
            await expect(operator.client.readDevice(id)).resolves.toEqual(before);

            const rotated = await factory.client.rotateWithKey(id, { oldPrivateKey: old.privateKey, oldCertificatePem: old.pem, newCertificatePem: next.pem });
            expect(rotated.result).toMatchObject({ id, fingerprint: next.fingerprint, keyType: 'ed25519', previousFingerprints: [old.fingerprint], status: 'active', version: 2 });
            await expect(operator.client.checkCertificate(old.fingerprint)).resolves.toMatchObject({ status: 'superseded', trusted: false, id });
            await expect(operator.client.checkCertificate(next.fingerprint)).resolves.toMatchObject({ status: 'active', trusted: true, id });
            const byOld = await operator.client.readDeviceByFingerprint(old.fingerprint);
            expect(byOld).toMatchObject({ fingerprint: old.fingerprint, fingerprintStatus: 'superseded', certificate: { fingerprint: next.fingerprint } });
            expect(byOld.history.at(-1)).toMatchObject({ action: 'rotated', fingerprint: next.fingerprint, previousFingerprint: old.fingerprint, reason: 'superseded', reasonCode: 4, txId: rotated.transactionId });
            // The old certificate can never come back, not even under another id.
            await expectCoded(operator.client.registerApplication({ id: fresh('it-reuse'), certificatePem: old.pem }, keyOf(old.pem)), 'ALREADY_EXISTS', AlreadyExistsError);

            const events = await deviceEventsOf(operator.network, rotated.blockNumber, [rotated.transactionId]);
            expect(events.get(rotated.transactionId)).toMatchObject({ name: 'CertificateRotated', payload: { id, fingerprint: next.fingerprint, previousFingerprint: old.fingerprint } });
        });

        it('withdraws a registrar, who then may not register; the manufacturer organisation administrator still may', async () => {
            const late = makeCertificate();
            const id = fresh('it-late');
            await expectCoded(operator.client.withdrawRegistrar(manufacturerId, factory.principal), 'ACCESS_DENIED', AccessDeniedError);
            const { result } = await manufacturerAdmin.client.withdrawRegistrar(manufacturerId, factory.principal);
            expect(result.registrars).toEqual([]);
            await expectCoded(manufacturerAdmin.client.withdrawRegistrar(manufacturerId, factory.principal), 'NOT_FOUND', NotFoundError);
            await expectCoded(factory.client.registerDevice({ manufacturerId, id, certificatePem: late.pem }, keyOf(late.pem)), 'ACCESS_DENIED', AccessDeniedError);
            await expectCoded(operator.client.readDevice(id), 'NOT_FOUND', NotFoundError);
            const registeredByAdmin = await manufacturerAdmin.client.registerDevice({ manufacturerId, id, certificatePem: late.pem }, keyOf(late.pem));
            expect(registeredByAdmin.result).toMatchObject({ id, owner: manufacturerAdmin.principal, manufacturerId });
        });
    });

    describe('applications and trust relationships (D2, D8)', () => {
        const cloudAppId = fresh('it-app-cloud');
        const edgeAppId = fresh('it-app-edge');
        let cloudApp: TestCertificate;
        let edgeApp: TestCertificate;

        beforeAll(async () => {
            cloudApp = makeCertificate({ commonName: cloudAppId });
            edgeApp = makeCertificate({ key: 'ed25519', commonName: edgeAppId });
            await Promise.all([
                factory.client.registerApplication({ id: cloudAppId, certificatePem: cloudApp.pem, name: 'video analytics' }, keyOf(cloudApp.pem)),
                operator.client.registerApplication({ id: edgeAppId, certificatePem: edgeApp.pem, name: 'edge cache' }, keyOf(edgeApp.pem)),
            ]);
        });

        it('records an application registered by itself, owned by its caller, without a manufacturer', async () => {
            const { certificate, history } = await registryAdmin.client.readDevice(cloudAppId);
            expect(certificate).toMatchObject({ kind: 'app', manufacturerId: '', model: 'video analytics', owner: factory.principal, registeredBy: factory.principal, fingerprint: cloudApp.fingerprint });
            expect(history.map((h) => h.action)).toEqual(['registered']);
            await expect(factory.client.checkCertificate(edgeApp.fingerprint)).resolves.toMatchObject({ status: 'active', trusted: true, kind: 'app', ownerMspId: 'EdgeOrgMSP' });
            await expectCoded(operator.client.suspendCertificate(cloudAppId), 'ACCESS_DENIED', AccessDeniedError);
        });

        it('grants, checks, lists and revokes who may talk to whom, decided by the target', async () => {
            await expectCoded(factory.client.grantTrust({ from: cloudAppId, to: edgeAppId }), 'ACCESS_DENIED', AccessDeniedError);
            await expectCoded(operator.client.grantTrust({ from: cloudAppId, to: PLATFORM_ID }), 'ACCESS_DENIED', AccessDeniedError);
            await expectCoded(operator.client.grantTrust({ from: edgeAppId, to: edgeAppId }), 'INVALID_ARGUMENT', InvalidArgumentError);
            await expectCoded(operator.client.grantTrust({ from: cloudAppId, to: edgeAppId, expiresAt: new Date(Date.now() - DAY).toISOString() }), 'INVALID_ARGUMENT', InvalidArgumentError);
            await expectCoded(operator.client.grantTrust({ from: fresh('it-ghost'), to: edgeAppId }), 'NOT_FOUND', NotFoundError);
            await expect(operator.client.checkTrust(cloudAppId, edgeAppId)).resolves.toMatchObject({ allowed: false, reason: 'not_granted' });

            const granted = await operator.client.grantTrust({ from: cloudAppId, to: edgeAppId, purpose: 'push analytics results', expiresAt: new Date(Date.now() + 30 * DAY).toISOString() });
            expect(granted.result).toMatchObject({ from: cloudAppId, to: edgeAppId, status: 'active', purpose: 'push analytics results', grantedBy: operator.principal });
            await expectCoded(operator.client.grantTrust({ from: cloudAppId, to: edgeAppId }), 'ALREADY_EXISTS', AlreadyExistsError);
            const platform = await registryAdmin.client.grantTrust({ from: cloudAppId, to: PLATFORM_ID, purpose: 'location API' });
            expect(platform.result).toMatchObject({ to: PLATFORM_ID, status: 'active' });

            await expect(factory.client.checkTrust(cloudAppId, edgeAppId)).resolves.toMatchObject({ allowed: true, reason: 'granted', relationship: { purpose: 'push analytics results' } });
            await expect(factory.client.checkTrust(edgeAppId, cloudAppId)).resolves.toMatchObject({ allowed: false, reason: 'not_granted' });
            await expect(factory.client.checkTrust(cloudAppId, PLATFORM_ID)).resolves.toMatchObject({ allowed: true, reason: 'granted' });
            const from = await allPages((bookmark) => operator.client.listTrustFrom(cloudAppId, 1, bookmark));
            expect(from.records.map((t) => t.to).sort()).toEqual([edgeAppId, PLATFORM_ID].sort());
            const to = await allPages((bookmark) => operator.client.listTrustTo(edgeAppId, 10, bookmark));
            expect(to.records.map((t) => t.from)).toEqual([cloudAppId]);

            // A suspended application may not talk, whatever was granted.
            await factory.client.suspendCertificate(cloudAppId, 'rolling upgrade');
            await expect(operator.client.checkTrust(cloudAppId, edgeAppId)).resolves.toMatchObject({ allowed: false, reason: 'from_not_active' });
            await factory.client.reinstateCertificate(cloudAppId);
            await expect(operator.client.checkTrust(cloudAppId, edgeAppId)).resolves.toMatchObject({ allowed: true });

            await expectCoded(manufacturerAdmin.client.revokeTrust(edgeAppId, cloudAppId), 'NOT_FOUND', NotFoundError);
            const revoked = await factory.client.revokeTrust(cloudAppId, edgeAppId);
            expect(revoked.result).toMatchObject({ status: 'revoked', updatedBy: factory.principal });
            await expectCoded(operator.client.revokeTrust(cloudAppId, edgeAppId), 'INVALID_STATE', InvalidStateError);
            await expect(operator.client.checkTrust(cloudAppId, edgeAppId)).resolves.toMatchObject({ allowed: false, reason: 'revoked' });
            const events = await deviceEventsOf(operator.network, granted.blockNumber, [granted.transactionId, revoked.transactionId]);
            expect([...events.values()].map((e) => e.name)).toEqual(['TrustGranted', 'TrustRevoked']);
        });

        it('refuses trust from a device: relationships are between applications', async () => {
            const device = await manufacturerAdmin.client.listDevicesByManufacturer(manufacturerId, 1);
            const deviceId = device.records[0]?.id ?? '';
            expect(deviceId).not.toBe('');
            await expectCoded(operator.client.grantTrust({ from: deviceId, to: edgeAppId }), 'INVALID_ARGUMENT', InvalidArgumentError);
        });
    });

    describe('equipment assets (D7)', () => {
        const site = fresh('it-site');
        const otherSite = fresh('it-site-b');
        const ids = ['bs', 'ant', 'ac'].map((kind) => fresh(`it-asset-${kind}`));
        const [baseStation = '', antenna = '', airConditioner = ''] = ids;

        beforeAll(async () => {
            const types = ['base_station', 'antenna', 'air_conditioner'];
            for (const [i, id] of ids.entries()) {
                await operator.client.registerAsset({ id, tag: `QR-${id}`, type: types[i] ?? 'switch', site, location: `rack ${String(i)}`, model: 'M-1', serialNumber: `SN-${String(i)}` });
            }
        });

        it('registers equipment for the caller organisation, found by id and by tag, not on the peers of others', async () => {
            const asset = await operator.client.readAsset(baseStation);
            expect(asset).toMatchObject({ id: baseStation, tag: `QR-${baseStation}`, type: 'base_station', site, state: 'in_stock', ownerMspId: 'EdgeOrgMSP', registeredBy: operator.principal, version: 1 });
            await expect(registryAdmin.client.readAssetByTag(`QR-${baseStation}`)).resolves.toEqual(asset);
            // The asset is private data of EdgeOrg: CloudOrg's peers do not hold it (issue 9, finding 8).
            await expectCoded(factory.client.readAsset(baseStation), 'NOT_FOUND', NotFoundError);
            await expectCoded(factory.client.transitionAsset(baseStation, { to: 'installed' }), 'NOT_FOUND', NotFoundError);
            await expectCoded(operator.client.registerAsset({ id: baseStation, tag: fresh('QR'), type: 'switch', site }), 'ALREADY_EXISTS', AlreadyExistsError);
            const taken = fresh('it-asset-dup');
            await expectCoded(operator.client.registerAsset({ id: taken, tag: `QR-${baseStation}`, type: 'switch', site }), 'ALREADY_EXISTS', AlreadyExistsError);
            await expectCoded(operator.client.registerAsset({ id: taken, tag: fresh('QR'), type: 'switch', site, state: 'retired' as 'in_stock' }), 'INVALID_ARGUMENT', InvalidArgumentError);
            await expectCoded(operator.client.readAsset(taken), 'NOT_FOUND', NotFoundError);
        });

        it('moves an asset only along its lifecycle, recording who, when and where', async () => {
            const steps: [AssetTransitionRequest, DeviceIdentityActor][] = [
                [{ to: 'installed', location: 'mast 2', note: 'installed by crew 4' }, operator],
                [{ to: 'in_use' }, registryAdmin],
                [{ to: 'lent', lentTo: 'neighbour-operator' }, operator],
                [{ to: 'under_repair', site: otherSite, location: 'workshop' }, operator],
                [{ to: 'installed', site, location: 'mast 3' }, operator],
                [{ to: 'replaced', replacedBy: antenna }, operator],
                [{ to: 'retired', note: 'scrapped' }, operator],
            ];
            await expectCoded(operator.client.transitionAsset(baseStation, { to: 'in_use' }), 'ILLEGAL_TRANSITION');
            await expectCoded(operator.client.transitionAsset(baseStation, { to: 'lent' }), 'INVALID_ARGUMENT', InvalidArgumentError);
            await expectCoded(operator.client.transitionAsset(baseStation, { to: 'broken' as 'lent' }), 'INVALID_ARGUMENT', InvalidArgumentError);
            await expectCoded(operator.client.transitionAsset(fresh('it-asset-ghost'), { to: 'installed' }), 'NOT_FOUND', NotFoundError);
            await expect(operator.client.readAsset(baseStation)).resolves.toMatchObject({ state: 'in_stock', version: 1 });

            const txIds: string[] = [];
            let firstBlock = 0n;
            for (const [i, [request, actor]] of steps.entries()) {
                if (request.to === 'replaced') {
                    await expectCoded(operator.client.transitionAsset(baseStation, { to: 'replaced', replacedBy: fresh('it-asset-ghost') }), 'NOT_FOUND', NotFoundError);
                }
                const { result, transactionId, blockNumber } = await actor.client.transitionAsset(baseStation, request);
                expect(result).toMatchObject({ state: request.to, version: i + 2, updatedBy: actor.principal });
                txIds.push(transactionId);
                firstBlock = i === 0 ? blockNumber : firstBlock;
            }
            await expectCoded(operator.client.transitionAsset(baseStation, { to: 'in_stock' }), 'ILLEGAL_TRANSITION');
            await expect(operator.client.readAsset(baseStation)).resolves.toMatchObject({ state: 'retired', replacedBy: antenna, site, location: 'mast 3', version: 8 });

            const history = await allPages((bookmark) => operator.client.assetHistory(baseStation, 3, bookmark));
            expect(history.sizes).toEqual([3, 3, 2]);
            expect(history.records.map((h) => [h.seq, h.from, h.to, h.site])).toEqual([
                [1, '', 'in_stock', site],
                [2, 'in_stock', 'installed', site],
                [3, 'installed', 'in_use', site],
                [4, 'in_use', 'lent', site],
                [5, 'lent', 'under_repair', otherSite],
                [6, 'under_repair', 'installed', site],
                [7, 'installed', 'replaced', site],
                [8, 'replaced', 'retired', site],
            ]);
            expect(history.records.slice(1).map((h) => h.txId)).toEqual(txIds);
            expect(history.records[2]?.by).toEqual(registryAdmin.principal);
            expect(history.records[3]).toMatchObject({ lentTo: 'neighbour-operator' });
            expect(history.records[1]).toMatchObject({ location: 'mast 2', note: 'installed by crew 4' });
            const times = history.records.map((h) => Date.parse(h.at));
            expect([...times].sort((a, b) => a - b)).toEqual(times);

            const events = await deviceEventsOf(operator.network, firstBlock, txIds);
            // Events name the asset only: its details are private.
            expect([...events.values()].map((e) => [e.name, e.payload])).toEqual(txIds.map(() => ['AssetTransitioned', { id: baseStation }]));
        });

        it("lists the organisation's assets by site and by state, a page at a time", async () => {
            await operator.client.transitionAsset(antenna, { to: 'installed' });
            const atSite = await allPages((bookmark) => operator.client.listAssetsBySite(site, undefined, 2, bookmark));
            expect(atSite.records.map((a) => a.id).sort()).toEqual([...ids].sort());
            expect(atSite.sizes[0]).toBe(2);
            const inStock = await allPages((bookmark) => operator.client.listAssetsBySite(site, 'in_stock', 10, bookmark));
            expect(inStock.records.map((a) => a.id)).toEqual([airConditioner]);
            const installed = await allPages((bookmark) => registryAdmin.client.listAssetsByState('installed', 1000, bookmark));
            expect(installed.records.filter((a) => ids.includes(a.id)).map((a) => a.id)).toEqual([antenna]);
            await expectCoded(operator.client.listAssetsBySite(site, 'lost' as 'in_stock'), 'INVALID_ARGUMENT', InvalidArgumentError);
            await expectCoded(operator.client.listAssetsByState('in_stock', 0), 'INVALID_ARGUMENT', InvalidArgumentError);
        });

        it('answers an empty page, e.g. another organisation looking at the site, with no records rather than an error', async () => {
            // On a real peer an empty page comes without query metadata (its protobuf encoding is empty).
            await expect(factory.client.listAssetsBySite(site)).resolves.toEqual({ records: [], bookmark: '', fetchedRecordsCount: 0 });
            await expect(operator.client.listAssetsBySite(fresh('it-site-empty'), 'retired')).resolves.toEqual({ records: [], bookmark: '', fetchedRecordsCount: 0 });
        });
    });
});

function makeFingerprint(pem: string): string {
    return new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();
}
