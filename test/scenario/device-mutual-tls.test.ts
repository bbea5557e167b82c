import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server, TLSSocket } from 'node:tls';
import { makeCertificate, type TestCertificate } from '../../chaincode/device-identity/testing/certificates';
import {
    CertificateStatusCache,
    connectChainVerified,
    createChainVerifiedServer,
    followStatusEvents,
    PeerNotTrustedError,
    type StatusEventSubscription,
    type VerifiedPeer,
} from '../../gateway-sdk/src';
import { type DeviceIdentityActor, deviceIdentityAs, deviceIdentityChaincode, eventually } from '../support/device-identity';
import { closeConnections, uniqueId } from '../support/network';

jest.setTimeout(120_000);

/** Ten minutes: longer than the test, so only a followed revocation event can make the cache forget. */
const LONG_TTL = 600_000;

/** An edge application's listener: answers a verified device's first message, remembers whom it refused. */
interface EdgeAppServer {
    server: Server;
    port: number;
    accepted: VerifiedPeer[];
    refused: unknown[];
    received: string[];
}

async function listen(identity: TestCertificate, cache: CertificateStatusCache, manufacturerId: string): Promise<EdgeAppServer> {
    const state: Omit<EdgeAppServer, 'server' | 'port'> = { accepted: [], refused: [], received: [] };
    const server = createChainVerifiedServer(
        {
            key: identity.privateKeyPem,
            cert: identity.pem,
            cache,
            // Beyond "active on chain": only devices of the expected manufacturer may connect.
            authorize: (peer) => peer.status.kind === 'device' && peer.status.manufacturerId === manufacturerId,
            onRejected: (error) => state.refused.push(error),
        },
        (socket, peer) => {
            state.accepted.push(peer);
            socket.on('error', () => undefined);
            socket.once('data', (data: Buffer) => {
                state.received.push(data.toString());
                socket.end(`ack ${peer.status.id ?? '?'}: ${data.toString()}`);
            });
        },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { ...state, server, port: (server.address() as AddressInfo).port };
}

/** Everything the peer sends until it closes, bounded in time. */
function readAll(socket: TLSSocket, timeoutMs = 5000): Promise<string> {
    return new Promise((resolve) => {
        let text = '';
        const timer = setTimeout(() => {
            socket.destroy();
            resolve(text);
        }, timeoutMs);
        socket.on('data', (data: Buffer) => (text += data.toString()));
        socket.on('error', () => undefined);
        socket.on('close', () => {
            clearTimeout(timer);
            resolve(text);
        });
    });
}

describe('a device and an edge application authenticate each other from the chain before talking (D6, whitepaper 2.3.1)', () => {
    const manufacturerId = uniqueId('sc-mfr');
    const deviceId = uniqueId('sc-sensor');
    const appId = uniqueId('sc-edge-app');
    let registryAdmin: DeviceIdentityActor; // EdgeOrg Admin: runs the registry
    let manufacturer: DeviceIdentityActor; // CloudOrg Admin: the manufacturer's organisation
    let edgeApp: DeviceIdentityActor; // EdgeOrg User1: the edge application's own identity
    let deviceGateway: DeviceIdentityActor; // CloudOrg User1: the gateway the device asks the chain through
    let device: TestCertificate;
    let app: TestCertificate;
    let appCache: CertificateStatusCache;
    let deviceCache: CertificateStatusCache;
    let follower: StatusEventSubscription | undefined;
    const servers: Server[] = [];

    beforeAll(async () => {
        [registryAdmin, manufacturer, edgeApp, deviceGateway] = await Promise.all([
            deviceIdentityAs('EdgeOrg', 'Admin'),
            deviceIdentityAs('CloudOrg', 'Admin'),
            deviceIdentityAs('EdgeOrg'),
            deviceIdentityAs('CloudOrg'),
        ]);
        await registryAdmin.client.registerManufacturer({ id: manufacturerId, name: 'Scenario Sensors Ltd', mspId: 'CloudOrgMSP' });
    });

    afterAll(async () => {
        follower?.close();
        await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
        closeConnections();
    });

    async function serve(identity: TestCertificate): Promise<EdgeAppServer> {
        const running = await listen(identity, appCache, manufacturerId);
        servers.push(running.server);
        return running;
    }

    /** The device's side: connects, and only once the chain vouches for the server sends one reading. */
    async function deviceSends(port: number, client: TestCertificate, message: string): Promise<{ reply: string; server?: VerifiedPeer }> {
        const { socket, peer } = await connectChainVerified({
            host: '127.0.0.1',
            port,
            key: client.privateKeyPem,
            cert: client.pem,
            cache: deviceCache,
            authorize: (server) => server.status.id === appId && server.status.kind === 'app',
            timeoutMillis: 10_000,
        });
        const reply = readAll(socket);
        socket.write(message);
        return { reply: await reply, server: peer };
    }

    it('registers a device key made at the factory and an edge application key, with no CA involved', async () => {
        // The device makes its own key pair and self-signed certificate; the private key never leaves it.
        const deviceKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
        device = makeCertificate({ commonName: deviceId }, deviceKey);
        app = makeCertificate({ commonName: appId, key: 'ed25519' });

        const registered = await manufacturer.client.registerDevice({ manufacturerId, id: deviceId, certificatePem: device.pem, model: 'TH-20' }, device.privateKey);
        expect(registered.result).toMatchObject({ kind: 'device', fingerprint: device.fingerprint, status: 'active' });
        const appRegistered = await edgeApp.client.registerApplication({ id: appId, certificatePem: app.pem, name: 'edge telemetry' }, app.privateKey);
        expect(appRegistered.result).toMatchObject({ kind: 'app', fingerprint: app.fingerprint, owner: edgeApp.principal });

        appCache = new CertificateStatusCache({ lookup: edgeApp.client.statusLookup(), ttlMillis: LONG_TTL });
        deviceCache = new CertificateStatusCache({ lookup: deviceGateway.client.statusLookup(), ttlMillis: LONG_TTL });
        follower = await followStatusEvents(edgeApp.network, deviceIdentityChaincode(), appCache, { startBlock: appRegistered.blockNumber });
    });

    it('completes a real mutual-TLS handshake on loopback and exchanges a message once both certificates check out on chain', async () => {
        const running = await serve(app);
        const { reply, server } = await deviceSends(running.port, device, 'temperature 21.5');

        expect(reply).toBe(`ack ${deviceId}: temperature 21.5`);
        expect(server).toMatchObject({ fingerprint: app.fingerprint, status: { id: appId, kind: 'app', status: 'active', trusted: true } });
        expect(running.accepted.map((p) => [p.fingerprint, p.status.id, p.status.manufacturerId])).toEqual([[device.fingerprint, deviceId, manufacturerId]]);
        expect(running.refused).toEqual([]);
        expect(appCache.cached(device.fingerprint)).toMatchObject({ trusted: true });
    });

    it('refuses the same device after the manufacturer revokes it: the followed revocation event clears the cache at once', async () => {
        const running = await serve(app);
        const invalidate = jest.spyOn(appCache, 'invalidate');
        const revoked = await manufacturer.client.revokeCertificate(deviceId, { reason: 'keyCompromise', comment: 'device stolen from site' });
        expect(revoked.result.status).toBe('revoked');

        // The TTL is ten minutes: only the CertificateRevoked event can have removed the cached "trusted".
        await expect(eventually(() => appCache.cached(device.fingerprint) === undefined)).resolves.toBe(true);
        expect(invalidate).toHaveBeenCalledWith(device.fingerprint);
        invalidate.mockRestore();

        const outcome = await deviceSends(running.port, device, 'temperature 22.0').catch((err: unknown) => ({ reply: '', error: err }));
        expect(outcome.reply).toBe('');
        await expect(eventually(() => running.refused.length === 1)).resolves.toBe(true);
        expect(running.refused[0]).toBeInstanceOf(PeerNotTrustedError);
        expect(running.refused[0]).toMatchObject({ code: 'PEER_NOT_TRUSTED', fingerprint: device.fingerprint, status: { status: 'revoked', trusted: false, id: deviceId } });
        expect(running.accepted).toEqual([]);
        expect(running.received).toEqual([]);
    });

    it('refuses a device whose certificate was never registered', async () => {
        const running = await serve(app);
        const stranger = makeCertificate({ commonName: uniqueId('sc-stranger') });

        const outcome = await deviceSends(running.port, stranger, 'let me in').catch((err: unknown) => ({ reply: '', error: err }));
        expect(outcome.reply).toBe('');
        await expect(eventually(() => running.refused.length === 1)).resolves.toBe(true);
        expect(running.refused[0]).toMatchObject({ name: 'PeerNotTrustedError', fingerprint: stranger.fingerprint, status: { status: 'unknown', trusted: false } });
        expect(running.received).toEqual([]);
    });

    it('lets a device refuse an edge application whose certificate was never registered, before sending anything', async () => {
        const other = makeCertificate({ commonName: uniqueId('sc-device-b') });
        await manufacturer.client.registerDevice({ manufacturerId, id: uniqueId('sc-sensor-b'), certificatePem: other.pem }, other.privateKey);
        const impostor = await serve(makeCertificate({ commonName: appId }));

        const attempt = deviceSends(impostor.port, other, 'secret reading');
        await expect(attempt).rejects.toBeInstanceOf(PeerNotTrustedError);
        await expect(attempt).rejects.toMatchObject({ status: { status: 'unknown' } });
        // Whatever the impostor decided about the device, it got no byte from it.
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(impostor.received).toEqual([]);
    });
});
