import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FabricInstallation } from './binaries';
import { ordererTlsCa, peerAdminEnv } from './nodes';
import { type Network, userDir } from './topology';

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
                    endpoint: `127.0.0.1:${String(p.port)}`,
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
        deploymentMode: network.mode,
        chaincodes: Object.fromEntries(network.chaincodes.map((c) => [c.name, c.name])),
        organizations,
    };
    writeFileSync(network.paths.connectionProfile, `${JSON.stringify(profile, null, 2)}\n`);
}

/** One env file per organisation admin: `source` it and the standard peer CLI works against the network. */
export function writeAdminEnvFiles(network: Network, fabric: FabricInstallation): string[] {
    mkdirSync(network.paths.env, { recursive: true });
    const orderer = network.orderers[0];
    return network.organizations.map((org) => {
        const file = join(network.paths.env, `${org.name}.env`);
        const vars: Record<string, string> = {
            ...peerAdminEnv(fabric, org),
            PATH: `${fabric.binDir}:$PATH`,
            CHANNEL_NAME: network.channel.name,
            ORDERER_ADDRESS: orderer ? `127.0.0.1:${String(orderer.port)}` : '',
            ORDERER_TLS_HOSTNAME: orderer?.host ?? '',
            ORDERER_CA: ordererTlsCa(network),
        };
        const lines = Object.entries(vars).map(([k, v]) => `export ${k}="${v}"`);
        writeFileSync(
            file,
            `# ${org.name} (${org.mspId}) admin for the peer CLI. Usage: source ${file}\n` +
                `# e.g. peer chaincode query -C "$CHANNEL_NAME" -n evidence -c '{"Args":["org.hyperledger.fabric:GetMetadata"]}'\n` +
                `${lines.join('\n')}\n`,
        );
        return file;
    });
}
