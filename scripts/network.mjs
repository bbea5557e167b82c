// npm run network:<command>: makes sure the scripts are built, then runs the network CLI.
import { build, ensureDependencies, network } from './lib.mjs';

ensureDependencies();
build();
process.exit(network(process.argv.slice(2)));
