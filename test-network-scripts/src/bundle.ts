import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { generateArtifacts } from './artifacts';
import type { FabricInstallation } from './binaries';
import { packageChaincode, packageId } from './lifecycle';
import type { Log } from './network';
import { chaincodeProcess, ordererProcess, ordererTlsCa, peerAdminEnv, peerProcess } from './nodes';
import type { ProcessSpec } from './processes';
import { commonConnectionProfile, PEER_CLI_LOGGING } from './profile';
import { channelBlock, type DeployedChaincode, type Host, type Network, type Organization, REPO_ROOT, userDir } from './topology';

/**
 * What one host of the consortium needs to run its nodes on a machine of its own (`network bundle <host>`):
 *
 * - `crypto/`: its organisation's material (its nodes', Admin's and User1's keys) and, of every other organisation,
 *   only the public MSP folder (CA and TLS CA certificates: what the peer CLI and the applications verify with);
 *   no other organisation's private key (bundle.test.ts checks that);
 * - `config/`: each channel's genesis block (to join), the CCaaS packages of its chaincode servers;
 * - `start.sh` / `stop.sh`: start its orderers or peers and chaincode servers with the settings `network up` uses,
 *   each logging to `logs/`, pids in `pids/`; `start.sh --foreground` stays in the foreground for systemd;
 * - `edgetrust-<host>.service`: a systemd unit running `start.sh --foreground` from /opt/edgetrust/<host>;
 * - peer hosts: `connection.json` (its applications' connection details: its peers and its users' files, paths
 *   relative to the bundle, as the SDK's loadNetworkProfile reads them), `connection-profile.json` (Fabric's common
 *   format) and `admin.env` (the peer CLI as its admin).
 *
 * The nodes' addresses are the network's (EDGETRUST_HOSTS: `topology` for real machines, `netns` for this one); a
 * bundle refers to the Fabric binaries and an EdgeTrust checkout by variables the start script reads
 * (FABRIC_BIN_DIR, FABRIC_CFG_PATH, EDGETRUST_HOME), so neither is copied. See network/README.md, "Bundles".
 */
export async function writeBundle(network: Network, fabric: FabricInstallation, hostName: string, log: Log): Promise<string> {
    const host = network.hosts.find((h) => h.name === hostName);
    if (!host) {
        throw new Error(`no host ${hostName}: the network has ${network.hosts.map((h) => h.name).join(', ')}`);
    }
    generateArtifacts(network, fabric, log);
    const dir = join(network.dir, 'bundles', host.name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const org = network.organizations.find((o) => o.name === host.organization);
    copyCrypto(network, dir, org);
    const configDir = join(dir, 'config');
    mkdirSync(configDir, { recursive: true });
    for (const channel of network.channels) {
        cpSync(channelBlock(network, channel.name), join(configDir, `${channel.name}.block`));
    }
    const specs = await hostProcesses(network, fabric, host, org);
    const vars = bundleVariables(network, fabric, dir);
    writeScripts(dir, host, specs.map((s) => relocate(s, vars)));
    if (org) {
        writeApplicationFiles(network, fabric, dir, org, vars);
    }
    log(`bundle of ${host.name} (${host.organization}, ${host.address}): ${dir}`);
    return dir;
}

/** The organisation's own crypto folder whole; of the others (and the orderer organisation) only `msp/`. */
export function copyCrypto(network: Network, dir: string, own: Organization | undefined): void {
    const folders = [
        { name: network.ordererOrg.name, cryptoDir: network.ordererOrg.cryptoDir },
        ...network.organizations.map((o) => ({ name: o.name, cryptoDir: o.cryptoDir })),
    ];
    const ownName = own?.name ?? network.ordererOrg.name;
    for (const folder of folders) {
        const target = join(dir, relative(network.dir, folder.cryptoDir));
        if (folder.name === ownName) {
            cpSync(folder.cryptoDir, target, { recursive: true });
        } else {
            cpSync(join(folder.cryptoDir, 'msp'), join(target, 'msp'), { recursive: true });
            // The orderers' TLS CA certificate (not its key): peers and admins dial the orderers with it.
            if (folder.name === network.ordererOrg.name) {
                const ca = ordererTlsCa(network);
                mkdirSync(join(target, 'tlsca'), { recursive: true });
                cpSync(ca, join(target, 'tlsca', basename(ca)));
            }
        }
    }
}

/** The processes `up` and `deploy` start for this host, without the launcher (the machine is the host). */
async function hostProcesses(network: Network, fabric: FabricInstallation, host: Host, org: Organization | undefined): Promise<ProcessSpec[]> {
    if (!org) {
        return network.orderers.filter((o) => o.hostName === host.name).map((o) => ordererProcess(network, fabric, o));
    }
    const servers: ProcessSpec[] = [];
    for (const chaincode of network.chaincodes) {
        for (const server of chaincode.servers.filter((s) => s.hostName === host.name)) {
            const file = await packageChaincode(network, chaincode, server);
            servers.push(chaincodeProcess(network, chaincode, server, packageId(file, chaincode.name)));
        }
    }
    return [...org.peers.map((p) => peerProcess(network, fabric, p)), ...servers];
}

type Variables = [from: string, name: string][];

/** Absolute paths of this machine and the shell variables a bundle uses instead, longest first. */
function bundleVariables(network: Network, fabric: FabricInstallation, _dir: string): Variables {
    const vars: Variables = [
        [network.dir, 'BUNDLE'],
        [fabric.binDir, 'FABRIC_BIN_DIR'],
        [fabric.configDir, 'FABRIC_CFG_PATH'],
        [REPO_ROOT, 'EDGETRUST_HOME'],
        [process.execPath, 'NODE'],
    ];
    return vars.sort((a, b) => b[0].length - a[0].length);
}

function substitute(text: string, vars: Variables): string {
    return vars.reduce((t, [from, name]) => t.split(from).join(`\${${name}}`), text);
}

function relocate(spec: ProcessSpec, vars: Variables): ProcessSpec {
    const env = Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, substitute(v, vars)]));
    return { name: spec.name, command: substitute(spec.command, vars), args: spec.args.map((a) => substitute(a, vars)), env, ...(spec.cwd ? { cwd: substitute(spec.cwd, vars) } : {}) };
}

