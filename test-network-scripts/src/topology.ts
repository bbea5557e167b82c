import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root: this package lives in `<root>/test-network-scripts`. */
export const REPO_ROOT = resolve(__dirname, '..', '..');

export type Tier = 'edge' | 'cloud';

/** How the channel is ordered: Raft (crash fault tolerant, the default) or SmartBFT (Byzantine fault tolerant). */
export type Consensus = 'raft' | 'bft';
export const CONSENSUS_TYPES: readonly Consensus[] = ['raft', 'bft'];
/** Consenters when the topology does not say: Raft tolerates one crash with 3, SmartBFT one fault with 4 (n >= 3f+1). */
const DEFAULT_CONSENTERS: Readonly<Record<Consensus, number>> = { raft: 3, bft: 4 };

interface TopologyFile {
    name: string;
    domain: string;
    portBase: number;
    channel: ChannelSettings;
    /** Further channels, each taking the first channel's settings where it does not say otherwise. */
    channels?: (Partial<ChannelSettings> & { name: string })[];
    ordererOrg: { name: string; mspId: string; role: string; host?: HostSpec; orderers: string[]; consensus?: Partial<Record<Consensus, ConsensusSettings>> };
    hosts?: { linkDelays?: Record<string, string> };
    organizations: OrganizationSpec[];
    /** Organisations that may join a running network (`network add-org <name>`). */
    joinableOrganizations?: OrganizationSpec[];
    deploymentModes: Record<string, Record<string, { tier: Tier; site: string }>>;
    chaincodes: ChaincodeSpec[];
    benchmarkChaincodes: ChaincodeSpec[];
}

/** An organisation as the topology (or `add-org`) describes it. */
export interface OrganizationSpec {
    name: string;
    mspId: string;
    role: string;
    /** The machine its nodes run on (default `<name>-host`, an address after the topology's). */
    host?: HostSpec;
    peers: { name: string; tier: Tier; site: string }[];
    /** Chaincodes whose (OR) endorsement policy gains this organisation's peers when it joins. */
    endorses?: string[];
    /** Roles the chaincodes' governors grant it when it joins, per chaincode (e.g. resource-billing: auditor). */
    roles?: Record<string, string[]>;
}

/**
 * What a running network has become beyond network/topology.json, kept in its folder (`consortium.json`): the
 * consensus its channel was made with, and the organisations that joined (or joined and left: they keep their place,
 * so the ports of those that joined later do not move).
 */
export interface ConsortiumState {
    consensus: Consensus;
    joined: (OrganizationSpec & { removed?: boolean })[];
}

export function consortiumStateFile(dir: string): string {
    return join(dir, 'consortium.json');
}

export function readConsortiumState(dir: string): ConsortiumState | undefined {
    const file = consortiumStateFile(dir);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ConsortiumState) : undefined;
}

/** Written whole and renamed into place, so another process never reads half of it. */
export function writeConsortiumState(dir: string, state: ConsortiumState): void {
    const file = consortiumStateFile(dir);
    writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
}

/** The topology's description of an organisation that may join, or undefined. */
export function joinableOrganization(name: string, topologyFile = TOPOLOGY_FILE): OrganizationSpec | undefined {
    const topology = JSON.parse(readFileSync(topologyFile, 'utf8')) as TopologyFile;
    return topology.joinableOrganizations?.find((o) => o.name === name);
}

/**
 * An OR policy with the joined organisations' peers added, for the chaincodes they endorse. Other policies
 * (AND, OutOf) say who must agree; which organisation a new one should join there is a governance decision the
 * topology has to spell out, so they are refused.
 */
export function policyWithMembers(policy: string, mspIds: readonly string[]): string {
    if (mspIds.length === 0) {
        return policy;
    }
    const match = /^OR\((.*)\)$/.exec(policy.trim());
    if (!match?.[1] || match[1].includes('(')) {
        throw new Error(`cannot add ${mspIds.join(', ')} to the endorsement policy ${policy}: only a flat OR policy can gain members`);
    }
    return `OR(${[match[1], ...mspIds.map((id) => `'${id}.peer'`)].join(',')})`;
}

