import {
    CertificateStatusCache,
    connect,
    connectChainVerified,
    createChainVerifiedServer,
    DeviceIdentityClient,
    loadNetworkProfile,
    type NetworkProfile,
} from '@edgetrust/gateway-sdk';
import { networkFromEnv } from '@edgetrust/test-network-scripts';
import type { AddressInfo } from 'node:net';
import { connect as tlsConnect, createServer, type Server, type TLSSocket } from 'node:tls';
import { formatSummary, runConcurrently, summarize } from './stats';
import { sweep, type Workload } from './support/saturation';
import { type KeyAndCertificate, selfSigned, tinyCa } from './support/certificates';

/**
 * Device identity figures (issue 4), all in one run so that ratios compare like with like:
 * - certificate status checks per second through the SDK, straight to the ledger and through the
 *   status cache;
 * - mutual-TLS handshakes per second between a device and an edge application with self-signed
 *   certificates checked on chain (cold cache: every handshake asks the ledger; warm cache), versus
 *   plain TLS pinned to a CA. Same key type (P-256), TLS 1.3, loopback, in every variant.
 * Usage: node bench/dist/device.js, or npm run bench -- device (a network of its own).
 * Knobs: BENCH_STATUS_CHECKS (default 300), BENCH_HANDSHAKES (default 150), BENCH_CONCURRENCY (default 4).
 * The connection profile comes from EDGETRUST_CONNECTION_PROFILE, else from EDGETRUST_NETWORK_DIR.
 * `npm run bench -- device --sweep` (BENCH_SWEEP=1): status checks and handshakes at rising concurrency instead, until
 * they stop rising, with CPU per check by process group (needs the network's pid files: EDGETRUST_NETWORK_DIR).
 */

const STATUS_CHECKS = Number(process.env.BENCH_STATUS_CHECKS ?? 300);
const HANDSHAKES = Number(process.env.BENCH_HANDSHAKES ?? 150);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const CACHE_TTL_MILLIS = 30_000;

interface Rate {
    label: string;
    perSecond: number;
}

function profileFromEnv(): NetworkProfile {
    return loadNetworkProfile(process.env.EDGETRUST_CONNECTION_PROFILE ?? networkFromEnv().paths.connectionProfile);
}

/** Runs `count` operations with CONCURRENCY workers; prints and returns operations per second. */
async function measure(label: string, count: number, operation: (i: number) => Promise<void>): Promise<Rate> {
    const samples: number[] = [];
    const elapsed = await runConcurrently(count, CONCURRENCY, async (i) => {
        const started = performance.now();
        await operation(i);
        samples.push(performance.now() - started);
    });
    const perSecond = (count * 1000) / elapsed;
    console.log(`${formatSummary(label, summarize(samples))}  ${perSecond.toFixed(1).padStart(8)} /s`);
    return { label, perSecond };
}

function ratio(a: Rate, b: Rate): string {
    return `${a.label} / ${b.label}: ${(a.perSecond / b.perSecond).toFixed(2)}×`;
}

/** Listens on a loopback port; returns the port. */
async function listen(server: Server): Promise<number> {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
}

/** Waits for the server's one-byte go-ahead, which it sends only to a peer it verified, then hangs up. */
function awaitGoAhead(socket: TLSSocket): Promise<void> {
    return new Promise((resolve, reject) => {
        socket.once('data', () => {
            socket.destroy();
            resolve();
        });
        socket.once('error', reject);
        socket.once('close', () => reject(new Error('the server hung up without a go-ahead')));
    });
}

/** One plain mutual-TLS handshake pinned to the CA: OpenSSL verifies both chains, nothing else. */
function pinnedHandshake(port: number, client: KeyAndCertificate, caCert: string): Promise<void> {
    const socket = tlsConnect({ host: '127.0.0.1', port, key: client.key, cert: client.cert, ca: caCert, rejectUnauthorized: true, minVersion: 'TLSv1.3' });
    return awaitGoAhead(socket);
}

