#!/usr/bin/env node
import { clean, deploy, down, restartChaincodes, status, up, type UpOptions } from './network';
import { ensureFabric, FabricUnavailableError } from './binaries';
import { packageForNodeBuilder } from './node-package';
import { type Network, networkFromEnv } from './topology';

const USAGE = `usage: edgetrust-network <install|up|deploy|status|restart-chaincodes [name...]|package [name...]|down|clean> [--with-benchmark]
environment: EDGETRUST_NETWORK_DIR (default .edgetrust/network), EDGETRUST_PORT_BASE (default 7000),
             EDGETRUST_DEPLOYMENT_MODE (hybrid | on-mec | off-mec),
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

const COMMANDS: Readonly<Record<string, Command>> = {
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
