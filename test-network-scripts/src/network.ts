import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateArtifacts } from './artifacts';
import { waitForDiscovery } from './discovery';
import { ensureFabric, type FabricInstallation } from './binaries';
import { deployChaincode, fabricCli, joinChannel, packageChaincode, packageId, retry } from './lifecycle';
import { delayRelayProcess, makeHosts, removeHosts } from './hosts';
import { chaincodeProcess, ordererProcess, peerAdminEnv, peerProcess } from './nodes';
import {
    connectionRefusal,
    isRunning,
    logFile,
    type ProcessSpec,
    requireFreePorts,
    residentMemoryMiB,
    type ServicePort,
    startProcess,
    stopProcess,
    tail,
    waitForHealthy,
    waitForListening,
    waitForPorts,
} from './processes';
import { writeAdminEnvFiles, writeCommonConnectionProfiles, writeConnectionProfile } from './profile';
import { seedChaincode } from './seed';
import { allPeers, type DeployedChaincode, type Network, type PeerNode, REPO_ROOT } from './topology';

export type Log = (line: string) => void;

export interface UpOptions {
    /** Also deploy the benchmark baseline chaincode. */
    withBenchmark?: boolean;
}

function nodeSpecs(network: Network, fabric: FabricInstallation): { spec: ProcessSpec; operationsPort: number; address: string }[] {
    return [
        ...network.orderers.map((o) => ({ spec: ordererProcess(network, fabric, o), operationsPort: o.operationsPort, address: o.address })),
        ...allPeers(network).map((p) => ({ spec: peerProcess(network, fabric, p), operationsPort: p.operationsPort, address: p.address })),
    ];
}

/**
 * In netns mode: the hosts' namespaces, their links and bridge, and with link delays each host's delay relay
 * (hosts.ts). Nothing in loopback mode.
 */
export function startHosts(network: Network, log: Log): void {
    for (const made of makeHosts(network)) {
        log(`host ${made}`);
    }
    if (!network.delayed) {
        return;
    }
    for (const host of network.hosts) {
        const spec = delayRelayProcess(network, host);
        if (!isRunning(network.paths.pids, spec.name)) {
            startProcess(spec, network.paths.pids, network.paths.logs);
        }
    }
    const delays = Object.entries(network.linkDelays).map(([k, v]) => `${k} ${String(v)} ms`).join(', ');
    log(`link delays (one way, by tier; the applications' side is at the edge): ${delays}; hosts: ${network.hosts.map((h) => `${h.name} ${h.tier}`).join(', ')}`);
}

/** The ports of the nodes that `up` and `deploy` talk to (the peer CLI, osnadmin, the gateway), beyond /healthz. */
export function nodeServicePorts(network: Network): ServicePort[] {
    return [
        ...network.orderers.flatMap((o) => [
            { service: `${o.host} listen`, port: o.port, node: o.host, host: o.address },
            { service: `${o.host} admin`, port: o.adminPort, node: o.host, host: o.address },
        ]),
        ...allPeers(network).map((p) => ({ service: `${p.host} listen`, port: p.port, node: p.host, host: p.address })),
    ];
}

/** Waits for every orderer and peer port that the scripts use; a restarted node answers /healthz before them. */
/** Where to look whether a node started by something else (a host's bundle) still runs, and for its log. */
export interface NodesStartedElsewhere {
    stillRunning: (node: string) => boolean;
    diagnostics: (node: string) => string;
}

export async function waitForNodePorts(network: Network, log?: Log, started?: NodesStartedElsewhere): Promise<void> {
    const services = nodeServicePorts(network);
    await waitForPorts(services, {
        stillRunning: started?.stillRunning ?? ((node: string): boolean => isRunning(network.paths.pids, node)),
        diagnostics: started?.diagnostics ?? ((node: string): string => tail(logFile(network.paths.logs, node))),
        onWait: (notYet) => log?.(`waiting for ${notYet} to accept connections`),
    });
    log?.(`accepting connections: orderer listen and admin ports, peer listen ports (${services.map((s) => s.port).join(', ')})`);
}

/**
 * Restarts every host's delay relay with the delays of `network`'s deployment mode (its hosts' tiers), so one running
 * network is measured under each mode in turn; connections through the old relays are cut. Returns once each relay
 * listens again. Link delays only (netns mode, EDGETRUST_LINK_DELAYS=1).
 */
