#!/usr/bin/env node
import { clean, deploy, down, restartChaincodes, status, up, type UpOptions } from './network';
import { ensureFabric, FabricUnavailableError } from './binaries';
import { packageForNodeBuilder } from './node-package';
import { writeBundle } from './bundle';
import { bundlesDown, bundlesUp } from './bundle-run';
import { addOrganization, removeOrganization } from './consortium';
import { joinableOrganization, type Network, networkFromEnv, type OrganizationSpec, type Tier } from './topology';

const USAGE = `usage: edgetrust-network <install|up|deploy|status|restart-chaincodes [name...]|package [name...]|down|clean> [--with-benchmark]
       edgetrust-network bundle <host...>   (what one host needs on a machine of its own; hosts: network/topology.json)
       edgetrust-network bundles-up | bundles-down   (EDGETRUST_HOSTS=netns: every host's bundle run in its namespace)
       edgetrust-network add-org <Name> [--msp-id <id>] [--peers <n>] [--tier edge|cloud] [--site <site>] [--role <text>] [--endorses <chaincode,...>]
       edgetrust-network remove-org <Name>
environment: EDGETRUST_NETWORK_DIR (default .edgetrust/network), EDGETRUST_PORT_BASE (default 7000),
             EDGETRUST_DEPLOYMENT_MODE (hybrid | on-mec | off-mec), EDGETRUST_HOSTS (loopback | netns | topology),
             EDGETRUST_LINK_DELAYS=1 (netns: delays between hosts by tier),
             EDGETRUST_BATCH_TIMEOUT (e.g. 2s, for a new channel), EDGETRUST_CONSENSUS (raft | bft, for a new channel),
             FABRIC_BIN_DIR (pre-built Fabric v3.1.5 binaries), FABRIC_RELEASE_TARBALL and FABRIC_RELEASE_SHA256 (offline install)`;

/** Exit code when Fabric itself can't be had on this machine, so callers can tell it from a failure of ours. */
export const EXIT_FABRIC_UNAVAILABLE = 3;

const log = (line: string): void => {
    console.log(`[network] ${line}`);
};

type Command = (network: Network, args: string[], options: UpOptions) => Promise<number>;

/** Names given after the command (flags left out); empty means all. */
const namesIn = (args: string[]): string[] => args.filter((a) => !a.startsWith('--'));

async function printStatus(network: Network): Promise<number> {
    const rows = await status(network);
    console.log(`network ${network.name} in ${network.dir} (mode ${network.mode}, port base ${String(network.portBase)})`);
    for (const row of rows) {
        const rss = row.rssMiB === undefined ? '' : `  rss ${String(row.rssMiB)} MiB`;
        console.log(`  ${row.running ? 'running' : 'stopped'}  ${row.name.padEnd(34)} ${row.detail}${rss}`);
    }
    return rows.every((r) => r.running) ? 0 : 1;
}

/** The value after `--flag`, if given. */
function flag(args: string[], name: string): string | undefined {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
}

/** The joining organisation: as network/topology.json describes it (joinableOrganizations), or from the flags. */
function organizationSpec(args: string[]): OrganizationSpec {
    const name = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
    if (!name || !/^[A-Z][A-Za-z0-9]*Org$/.test(name)) {
        throw new Error(`add-org needs the organisation's name, e.g. RegulatorOrg (a capitalised name ending in Org)\n${USAGE}`);
    }
    const known = joinableOrganization(name);
    return {
        ...known,
        name,
        mspId: flag(args, 'msp-id') ?? known?.mspId ?? `${name}MSP`,
        role: flag(args, 'role') ?? known?.role ?? 'member',
        endorses: flag(args, 'endorses')?.split(',') ?? known?.endorses,
        peers: peerSpecs(args, name, known),
    };
}

/** The joining organisation's peers: `--peers`, `--tier` and `--site` over what the topology says. */
function peerSpecs(args: string[], name: string, known: OrganizationSpec | undefined): OrganizationSpec['peers'] {
    const count = Number(flag(args, 'peers') ?? known?.peers.length ?? 1);
    return Array.from({ length: count }, (_, i) => {
        const peer = known?.peers[i];
        return { name: `peer${String(i)}`, tier: (flag(args, 'tier') ?? peer?.tier ?? 'cloud') as Tier, site: flag(args, 'site') ?? peer?.site ?? `${name.toLowerCase()}-site` };
    });
}

const COMMANDS: Readonly<Record<string, Command>> = {
    'add-org': async (network, args) => addOrganization(network, organizationSpec(args), log).then(() => 0),
    'remove-org': async (network, args) => {
        const [name] = namesIn(args);
        if (!name) {
            throw new Error(`remove-org needs the organisation's name\n${USAGE}`);
        }
        return removeOrganization(network, name, log).then(() => 0);
    },
    bundle: async (network, args) => {
        const hosts = namesIn(args);
        if (hosts.length === 0) {
            throw new Error(`bundle needs a host: ${network.hosts.map((h) => h.name).join(', ')}\n${USAGE}`);
        }
        const fabric = await ensureFabric(log);
        for (const host of hosts) {
            await writeBundle(network, fabric, host, log);
        }
        return 0;
    },
    'bundles-up': async (network) => bundlesUp(network, log).then(() => 0),
    'bundles-down': (network) => {
        bundlesDown(network, log);
        return Promise.resolve(0);
    },
    install: async () => {
        const fabric = await ensureFabric(log);
        log(`Fabric binaries: ${fabric.binDir} (${fabric.source}); config: ${fabric.configDir}`);
        return 0;
    },
    up: async (network, _args, options) => up(network, log, options).then(() => 0),
    deploy: async (network, _args, options) => deploy(network, log, options).then(() => 0),
    'restart-chaincodes': async (network, args) => restartChaincodes(network, log, namesIn(args)).then(() => 0),
    package: (network, args) => {
        const names = namesIn(args);
        for (const chaincode of network.chaincodes.filter((c) => names.length === 0 || names.includes(c.name))) {
            log(`node-builder package: ${packageForNodeBuilder(network, chaincode, log)}`);
        }
        return Promise.resolve(0);
    },
    status: printStatus,
    down: async (network) => down(network, log).then(() => 0),
    clean: async (network) => clean(network, log).then(() => 0),
};

async function main(argv: string[]): Promise<number> {
    const [name = '', ...args] = argv;
    const command = COMMANDS[name];
    if (!command) {
        console.error(USAGE);
        return 2;
    }
    return command(networkFromEnv(), args, { withBenchmark: args.includes('--with-benchmark') });
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
        if (err instanceof FabricUnavailableError) {
            console.error(`[network] Fabric is not available: ${err.message}`);
            process.exit(EXIT_FABRIC_UNAVAILABLE);
        }
        console.error(`[network] ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
    },
);
