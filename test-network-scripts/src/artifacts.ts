import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FabricInstallation } from './binaries';
import { type ChannelSettings, channelBlock, type Network, type Organization, readConsortiumState, writeConsortiumState } from './topology';

// Every TLS certificate also names the loopback addresses (in loopback mode all nodes run on this machine) and the
// node's host address (its host of its own otherwise); cryptogen adds only the node's CN and hostname by itself.
const LOOPBACK_SANS = ['localhost', '127.0.0.1'];
const sans = (address: string): string[] => [...new Set([...LOOPBACK_SANS, address])];

/** cryptogen's description of a peer organisation: its peers, an Admin and User1. */
export function peerOrgCrypto(org: Organization): object {
    return { Name: org.name, Domain: org.domain, EnableNodeOUs: true, Specs: org.peers.map((p) => ({ Hostname: p.name, SANS: sans(p.address) })), Users: { Count: 1 } };
}

/** cryptogen's input, written as JSON (a subset of YAML). NodeOUs make `.peer`/`.client`/`.admin` principals match. */
export function cryptoConfig(network: Network): object {
    return {
        OrdererOrgs: [
            {
                Name: network.ordererOrg.name,
                Domain: network.ordererOrg.domain,
                EnableNodeOUs: true,
                Specs: network.orderers.map((o) => ({ Hostname: o.name, SANS: sans(o.address) })),
            },
        ],
        PeerOrgs: network.organizations.map(peerOrgCrypto),
    };
}

function signaturePolicies(mspId: string, kind: 'orderer' | 'peer'): object {
    const member = kind === 'orderer' ? `'${mspId}.member'` : `'${mspId}.admin', '${mspId}.peer', '${mspId}.client'`;
    const policies: Record<string, object> = {
        Readers: { Type: 'Signature', Rule: `OR(${member})` },
        Writers: { Type: 'Signature', Rule: kind === 'orderer' ? `OR(${member})` : `OR('${mspId}.admin', '${mspId}.client')` },
        Admins: { Type: 'Signature', Rule: `OR('${mspId}.admin')` },
    };
    if (kind === 'peer') {
        policies.Endorsement = { Type: 'Signature', Rule: `OR('${mspId}.peer')` };
    }
    return policies;
}

/** configtx's description of a peer organisation: its MSP, policies and anchor peer. */
export function applicationOrganization(org: Organization): object {
    return {
        Name: org.name,
        ID: org.mspId,
        MSPDir: join(org.cryptoDir, 'msp'),
        Policies: signaturePolicies(org.mspId, 'peer'),
        // The first peer of each organisation is its anchor: other organisations' peers gossip with it
        // (private data dissemination and cross-organisation discovery need that).
        AnchorPeers: org.peers.slice(0, 1).map((p) => ({ Host: p.address, Port: p.port })),
    };
}

const implicit = (rule: string): object => ({ Type: 'ImplicitMeta', Rule: rule });

/**
 * The orderer section's consensus part. Raft: the consenters' endpoints and TLS certificates. SmartBFT: also each
 * consenter's id, MSP and signing identity (BFT orderers verify each other's signatures on every block), and the
 * block cutting in SmartBFT's own terms (a batch is cut at MaxMessageCount requests or after the batch timeout).
 */
function ordering(network: Network, channel: ChannelSettings): object {
    const tlsCert = (o: Network['orderers'][number]): string => join(o.cryptoDir, 'tls', 'server.crt');
    if (network.consensus === 'bft') {
        return {
            OrdererType: 'BFT',
            ConsenterMapping: network.orderers.map((o, i) => ({
                ID: i + 1,
                Host: o.address,
                Port: o.port,
                MSPID: network.ordererOrg.mspId,
                Identity: join(o.cryptoDir, 'msp', 'signcerts', `${o.host}-cert.pem`),
                ClientTLSCert: tlsCert(o),
                ServerTLSCert: tlsCert(o),
            })),
            SmartBFT: { ...network.smartBFT, RequestBatchMaxCount: channel.maxMessageCount, RequestBatchMaxInterval: channel.batchTimeout },
        };
    }
    return {
        OrdererType: 'etcdraft',
        EtcdRaft: {
            Consenters: network.orderers.map((o) => ({ Host: o.address, Port: o.port, ClientTLSCert: tlsCert(o), ServerTLSCert: tlsCert(o) })),
            Options: {
                TickInterval: channel.raftTickInterval ?? '200ms',
                ElectionTick: channel.raftElectionTick ?? 10,
                HeartbeatTick: 1,
                MaxInflightBlocks: 5,
                SnapshotIntervalSize: '16 MB',
            },
        },
    };
}

