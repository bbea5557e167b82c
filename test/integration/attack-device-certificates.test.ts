import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { makeCertificate } from '../../chaincode/device-identity/testing/certificates';
import {
    ED25519_IDENTITY_SIGNATURE,
    ed25519SmallOrderCertificate,
    OID,
    rsaCertificateSignedAs,
    rsaExponentOneCertificate,
} from '../../chaincode/device-identity/testing/crafted-certificates';
import { EdgeTrustError, InvalidArgumentError, signRegistration } from '../../gateway-sdk/src';
import { type DeviceIdentityActor, deviceIdentityAs } from '../support/device-identity';
import { closeConnections, uniqueId } from '../support/network';

jest.setTimeout(120_000);

/*
 * Attacks (issue 9, finding 6) on the real network: forgeable device keys and weak signature algorithms
 * whose self-signatures verify, and registering a certificate whose key the registrant does not hold.
 */
describe('device certificate attacks against the real network', () => {
    let registry: DeviceIdentityActor; // EdgeOrg Admin: registry administrator and admin of the manufacturer's organisation
    let thief: DeviceIdentityActor; // EdgeOrg User1
    let owner: DeviceIdentityActor; // CloudOrg User1, whose application certificate is public
    const manufacturerId = uniqueId('it-attack-mfr');

    beforeAll(async () => {
        [registry, thief, owner] = await Promise.all([deviceIdentityAs('EdgeOrg', 'Admin'), deviceIdentityAs('EdgeOrg'), deviceIdentityAs('CloudOrg')]);
        await registry.client.registerManufacturer({ id: manufacturerId, name: 'Attack test devices', mspId: 'EdgeOrgMSP' });
    });
    afterAll(closeConnections);

    async function codeOf(attempt: Promise<unknown>): Promise<string> {
        const error = await attempt.then(
            () => undefined,
            (err: unknown) => err,
        );
        expect(error).toBeInstanceOf(EdgeTrustError);
        return (error as EdgeTrustError).code;
    }

    it.each([
        ['an RSA-2048 key with public exponent 1', () => rsaExponentOneCertificate(), 'KEY_TOO_WEAK'],
        ['an Ed25519 small-order (identity) key', () => ed25519SmallOrderCertificate(), 'KEY_TOO_WEAK'],
        ['sha1WithRSA under the OIW OID', () => rsaCertificateSignedAs(OID.sha1WithRSAOiw, 'sha1').pem, 'WEAK_SIGNATURE_ALGORITHM'],
        ['md5WithRSA under the OIW OID', () => rsaCertificateSignedAs(OID.md5WithRSAOiw, 'md5').pem, 'WEAK_SIGNATURE_ALGORITHM'],
    ])('refuses to register a device certificate with %s', async (_label, pem, code) => {
        const certificatePem = pem();
        // The identity key's one signature verifies any message, so it would also "prove possession".
        const request = { manufacturerId, id: uniqueId('it-attack-dev'), certificatePem, proof: ED25519_IDENTITY_SIGNATURE };
        await expect(codeOf(registry.client.registerDevice(request))).resolves.toBe(code);
        await expect(thief.client.checkCertificate(new X509Certificate(certificatePem).fingerprint256)).resolves.toMatchObject({
            status: 'unknown',
            trusted: false,
        });
    });

    it("refuses to register another party's certificate without its key, or with a proof made for someone else", async () => {
        const app = makeCertificate({ commonName: 'billing-app' });
        const id = uniqueId('it-stolen-app');
        await expect(thief.client.registerApplication({ id, certificatePem: app.pem })).rejects.toThrow(InvalidArgumentError);
        const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
        await expect(codeOf(thief.client.registerApplication({ id, certificatePem: app.pem }, stranger))).resolves.toBe('SIGNATURE_INVALID');
        // The genuine owner's proof names the owner as registrant: replayed by the thief it fails.
        const me = await owner.client.whoAmI();
        const ownersProof = signRegistration(app.privateKey, { channel: me.channel, kind: 'app', manufacturerId: '', id, certificatePem: app.pem, registrant: me });
        await expect(codeOf(thief.client.registerApplication({ id, certificatePem: app.pem, proof: ownersProof }))).resolves.toBe('SIGNATURE_INVALID');
        await expect(owner.client.registerApplication({ id, certificatePem: app.pem, proof: ownersProof })).resolves.toMatchObject({ result: { id, owner: { mspId: 'CloudOrgMSP' } } });
    });
});
