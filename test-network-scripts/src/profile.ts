import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FabricInstallation } from './binaries';
import { ordererTlsCa, peerAdminEnv } from './nodes';
import { type DeployedChaincode, type Network, type Organization, userDir } from './topology';

function keyFile(dir: string): string {
    const keystore = join(dir, 'msp', 'keystore');
    const [key] = readdirSync(keystore);
    if (!key) {
        throw new Error(`no private key in ${keystore}`);
    }
    return join(keystore, key);
}

/**
 * Writes connection.json: per organisation its gateway peers (with tier and site), their TLS CA and
 * each user's certificate and key. Paths are relative to the file, so the folder can be moved whole.
 * The SDK's loadNetworkProfile() reads it.
 */
export function writeConnectionProfile(network: Network): void {
    const rel = (file: string): string => relative(network.dir, file);
    const organizations = Object.fromEntries(
        network.organizations.map((org) => [
            org.name,
            {
                mspId: org.mspId,
                role: org.role,
                peers: org.peers.map((p) => ({
                    name: p.host,
                    endpoint: `${p.address}:${String(p.port)}`,
                    hostAlias: p.host,
                    tier: p.tier,
                    site: p.site,
                    tlsCACertPath: rel(join(p.cryptoDir, 'tls', 'ca.crt')),
                })),
                users: Object.fromEntries(
                    ['Admin', 'User1'].map((user) => {
                        const dir = userDir(org, user);
                        return [user, { certPath: rel(join(dir, 'msp', 'signcerts', `${user}@${org.domain}-cert.pem`)), keyPath: rel(keyFile(dir)) }];
                    }),
                ),
            },
        ]),
    );
    const profile = {
        name: network.name,
        channel: network.channel.name,
        channels: Object.fromEntries(
            network.channels.map((c) => [
                c.name,
                {
                    latencyClass: c.latencyClass,
                    batchTimeout: c.batchTimeout,
                    maxMessageCount: c.maxMessageCount,
                    chaincodes: network.chaincodes.filter((cc) => cc.channels.includes(c.name)).map((cc) => cc.name),
                },
            ]),
        ),
        deploymentMode: network.mode,
        chaincodes: Object.fromEntries(network.chaincodes.map((c) => [c.name, c.name])),
        organizations,
    };
    // Applications may read it while an organisation joins or leaves: written aside and renamed into place.
    writeFileSync(`${network.paths.connectionProfile}.tmp`, `${JSON.stringify(profile, null, 2)}\n`);
    renameSync(`${network.paths.connectionProfile}.tmp`, network.paths.connectionProfile);
}

/** Fabric's common connection profile of one organisation (the `connection-org1.json` layout of fabric-samples). */
export interface CommonConnectionProfile {
    name: string;
    version: string;
    client: { organization: string; connection: { timeout: { peer: { endorser: string }; orderer: string } } };
    organizations: Record<string, { mspid: string; peers: string[] }>;
    peers: Record<string, NodeEntry>;
    orderers: Record<string, NodeEntry>;
    channels: Record<string, { orderers: string[]; peers: Record<string, PeerRoles>; chaincodes: string[] }>;
}

interface NodeEntry {
    url: string;
    tlsCACerts: { path: string };
    grpcOptions: { 'ssl-target-name-override': string; hostnameOverride: string };
}

interface PeerRoles {
    endorsingPeer: boolean;
    chaincodeQuery: boolean;
    ledgerQuery: boolean;
    eventSource: boolean;
}

/**
 * The common connection profile of `org`: its own peers and the orderers with `grpcs://` URLs, absolute TLS CA
 * paths and the TLS host name each node's certificate carries (its address is its host's), and the channel with
 * the chaincodes deployed on it. Tools that read the standard format (Caliper, FireFly, fabric-network
 * applications) use it as is; identities are not part of it (see connection.json for the users' files).
 */