/** A machine of the consortium: one per organisation, the orderer organisation's too. */
export interface HostSpec {
    name: string;
    /** Its address on real machines (EDGETRUST_HOSTS=topology); netns mode keeps only the last number. */
    address: string;
}

/**
 * Where the nodes listen. `loopback` (default): every node on 127.0.0.1 of this machine, as before. `netns`: each
 * host in a Linux network namespace of its own on this machine, joined by a bridge (hosts.ts). `topology`: the
 * topology's addresses as they are, for bundles that run on real machines.
 */
export type HostsMode = 'loopback' | 'netns' | 'topology';
export const HOSTS_MODES: readonly HostsMode[] = ['loopback', 'netns', 'topology'];

/** A host with the address its nodes listen on and, in netns mode, its namespace. */
export interface Host {
    name: string;
    /** The organisation whose nodes run there. */
    organization: string;
    address: string;
    /** Linux network namespace (netns mode only). */
    namespace?: string;
    /** Where the host sits in the current deployment mode: the tier of its first node (orderers: cloud). */
    tier: Tier;
}

export interface ConsensusSettings {
    consenters: number;
    /** SmartBFT options (configtx `Orderer.SmartBFT`), for bft only. */
    smartBFT?: Record<string, string | number>;
}

export interface ChannelSettings {
    name: string;
    /** The traffic it is tuned for: `latency` (small batch timeout) or `bulk` (large blocks). */
    latencyClass?: string;
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
    /** Channels it is deployed on (default: the first channel). */
    channels?: string[];
    /** Starting governance the deploy seeds (resource-billing). */
    governance?: { governor: string; roles: Record<string, string[]> };
    /** Private data collections of each pair of organisations holding two governance roles (collections.ts). */
    pairCollections?: PairCollectionsSpec;
    /** A private data collection per organisation (collections.ts). */
    ownerCollections?: OwnerCollectionsSpec;
}

/**
 * One private data collection per organisation: `<prefix>_<MSP>`, members the owner and the organisations holding a
 * reader role.
 */
export interface OwnerCollectionsSpec {
    prefix: string;
    readers?: readonly string[];
}

/**
 * One private data collection per (first role × second role) pair of organisations, e.g. every operator × tenant:
 * `<prefix>_<firstMSP>_<secondMSP>`, members the pair and the organisations holding a reader role.
 */
export interface PairCollectionsSpec {
    prefix: string;
    between: readonly [string, string];
    readers?: readonly string[];
}

export interface OrdererNode {
    name: string;
    host: string;
    /** Address it listens on and is dialled at (127.0.0.1 in loopback mode), on machine `hostName`. */
    address: string;
    hostName: string;
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
    /** Address it listens on and is dialled at (127.0.0.1 in loopback mode), on machine `hostName`. */
    address: string;
    hostName: string;
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
    /** Address it listens on: its organisation's host (127.0.0.1 in loopback mode, and for a shared server). */
    address: string;
    /** The host it runs on (undefined for a shared server in loopback mode). */
    hostName?: string;
    port: number;
    /** The CCaaS package (in paths.chaincodePackages) whose connection.json points at this server. */
    packageFile: string;
}

export interface DeployedChaincode extends ChaincodeSpec {
    /** Channels it is deployed on; the first is where its governance is seeded. */
    channels: string[];
    /** Port of the (first) chaincode-as-a-service server. */
    port: number;
    servers: ChaincodeServer[];
    collectionsConfig?: string;
}