export async function applyLinkDelays(network: Network, log: Log): Promise<void> {
    if (!network.delayed) {
        throw new Error('link delays need EDGETRUST_HOSTS=netns and EDGETRUST_LINK_DELAYS=1 when the network is started');
    }
    await Promise.all(network.hosts.map((host) => stopProcess(network.paths.pids, `relay-${host.name}`, 2000)));
    startHosts(network, () => undefined);
    await waitForNodePorts(network);
    log(`link delays of ${network.mode}: ${network.hosts.map((h) => `${h.name} ${h.tier}`).join(', ')} (applications at the edge)`);
}

/** Starts whatever of the network is not running, creates and joins the channel, deploys, writes the connection files. */
export async function up(network: Network, log: Log, options: UpOptions = {}): Promise<void> {
    const asked = network.options.consensus;
    if (asked !== undefined && asked !== network.consensus) {
        throw new Error(`the network in ${network.dir} orders with ${network.consensus}, not ${asked}: clean it (network clean) to change the consensus`);
    }
    const fabric = await ensureFabric(log);
    const nodes = nodeSpecs(network, fabric);
    const running = nodes.filter(({ spec }) => isRunning(network.paths.pids, spec.name));
    if (running.length === nodes.length && existsSync(network.paths.connectionProfile)) {
        log(`The network in ${network.dir} is already running (${String(nodes.length)} nodes); nothing to start.`);
        await deploy(network, log, options, fabric);
        return;
    }
    const toStart = nodes.filter((n) => !running.includes(n));
    const portsOf = (name: string): number[] => {
        const orderer = network.orderers.find((o) => o.host === name);
        if (orderer) {
            return [orderer.port, orderer.adminPort, orderer.operationsPort];
        }
        const peer = allPeers(network).find((p) => p.host === name);
        return peer ? [peer.port, peer.chaincodePort, peer.operationsPort] : [];
    };
    // On hosts of their own, the ports are in namespaces made for this network (named after its port base).
    if (network.hostsMode === 'loopback') {
        await requireFreePorts(toStart.flatMap(({ spec }) => portsOf(spec.name).map((port) => ({ name: spec.name, port }))));
    }
    generateArtifacts(network, fabric, log);
    startHosts(network, log);
    for (const { spec } of toStart) {
        startProcess(spec, network.paths.pids, network.paths.logs);
        log(`started ${spec.name}`);
    }
    await Promise.all(nodes.map(({ spec, operationsPort, address }) => waitForHealthy(spec.name, operationsPort, network.paths.logs, 60_000, address)));
    log(`all ${String(nodes.length)} nodes healthy (orderers: ${network.orderers.map((o) => o.port).join(', ')}; peers: ${allPeers(network).map((p) => p.port).join(', ')})`);
    await waitForNodePorts(network, log);
    await joinChannel(network, fabric, log);
    await deploy(network, log, options, fabric);
}

/** The chaincodes this checkout can deploy: those whose package has been built. */
export function deployableChaincodes(network: Network, withBenchmark = false): { ready: DeployedChaincode[]; missing: string[] } {
    const all = [...network.chaincodes, ...(withBenchmark ? network.benchmarkChaincodes : [])];
    const built = (c: DeployedChaincode): boolean => {
        const dist = join(REPO_ROOT, c.path, 'dist', c.path.split('/').pop() ?? '', 'src', 'index.js');
        return existsSync(dist);
    };
    return { ready: all.filter(built), missing: all.filter((c) => !built(c)).map((c) => c.name) };
}

