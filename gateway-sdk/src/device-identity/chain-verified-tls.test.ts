import { type AddressInfo, createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { connect as tlsConnect, type Server, type TLSSocket } from 'node:tls';
import { CertificateStatusCache } from './certificate-status-cache';
import { type ChainTrustOptions, connectChainVerified, createChainVerifiedServer, PeerNotTrustedError, type VerifiedPeer } from './chain-verified-tls';
import type { CertificateStatusReport, FingerprintStatus } from './models';
import { makeCertificate, type TestCertificate } from '../../../chaincode/device-identity/testing/certificates';

/** A stand-in for the ledger: fingerprint → status, with a count of queries. */
class FakeLedger {
    readonly records = new Map<string, { id: string; status: FingerprintStatus }>();
    queries = 0;
    failing = false;

    register(cert: TestCertificate, id: string): void {
        this.records.set(cert.fingerprint, { id, status: 'active' });
    }

    lookup = (fingerprint: string): Promise<CertificateStatusReport> => {
        this.queries += 1;
        if (this.failing) {
            return Promise.reject(new Error('peer unreachable'));
        }
        const record = this.records.get(fingerprint);
        const report: CertificateStatusReport = record
            ? { fingerprint, status: record.status, trusted: record.status === 'active', checkedAt: new Date().toISOString(), id: record.id, kind: record.id.startsWith('app') ? 'app' : 'device' }
            : { fingerprint, status: 'unknown', trusted: false, checkedAt: new Date().toISOString() };
        return Promise.resolve(report);
    };
}

interface Running {
    server: Server;
    port: number;
    accepted: VerifiedPeer[];
    rejected: unknown[];
    received: string[];
}

/** An echo server that prefixes its replies with the verified client's id. */
async function startServer(identity: TestCertificate, trust: ChainTrustOptions): Promise<Running> {
    const running: Omit<Running, 'port' | 'server'> = { accepted: [], rejected: [], received: [] };
    const server = createChainVerifiedServer({ key: identity.privateKeyPem, cert: identity.pem, ...trust, onRejected: (error) => running.rejected.push(error) }, (socket, peer) => {
        running.accepted.push(peer);
        socket.on('data', (data: Buffer) => {
            running.received.push(data.toString());
            socket.end(`hello ${peer.status.id ?? '?'}: ${data.toString()}`);
        });
        socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { ...running, server, port: (server.address() as AddressInfo).port };
}

/** Reads everything until the server closes (or errors), bounded in time. */
function readAll(socket: TLSSocket): Promise<string> {
    return new Promise((resolve) => {
        let text = '';
        const timer = setTimeout(() => {
            socket.destroy();
            resolve(text);
        }, 3000);
        socket.on('data', (data: Buffer) => (text += data.toString()));
        socket.on('error', () => undefined);
        socket.on('close', () => {
            clearTimeout(timer);
            resolve(text);
        });
    });
}

/** Waits until a condition holds, bounded. */
async function until(condition: () => boolean): Promise<void> {
    for (let i = 0; i < 100 && !condition(); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

describe('chain-verified mutual TLS on loopback', () => {
    let device: TestCertificate;
    let app: TestCertificate;
    let stranger: TestCertificate;
    let ledger: FakeLedger;
    let now: number;
    let cache: CertificateStatusCache;
    const servers: Server[] = [];

    beforeAll(() => {
        device = makeCertificate({ commonName: 'cam-7' });
        app = makeCertificate({ commonName: 'app-analytics', key: 'ed25519' });
        stranger = makeCertificate({ commonName: 'stranger', key: 'p384' });
    });

    beforeEach(() => {
        ledger = new FakeLedger();
        ledger.register(device, 'cam-7');
        ledger.register(app, 'app-analytics');
        now = Date.now();
        cache = new CertificateStatusCache({ lookup: ledger.lookup, ttlMillis: 60_000, now: () => now });
    });

    afterEach(async () => {
        await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
    });

    async function serve(trust: ChainTrustOptions = { cache }, identity = app): Promise<Running> {
        const running = await startServer(identity, trust);
        servers.push(running.server);
        return running;
    }

    const connectAs = (client: TestCertificate, port: number, trust: ChainTrustOptions = { cache }): ReturnType<typeof connectChainVerified> =>
        connectChainVerified({ host: '127.0.0.1', port, key: client.privateKeyPem, cert: client.pem, ...trust, timeoutMillis: 3000 });

    it('completes a handshake between two registered certificates and exchanges a message', async () => {
        const running = await serve();
        const { socket, peer } = await connectAs(device, running.port);
        expect(peer).toMatchObject({ fingerprint: app.fingerprint, status: { id: 'app-analytics', trusted: true } });
        socket.write('ping');
        await expect(readAll(socket)).resolves.toBe('hello cam-7: ping');
        expect(running.accepted.map((p) => p.fingerprint)).toEqual([device.fingerprint]);
        expect(running.rejected).toEqual([]);
    });

    it('refuses a client whose certificate was never registered, before any application data', async () => {
        const running = await serve();
        const { socket } = await connectAs(stranger, running.port);
        socket.write('secret');
        await expect(readAll(socket)).resolves.toBe('');
        await until(() => running.rejected.length > 0);
        expect(running.rejected).toEqual([expect.any(PeerNotTrustedError)]);
        expect((running.rejected[0] as PeerNotTrustedError).message).toMatch(/is unknown on chain/);
        expect(running.accepted).toEqual([]);
        expect(running.received).toEqual([]);
    });

    it('refuses a server whose certificate was never registered, without writing to it', async () => {
        const running = await serve({ cache }, stranger);
        await expect(connectAs(device, running.port)).rejects.toMatchObject({ name: 'PeerNotTrustedError', code: 'PEER_NOT_TRUSTED', fingerprint: stranger.fingerprint });
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(running.received).toEqual([]);
    });

    it('refuses a client that presents no certificate at all', async () => {
        const running = await serve();
        const socket = tlsConnect({ host: '127.0.0.1', port: running.port, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
        socket.on('secureConnect', () => socket.write('hi'));
        await expect(readAll(socket)).resolves.toBe('');
        await until(() => running.rejected.length > 0);
        expect((running.rejected[0] as Error).message).toMatch(/presented no certificate/);
        expect(running.received).toEqual([]);
    });

    it('uses the cache within its TTL, and a revocation event invalidates it at once', async () => {
        const running = await serve();
        const first = await connectAs(device, running.port);
        first.socket.end('one');
        await readAll(first.socket);
        const queries = ledger.queries;
        const second = await connectAs(device, running.port);
        second.socket.end('two');
        await readAll(second.socket);
        expect(ledger.queries).toBe(queries);

        ledger.records.set(device.fingerprint, { id: 'cam-7', status: 'revoked' });
        expect(cache.handleEvent('CertificateRevoked', Buffer.from(JSON.stringify({ id: 'cam-7', fingerprint: device.fingerprint, status: 'revoked' })))).toEqual([device.fingerprint]);
        const third = await connectAs(device, running.port);
        third.socket.write('three');
        await expect(readAll(third.socket)).resolves.toBe('');
        await until(() => running.rejected.length > 0);
        expect(running.rejected).toHaveLength(1);
        expect((running.rejected[0] as PeerNotTrustedError).status?.status).toBe('revoked');
        expect(running.received).toEqual(['one', 'two']);
    });

    it('without the event, refuses a revoked certificate once the TTL has passed', async () => {
        const running = await serve();
        const first = await connectAs(device, running.port);
        first.socket.end('one');
        await readAll(first.socket);
        ledger.records.set(device.fingerprint, { id: 'cam-7', status: 'suspended' });
        now += 61_000;
        const second = await connectAs(device, running.port);
        second.socket.write('two');
        await expect(readAll(second.socket)).resolves.toBe('');
        expect(running.received).toEqual(['one']);
    });

    it('applies the authorize policy after the ledger check', async () => {
        const onlyApps = (peer: VerifiedPeer): boolean => peer.status.kind === 'app';
        const running = await serve({ cache, authorize: onlyApps });
        const { socket } = await connectAs(device, running.port);
        socket.write('x');
        await expect(readAll(socket)).resolves.toBe('');
        await until(() => running.rejected.length > 0);
        expect((running.rejected[0] as Error).message).toMatch(/cam-7 is not authorized by policy/);
    });

    it('fails closed when the ledger cannot be asked', async () => {
        const running = await serve();
        ledger.failing = true;
        await expect(connectAs(device, running.port)).rejects.toThrow(/peer unreachable/);
        expect(running.received).toEqual([]);
    });

    it('gives up after its time limit when nobody completes the handshake', async () => {
        // A plain TCP server that never speaks TLS.
        const silent = await new Promise<TcpServer>((resolve) => {
            const server = createTcpServer((s) => s.on('error', () => undefined).resume());
            server.listen(0, '127.0.0.1', () => resolve(server));
        });
        const port = (silent.address() as AddressInfo).port;
        await expect(connectChainVerified({ host: '127.0.0.1', port, key: device.privateKeyPem, cert: device.pem, cache, timeoutMillis: 200 })).rejects.toMatchObject({ code: 'TLS_TIMEOUT' });
        await new Promise((resolve) => {
            silent.close(resolve);
        });
    });
});