/** Everything about one network instance: where its files go and which ports its processes use. */
export interface Network {
    /** What it was loaded with, to read it again (reloadNetwork) after organisations joined or left. */
    options: NetworkOptions;
    name: string;
    dir: string;
    portBase: number;
    mode: string;
    /** Where the nodes listen: loopback, netns or topology (EDGETRUST_HOSTS). */
    hostsMode: HostsMode;
    /** One host per organisation, the orderer organisation's first. */
    hosts: Host[];
    /** One-way delays between tiers (`cloud-edge`: ms), applied in netns mode with linkDelays on. */
    linkDelays: Record<string, number>;
    /** Delays between hosts are applied (EDGETRUST_LINK_DELAYS=1, netns mode only). */
    delayed: boolean;
    consensus: Consensus;
    /** SmartBFT options from the topology (bft only). */
    smartBFT: Record<string, string | number>;
    /** The first channel: the latency channel, and the default of every application and script. */
    channel: ChannelSettings;
    /** Every channel, the first one first. */
    channels: ChannelSettings[];
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
    /** Raft (default) or SmartBFT ordering; only for a new channel. */
    consensus?: Consensus;
    /** Where nodes listen (default loopback). */
    hosts?: HostsMode;
    /** Delay the links between hosts (netns mode only). */
    linkDelays?: boolean;
}

const LOOPBACK = '127.0.0.1';

/** The subnet of a netns network: one per port base, so two networks on one machine never share addresses. */
export function netnsSubnet(portBase: number): string {
    return `10.233.${String(Math.floor(portBase / 100) % 256)}`;
}

/** A host's address in a hosts mode. */
function hostAddress(mode: HostsMode, spec: HostSpec, portBase: number): string {
    if (mode === 'loopback') {
        return LOOPBACK;
    }
    return mode === 'topology' ? spec.address : `${netnsSubnet(portBase)}.${spec.address.split('.').pop() ?? ''}`;
}

/** An organisation's host: the topology's, or `<name lower>-host` at the address after the last one given. */
function hostSpecOf(org: { name: string; host?: HostSpec }, index: number, known: readonly HostSpec[]): HostSpec {
    if (org.host) {
        return org.host;
    }
    const last = Math.max(...known.map((h) => Number(h.address.split('.').pop())));
    const base = known[0]?.address.split('.').slice(0, 3).join('.') ?? '10.88.0';
    return { name: `${org.name.replace(/Org$/, '').toLowerCase()}-host`, address: `${base}.${String(last + 1 + index)}` };
}

function hostsModeOf(options: NetworkOptions): HostsMode {
    const mode = options.hosts ?? 'loopback';
    if (!HOSTS_MODES.includes(mode)) {
        throw new Error(`unknown hosts mode ${mode as string}: use ${HOSTS_MODES.join(', ')}`);
    }
    return mode;
}

/** The host of each organisation (the orderer organisation first) and its address in the hosts mode. */
function placeHosts(orgs: readonly { name: string; host?: HostSpec }[], mode: HostsMode, portBase: number): { host: HostSpec; owner: string; address: string }[] {
    const given = orgs.flatMap((o) => (o.host ? [o.host] : []));
    return orgs.map((o, i) => {
        const host = hostSpecOf(o, i, given);
        return { host, owner: o.name, address: hostAddress(mode, host, portBase) };
    });
}

/** Where the mode puts the orderers (key: the orderer organisation's name); the cloud region unless it says. */
function ordererTier(overrides: Record<string, { tier: Tier }>, name: string): Tier {
    return overrides[name]?.tier ?? 'cloud';
}

/** The hosts of the organisations still in the network, with their tier in the deployment mode and namespace. */
function hostsOf(
    placed: readonly { host: HostSpec; owner: string; address: string }[],
    where: { ordererOrg: string; ordererTier: Tier; organizations: readonly Organization[]; portBase: number; hostsMode: HostsMode },
): Host[] {
    return placed.flatMap(({ host, owner, address }): Host[] => {
        const org = where.organizations.find((o) => o.name === owner);
        if (owner !== where.ordererOrg && !org) {
            return [];
        }
        const tier = owner === where.ordererOrg ? where.ordererTier : (org?.peers[0]?.tier ?? 'cloud');
        return [{ name: host.name, organization: owner, address, tier, ...(where.hostsMode === 'netns' ? { namespace: `et${String(where.portBase)}-${host.name}` } : {}) }];
    });
}

