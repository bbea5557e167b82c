import { verify, X509Certificate } from 'node:crypto';
import { Metadata, status } from '@grpc/grpc-js';
import { GatewayError, type Contract, type ProposalOptions } from '@hyperledger/fabric-gateway';
import { AlreadyExistsError, EdgeTrustError } from '../errors';
import { registrationMessage, rotationMessage } from './certificate-proof';
import { DeviceIdentityClient } from './device-identity-client';
import { DeviceIdentityErrorCode } from './models';
import { makeCertificate } from '../../../chaincode/device-identity/testing/certificates';

interface Call {
    name: string;
    args: string[];
    transient?: Record<string, string>;
    endorsers?: string[];
}

/** A stand-in for fabric-gateway's Contract that records calls and answers with fixed JSON or an error. */
function fakeContract(answer: (name: string) => unknown = () => ({})): { contract: Contract; calls: Call[] } {
    const calls: Call[] = [];
    const respond = (name: string, options: ProposalOptions = {}): Uint8Array => {
        const transient = options.transientData === undefined ? undefined : Object.fromEntries(Object.entries(options.transientData).map(([k, v]) => [k, Buffer.from(v).toString('utf8')]));
        calls.push({ name, args: (options.arguments ?? []).map(String), ...(transient ? { transient } : {}), ...(options.endorsingOrganizations ? { endorsers: options.endorsingOrganizations } : {}) });
        const value = answer(name);
        if (value instanceof Error) {
            throw value;
        }
        return Buffer.from(JSON.stringify(value));
    };
    const contract = {
        evaluate: (name: string, options?: ProposalOptions) => Promise.resolve().then(() => respond(name, options)),
        submitAsync: (name: string, options?: ProposalOptions) =>
            Promise.resolve().then(() => {
                const result = respond(name, options);
                return { getResult: () => result, getStatus: () => Promise.resolve({ successful: true, code: 0, transactionId: 'tx-1', blockNumber: 3n }) };
            }),
    } as unknown as Contract;
    return { contract, calls };
}

