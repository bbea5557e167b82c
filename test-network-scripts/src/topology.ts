import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root: this package lives in `<root>/test-network-scripts`. */
export const REPO_ROOT = resolve(__dirname, '..', '..');

export type Tier = 'edge' | 'cloud';

interface TopologyFile {
    name: string;
    domain: string;
    portBase: number;
    channel: ChannelSettings;
    ordererOrg: { name: string; mspId: string; role: string; orderers: string[] };
    organizations: { name: string; mspId: string; role: string; peers: { name: string; tier: Tier; site: string }[] }[];
    deploymentModes: Record<string, Record<string, { tier: Tier; site: string }>>;
    chaincodes: ChaincodeSpec[];
    benchmarkChaincodes: ChaincodeSpec[];
}

export interface ChannelSettings {
    name: string;
    batchTimeout: string;
    maxMessageCount: number;
    absoluteMaxBytes: string;
    preferredMaxBytes: string;
    /**
     * Raft tick of the channel's orderers (default 200ms); a follower starts an election after `raftElectionTick`
     * ticks (default 10) without hearing from its leader, heartbeats go out every tick.
     */
    raftTickInterval?: string;
    raftElectionTick?: number;
}

export interface ChaincodeSpec {
    name: string;
    /** Package folder, relative to the repository root. */
    path: string;
    endorsementPolicy: string;
    /**
     * `shared` (default): one chaincode server that every organisation's peers use. `per-organization`: each
     * organisation runs its own server (its own CCaaS package, same definition), so one organisation's chaincode
     * can be swapped, stopped or tampered with alone (the tampered-peer attack test, chaos tests).
     */
    chaincodeServers?: ChaincodeServerMode;
    /** Starting governance the deploy seeds (resource-billing). */
    governance?: { governor: string; roles: Record<string, string[]> };
}

export interface OrdererNode {
    name: string;
    host: string;
    port: number;
    adminPort: number;
    operationsPort: number;
    /** cryptogen's folder for this node. */
    cryptoDir: string;
    dataDir: string;
}

export interface PeerNode {
    org: string;
    mspId: string;
    name: string;
    host: string;
    tier: Tier;
    site: string;
    port: number;
    chaincodePort: number;
    operationsPort: number;
    cryptoDir: string;
    dataDir: string;
}

export interface Organization {
    name: string;
    mspId: string;
    role: string;
    domain: string;
    peers: PeerNode[];
    /** cryptogen's folder for the organisation. */
    cryptoDir: string;
}

export type ChaincodeServerMode = 'shared' | 'per-organization';
export const CHAINCODE_SERVER_MODES: readonly ChaincodeServerMode[] = ['shared', 'per-organization'];

/** One chaincode-as-a-service process and the organisations whose peers connect to it. */
export interface ChaincodeServer {
    /** Process name (pid and log file): `chaincode-<name>`, or `chaincode-<name>-<Org>` per organisation. */
    name: string;
    /** Names of the organisations whose peers use this server. */
    organizations: string[];
    port: number;
    /** The CCaaS package (in paths.chaincodePackages) whose connection.json points at this server. */
    packageFile: string;
}

export interface DeployedChaincode extends ChaincodeSpec {
    /** Port of the (first) chaincode-as-a-service server. */
    port: number;
    servers: ChaincodeServer[];
    collectionsConfig?: string;
}

/** Everything about one network instance: where its files go and which ports its processes use. */
export interface Network {
    name: string;
    dir: string;
    portBase: number;
    mode: string;
    channel: ChannelSettings;
    ordererOrg: { name: string; mspId: string; domain: string; cryptoDir: string };
    orderers: OrdererNode[];
    organizations: Organization[];
    chaincodes: DeployedChaincode[];
    benchmarkChaincodes: DeployedChaincode[];
    paths: {
        crypto: string;
        config: string;
        logs: string;
        pids: string;
        chaincodePackages: string;
        channelBlock: string;
        connectionProfile: string;
        /** Fabric common connection profiles, one per organisation (`<org>.json`), for Caliper, FireFly and other Fabric tools. */
        commonConnectionProfiles: string;
        env: string;
    };
}

