#!/usr/bin/env node
import { clean, deploy, down, restartChaincodes, status, up } from './network';
import { ensureFabric, FabricUnavailableError } from './binaries';
import { networkFromEnv } from './topology';

const USAGE = `usage: edgetrust-network <install|up|deploy|status|restart-chaincodes [name...]|down|clean> [--with-benchmark]
environment: EDGETRUST_NETWORK_DIR (default .edgetrust/network), EDGETRUST_PORT_BASE (default 7000),
             EDGETRUST_DEPLOYMENT_MODE (hybrid | on-mec | off-mec),
             EDGETRUST_BATCH_TIMEOUT (e.g. 2s, for a new channel), FABRIC_BIN_DIR (pre-built Fabric v3.1.5 binaries)`;

/** Exit code when Fabric itself can't be had on this machine, so callers can tell it from a failure of ours. */
export const EXIT_FABRIC_UNAVAILABLE = 3;

async function main(argv: string[]): Promise<number> {
    const [command] = argv;
    const log = (line: string): void => console.log(`[network] ${line}`);
    const network = networkFromEnv();
    const options = { withBenchmark: argv.includes('--with-benchmark') };
    switch (command) {
        case 'install': {
            const fabric = ensureFabric(log);
            log(`Fabric binaries: ${fabric.binDir} (${fabric.source}); config: ${fabric.configDir}`);
            return 0;
        }
        case 'up':
            await up(network, log, options);
            return 0;
        case 'deploy':
            await deploy(network, log, options);
            return 0;
        case 'restart-chaincodes':
            await restartChaincodes(network, log, argv.slice(1).filter((a) => !a.startsWith('--')));
            return 0;
        case 'status': {
            const rows = await status(network);
            console.log(`network ${network.name} in ${network.dir} (mode ${network.mode}, port base ${String(network.portBase)})`);
            for (const row of rows) {
                const rss = row.rssMiB === undefined ? '' : `  rss ${String(row.rssMiB)} MiB`;
                console.log(`  ${row.running ? 'running' : 'stopped'}  ${row.name.padEnd(34)} ${row.detail}${rss}`);
            }
            return rows.every((r) => r.running) ? 0 : 1;
        }
        case 'down':
            await down(network, log);
            return 0;
        case 'clean':
            await clean(network, log);
            return 0;
        default:
            console.error(USAGE);
            return 2;
    }
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