async function pinnedServer(ca: ReturnType<typeof tinyCa>): Promise<{ server: Server; port: number }> {
    const server = createServer({ key: ca.server.key, cert: ca.server.cert, ca: ca.caCert, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3' }, (socket) => {
        socket.on('error', () => undefined);
        socket.end('k');
    });
    return { server, port: await listen(server) };
}

async function chainServer(identity: KeyAndCertificate, cache: CertificateStatusCache): Promise<{ server: Server; port: number }> {
    const server = createChainVerifiedServer({ ...identity, cache }, (socket) => {
        socket.on('error', () => undefined);
        socket.end('k');
    });
    return { server, port: await listen(server) };
}

async function chainHandshake(port: number, identity: KeyAndCertificate, cache: CertificateStatusCache): Promise<void> {
    const { socket } = await connectChainVerified({ host: '127.0.0.1', port, ...identity, cache, timeoutMillis: 10_000 });
    await awaitGoAhead(socket);
}

async function main(): Promise<void> {
    const profile = profileFromEnv();
    const chaincode = profile.chaincodes['device-identity'] ?? 'device-identity';
    const open = async (organization: string, user: string): Promise<{ client: DeviceIdentityClient; close: () => void }> => {
        const connection = await connect({ profile, organization, user });
        return { client: new DeviceIdentityClient(connection.gateway.getNetwork(profile.channel).getContract(chaincode)), close: () => connection.close() };
    };
    const admin = await open('EdgeOrg', 'Admin');
    const edgeApp = await open('EdgeOrg', 'User1');
    const deviceSide = await open('CloudOrg', 'User1');
    try {
        // Setup: a manufacturer of EdgeOrg, one device and one edge application registered on chain.
        const run = `${String(process.pid)}-${String(Date.now())}`;
        if (!(await admin.client.readRegistry()).initialized) {
            await admin.client.initRegistry();
        }
        const device = selfSigned(`bench-device-${run}`);
        const app = selfSigned(`bench-app-${run}`);
        await admin.client.registerManufacturer({ id: `bench-mfr-${run}`, name: 'Benchmark Devices', mspId: 'EdgeOrgMSP' });
        const { result: deviceRecord } = await admin.client.registerDevice({ manufacturerId: `bench-mfr-${run}`, id: `bench-device-${run}`, certificatePem: device.cert }, device.key);
        await edgeApp.client.registerApplication({ id: `bench-app-${run}`, certificatePem: app.cert }, app.key);
        const ca = tinyCa();
        console.log(`device identity on channel ${profile.channel}; ${String(CONCURRENCY)} concurrent workers; P-256 keys and TLS 1.3 throughout; cache TTL ${String(CACHE_TTL_MILLIS)} ms`);

        const fingerprint = deviceRecord.fingerprint;
        if (process.env.BENCH_SWEEP === '1') {
            await sweepChecks({ edgeApp: edgeApp.client, deviceSide: deviceSide.client, fingerprint, device, app, ca });
            return;
        }
        // Status checks per second.
        let ledgerQueries = 0;
        const countingLookup = (fp: string): ReturnType<DeviceIdentityClient['checkCertificate']> => {
            ledgerQueries += 1;
            return edgeApp.client.checkCertificate(fp);
        };
        const statusCache = new CertificateStatusCache({ lookup: countingLookup, ttlMillis: CACHE_TTL_MILLIS });
        await edgeApp.client.checkCertificate(fingerprint); // warm the gRPC connection
        const direct = await measure('status check via SDK, no cache', STATUS_CHECKS, () => assertTrusted(edgeApp.client.checkCertificate(fingerprint)));
        const cached = await measure('status check via SDK, with cache', STATUS_CHECKS, () => assertTrusted(statusCache.status(fingerprint)));
        console.log(`  ${ratio(cached, direct)} (the cached run asked the ledger ${String(ledgerQueries)} time(s))`);

        // Mutual-TLS handshakes per second.
        const servers: Server[] = [];
        try {
            const pinned = await pinnedServer(ca);
            servers.push(pinned.server);
            const coldServerCache = new CertificateStatusCache({ lookup: edgeApp.client.statusLookup(), ttlMillis: 0 });
            const coldDeviceCache = new CertificateStatusCache({ lookup: deviceSide.client.statusLookup(), ttlMillis: 0 });
            const cold = await chainServer(app, coldServerCache);
            servers.push(cold.server);
            const warmServerCache = new CertificateStatusCache({ lookup: edgeApp.client.statusLookup(), ttlMillis: CACHE_TTL_MILLIS });
            const warmDeviceCache = new CertificateStatusCache({ lookup: deviceSide.client.statusLookup(), ttlMillis: CACHE_TTL_MILLIS });
            const warm = await chainServer(app, warmServerCache);
            servers.push(warm.server);

            await pinnedHandshake(pinned.port, ca.client, ca.caCert);
            const plain = await measure('mTLS handshake, plain TLS pinned to a CA', HANDSHAKES, () => pinnedHandshake(pinned.port, ca.client, ca.caCert));
            const chainCold = await measure('mTLS handshake, chain-verified, no cache', HANDSHAKES, () => chainHandshake(cold.port, device, coldDeviceCache));
            const chainWarm = await measure('mTLS handshake, chain-verified, cache', HANDSHAKES, () => chainHandshake(warm.port, device, warmDeviceCache));
            console.log(`  ${ratio(chainCold, plain)}`);
            console.log(`  ${ratio(chainWarm, plain)}`);
            console.log('  (no cache: both sides ask the ledger on every handshake; concurrent checks of one fingerprint share a query)');
        } finally {
            await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
        }
    } finally {
        admin.close();
        edgeApp.close();
        deviceSide.close();
    }
}