// Port layout relative to portBase: orderers at +50, +60, +70 (listen, admin, operations);
// peers at +100, +110, ... (listen, chaincode, operations); chaincode servers from +200, per-organisation servers
// of organisation k at +200 + 10k (the first organisation keeps the shared server's port).
const ORDERER_OFFSET = 50;
const PEER_OFFSET = 100;
const CHAINCODE_OFFSET = 200;

export interface NetworkOptions {
    /** Folder for crypto, ledgers, logs and generated files (default `.edgetrust/network`). */
    dir?: string;
    portBase?: number;
    /** Deployment mode: hybrid (default), on-mec or off-mec. */
    mode?: string;
    topologyFile?: string;
    /** Overrides the channel's batch timeout (e.g. to measure its effect on latency); only for a new channel. */
    batchTimeout?: string;
    /** Overrides every chaincode's `chaincodeServers` setting. */
    chaincodeServers?: ChaincodeServerMode;
}

/** Reads network/topology.json and works out every node's ports and folders. */
export function loadNetwork(options: NetworkOptions = {}): Network {
    const file = options.topologyFile ?? join(REPO_ROOT, 'network', 'topology.json');
    const topology = JSON.parse(readFileSync(file, 'utf8')) as TopologyFile;
    const dir = resolve(options.dir ?? join(REPO_ROOT, '.edgetrust', 'network'));
    const portBase = options.portBase ?? topology.portBase;
    const mode = options.mode ?? 'hybrid';
    const overrides = topology.deploymentModes[mode];
    if (!overrides) {
        throw new Error(`unknown deployment mode ${mode}: use one of ${Object.keys(topology.deploymentModes).filter((m) => !m.startsWith('$')).join(', ')}`);
    }
    const crypto = join(dir, 'crypto');
    const ordererDomain = `orderer.${topology.domain}`;
    const ordererOrgDir = join(crypto, 'ordererOrganizations', ordererDomain);
    const orderers = topology.ordererOrg.orderers.map((name, i): OrdererNode => {
        const host = `${name}.${ordererDomain}`;
        const port = portBase + ORDERER_OFFSET + i * 10;
        return { name, host, port, adminPort: port + 1, operationsPort: port + 2, cryptoDir: join(ordererOrgDir, 'orderers', host), dataDir: join(dir, 'data', host) };
    });
    let peerIndex = 0;
    const organizations = topology.organizations.map((org): Organization => {
        const domain = `${org.name.replace(/Org$/, '').toLowerCase()}.${topology.domain}`;
        const orgDir = join(crypto, 'peerOrganizations', domain);
        const peers = org.peers.map((peer): PeerNode => {
            const host = `${peer.name}.${domain}`;
            const port = portBase + PEER_OFFSET + peerIndex++ * 10;
            const label = overrides[`${org.name}/${peer.name}`] ?? { tier: peer.tier, site: peer.site };
            return {
                org: org.name,
                mspId: org.mspId,
                name: peer.name,
                host,
                ...label,
                port,
                chaincodePort: port + 1,
                operationsPort: port + 2,
                cryptoDir: join(orgDir, 'peers', host),
                dataDir: join(dir, 'data', host),
            };
        });
        return { name: org.name, mspId: org.mspId, role: org.role, domain, peers, cryptoDir: orgDir };
    });
    const chaincodePackages = join(dir, 'chaincode-packages');
    if (options.chaincodeServers !== undefined && !CHAINCODE_SERVER_MODES.includes(options.chaincodeServers)) {
        throw new Error(`unknown chaincode server mode ${options.chaincodeServers}: use ${CHAINCODE_SERVER_MODES.join(' or ')}`);
    }
    let chaincodeIndex = 0;
    const deployed = (spec: ChaincodeSpec): DeployedChaincode => {
        const port = portBase + CHAINCODE_OFFSET + chaincodeIndex++;
        const mode = options.chaincodeServers ?? spec.chaincodeServers ?? 'shared';
        const servers: ChaincodeServer[] =
            mode === 'shared'
                ? [{ name: `chaincode-${spec.name}`, organizations: organizations.map((o) => o.name), port, packageFile: join(chaincodePackages, `${spec.name}.tgz`) }]
                : organizations.map((org, k) => ({
                      name: `chaincode-${spec.name}-${org.name}`,
                      organizations: [org.name],
                      port: port + 10 * k,
                      packageFile: join(chaincodePackages, `${spec.name}-${org.name}.tgz`),
                  }));
        return { ...spec, chaincodeServers: mode, port, servers };
    };
    return {
        name: topology.name,
        dir,
        portBase,
        mode,
        channel: { ...topology.channel, batchTimeout: options.batchTimeout ?? topology.channel.batchTimeout },
        ordererOrg: { name: topology.ordererOrg.name, mspId: topology.ordererOrg.mspId, domain: ordererDomain, cryptoDir: ordererOrgDir },
        orderers,
        organizations,
        chaincodes: topology.chaincodes.map(deployed),
        benchmarkChaincodes: topology.benchmarkChaincodes.map(deployed),
        paths: {
            crypto,
            config: join(dir, 'config'),
            logs: join(dir, 'logs'),
            pids: join(dir, 'pids'),
            chaincodePackages,
            channelBlock: join(dir, 'config', `${topology.channel.name}.block`),
            connectionProfile: join(dir, 'connection.json'),
            commonConnectionProfiles: join(dir, 'connection-profiles'),
            env: join(dir, 'env'),
        },
    };
}