/** The topology's link delays, and whether they are applied (netns mode, asked for). */
function linkDelaysOf(topology: TopologyFile, mode: HostsMode, options: NetworkOptions): { linkDelays: Record<string, number>; delayed: boolean } {
    const entries = Object.entries(topology.hosts?.linkDelays ?? {}).filter(([k]) => !k.startsWith('$'));
    return { linkDelays: Object.fromEntries(entries.map(([k, v]) => [k, parseDelay(v)])), delayed: mode === 'netns' && options.linkDelays === true };
}

function parseDelay(text: string): number {
    const match = /^(\d+(?:\.\d+)?)ms$/.exec(text.trim());
    if (!match) {
        throw new Error(`link delay ${text}: give milliseconds, e.g. 25ms`);
    }
    return Number(match[1]);
}

/** How many of the topology's orderers the consensus type runs, and its SmartBFT options. */
function consensusSettings(topology: TopologyFile, consensus: Consensus): { consenters: number; smartBFT: Record<string, string | number> } {
    if (!CONSENSUS_TYPES.includes(consensus)) {
        throw new Error(`unknown consensus ${consensus as string}: use ${CONSENSUS_TYPES.join(' or ')}`);
    }
    const settings = topology.ordererOrg.consensus?.[consensus];
    const consenters = settings?.consenters ?? DEFAULT_CONSENTERS[consensus];
    if (topology.ordererOrg.orderers.length < consenters) {
        throw new Error(`${consensus} needs ${String(consenters)} orderers; the topology names ${String(topology.ordererOrg.orderers.length)}`);
    }
    return { consenters, smartBFT: Object.fromEntries(Object.entries(settings?.smartBFT ?? {}).filter(([k]) => !k.startsWith('$'))) };
}

const TOPOLOGY_FILE = join(REPO_ROOT, 'network', 'topology.json');

/** A chaincode as the organisations that joined later change it: endorsers added to its policy, roles to grant. */
function withJoined(spec: ChaincodeSpec, joined: readonly OrganizationSpec[]): ChaincodeSpec {
    const members = joined.filter((o) => o.endorses?.includes(spec.name)).map((o) => o.mspId);
    const granted = joined.flatMap((o): [string, string[]][] => {
        const roles = o.roles?.[spec.name];
        return roles ? [[o.name, roles]] : [];
    });
    const governance = spec.governance ? { ...spec.governance, roles: { ...spec.governance.roles, ...Object.fromEntries(granted) } } : undefined;
    return { ...spec, endorsementPolicy: policyWithMembers(spec.endorsementPolicy, members), ...(governance ? { governance } : {}) };
}

/** The consensus of a network: what its channels were made with, else what was asked, else Raft. */
function consensusOf(state: ConsortiumState | undefined, asked: Consensus | undefined): Consensus {
    return state?.consensus ?? asked ?? 'raft';
}

function deploymentMode(topology: TopologyFile, mode: string): Record<string, { tier: Tier; site: string }> {
    const overrides = topology.deploymentModes[mode];
    if (!overrides) {
        throw new Error(`unknown deployment mode ${mode}: use one of ${Object.keys(topology.deploymentModes).filter((m) => !m.startsWith('$')).join(', ')}`);
    }
    return overrides;
}

/** Every organisation's peers with their ports (peer j at +100 + 10j, in the order given) and folders. */
function placeOrganizations(
    specs: readonly (OrganizationSpec & { removed?: boolean })[],
    where: { domain: string; crypto: string; dir: string; portBase: number; overrides: Record<string, { tier: Tier; site: string }>; hosts: readonly { host: HostSpec; address: string }[] },
): (Organization & { removed: boolean })[] {
    let peerIndex = 0;
    return specs.map((org, k): Organization & { removed: boolean } => {
        const host_ = where.hosts[k] as { host: HostSpec; address: string };
        const domain = `${org.name.replace(/Org$/, '').toLowerCase()}.${where.domain}`;
        const orgDir = join(where.crypto, 'peerOrganizations', domain);
        const peers = org.peers.map((peer): PeerNode => {
            const host = `${peer.name}.${domain}`;
            const port = where.portBase + PEER_OFFSET + peerIndex++ * 10;
            const label = where.overrides[`${org.name}/${peer.name}`] ?? { tier: peer.tier, site: peer.site };
            return {
                org: org.name,
                mspId: org.mspId,
                name: peer.name,
                host,
                address: host_.address,
                hostName: host_.host.name,
                ...label,
                port,
                chaincodePort: port + 1,
                operationsPort: port + 2,
                cryptoDir: join(orgDir, 'peers', host),
                dataDir: join(where.dir, 'data', host),
            };
        });
        return { name: org.name, mspId: org.mspId, role: org.role, domain, peers, cryptoDir: orgDir, removed: org.removed === true };
    });
}

