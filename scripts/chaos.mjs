// `npm run chaos -- <scenario> [...]`: crash scenarios on a network of their own (own folder and ports), made fresh
// for the run and removed afterwards. Figures are printed, never asserted (see docs/reliability.md).
import { join } from 'node:path';
import { build, ensureDependencies, network, ROOT, run, say } from './lib.mjs';

ensureDependencies();
build();
const env = {
    EDGETRUST_NETWORK_DIR: process.env.EDGETRUST_CHAOS_NETWORK_DIR ?? join(ROOT, '.edgetrust', 'chaos-network'),
    EDGETRUST_PORT_BASE: process.env.EDGETRUST_CHAOS_PORT_BASE ?? '29000',
};
network(['clean'], env);
say(`Chaos network in ${env.EDGETRUST_NETWORK_DIR} (port base ${env.EDGETRUST_PORT_BASE})`);
if (network(['up'], env) !== 0) {
    process.exit(1);
}
const code = run(process.execPath, [join(ROOT, 'bench', 'dist', 'chaos.js'), ...process.argv.slice(2)], env);
network(['down'], env);
process.exit(code);