/**
 * The network the environment points at: EDGETRUST_NETWORK_DIR, EDGETRUST_PORT_BASE, EDGETRUST_DEPLOYMENT_MODE,
 * EDGETRUST_BATCH_TIMEOUT and EDGETRUST_CHAINCODE_SERVERS, each falling back to network/topology.json.
 */
export function networkFromEnv(env: NodeJS.ProcessEnv = process.env): Network {
    return loadNetwork({
        dir: env.EDGETRUST_NETWORK_DIR,
        portBase: env.EDGETRUST_PORT_BASE ? Number(env.EDGETRUST_PORT_BASE) : undefined,
        mode: env.EDGETRUST_DEPLOYMENT_MODE,
        batchTimeout: env.EDGETRUST_BATCH_TIMEOUT,
        chaincodeServers: (env.EDGETRUST_CHAINCODE_SERVERS || undefined) as ChaincodeServerMode | undefined,
    });
}

export function allPeers(network: Network): PeerNode[] {
    return network.organizations.flatMap((org) => org.peers);
}

/** Every port the network listens on, with the name of what listens there. */
export function allPorts(network: Network): { name: string; port: number }[] {
    return [
        ...network.orderers.flatMap((o) => [
            { name: `${o.host} (listen)`, port: o.port },
            { name: `${o.host} (admin)`, port: o.adminPort },
            { name: `${o.host} (operations)`, port: o.operationsPort },
        ]),
        ...allPeers(network).flatMap((p) => [
            { name: `${p.host} (listen)`, port: p.port },
            { name: `${p.host} (chaincode)`, port: p.chaincodePort },
            { name: `${p.host} (operations)`, port: p.operationsPort },
        ]),
        ...[...network.chaincodes, ...network.benchmarkChaincodes].flatMap((c) => c.servers.map((s) => ({ name: `chaincode server ${s.name.replace(/^chaincode-/, '')}`, port: s.port }))),
    ];
}

/** An organisation admin's MSP folder, as cryptogen lays it out. */
export function adminMspDir(org: Organization): string {
    return join(org.cryptoDir, 'users', `Admin@${org.domain}`, 'msp');
}

export function userDir(org: Organization, user: string): string {
    return join(org.cryptoDir, 'users', `${user}@${org.domain}`);
}