/**
 * Reads network/topology.json and works out every node's ports and folders; adds the organisations that joined the
 * running network in `dir` (its consortium.json) after those of the topology.
 */
export function loadNetwork(options: NetworkOptions = {}): Network {
    const file = options.topologyFile ?? TOPOLOGY_FILE;
    const topology = JSON.parse(readFileSync(file, 'utf8')) as TopologyFile;
    const dir = resolve(options.dir ?? join(REPO_ROOT, '.edgetrust', 'network'));
    const state = readConsortiumState(dir);
    const portBase = options.portBase ?? topology.portBase;
    const mode = options.mode ?? 'hybrid';
    const hostsMode = hostsModeOf(options);
    const overrides = deploymentMode(topology, mode);
    const consensus = consensusOf(state, options.consensus);
    const { consenters, smartBFT } = consensusSettings(topology, consensus);
    const crypto = join(dir, 'crypto');
    const ordererDomain = `orderer.${topology.domain}`;
    const ordererOrgDir = join(crypto, 'ordererOrganizations', ordererDomain);
    const everJoined = state?.joined ?? [];
    const allOrgs = [...topology.organizations, ...everJoined];
    const hostAddresses = placeHosts([topology.ordererOrg, ...allOrgs], hostsMode, portBase);
    const ordererHost = hostAddresses[0] as { host: HostSpec; address: string };
    const orderers = topology.ordererOrg.orderers.slice(0, consenters).map((name, i): OrdererNode => {
        const host = `${name}.${ordererDomain}`;
        const port = portBase + ORDERER_OFFSET + i * 10;
        return {
            name,
            host,
            address: ordererHost.address,
            hostName: ordererHost.host.name,
            port,
            adminPort: port + 1,
            operationsPort: port + 2,
            cryptoDir: join(ordererOrgDir, 'orderers', host),
            dataDir: join(dir, 'data', host),
        };
    });
    const placed = placeOrganizations(allOrgs, { domain: topology.domain, crypto, dir, portBase, overrides, hosts: hostAddresses.slice(1) });
    const organizations: Organization[] = placed.filter((o) => !o.removed).map(({ removed: _removed, ...org }) => org);
    // Organisation k's own chaincode servers sit at +10k: an organisation that left keeps its k.
    const slot = new Map(placed.map((org, k) => [org.name, k]));
    const joined = everJoined.filter((o) => o.removed !== true);
    const chaincodePackages = join(dir, 'chaincode-packages');
    if (options.chaincodeServers !== undefined && !CHAINCODE_SERVER_MODES.includes(options.chaincodeServers)) {
        throw new Error(`unknown chaincode server mode ${options.chaincodeServers}: use ${CHAINCODE_SERVER_MODES.join(' or ')}`);
    }
    const primary: ChannelSettings = { ...topology.channel, batchTimeout: options.batchTimeout ?? topology.channel.batchTimeout };
    const allChannels: ChannelSettings[] = [primary, ...(topology.channels ?? []).map((c) => ({ ...topology.channel, latencyClass: undefined, ...c }))];
    let chaincodeIndex = 0;
    const hostOf = (org: Organization): { hostName: string; address: string } => ({ hostName: org.peers[0]?.hostName ?? '', address: org.peers[0]?.address ?? LOOPBACK });
    const deployed = (spec: ChaincodeSpec): DeployedChaincode => {
        const port = portBase + CHAINCODE_OFFSET + chaincodeIndex++;
        // On hosts of their own, each organisation runs its own chaincode servers: a shared one would run on one
        // organisation's machine and endorse for the others.
        const mode = options.chaincodeServers ?? (hostsMode === 'loopback' ? (spec.chaincodeServers ?? 'shared') : 'per-organization');
        const servers: ChaincodeServer[] =
            mode === 'shared'
                ? [{ name: `chaincode-${spec.name}`, organizations: organizations.map((o) => o.name), address: LOOPBACK, port, packageFile: join(chaincodePackages, `${spec.name}.tgz`) }]
                : organizations.map((org) => ({
                      name: `chaincode-${spec.name}-${org.name}`,
                      organizations: [org.name],
                      ...hostOf(org),
                      port: port + 10 * (slot.get(org.name) ?? 0),
                      packageFile: join(chaincodePackages, `${spec.name}-${org.name}.tgz`),
                  }));
        const channels = spec.channels ?? [primary.name];
        const unknown = channels.filter((c) => !allChannels.some((ch) => ch.name === c));
        if (unknown.length > 0) {
            throw new Error(`chaincode ${spec.name} names unknown channel(s) ${unknown.join(', ')}`);
        }
        return { ...withJoined(spec, joined), channels, chaincodeServers: mode, port, servers };
    };
    return {
        options: { ...options, dir },
        name: topology.name,
        dir,
        portBase,
        mode,
        hostsMode,
        hosts: hostsOf(hostAddresses, { ordererOrg: topology.ordererOrg.name, ordererTier: ordererTier(overrides, topology.ordererOrg.name), organizations, portBase, hostsMode }),
        ...linkDelaysOf(topology, hostsMode, options),
        consensus,
        smartBFT,
        channel: primary,
        channels: allChannels,
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
 * EDGETRUST_BATCH_TIMEOUT, EDGETRUST_CHAINCODE_SERVERS and EDGETRUST_CONSENSUS (raft | bft), each falling back to
 * network/topology.json; EDGETRUST_HOSTS (loopback | netns | topology) and EDGETRUST_LINK_DELAYS=1 (netns only).
 */
export function networkFromEnv(env: NodeJS.ProcessEnv = process.env): Network {
    return loadNetwork({
        dir: env.EDGETRUST_NETWORK_DIR,
        portBase: env.EDGETRUST_PORT_BASE ? Number(env.EDGETRUST_PORT_BASE) : undefined,
        mode: env.EDGETRUST_DEPLOYMENT_MODE,
        batchTimeout: env.EDGETRUST_BATCH_TIMEOUT,
        chaincodeServers: (env.EDGETRUST_CHAINCODE_SERVERS || undefined) as ChaincodeServerMode | undefined,
        consensus: (env.EDGETRUST_CONSENSUS || undefined) as Consensus | undefined,
        hosts: (env.EDGETRUST_HOSTS || undefined) as HostsMode | undefined,
        linkDelays: env.EDGETRUST_LINK_DELAYS === '1',
    });
}

/** The same network (folder, ports, hosts) read with other options, e.g. another deployment mode. */
export function loadNetworkFrom(network: Network, options: Partial<NetworkOptions>): Network {
    return loadNetwork({ ...network.options, ...options });
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

/** A channel's genesis block (config folder). */
export function channelBlock(network: Network, channel: string): string {
    return join(network.paths.config, `${channel}.block`);
}

/** A channel's settings by name. */
export function channelNamed(network: Network, name: string): ChannelSettings {
    const channel = network.channels.find((c) => c.name === name);
    if (!channel) {
        throw new Error(`no channel ${name}: the network has ${network.channels.map((c) => c.name).join(', ')}`);
    }
    return channel;
}

/** An organisation admin's MSP folder, as cryptogen lays it out. */
export function adminMspDir(org: Organization): string {
    return join(org.cryptoDir, 'users', `Admin@${org.domain}`, 'msp');
}

export function userDir(org: Organization, user: string): string {
    return join(org.cryptoDir, 'users', `${user}@${org.domain}`);
}