interface SweepParties {
    edgeApp: DeviceIdentityClient;
    deviceSide: DeviceIdentityClient;
    fingerprint: string;
    device: KeyAndCertificate;
    app: KeyAndCertificate;
    ca: ReturnType<typeof tinyCa>;
}

/** Uncached status checks, then the three kinds of handshake swept side by side. */
async function sweepChecks({ edgeApp, deviceSide, fingerprint, device, app, ca }: SweepParties): Promise<void> {
    const pids = networkFromEnv().paths.pids;
    const levels = [1, 2, 4, 8, 16, 32, 64, 128];
    // Uncached only: a cached check never leaves this process, so its "ceiling" is a loop's speed.
    const direct: Workload = { label: 'status check, no cache', run: () => assertTrusted(edgeApp.checkCertificate(fingerprint)) };
    await sweep('status checks via the SDK, no cache, saturation sweep', pids, [direct], [], { levels, minRuns: STATUS_CHECKS });
    const servers: Server[] = [];
    try {
        const pinned = await pinnedServer(ca);
        const cold = await chainServer(app, new CertificateStatusCache({ lookup: edgeApp.statusLookup(), ttlMillis: 0 }));
        const warm = await chainServer(app, new CertificateStatusCache({ lookup: edgeApp.statusLookup(), ttlMillis: CACHE_TTL_MILLIS }));
        servers.push(pinned.server, cold.server, warm.server);
        const coldDevice = new CertificateStatusCache({ lookup: deviceSide.statusLookup(), ttlMillis: 0 });
        const warmDevice = new CertificateStatusCache({ lookup: deviceSide.statusLookup(), ttlMillis: CACHE_TTL_MILLIS });
        const plain: Workload = { label: 'mTLS, pinned to a CA', run: () => pinnedHandshake(pinned.port, ca.client, ca.caCert) };
        const chainCold: Workload = { label: 'mTLS, chain-verified, no cache', run: () => chainHandshake(cold.port, device, coldDevice) };
        const chainWarm: Workload = { label: 'mTLS, chain-verified, cache', run: () => chainHandshake(warm.port, device, warmDevice) };
        await sweep('mutual-TLS handshakes, saturation sweep (client and servers are this process)', pids, [plain, chainCold, chainWarm], [
            { numerator: chainCold.label, denominator: plain.label },
            { numerator: chainWarm.label, denominator: plain.label },
        ], { levels, minRuns: HANDSHAKES });
    } finally {
        await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    }
}

async function assertTrusted(report: Promise<{ trusted: boolean }>): Promise<void> {
    if (!(await report).trusted) {
        throw new Error('the benchmark certificate is not trusted on chain');
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