export function commonConnectionProfile(network: Network, org: Organization, chaincodes: readonly DeployedChaincode[]): CommonConnectionProfile {
    const node = (address: string, port: number, host: string, tlsCa: string): NodeEntry => ({
        url: `grpcs://${address}:${String(port)}`,
        tlsCACerts: { path: tlsCa },
        grpcOptions: { 'ssl-target-name-override': host, hostnameOverride: host },
    });
    const roles: PeerRoles = { endorsingPeer: true, chaincodeQuery: true, ledgerQuery: true, eventSource: true };
    return {
        name: `${network.name}-${org.name}`,
        version: '1.0.0',
        client: { organization: org.name, connection: { timeout: { peer: { endorser: '300' }, orderer: '300' } } },
        organizations: { [org.name]: { mspid: org.mspId, peers: org.peers.map((p) => p.host) } },
        peers: Object.fromEntries(org.peers.map((p) => [p.host, node(p.address, p.port, p.host, join(p.cryptoDir, 'tls', 'ca.crt'))])),
        orderers: Object.fromEntries(network.orderers.map((o) => [o.host, node(o.address, o.port, o.host, ordererTlsCa(network))])),
        channels: {
            [network.channel.name]: {
                orderers: network.orderers.map((o) => o.host),
                peers: Object.fromEntries(org.peers.map((p) => [p.host, roles])),
                chaincodes: chaincodes.map((c) => c.name),
            },
        },
    };
}

/** Writes `<org>.json` into paths.commonConnectionProfiles for every organisation; returns the files. */
export function writeCommonConnectionProfiles(network: Network, chaincodes: readonly DeployedChaincode[]): string[] {
    mkdirSync(network.paths.commonConnectionProfiles, { recursive: true });
    return network.organizations.map((org) => {
        const file = join(network.paths.commonConnectionProfiles, `${org.name}.json`);
        writeFileSync(file, `${JSON.stringify(commonConnectionProfile(network, org, chaincodes), null, 2)}\n`);
        return file;
    });
}

/**
 * The peer CLI's logging in the env files: `chaincodeCmd` at info, so that a successful invoke prints its
 * result (`Chaincode invoke successful. result: status:200 …`); gRPC's keepalive notice at error, since it is
 * no problem; everything else at warning. The scripts themselves keep `warning`, as they parse the CLI's output.
 */
export const PEER_CLI_LOGGING = 'chaincodeCmd=info:grpc=error:warning';

/** `EDGEORG_PEER`: the env file variables that name an organisation's first peer, for --peerAddresses. */
function peerVariable(orgName: string): string {
    return `${orgName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PEER`;
}

/** One env file per organisation admin: `source` it and the standard peer CLI works against the network. */
export function writeAdminEnvFiles(network: Network, fabric: FabricInstallation): string[] {
    mkdirSync(network.paths.env, { recursive: true });
    const orderer = network.orderers[0];
    // Every organisation's first peer, so an invoke can collect the endorsements an AND policy needs.
    const endorsers = Object.fromEntries(
        network.organizations.flatMap((org) => {
            const peer = org.peers[0];
            return peer
                ? [
                      [`${peerVariable(org.name)}_ADDRESS`, `${peer.address}:${String(peer.port)}`],
                      [`${peerVariable(org.name)}_TLS_CA`, join(peer.cryptoDir, 'tls', 'ca.crt')],
                  ]
                : [];
        }),
    );
    return network.organizations.map((org) => {
        const file = join(network.paths.env, `${org.name}.env`);
        const vars: Record<string, string> = {
            ...peerAdminEnv(fabric, org),
            FABRIC_LOGGING_SPEC: PEER_CLI_LOGGING,
            PATH: `${fabric.binDir}:$PATH`,
            CHANNEL_NAME: network.channel.name,
            // Every channel, the latency channel first: peer ... -C "$BULK_CHANNEL_NAME" for bulk traffic.
            CHANNEL_NAMES: network.channels.map((c) => c.name).join(' '),
            ...Object.fromEntries(network.channels.filter((c) => c.latencyClass).map((c) => [`${(c.latencyClass ?? '').toUpperCase()}_CHANNEL_NAME`, c.name])),
            ORDERER_ADDRESS: orderer ? `${orderer.address}:${String(orderer.port)}` : '',
            ORDERER_TLS_HOSTNAME: orderer?.host ?? '',
            ORDERER_CA: ordererTlsCa(network),
            ...endorsers,
        };
        const lines = Object.entries(vars).map(([k, v]) => `export ${k}="${v}"`);
        writeFileSync(
            file,
            `# ${org.name} (${org.mspId}) admin for the peer CLI. Usage: source ${file}\n` +
                `# e.g. peer chaincode query -C "$CHANNEL_NAME" -n evidence -c '{"Args":["org.hyperledger.fabric:GetMetadata"]}'\n` +
                `# invoke examples (billing needs both organisations' peers): README.md, "The peer CLI"\n` +
                `${lines.join('\n')}\n`,
        );
        return file;
    });
}