/** Starts the chaincode servers and commits every built chaincode's definition; safe to run again. */
export async function deploy(network: Network, log: Log, options: UpOptions = {}, installed?: FabricInstallation): Promise<void> {
    const fabric = installed ?? (await ensureFabric(log));
    const { ready, missing } = deployableChaincodes(network, options.withBenchmark);
    if (missing.length > 0) {
        log(`not deployed (package not built: run npm run build): ${missing.join(', ')}`);
    }
    await waitForNodePorts(network);
    const failures: string[] = [];
    for (const chaincode of ready) {
        try {
            await deployOne(network, fabric, chaincode, log);
        } catch (err) {
            failures.push(`${chaincode.name}: ${err instanceof Error ? err.message : String(err)}`);
        }
    }
    writeConnectionProfile(network);
    const deployed = ready.filter((c) => !failures.some((f) => f.startsWith(`${c.name}:`)));
    await waitForDiscovery(network, deployed, log).catch((err: unknown) => failures.push(err instanceof Error ? err.message : String(err)));
    for (const chaincode of deployed) {
        try {
            await seedChaincode(network, chaincode, log);
        } catch (err) {
            failures.push(`${chaincode.name}: seeding failed: ${err instanceof Error ? err.message : String(err)}`);
        }
    }
    const envFiles = writeAdminEnvFiles(network, fabric);
    const commonProfiles = writeCommonConnectionProfiles(network, deployedChaincodes(network, ready, failures));
    log(`connection profile: ${network.paths.connectionProfile}`);
    log(`Fabric common connection profiles: ${commonProfiles.join(', ')}`);
    log(`peer CLI env files: ${envFiles.join(', ')}`);
    if (failures.length > 0) {
        throw new Error(`deploy failed for ${String(failures.length)} chaincode(s):\n${failures.join('\n')}`);
    }
}

/**
 * What runs on the channel after a deploy: the chaincodes deployed now without failure, and a benchmark chaincode
 * deployed by an earlier `--with-benchmark` whose server still runs (a plain `up` leaves it deployed).
 */
function deployedChaincodes(network: Network, ready: readonly DeployedChaincode[], failures: readonly string[]): DeployedChaincode[] {
    const failed = (c: DeployedChaincode): boolean => failures.some((f) => f.startsWith(`${c.name}:`));
    const earlier = (c: DeployedChaincode): boolean => c.servers.every((s) => isRunning(network.paths.pids, s.name));
    return [...network.chaincodes, ...network.benchmarkChaincodes].filter((c) => (ready.includes(c) && !failed(c)) || (!ready.includes(c) && network.benchmarkChaincodes.includes(c) && earlier(c)));
}

async function deployOne(network: Network, fabric: FabricInstallation, chaincode: DeployedChaincode, log: Log): Promise<void> {
    for (const server of chaincode.servers) {
        const file = await packageChaincode(network, chaincode, server);
        const spec = chaincodeProcess(network, chaincode, server, packageId(file, chaincode.name));
        // On hosts of their own, a server that already answers is its host's (started from the host's bundle); with
        // link delays the host's relay answers on that address whatever runs behind it, so that tells nothing.
        const servedByHost = network.hostsMode !== 'loopback' && !network.delayed && (await connectionRefusal(server.port, 2000, server.address)) === undefined;
        if (!isRunning(network.paths.pids, spec.name) && !servedByHost) {
            if (network.hostsMode === 'loopback') {
                await requireFreePorts([{ name: spec.name, port: server.port }]);
            }
            startProcess(spec, network.paths.pids, network.paths.logs);
        }
        // Also when it was already running: a server restarted by someone else may not listen yet.
        await waitForListening(spec.name, server.port, network.paths.pids, network.paths.logs, 30_000, server.address);
    }
    // The first transaction after the orderers start may find no Raft leader yet.
    for (const channel of chaincode.channels) {
        await retry(() => deployChaincode(network, fabric, chaincode, log, channel), 5, 2000, (err, attempt) => {
            const first = (err instanceof Error ? err.message : String(err)).split('\n').find((line) => /Error:/.test(line)) ?? String(err);
            log(`deploying ${chaincode.name} on ${channel}: attempt ${String(attempt)} failed (${first.trim()}); trying again`);
        });
    }
}

/** Restarts the chaincode servers, e.g. after a rebuild (a CCaaS package id does not change with the code). */
export async function restartChaincodes(network: Network, log: Log, only: readonly string[] = []): Promise<void> {
    for (const chaincode of [...network.chaincodes, ...network.benchmarkChaincodes]) {
        if (only.length > 0 && !only.includes(chaincode.name)) {
            continue;
        }
        for (const server of chaincode.servers) {
            if (await stopProcess(network.paths.pids, server.name)) {
                startProcess(chaincodeProcess(network, chaincode, server, packageId(server.packageFile, chaincode.name)), network.paths.pids, network.paths.logs);
                await waitForListening(server.name, server.port, network.paths.pids, network.paths.logs, 30_000, server.address);
                log(`restarted ${server.name}`);
            }
        }
    }
}

