import { makeCertificate, type TestCertificate } from '../../chaincode/device-identity/testing/certificates';
import { type EvidenceRecord, signCapture } from '../../gateway-sdk/src';
import { type DeviceIdentityActor, deviceIdentityAs, eventually } from '../support/device-identity';
import { type EvidenceActor, evidenceAs, sha256 } from '../support/evidence';
import { closeConnections, testProfile, uniqueId } from '../support/network';

jest.setTimeout(180_000);

/*
 * Evidence whose source is signed (issue: devices sign what they capture): a registered camera signs and anchors
 * segments, checked by the evidence chaincode against device identity on the same channel; an unregistered camera
 * is refused, a replay is detected, and once the camera is revoked its later captures are refused while the earlier
 * ones still verify as captured while trusted.
 */
describe('signed captures on the real network', () => {
    let registryAdmin: DeviceIdentityActor;
    let manufacturer: DeviceIdentityActor;
    let platform: EvidenceActor;
    let platformRegistry: DeviceIdentityActor;
    let auditor: EvidenceActor;
    const channel = testProfile().channel;
    const manufacturerId = uniqueId('cams');
    const cameraId = uniqueId('cam');
    let camera: TestCertificate;

    beforeAll(async () => {
        [registryAdmin, manufacturer, platform, auditor, platformRegistry] = await Promise.all([
            deviceIdentityAs('EdgeOrg', 'Admin'),
            deviceIdentityAs('CloudOrg', 'Admin'),
            evidenceAs('EdgeOrg'),
            evidenceAs('CloudOrg'),
            deviceIdentityAs('EdgeOrg'),
        ]);
        await registryAdmin.client.registerManufacturer({ id: manufacturerId, name: 'Scenario Cameras Ltd', mspId: 'CloudOrgMSP' });
        camera = makeCertificate({ key: 'p256', commonName: cameraId });
        await manufacturer.client.registerDevice({ manufacturerId, id: cameraId, certificatePem: camera.pem, model: 'IPC-7' }, camera.privateKey);
    });

    afterAll(() => closeConnections());

    /** The camera's side: a segment's digest, signed with its key at capture. */
    function segment(deviceId: string, key: TestCertificate['privateKey'], name: string, sequence: number): Parameters<EvidenceActor['client']['anchor']>[0] {
        const digest = sha256(`${deviceId}/${name}`);
        return {
            id: uniqueId(name),
            digest,
            size: 1_048_576,
            name: `${name}.mp4`,
            mediaType: 'video/mp4',
            source: { type: 'device', id: deviceId },
            capture: signCapture(digest, { channel, deviceId, sequence, key }),
        };
    }

    const records: EvidenceRecord[] = [];

    it('anchors a registered camera\'s signed segments: the source is proven, with fingerprint and status at capture', async () => {
        for (const sequence of [1, 2]) {
            const { result } = await platform.client.anchor(segment(cameraId, camera.privateKey, `seg-${String(sequence)}`, sequence));
            expect(result.sourceProof).toMatchObject({ deviceId: cameraId, sequence, previousSequence: sequence - 1, certificateFingerprint: camera.fingerprint, keyType: 'ec-p256', statusAtCapture: 'active', trustedAtCapture: true });
            records.push(result);
        }
        const verification = await auditor.client.verify(records[0]?.id ?? '', records[0]?.digest ?? '');
        expect(verification).toMatchObject({ outcome: 'match', source: { basis: 'signed', signatureValid: true, trustedAtCapture: true, deviceStatusNow: 'active' } });
    });

    it('refuses a segment "from" an unregistered camera, and one the platform forged for the registered camera', async () => {
        const rogue = makeCertificate({ key: 'p256', commonName: 'rogue' });
        await expect(platform.client.anchor(segment(uniqueId('cam-unregistered'), rogue.privateKey, 'rogue', 1))).rejects.toMatchObject({ code: 'SOURCE_DEVICE_UNKNOWN' });
        // The platform signs with a key of its own and names the registered camera: the signature does not verify.
        await expect(platform.client.anchor(segment(cameraId, rogue.privateKey, 'forged', 3))).rejects.toMatchObject({ code: 'SOURCE_SIGNATURE_INVALID' });
    });

    it('detects a replayed capture: same signed capture under another id', async () => {
        const first = records[1];
        if (!first?.sourceProof) {
            throw new Error('no signed record anchored');
        }
        const { deviceId, captureTime, sequence, signature } = first.sourceProof;
        const replay = { id: uniqueId('replay'), digest: first.digest, size: first.size, name: first.name, source: first.source, capture: { deviceId, captureTime, sequence, signature } };
        await expect(platform.client.anchor(replay)).rejects.toMatchObject({ code: 'CAPTURE_REPLAYED' });
        await expect(platform.client.read(replay.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('refuses the revoked camera\'s later captures while earlier ones still verify as captured while trusted', async () => {
        await manufacturer.client.revokeCertificate(cameraId, { reason: 'keyCompromise', comment: 'camera stolen' });
        // The platform's peer endorses; once its ledger has the revocation the capture is refused at endorsement.
        // (Endorsed before, the anchoring read the device's old version and fails validation: MVCC_READ_CONFLICT.)
        let status = 'active';
        const seen = await eventually(() => {
            void platformRegistry.client.readDevice(cameraId).then((lookup) => (status = lookup.certificate.status));
            return status === 'revoked';
        });
        expect(seen).toBe(true);
        const late = segment(cameraId, camera.privateKey, 'seg-after-revocation', 3);
        await expect(platform.client.anchor(late)).rejects.toMatchObject({ code: 'SOURCE_NOT_TRUSTED' });
        await expect(platform.client.read(late.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
        for (const record of records) {
            const verification = await auditor.client.verify(record.id, record.digest);
            expect(verification).toMatchObject({ outcome: 'match', source: { basis: 'signed', signatureValid: true, trustedAtCapture: true, deviceStatusNow: 'revoked' } });
        }
    });
});
