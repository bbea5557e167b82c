// `npm test`: unit tests, then integration and scenario tests against a network this script starts and stops.
// The test network has its own folder and ports, so a network left running by `npm start` is not disturbed.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, ensureChromium, ensureDependencies, EXIT_FABRIC_UNAVAILABLE, network, ROOT, run, say } from './lib.mjs';

const integrationOnly = process.argv.includes('--integration');
const results = [];
const reportDir = join(ROOT, '.edgetrust', 'test-reports');
mkdirSync(reportDir, { recursive: true });

function jest(project, env = {}) {
    const outputFile = join(reportDir, `${project}.json`);
    const code = run(process.execPath, [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--selectProjects', project, '--json', `--outputFile=${outputFile}`], env);
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    try {
        const report = JSON.parse(readFileSync(outputFile, 'utf8'));
        passed = report.numPassedTests;
        failed = report.numFailedTests + report.numRuntimeErrorTestSuites;
        skipped = report.numPendingTests + report.numTodoTests;
    } catch {
        failed = 1;
    }
    results.push({ project, code, passed, skipped, failed: code !== 0 && failed === 0 ? 1 : failed });
}

ensureDependencies();
build();
if (!integrationOnly) {
    say('Lint (eslint, one setup for every package)');
    const lint = run(process.execPath, [join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.']);
    results.push({ project: 'lint', code: lint, passed: lint === 0 ? 1 : 0, failed: lint === 0 ? 0 : 1 });
    // The SDK's API reference is generated from its TSDoc; a broken link or an exported type left out fails here.
    say('API reference of the gateway SDK (typedoc, warnings are errors)');
    const docs = run(process.execPath, [join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--options', join(ROOT, 'gateway-sdk', 'typedoc.json')]);
    results.push({ project: 'api-docs', code: docs, passed: docs === 0 ? 1 : 0, failed: docs === 0 ? 0 : 1 });
    say('Unit tests');
    jest('unit');
}

say('Integration tests: preparing Fabric v3.1.5');
const testNetwork = {
    EDGETRUST_NETWORK_DIR: process.env.EDGETRUST_TEST_NETWORK_DIR ?? join(ROOT, '.edgetrust', 'test-network'),
    EDGETRUST_PORT_BASE: process.env.EDGETRUST_TEST_PORT_BASE ?? '17000',
};
const requireFabric = process.env.EDGETRUST_REQUIRE_FABRIC === '1';
const installed = network(['install'], testNetwork);
let integrationNote = '';
if (installed === EXIT_FABRIC_UNAVAILABLE && !requireFabric) {
    integrationNote = 'integration: NOT RUN, Fabric binaries unavailable on this machine (see the error above; set EDGETRUST_REQUIRE_FABRIC=1 to make this a failure)';
} else if (installed !== 0) {
    results.push({ project: 'integration', code: installed, passed: 0, failed: 1 });
} else {
    network(['clean'], testNetwork);
    say(`Starting the test network in ${testNetwork.EDGETRUST_NETWORK_DIR} (port base ${testNetwork.EDGETRUST_PORT_BASE})`);
    const up = network(['up'], testNetwork);
    if (up !== 0) {
        results.push({ project: 'integration', code: up, passed: 0, failed: 1 });
    } else {
        // The console's browser tests need a Chromium; without one they fail (and say why) rather than pass quietly.
        const chromium = ensureChromium();
        say('Integration and scenario tests against the real network');
        jest('integration', { EDGETRUST_CONNECTION_PROFILE: join(testNetwork.EDGETRUST_NETWORK_DIR, 'connection.json'), ...(chromium ? { EDGETRUST_CHROMIUM: chromium } : {}) });
    }
    say('Stopping the test network (logs stay in its folder until the next run)');
    network(['down'], testNetwork);
}

// Where Fabric is required (CI), integration tests that did not all run are a failure, not a quiet pass.
const integration = results.find((r) => r.project === 'integration');
if (requireFabric) {
    if (!integration || integration.passed === 0) {
        if (!integration) {
            results.push({ project: 'integration-required', code: 1, passed: 0, failed: 1 });
        }
        integrationNote = 'integration: REQUIRED but no integration test ran (EDGETRUST_REQUIRE_FABRIC=1)';
    } else if (integration.skipped > 0) {
        integration.code ||= 1;
        integration.failed += integration.skipped;
        integrationNote = `integration: ${String(integration.skipped)} test(s) skipped, which counts as failed with EDGETRUST_REQUIRE_FABRIC=1`;
    }
}

console.log('\n==> Summary');
for (const r of results) {
    if (r.project === 'lint') {
        console.log(`lint: ${r.code === 0 ? 'clean' : 'FAILED'}`);
    } else if (r.project !== 'integration-required') {
        console.log(`${r.project}: ${r.passed} passed, ${r.failed} failed${r.skipped ? ` (${r.skipped} skipped)` : ''}`);
    }
}
if (integrationNote) {
    console.log(integrationNote);
}
const tests = results.filter((r) => r.project !== 'lint');
const passed = tests.reduce((n, r) => n + r.passed, 0);
const failed = tests.reduce((n, r) => n + r.failed, 0);
console.log(`total: ${passed} passed, ${failed} failed`);
process.exit(results.some((r) => r.code !== 0) ? 1 : 0);