/**
 * Replaces one organisation's chaincode server by another module at the same address and package id, so that
 * organisation's peers run it from their next transaction on (the other organisations' peers are untouched);
 * without `modulePath`, puts the chaincode's own module back. Needs `chaincodeServers: per-organization`.
 * For attack and chaos tests.
 */
export async function swapChaincodeServer(
    network: Network,
    chaincodeName: string,
    orgName: string,
    modulePath?: string,
    env: Record<string, string> = {},
): Promise<void> {
    const chaincode = [...network.chaincodes, ...network.benchmarkChaincodes].find((c) => c.name === chaincodeName);
    const server = chaincode?.servers.find((s) => s.organizations.length === 1 && s.organizations[0] === orgName);
    if (!chaincode || !server) {
        throw new Error(`${chaincodeName} has no chaincode server of its own for ${orgName}: set chaincodeServers to per-organization`);
    }
    await stopProcess(network.paths.pids, server.name);
    startProcess(chaincodeProcess(network, chaincode, server, packageId(server.packageFile, chaincode.name), modulePath, env), network.paths.pids, network.paths.logs);
    await waitForListening(server.name, server.port, network.paths.pids, network.paths.logs, 30_000, server.address);
}

export interface NodeStatus {
    name: string;
    running: boolean;
    detail: string;
    /** Resident memory in MiB while running. */
    rssMiB?: number;
}

/** What runs, where, and whether it is healthy. */
export async function status(network: Network): Promise<NodeStatus[]> {
    const health = async (port: number, address: string): Promise<string> => {
        try {
            const body = (await (await fetch(`http://${address}:${String(port)}/healthz`)).json()) as { status?: string };
            return body.status ?? 'unknown';
        } catch {
            return 'unreachable';
        }
    };
    const rows: NodeStatus[] = [];
    for (const o of network.orderers) {
        const running = isRunning(network.paths.pids, o.host);
        rows.push({ name: o.host, running, detail: `orderer ${o.address}:${String(o.port)} admin ${String(o.adminPort)} health ${running ? await health(o.operationsPort, o.address) : '-'}` });
    }
    for (const p of allPeers(network)) {
        const running = isRunning(network.paths.pids, p.host);
        rows.push({ name: p.host, running, detail: `peer ${p.tier}/${p.site} ${p.address}:${String(p.port)} health ${running ? await health(p.operationsPort, p.address) : '-'}` });
    }
    for (const c of [...network.chaincodes, ...network.benchmarkChaincodes]) {
        for (const server of c.servers) {
            if (existsSync(join(network.paths.pids, `${server.name}.json`)) || network.chaincodes.includes(c)) {
                const serves = c.servers.length > 1 ? ` (${server.organizations.join(', ')})` : '';
                rows.push({ name: server.name, running: isRunning(network.paths.pids, server.name), detail: `chaincode server ${server.address}:${String(server.port)}${serves}` });
            }
        }
    }
    if (existsSync(join(network.paths.pids, `${SERVICE_PROCESS}.json`))) {
        rows.push({ name: SERVICE_PROCESS, running: isRunning(network.paths.pids, SERVICE_PROCESS), detail: 'EdgeTrust service (npm start)' });
    }
    return rows.map((row) => ({ ...row, rssMiB: residentMemoryMiB(network.paths.pids, row.name) }));
}

/** The EdgeTrust service (REST API, event streams) `npm start` runs beside the network, as one of its processes. */
export const SERVICE_PROCESS = 'service';

/**
 * Starts the service under the network's pid records (log: `logs/service.log`), so that `down` stops it, and only
 * it: the record names the service's command line, which a reused pid would not have.
 */
export function startService(network: Network, spec: Omit<ProcessSpec, 'name'>): number {
    return startProcess({ ...spec, name: SERVICE_PROCESS }, network.paths.pids, network.paths.logs);
}

/**
 * Stops every process this network's scripts started (and only those): the service first (a client of the
 * nodes), then chaincode servers, peers, orderers; removes its hosts' namespaces.
 */
