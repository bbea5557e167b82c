// `npm start`: install what is missing, bring the network up, deploy, run the demo, leave the network running.
import { build, ensureDependencies, EXIT_FABRIC_UNAVAILABLE, network, run, ROOT, say } from './lib.mjs';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
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
const networkDir = process.env.EDGETRUST_NETWORK_DIR ?? join(ROOT, '.edgetrust', 'network');
const serviceDir = join(networkDir, 'service');
mkdirSync(serviceDir, { recursive: true });
const log = openSync(join(networkDir, 'logs', 'service.log'), 'a');
const service = spawn(process.execPath, [join(ROOT, 'cli', 'dist', 'main.js'), 'serve'], { cwd: ROOT, detached: true, stdio: ['ignore', log, log] });
service.unref();
writeFileSync(join(serviceDir, 'service.pid'), `${service.pid}\n`);
const port = Number(process.env.EDGETRUST_SERVICE_PORT ?? Number(process.env.EDGETRUST_PORT_BASE ?? 7000) + 300);
for (let i = 0; i < 100 && !(await fetch(`http://127.0.0.1:${port}/`).then(() => true, (e) => e?.cause?.code !== 'ECONNREFUSED')); i += 1) {
    await sleep(200);
}
const serviceDemo = run(process.execPath, [join(ROOT, 'service', 'dist', 'demo.js')]);
console.log(`\nThe service is running on https://127.0.0.1:${port} (log: ${join(networkDir, 'logs', 'service.log')}; stop: kill $(cat ${join(serviceDir, 'service.pid')})); curl calls: README.md, "The REST API".`);
console.log(`\nThe web console: https://127.0.0.1:${port}/ (sign in with an API key from ${join(serviceDir, 'api-keys')}, e.g. edgeorg-user1.key; the certificate is issued by the network's TLS CA, ${join(serviceDir, 'tls', 'ca.crt')}: trust it or accept the browser's warning). See console/README.md.`);
console.log('\nThe network is still running. Status: npm run network:status   Stop: npm run network:down   Remove everything: npm run network:clean');
process.exit(demo || serviceDemo);
