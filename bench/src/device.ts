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
 * Device identity figures (issue 4, issue 12), all in one run so that ratios compare like with like:
 * - certificate status checks per second through the SDK, straight to the ledger (one CheckCertificate query each,
 *   and concurrent checks coalesced into CheckCertificates queries: the SDK's default) and through the status cache;
 * - mutual-TLS handshakes per second between devices and an edge application with self-signed certificates checked
 *   on chain (no cache, with and without batching; cache), versus plain TLS pinned to a CA. Same key type (P-256),
 *   TLS 1.3, loopback, in every variant.
 * The checks cycle through a registered lot of BENCH_DEVICES devices (default 256), and each handshake is made by
 * the next device of the lot, so a batch carries as many distinct fingerprints as there are checks in flight.
 * Usage: node bench/dist/device.js, or npm run bench -- device (a network of its own).
 * Knobs: BENCH_STATUS_CHECKS (default 300), BENCH_HANDSHAKES (default 150), BENCH_CONCURRENCY (default 32),
 * BENCH_DEVICES (default 256), BENCH_STATUS_WINDOW_MS (the batched clients' window, default 0: one event-loop turn),
 * BENCH_DEVICE_PARTS (default `checks,handshakes`).
 * The connection profile comes from EDGETRUST_CONNECTION_PROFILE, else from EDGETRUST_NETWORK_DIR.
 * `npm run bench -- device --sweep` (BENCH_SWEEP=1): status checks and handshakes at rising concurrency instead, until
 * they stop rising, with CPU per check by process group (needs the network's pid files: EDGETRUST_NETWORK_DIR).
 */

const STATUS_CHECKS = Number(process.env.BENCH_STATUS_CHECKS ?? 300);
const HANDSHAKES = Number(process.env.BENCH_HANDSHAKES ?? 150);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 256);
const WINDOW_MILLIS = Number(process.env.BENCH_STATUS_WINDOW_MS ?? 0);
const PARTS = (process.env.BENCH_DEVICE_PARTS ?? 'checks,handshakes').split(',');
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

/** A status check client of one organisation: the SDK's default (batched) and one query per check. */
interface Checker {
    batched: DeviceIdentityClient;
    single: DeviceIdentityClient;
}

async function main(): Promise<void> {
    const profile = profileFromEnv();
    const chaincode = profile.chaincodes['device-identity'] ?? 'device-identity';
    const connections: { close: () => void }[] = [];
    const open = async (organization: string, user: string): Promise<Checker> => {
        const connection = await connect({ profile, organization, user });
        connections.push(connection);
        const contract = connection.gateway.getNetwork(profile.channel).getContract(chaincode);
        return {
            batched: new DeviceIdentityClient(contract, { statusBatching: { windowMillis: WINDOW_MILLIS } }),
            single: new DeviceIdentityClient(contract, { statusBatching: false }),
        };
    };
    try {
        const admin = (await open('EdgeOrg', 'Admin')).batched;
        const edgeApp = await open('EdgeOrg', 'User1');
        const deviceSide = await open('CloudOrg', 'User1');
        const parties = await register(admin, edgeApp.batched);
        console.log(
            `device identity on channel ${profile.channel}; ${String(DEVICES)} registered devices; P-256 keys and TLS 1.3 throughout; cache TTL ${String(CACHE_TTL_MILLIS)} ms; status batching: concurrent checks of ${WINDOW_MILLIS > 0 ? `a ${String(WINDOW_MILLIS)} ms window` : 'one turn'} in one CheckCertificates query`,
        );
        if (process.env.BENCH_SWEEP === '1') {
            await sweepChecks({ edgeApp, deviceSide, ...parties });
            return;
        }
        await measureFixed({ edgeApp, deviceSide, ...parties });
    } finally {
        connections.forEach((c) => {
            c.close();
        });
    }
}

/** A manufacturer of EdgeOrg with a lot of DEVICES devices, and one edge application, registered on chain. */
async function register(admin: DeviceIdentityClient, owner: DeviceIdentityClient): Promise<Pick<Parties, 'devices' | 'app' | 'ca'>> {
    const run = `${String(process.pid)}-${String(Date.now())}`;
    if (!(await admin.readRegistry()).initialized) {
        await admin.initRegistry();
    }
    const manufacturerId = `bench-mfr-${run}`;
    await admin.registerManufacturer({ id: manufacturerId, name: 'Benchmark Devices', mspId: 'EdgeOrgMSP' });
    const devices = Array.from({ length: DEVICES }, (_, i) => ({ id: `bench-device-${run}-${String(i)}`, ...selfSigned(`bench-device-${run}-${String(i)}`) }));
    const keys = Object.fromEntries(devices.map((d) => [d.id, d.key]));
    const { result } = await admin.registerDevices({ manufacturerId, devices: devices.map(({ id, cert }) => ({ id, certificatePem: cert })) }, keys);
    const app = selfSigned(`bench-app-${run}`);
    await owner.registerApplication({ id: `bench-app-${run}`, certificatePem: app.cert }, app.key);
    return { devices: devices.map((d, i) => ({ key: d.key, cert: d.cert, fingerprint: result.devices[i]?.fingerprint ?? '' })), app, ca: tinyCa() };
}

interface Parties {
    edgeApp: Checker;
    deviceSide: Checker;
    devices: (KeyAndCertificate & { fingerprint: string })[];
    app: KeyAndCertificate;
    ca: ReturnType<typeof tinyCa>;
}

/** The servers and workloads both modes measure; close the servers afterwards. */
interface Workloads {
    checks: { single: Workload; batched: Workload; cached: Workload };
    handshakes: { plain: Workload; chained: Workload[] };
    servers: Server[];
}

async function workloads({ edgeApp, deviceSide, devices, app, ca }: Parties): Promise<Workloads> {
    const device = (i: number): KeyAndCertificate & { fingerprint: string } => {
        const chosen = devices[i % devices.length];
        if (chosen === undefined) {
            throw new Error('no registered devices');
        }
        return chosen;
    };
    const single: Workload = { label: 'status check, no cache, one query each', run: (i) => assertTrusted(edgeApp.single.checkCertificate(device(i).fingerprint)) };
    const batched: Workload = { label: 'status check, no cache, batched', run: (i) => assertTrusted(edgeApp.batched.checkCertificate(device(i).fingerprint)) };
    const statusCache = new CertificateStatusCache({ lookup: edgeApp.batched.statusLookup(), ttlMillis: CACHE_TTL_MILLIS });
    const cached: Workload = { label: 'status check, cache', run: (i) => assertTrusted(statusCache.status(device(i).fingerprint)) };
    // No cache: both sides ask the ledger on every handshake (a TTL of 0; concurrent checks of one fingerprint share a query).
    const cold = (client: DeviceIdentityClient): CertificateStatusCache => new CertificateStatusCache({ lookup: client.statusLookup(), ttlMillis: 0 });
    const pinned = await pinnedServer(ca);
    const coldSingle = await chainServer(app, cold(edgeApp.single));
    const coldBatched = await chainServer(app, cold(edgeApp.batched));
    const warm = await chainServer(app, new CertificateStatusCache({ lookup: edgeApp.batched.statusLookup(), ttlMillis: CACHE_TTL_MILLIS }));
    const [deviceSingle, deviceBatched] = [cold(deviceSide.single), cold(deviceSide.batched)];
    const deviceWarm = new CertificateStatusCache({ lookup: deviceSide.batched.statusLookup(), ttlMillis: CACHE_TTL_MILLIS });
    const plain: Workload = { label: 'mTLS, pinned to a CA', run: () => pinnedHandshake(pinned.port, ca.client, ca.caCert) };
    const chained: Workload[] = [
        { label: 'mTLS, chain-verified, one query each', run: (i) => chainHandshake(coldSingle.port, device(i), deviceSingle) },
        { label: 'mTLS, chain-verified, batched', run: (i) => chainHandshake(coldBatched.port, device(i), deviceBatched) },
        { label: 'mTLS, chain-verified, cache', run: (i) => chainHandshake(warm.port, device(i), deviceWarm) },
    ];
    return { checks: { single, batched, cached }, handshakes: { plain, chained }, servers: [pinned.server, coldSingle.server, coldBatched.server, warm.server] };
}

async function closeAll(servers: Server[]): Promise<void> {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
}

/** Every workload once at BENCH_CONCURRENCY. */
async function measureFixed(parties: Parties): Promise<void> {
    const { checks, handshakes, servers } = await workloads(parties);
    try {
        console.log(`${String(CONCURRENCY)} concurrent workers`);
        await checks.single.run(0); // warm the gRPC connection
        const single = await measure(checks.single.label, STATUS_CHECKS, checks.single.run);
        const batched = await measure(checks.batched.label, STATUS_CHECKS, checks.batched.run);
        const warm = await measure(checks.cached.label, STATUS_CHECKS, checks.cached.run);
        console.log(`  ${ratio(batched, single)}`);
        console.log(`  ${ratio(warm, single)}`);
        await handshakes.plain.run(0);
        const plain = await measure(handshakes.plain.label, HANDSHAKES, handshakes.plain.run);
        for (const handshake of handshakes.chained) {
            console.log(`  ${ratio(await measure(handshake.label, HANDSHAKES, handshake.run), plain)}`);
        }
    } finally {
        await closeAll(servers);
    }
}

/** Uncached status checks, one query each and batched, then the four kinds of handshake, swept side by side. */
async function sweepChecks(parties: Parties): Promise<void> {
    const pids = networkFromEnv().paths.pids;
    const levels = [1, 2, 4, 8, 16, 32, 64, 128];
    const { checks, handshakes, servers } = await workloads(parties);
    try {
        // Uncached only: a cached check never leaves this process, so its "ceiling" is a loop's speed.
        const { single, batched } = checks;
        if (PARTS.includes('checks')) {
            await sweep('status checks via the SDK, no cache, saturation sweep', pids, [single, batched], [{ numerator: batched.label, denominator: single.label }], { levels, minRuns: STATUS_CHECKS });
        }
        const { plain, chained } = handshakes;
        if (PARTS.includes('handshakes')) {
            await sweep(
                'mutual-TLS handshakes, saturation sweep (client and servers are this process)',
                pids,
                [plain, ...chained],
                chained.map((w) => ({ numerator: w.label, denominator: plain.label })),
                { levels, minRuns: HANDSHAKES },
            );
        }
    } finally {
        await closeAll(servers);
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