describe('DeviceIdentityClient', () => {
    it('maps every call onto the chaincode transaction and its string arguments', async () => {
        const { contract, calls } = fakeContract();
        const client = new DeviceIdentityClient(contract, { statusBatching: false });
        const fp = 'AB:'.repeat(31) + 'AB';
        await client.registerDevice({ manufacturerId: 'acme', id: 'cam-7', certificatePem: 'pem' });
        await client.checkCertificate(fp);
        await client.suspendCertificate('cam-7', 'maintenance');
        await client.revokeCertificate('cam-7', { reason: 'keyCompromise' });
        await client.listAssetsBySite('site-a');
        await client.listAssetsBySite('site-a', 'in_use', 5, 'bm');
        await client.listDevicesByManufacturer('acme', 2);
        await client.grantTrust({ from: 'a', to: 'platform' });
        expect(calls).toEqual([
            { name: 'RegisterDevice', args: [JSON.stringify({ manufacturerId: 'acme', id: 'cam-7', certificatePem: 'pem' })] },
            { name: 'CheckCertificate', args: ['ab'.repeat(32)] },
            { name: 'SuspendCertificate', args: ['cam-7', '{"comment":"maintenance"}'] },
            { name: 'RevokeCertificate', args: ['cam-7', '{"reason":"keyCompromise"}'] },
            { name: 'ListAssetsBySite', args: ['site-a', '', '100', ''] },
            { name: 'ListAssetsBySite', args: ['site-a', 'in_use', '5', 'bm'] },
            { name: 'ListDevicesByManufacturer', args: ['acme', '2', ''] },
            { name: 'GrantTrust', args: ['{"from":"a","to":"platform"}'] },
        ]);
    });

    it('sends an asset change privately: the request and a fresh salt in the transient map, the id as argument, its own organisation endorsing', async () => {
        const me = { mspId: 'EdgeOrgMSP', id: 'x509::/OU=client/CN=tech', channel: 'edgetrust', orgAdmin: false, registryAdmin: false };
        const asset = { id: 'ant-1', state: 'installed', serialNumber: 'SN-1' };
        const { contract, calls } = fakeContract((name) => (name === 'WhoAmI' ? me : name === 'ReadAsset' ? asset : { id: 'ant-1', txId: 'tx-1' }));
        const client = new DeviceIdentityClient(contract);
        await expect(client.registerAsset({ id: 'ant-1', tag: 'QR-1', type: 'antenna', site: 'site-a', serialNumber: 'SN-1' })).resolves.toEqual({ result: asset, transactionId: 'tx-1', blockNumber: 3n });
        await client.transitionAsset('ant-1', { to: 'installed', site: 'site-b' });
        expect(calls.map((c) => [c.name, c.args, c.endorsers])).toEqual([
            ['WhoAmI', [], undefined],
            ['RegisterAsset', ['ant-1'], ['EdgeOrgMSP']],
            ['ReadAsset', ['ant-1'], undefined],
            ['TransitionAsset', ['ant-1'], ['EdgeOrgMSP']],
            ['ReadAsset', ['ant-1'], undefined],
        ]);
        const sent = [calls[1], calls[3]].map((c) => JSON.parse(c?.transient?.asset ?? '{}') as Record<string, string>);
        expect(sent[0]).toEqual({ id: 'ant-1', tag: 'QR-1', type: 'antenna', site: 'site-a', serialNumber: 'SN-1' });
        expect(sent[1]).toEqual({ to: 'installed', site: 'site-b' });
        // The salt of the private records in its own entry, as for billing: 32 fresh random bytes, base64.
        const salts = [calls[1], calls[3]].map((c) => Buffer.from(c?.transient?.salt ?? '', 'base64'));
        expect(salts.map((salt) => salt.length)).toEqual([32, 32]);
        expect(salts[1]?.equals(salts[0] ?? Buffer.alloc(0))).toBe(false);
        expect(calls.flatMap((c) => c.args).join(' ')).not.toContain('SN-1');
    });

    it('proves possession of the device key for the caller when given the key', async () => {
        const device = makeCertificate({ commonName: 'cam-9' });
        const me = { mspId: 'CloudOrgMSP', id: 'x509::/OU=client/CN=factory', channel: 'edgetrust', orgAdmin: false, registryAdmin: false };
        const { contract, calls } = fakeContract((name) => (name === 'WhoAmI' ? me : {}));
        const client = new DeviceIdentityClient(contract);
        await client.registerDevice({ manufacturerId: 'acme', id: 'cam-9', certificatePem: device.pem }, device.privateKeyPem);
        await client.registerDevices({ manufacturerId: 'acme', devices: [{ id: 'cam-9', certificatePem: device.pem }] }, { 'cam-9': device.privateKeyPem });
        expect(calls.map((c) => c.name)).toEqual(['WhoAmI', 'RegisterDevice', 'RegisterDevices']);
        const sent = JSON.parse(calls[1]?.args[0] ?? '{}') as { proof: string };
        const binding = { channel: 'edgetrust', kind: 'device', manufacturerId: 'acme', id: 'cam-9', certificatePem: device.pem, registrant: { mspId: me.mspId, id: me.id } } as const;
        expect(verify('sha256', registrationMessage(binding), new X509Certificate(device.pem).publicKey, Buffer.from(sent.proof, 'base64'))).toBe(true);
        const lot = JSON.parse(calls[2]?.args[0] ?? '{}') as { devices: { proof: string }[] };
        expect(lot.devices[0]?.proof).toEqual(expect.any(String));
    });

    it('returns submitted results with transaction id and block', async () => {
        const { contract } = fakeContract(() => ({ id: 'cam-7', status: 'active' }));
        const submitted = await new DeviceIdentityClient(contract).registerApplication({ id: 'app', certificatePem: 'pem' });
        expect(submitted).toEqual({ result: { id: 'cam-7', status: 'active' }, transactionId: 'tx-1', blockNumber: 3n });
    });

    it('signs the rotation proof with the old key', async () => {
        const oldCert = makeCertificate({ commonName: 'cam-7' });
        const newCert = makeCertificate({ commonName: 'cam-7' });
        const { contract, calls } = fakeContract();
        await new DeviceIdentityClient(contract).rotateWithKey('cam-7', { oldPrivateKey: oldCert.privateKey, oldCertificatePem: oldCert.pem, newCertificatePem: newCert.pem });
        const request = JSON.parse(calls[0]?.args[1] ?? '{}') as { certificatePem: string; signature: string };
        expect(calls[0]?.name).toBe('RotateCertificate');
        expect(request.certificatePem).toBe(newCert.pem);
        const message = rotationMessage(oldCert.fingerprint, newCert.fingerprint);
        expect(verify('sha256', message, new X509Certificate(oldCert.pem).publicKey, Buffer.from(request.signature, 'base64'))).toBe(true);
    });

    it('turns chaincode errors into typed errors with the domain code', async () => {
        const failure = (code: string): GatewayError =>
            new GatewayError({
                code: status.ABORTED,
                details: [],
                cause: Object.assign(new Error('aborted'), { code: status.ABORTED, details: '', metadata: new Metadata() }),
                message: `10 ABORTED: failed to endorse transaction: chaincode response 500, ${code}: nope`,
            });
        const { contract } = fakeContract((name) => failure(name === 'RegisterDevice' ? 'KEY_TOO_WEAK' : 'ALREADY_EXISTS'));
        const client = new DeviceIdentityClient(contract);
        await expect(client.registerDevice({ manufacturerId: 'acme', id: 'd', certificatePem: 'pem' })).rejects.toMatchObject({
            name: 'EdgeTrustError',
            code: DeviceIdentityErrorCode.KeyTooWeak,
        });
        await expect(client.registerApplication({ id: 'a', certificatePem: 'pem' })).rejects.toBeInstanceOf(AlreadyExistsError);
        await expect(client.checkCertificate('nope')).rejects.toBeInstanceOf(EdgeTrustError);
    });
});
