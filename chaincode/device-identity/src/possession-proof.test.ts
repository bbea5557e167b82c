import { generateKeyPairSync } from 'node:crypto';
import { identities, identityId, MEMORY_CHANNEL, type TestIdentity } from '../../common/testing/memory-ledger';
import { fingerprint, makeCertificate, signWith } from '../testing/certificates';
import { ED25519_IDENTITY_SIGNATURE, ed25519SmallOrderCertificate } from '../testing/crafted-certificates';
import { applicationRequest, bootstrap, cast, deviceRequest, lotRequest, MANUFACTURER_ID, parse } from '../testing/fixtures';
import { registrationMessage } from './certificate-check';
import type { CertificateStatusReport } from '../../schemas/src';
import { DeviceIdentityContract } from './device-identity-contract';

/*
 * Attacks (issue 9, finding 6): registering a certificate whose key the registrant does not hold, e.g.
 * another party's published application or device certificate, or replaying a proof made for another
 * registrant, id or channel; and registering an Ed25519 small-order key, which CheckCertificate would
 * then call trusted although its one universal signature verifies every message.
 */
const contract = new DeviceIdentityContract();

function proofBy(key: Parameters<typeof signWith>[0], registrant: TestIdentity, id: string, pem: string, overrides: Record<string, unknown> = {}): string {
    const binding = { channel: MEMORY_CHANNEL, kind: 'device', manufacturerId: MANUFACTURER_ID, id, fingerprint: fingerprint(pem), registrant: { mspId: registrant.mspId, id: identityId(registrant) }, ...overrides } as const;
    return signWith(key, registrationMessage(binding));
}

describe('proof of possession at registration', () => {
    it('registers a device whose key signed the registration message, and nothing without it', async () => {
        const ledger = await bootstrap(contract);
        const cert = makeCertificate();
        const request = { manufacturerId: MANUFACTURER_ID, id: 'cam-1', certificatePem: cert.pem };
        const register = (json: string): Promise<string> => ledger.submit(cast.registrar, (ctx) => contract.RegisterDevice(ctx, json));
        const before = ledger.snapshot();
        await expect(register(JSON.stringify(request))).rejects.toThrow(/^INVALID_ARGUMENT: proof is required/);
        const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
        await expect(register(JSON.stringify({ ...request, proof: proofBy(stranger, cast.registrar, 'cam-1', cert.pem) }))).rejects.toThrow(/^SIGNATURE_INVALID: /);
        // Replays of a genuine proof made for something else.
        for (const replay of [
            proofBy(cert.privateKey, cast.manufacturerAdmin, 'cam-1', cert.pem),
            proofBy(cert.privateKey, cast.registrar, 'cam-2', cert.pem),
            proofBy(cert.privateKey, cast.registrar, 'cam-1', cert.pem, { channel: 'other-channel' }),
            proofBy(cert.privateKey, cast.registrar, 'cam-1', cert.pem, { kind: 'app', manufacturerId: '' }),
        ]) {
            await expect(register(JSON.stringify({ ...request, proof: replay }))).rejects.toThrow(/^SIGNATURE_INVALID: /);
        }
        expect(ledger.snapshot()).toEqual(before);
        await expect(register(deviceRequest(cast.registrar, request))).resolves.toContain('"cam-1"');
    });

    it("refuses an application registering another party's published certificate", async () => {
        const ledger = await bootstrap(contract);
        const victim = makeCertificate({ commonName: 'billing-app' });
        const thief = identities.edgeUser;
        // The thief has the victim's certificate (it is public) but not its key.
        const victimProof = applicationRequest(identities.cloudUser, { id: 'billing-app', certificatePem: victim.pem });
        const replayed = { ...(JSON.parse(victimProof) as Record<string, unknown>), id: 'billing-app' };
        await expect(ledger.submit(thief, (ctx) => contract.RegisterApplication(ctx, JSON.stringify(replayed)))).rejects.toThrow(/^SIGNATURE_INVALID: /);
        await expect(ledger.submit(thief, (ctx) => contract.RegisterApplication(ctx, JSON.stringify({ id: 'billing-app', certificatePem: victim.pem })))).rejects.toThrow(
            /^INVALID_ARGUMENT: proof is required/,
        );
        await ledger.submit(identities.cloudUser, (ctx) => contract.RegisterApplication(ctx, victimProof));
    });

    it('checks the proof of every device of a lot', async () => {
        const ledger = await bootstrap(contract);
        const [a, b] = [makeCertificate(), makeCertificate()];
        const json = lotRequest(cast.registrar, { manufacturerId: MANUFACTURER_ID, devices: [{ id: 'a', certificatePem: a.pem }, { id: 'b', certificatePem: b.pem }] });
        const lot = JSON.parse(json) as { devices: { proof: string }[] };
        const [first, second] = lot.devices;
        if (first && second) {
            second.proof = first.proof;
        }
        await expect(ledger.submit(cast.registrar, (ctx) => contract.RegisterDevices(ctx, JSON.stringify(lot)))).rejects.toThrow(/^SIGNATURE_INVALID: devices\[1\]\.proof/);
    });

    it('never registers an Ed25519 small-order key, so CheckCertificate cannot call it trusted', async () => {
        const ledger = await bootstrap(contract);
        const pem = ed25519SmallOrderCertificate();
        const request = { manufacturerId: MANUFACTURER_ID, id: 'cam-0', certificatePem: pem, proof: ED25519_IDENTITY_SIGNATURE };
        await expect(ledger.submit(cast.registrar, (ctx) => contract.RegisterDevice(ctx, JSON.stringify(request)))).rejects.toThrow(/^KEY_TOO_WEAK: .*small-order/);
        const report = parse<CertificateStatusReport>(await ledger.evaluate(identities.cloudUser, (ctx) => contract.CheckCertificate(ctx, fingerprint(pem))));
        expect(report).toMatchObject({ status: 'unknown', trusted: false });
    });
});
