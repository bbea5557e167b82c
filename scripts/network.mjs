// npm run network:<command>: makes sure the scripts are built, then runs the network CLI.
import { existsSync } from 'node:fs';
import { build, ensureDependencies, network, NETWORK_CLI } from './lib.mjs';

// Looking at or stopping a network needs no fresh build: answer at once when the scripts are built.
const READ_ONLY = new Set(['status', 'down', 'clean']);
if (!(READ_ONLY.has(process.argv[2]) && existsSync(NETWORK_CLI))) {
    ensureDependencies();
    build();
}
process.exit(network(process.argv.slice(2)));
