// `npm start`: install what is missing, bring the network up, deploy, run the demo, leave the network running.
import { build, ensureDependencies, EXIT_FABRIC_UNAVAILABLE, network, run, ROOT, say } from './lib.mjs';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdirSync } from 'node:fs';
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
say('Starting the EdgeTrust service (REST API, event streams) and talking to it over HTTPS');
// The service runs as one of the network's processes (its pid record beside the nodes'), so network:down stops it.
const { networkFromEnv, startService } = createRequire(import.meta.url)(join(ROOT, 'test-network-scripts', 'dist', 'index.js'));
const testNetwork = networkFromEnv();
const networkDir = testNetwork.dir;
const serviceDir = join(networkDir, 'service');
mkdirSync(serviceDir, { recursive: true });
const env = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== undefined));
startService(testNetwork, { command: process.execPath, args: [join(ROOT, 'cli', 'dist', 'main.js'), 'serve'], env, cwd: ROOT });
const port = Number(process.env.EDGETRUST_SERVICE_PORT ?? Number(process.env.EDGETRUST_PORT_BASE ?? 7000) + 300);
for (let i = 0; i < 100 && !(await fetch(`http://127.0.0.1:${port}/`).then(() => true, (e) => e?.cause?.code !== 'ECONNREFUSED')); i += 1) {
    await sleep(200);
}
const serviceDemo = run(process.execPath, [join(ROOT, 'service', 'dist', 'demo.js')]);
console.log(`\nThe service is running on https://127.0.0.1:${port} (log: ${join(networkDir, 'logs', 'service.log')}; npm run network:down stops it with the network); curl calls: README.md, "The REST API".`);
console.log(`\nThe web console: https://127.0.0.1:${port}/ (sign in with an API key from ${join(serviceDir, 'api-keys')}, e.g. edgeorg-user1.key; the certificate is issued by the network's TLS CA, ${join(serviceDir, 'tls', 'ca.crt')}: trust it or accept the browser's warning). See console/README.md.`);
console.log('\nThe network and the service are still running. Status: npm run network:status   Stop both: npm run network:down   Remove everything: npm run network:clean');
process.exit(demo || serviceDemo);