const quote = (text: string): string => `"${text.replace(/(["`\\])/g, '\\$1')}"`;

function writeScripts(dir: string, host: Host, specs: readonly ProcessSpec[]): void {
    const starts = specs.map((spec) => {
        const env = Object.entries(spec.env).map(([k, v]) => `${k}=${quote(v)}`);
        return [
            `# ${spec.name}`,
            `if ! running ${spec.name}; then`,
            `  (cd ${quote(spec.cwd ?? '${BUNDLE}')} && exec env -i PATH="$PATH" HOME="$HOME" ${env.join(' ')} ${quote(spec.command)} ${spec.args.map(quote).join(' ')}) >>"$BUNDLE/logs/${spec.name}.log" 2>&1 &`,
            `  echo $! >"$BUNDLE/pids/${spec.name}.pid"`,
            `  echo "started ${spec.name}"`,
            'fi',
        ].join('\n');
    });
    const header = [
        '#!/bin/sh',
        `# Starts the nodes of ${host.name} (${host.organization}, ${host.address}). Needs FABRIC_BIN_DIR and FABRIC_CFG_PATH`,
        '# (Fabric v3.1.5 binaries and their config folder) and, for chaincode servers, EDGETRUST_HOME (a built',
        '# EdgeTrust checkout) and node. Written by `npm run network:bundle`; see network/README.md, "Bundles".',
        'set -eu',
        'BUNDLE=$(cd "$(dirname "$0")" && pwd)',
        ': "${FABRIC_BIN_DIR:?set FABRIC_BIN_DIR to the Fabric v3.1.5 bin folder}"',
        ': "${FABRIC_CFG_PATH:?set FABRIC_CFG_PATH to the Fabric v3.1.5 config folder}"',
        'EDGETRUST_HOME=${EDGETRUST_HOME:-/opt/edgetrust/app}',
        'NODE=${NODE:-$(command -v node || echo node)}',
        'export BUNDLE FABRIC_BIN_DIR FABRIC_CFG_PATH EDGETRUST_HOME NODE',
        'mkdir -p "$BUNDLE/logs" "$BUNDLE/pids" "$BUNDLE/data"',
        'running() { [ -f "$BUNDLE/pids/$1.pid" ] && kill -0 "$(cat "$BUNDLE/pids/$1.pid")" 2>/dev/null; }',
    ];
    const footer = ['if [ "${1:-}" = "--foreground" ]; then', '  trap \'"$BUNDLE/stop.sh"; exit 0\' TERM INT', '  while :; do sleep 3600 & wait $!; done', 'fi'];
    writeExecutable(join(dir, 'start.sh'), [...header, ...starts, ...footer].join('\n'));
    writeExecutable(
        join(dir, 'stop.sh'),
        [
            '#!/bin/sh',
            `# Stops the nodes start.sh started on ${host.name}.`,
            'BUNDLE=$(cd "$(dirname "$0")" && pwd)',
            'for f in "$BUNDLE"/pids/*.pid; do [ -f "$f" ] || continue; kill "$(cat "$f")" 2>/dev/null && echo "stopped $(basename "$f" .pid)"; rm -f "$f"; done',
        ].join('\n'),
    );
    writeFileSync(
        join(dir, `edgetrust-${host.name}.service`),
        [
            '[Unit]',
            `Description=EdgeTrust ${host.organization} nodes on ${host.name} (${host.address})`,
            'After=network-online.target',
            'Wants=network-online.target',
            '',
            '[Service]',
            'Type=simple',
            `WorkingDirectory=/opt/edgetrust/${host.name}`,
            'Environment=FABRIC_BIN_DIR=/opt/fabric/bin FABRIC_CFG_PATH=/opt/fabric/config EDGETRUST_HOME=/opt/edgetrust/app',
            `ExecStart=/opt/edgetrust/${host.name}/start.sh --foreground`,
            `ExecStop=/opt/edgetrust/${host.name}/stop.sh`,
            'KillMode=process',
            'Restart=on-failure',
            'LimitNOFILE=65536',
            '',
            '[Install]',
            'WantedBy=multi-user.target',
            '',
        ].join('\n'),
    );
}