export async function down(network: Network, log: Log): Promise<void> {
    if (!existsSync(network.paths.pids)) {
        log(`nothing to stop in ${network.dir}`);
        removeHosts(network);
        return;
    }
    const names = readdirSync(network.paths.pids).map((f) => f.replace(/\.json$/, ''));
    const order = (name: string): number => (name === SERVICE_PROCESS ? 0 : name.startsWith('chaincode-') ? 1 : name.startsWith('peer') ? 2 : 3);
    for (const group of [0, 1, 2, 3]) {
        await Promise.all(
            names
                .filter((n) => order(n) === group)
                .map(async (name) => {
                    if (await stopProcess(network.paths.pids, name)) {
                        log(`stopped ${name}`);
                    }
                }),
        );
    }
    if (network.hostsMode === 'netns') {
        removeHosts(network);
        log(`removed the hosts' network namespaces (${network.hosts.map((h) => h.namespace ?? '').join(', ')})`);
    }
}

/** Stops the network and deletes its crypto material, ledgers and logs. */
export async function clean(network: Network, log: Log): Promise<void> {
    await down(network, log);
    rmSync(network.dir, { recursive: true, force: true });
    log(`removed ${network.dir}`);
}

/** A peer's view of the channel's chain: its height and the hash of its last block (`peer channel getinfo`). */
export interface ChainInfo {
    peer: string;
    height: number;
    currentBlockHash: string;
}

/**
 * Each peer's chain info. Peers at one height with one current block hash hold the same chain: every block header
 * carries the previous block's hash.
 */
export async function chainInfo(network: Network, peers: readonly PeerNode[] = allPeers(network)): Promise<ChainInfo[]> {
    const fabric = await ensureFabric(() => undefined);
    return Promise.all(
        peers.map(async (peer) => {
            const org = network.organizations.find((o) => o.name === peer.org);
            if (!org) {
                throw new Error(`no organisation ${peer.org} for ${peer.host}`);
            }
            const out = await fabricCli(fabric, 'peer', ['channel', 'getinfo', '-c', network.channel.name], peerAdminEnv(fabric, org, peer));
            const info = JSON.parse(/Blockchain info: (\{.*\})/.exec(out)?.[1] ?? '{}') as { height?: number; currentBlockHash?: string };
            return { peer: peer.host, height: info.height ?? -1, currentBlockHash: info.currentBlockHash ?? '' };
        }),
    );
}

/**
 * Stops one peer and starts it again, inside the Linux network namespace `namespace` (made by the caller, with
 * `ip netns exec`) or, without one, as `up` starts it. For the partition scenario: a running process cannot be
 * moved into another namespace, so the peer is restarted in it. Returns once the process runs; the caller waits
 * for it to be reachable (from outside the namespace only through whatever links the caller made). `whileStopped`
 * runs between the stop and the start, e.g. to take over the peer's ports.
 */
export async function restartPeer(network: Network, host: string, namespace?: string, whileStopped?: () => Promise<void>): Promise<void> {
    const peer = allPeers(network).find((p) => p.host === host);
    if (!peer) {
        throw new Error(`no peer ${host} in the network`);
    }
    const spec = peerProcess(network, await ensureFabric(() => undefined), peer);
    await stopProcess(network.paths.pids, spec.name);
    await whileStopped?.();
    startProcess(spec, network.paths.pids, network.paths.logs, namespace === undefined ? [] : ['ip', 'netns', 'exec', namespace]);
}

/**
 * Starts, inside the Linux network namespace `namespace`, a copy of every chaincode server that `orgName`'s peers use,
 * at the same 127.0.0.1 address and package id: a site's own chaincode servers, so that a peer restarted in that
 * namespace (restartPeer) endorses without reaching the servers outside. Chaincode servers hold no state (the peer
 * does), so a second copy of one serves the same package. Returns the copies' process names (`<server>@<namespace>`),
 * which `down` stops with the rest. Not waited for: their port is only reachable inside the namespace.
 */
export function startChaincodeServersIn(network: Network, orgName: string, namespace: string): string[] {
    const names: string[] = [];
    for (const chaincode of network.chaincodes) {
        const server = chaincode.servers.find((s) => s.organizations.includes(orgName));
        if (!server) {
            continue;
        }
        const spec = { ...chaincodeProcess(network, chaincode, server, packageId(server.packageFile, chaincode.name)), name: `${server.name}@${namespace}` };
        startProcess(spec, network.paths.pids, network.paths.logs, ['ip', 'netns', 'exec', namespace]);
        names.push(spec.name);
    }
    return names;
}

/** Stops processes this network's scripts started, by name (e.g. what startChaincodeServersIn returned). */
export async function stopNodes(network: Network, names: readonly string[]): Promise<void> {
    await Promise.all(names.map((name) => stopProcess(network.paths.pids, name)));
}
