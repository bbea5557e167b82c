// `npm start`: install what is missing, bring the network up, deploy, run the demo, leave the network running.
import { build, ensureDependencies, EXIT_FABRIC_UNAVAILABLE, network, run, ROOT, say } from './lib.mjs';
import { join } from 'node:path';

ensureDependencies();
build();
say('Installing Fabric v3.1.5 binaries if missing');
const installed = network(['install']);
if (installed !== 0) {
    process.exit(installed === EXIT_FABRIC_UNAVAILABLE ? 1 : installed);
}
say('Bringing the EdgeTrust test network up');
const up = network(['up']);
if (up !== 0) {
    console.error('The network did not come up: see the messages above and the node logs in .edgetrust/network/logs.');
    process.exit(up);
}
say('Demo: the main flow through the SDK');
const demo = run(process.execPath, [join(ROOT, 'test-network-scripts', 'dist', 'demo.js')]);
console.log('\nThe network is still running. Status: npm run network:status   Stop: npm run network:down   Remove everything: npm run network:clean');
process.exit(demo);