function writeExecutable(file: string, text: string): void {
    writeFileSync(file, `${text}\n`);
    chmodSync(file, 0o755);
}

/** The organisation's applications' connection details and its admin's peer CLI environment. */
function writeApplicationFiles(network: Network, fabric: FabricInstallation, dir: string, org: Organization, vars: Variables): void {
    const rel = (file: string): string => relative(network.dir, file);
    const keyOf = (userFolder: string): string => {
        const keystore = join(userFolder, 'msp', 'keystore');
        return join(keystore, readdirSync(keystore)[0] ?? '');
    };
    const profile = {
        name: network.name,
        channel: network.channel.name,
        channels: Object.fromEntries(
            network.channels.map((c) => [c.name, { latencyClass: c.latencyClass, batchTimeout: c.batchTimeout, maxMessageCount: c.maxMessageCount, chaincodes: chaincodesOn(network.chaincodes, c.name) }]),
        ),
        deploymentMode: network.mode,
        chaincodes: Object.fromEntries(network.chaincodes.map((c) => [c.name, c.name])),
        organizations: {
            [org.name]: {
                mspId: org.mspId,
                role: org.role,
                peers: org.peers.map((p) => ({ name: p.host, endpoint: `${p.address}:${String(p.port)}`, hostAlias: p.host, tier: p.tier, site: p.site, tlsCACertPath: rel(join(p.cryptoDir, 'tls', 'ca.crt')) })),
                users: Object.fromEntries(
                    ['Admin', 'User1'].map((user) => {
                        const folder = userDir(org, user);
                        return [user, { certPath: rel(join(folder, 'msp', 'signcerts', `${user}@${org.domain}-cert.pem`)), keyPath: rel(keyOf(folder)) }];
                    }),
                ),
            },
        },
    };
    writeFileSync(join(dir, 'connection.json'), `${JSON.stringify(profile, null, 2)}\n`);
    const common = JSON.parse(substitute(JSON.stringify(commonConnectionProfile(network, org, network.chaincodes)), vars)) as object;
    writeFileSync(join(dir, 'connection-profile.json'), `${JSON.stringify(common, null, 2)}\n`);
    const orderer = network.orderers[0];
    const env: Record<string, string> = {
        ...peerAdminEnv(fabric, org),
        FABRIC_LOGGING_SPEC: PEER_CLI_LOGGING,
        CHANNEL_NAME: network.channel.name,
        CHANNEL_NAMES: network.channels.map((c) => c.name).join(' '),
        ORDERER_ADDRESS: orderer ? `${orderer.address}:${String(orderer.port)}` : '',
        ORDERER_TLS_HOSTNAME: orderer?.host ?? '',
        ORDERER_CA: ordererTlsCa(network),
    };
    const lines = Object.entries(env).map(([k, v]) => `export ${k}="${substitute(v, vars)}"`);
    writeFileSync(join(dir, 'admin.env'), [`# ${org.name} admin for the peer CLI: BUNDLE=<this folder> FABRIC_CFG_PATH=... source admin.env`, 'export BUNDLE=${BUNDLE:-$(pwd)}', ...lines, ''].join('\n'));
}

function chaincodesOn(chaincodes: readonly DeployedChaincode[], channel: string): string[] {
    return chaincodes.filter((c) => c.channels.includes(channel)).map((c) => c.name);
}

/** Every file under a folder, relative to it. */
export function filesUnder(dir: string): string[] {
    if (!existsSync(dir)) {
        return [];
    }
    return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile());
}

/** Every private key of the network's crypto folder (cryptogen's `keystore/*`, CA `priv_sk`, TLS `*.key`), with its owner. */
export function privateKeys(network: Network): { owner: string; file: string }[] {
    const owners = [{ name: network.ordererOrg.name, cryptoDir: network.ordererOrg.cryptoDir }, ...network.organizations];
    return owners.flatMap((o) =>
        filesUnder(o.cryptoDir)
            .filter((f) => f.includes('keystore/') || f.endsWith('priv_sk') || f.endsWith('.key'))
            .map((f) => ({ owner: o.name, file: join(o.cryptoDir, f) })),
    );
}

/**
 * Files of a bundle that hold a private key of another organisation than the host's, compared by content (so a
 * renamed or moved copy is found too). Empty for a correct bundle.
 */
export function foreignPrivateKeys(network: Network, bundleDir: string, host: Host): string[] {
    const foreign = new Set(privateKeys(network).filter((k) => k.owner !== host.organization).map((k) => readFileSync(k.file, 'utf8').trim()));
    return filesUnder(bundleDir).filter((f) => foreign.has(readFileSync(join(bundleDir, f), 'utf8').trim()));
}