/**
 * configtxgen's input for the application channel (Fabric v3: no system channel; Raft or SmartBFT ordering). The
 * channel capability V3_0 is what SmartBFT requires; V2_5 is the newest application capability Fabric 3.1 has.
 */
export function configtx(network: Network, channel: ChannelSettings = network.channel): object {
    const ordererOrg = {
        Name: network.ordererOrg.name,
        ID: network.ordererOrg.mspId,
        MSPDir: join(network.ordererOrg.cryptoDir, 'msp'),
        Policies: signaturePolicies(network.ordererOrg.mspId, 'orderer'),
        OrdererEndpoints: network.orderers.map((o) => `${o.address}:${String(o.port)}`),
    };
    const peerOrgs = network.organizations.map(applicationOrganization);
    return {
        Profiles: {
            EdgeTrustChannel: {
                Policies: {
                    Readers: implicit('ANY Readers'),
                    Writers: implicit('ANY Writers'),
                    Admins: implicit('MAJORITY Admins'),
                },
                Capabilities: { V3_0: true },
                Orderer: {
                    ...ordering(network, channel),
                    BatchTimeout: channel.batchTimeout,
                    BatchSize: {
                        MaxMessageCount: channel.maxMessageCount,
                        AbsoluteMaxBytes: channel.absoluteMaxBytes,
                        PreferredMaxBytes: channel.preferredMaxBytes,
                    },
                    Organizations: [ordererOrg],
                    Policies: {
                        Readers: implicit('ANY Readers'),
                        Writers: implicit('ANY Writers'),
                        Admins: implicit('MAJORITY Admins'),
                        BlockValidation: implicit('ANY Writers'),
                    },
                    Capabilities: { V2_0: true },
                },
                Application: {
                    Organizations: peerOrgs,
                    Policies: {
                        Readers: implicit('ANY Readers'),
                        Writers: implicit('ANY Writers'),
                        Admins: implicit('MAJORITY Admins'),
                        LifecycleEndorsement: implicit('MAJORITY Endorsement'),
                        Endorsement: implicit('MAJORITY Endorsement'),
                    },
                    Capabilities: { V2_5: true },
                },
            },
        },
    };
}

/** Makes the crypto material and the channel's genesis block, unless they already exist. */
export function generateArtifacts(network: Network, fabric: FabricInstallation, log: (line: string) => void): void {
    mkdirSync(network.paths.config, { recursive: true });
    if (!existsSync(join(network.ordererOrg.cryptoDir, 'msp'))) {
        const file = join(network.paths.config, 'crypto-config.yaml');
        writeFileSync(file, JSON.stringify(cryptoConfig(network), null, 2));
        execFileSync(join(fabric.binDir, 'cryptogen'), ['generate', `--config=${file}`, `--output=${network.paths.crypto}`], { stdio: 'pipe' });
        log(`crypto material generated in ${network.paths.crypto}`);
    }
    for (const channel of network.channels) {
        const block = channelBlock(network, channel.name);
        if (existsSync(block)) {
            continue;
        }
        const dir = join(network.paths.config, 'channels', channel.name);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'configtx.yaml'), JSON.stringify(configtx(network, channel), null, 2));
        execFileSync(join(fabric.binDir, 'configtxgen'), ['-profile', 'EdgeTrustChannel', '-outputBlock', block, '-channelID', channel.name, '-configPath', dir], { stdio: 'pipe' });
        log(`channel ${channel.name} (${channel.latencyClass ?? 'default'}: batch timeout ${channel.batchTimeout}, ${String(channel.maxMessageCount)} transactions) genesis block written to ${block} (${network.consensus} ordering)`);
    }
    if (!readConsortiumState(network.dir)) {
        writeConsortiumState(network.dir, { consensus: network.consensus, joined: [] });
    }
}
