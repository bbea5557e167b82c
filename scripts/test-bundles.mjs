// `npm run test:bundles`: the consortium run from its per-host bundles, each in a network namespace of its own on
// this machine (EDGETRUST_HOSTS=netns), and the integration tests run against it from this machine's namespace (the
// applications' side of the hosts' bridge). Left out: the tests that replace the scripts' own processes (a tampered
// chaincode server, an organisation joining: consortium and the compute scenario's regulator), which on hosts of their own belong to the hosts' bundles. Needs root.
import { join } from 'node:path';
import { build, ensureChromium, ensureDependencies, network, ROOT, run, say } from './lib.mjs';

const LEFT_OUT = ['test/integration/attack-tampered-peer.test.ts', 'test/scenario/consortium.test.ts', 'test/scenario/compute-exchange.test.ts'];
const env = {
    EDGETRUST_HOSTS: 'netns',
    EDGETRUST_NETWORK_DIR: process.env.EDGETRUST_BUNDLE_NETWORK_DIR ?? join(ROOT, '.edgetrust', 'bundle-network'),
    EDGETRUST_PORT_BASE: process.env.EDGETRUST_TEST_PORT_BASE ?? '19000',
};
ensureDependencies();
build();
network(['bundles-down'], env);
network(['clean'], env);
say(`Host bundles in ${env.EDGETRUST_NETWORK_DIR}/bundles, each started in its own network namespace (port base ${env.EDGETRUST_PORT_BASE})`);
let code = network(['bundles-up'], env);
if (code === 0) {
    say(`Integration and scenario tests against the bundles (left out: ${LEFT_OUT.join(', ')})`);
    const only = process.argv.slice(2);
    const chromium = ensureChromium();
    code = run(process.execPath, [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), ...only, '--selectProjects', 'integration', '--testPathIgnorePatterns', ...LEFT_OUT, '/node_modules/', '/dist/'], {
        ...env,
        EDGETRUST_CONNECTION_PROFILE: join(env.EDGETRUST_NETWORK_DIR, 'connection.json'),
        ...(chromium ? { EDGETRUST_CHROMIUM: chromium } : {}),
    });
}
say('Stopping the bundles');
network(['bundles-down'], env);
process.exit(code);
