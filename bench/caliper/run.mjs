// The Caliper kit's one command, against a running EdgeTrust network (EDGETRUST_NETWORK_DIR, default
// .edgetrust/network): installs Hyperledger Caliper 0.6 into bench/caliper/.caliper (git-ignored) the first time and
// binds it to fabric-gateway 1.11 (bind.yaml), writes Caliper's network configuration from the network's common
// connection profiles and the workload fixtures (bench/src/support/caliper-kit.ts), then runs benchmark.yaml.
// `npm run bench -- caliper` (or `npm run bench:caliper`) runs it on a fresh network of its own.
// Extra arguments go to `caliper launch manager` (e.g. --caliper-benchconfig my-benchmark.yaml).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runOrExit, say } from '../../scripts/lib.mjs';

const KIT = join(ROOT, 'bench', 'caliper');
const HOME = join(KIT, '.caliper');
const WORK = process.env.EDGETRUST_CALIPER_WORK ?? join(HOME, 'work');
const CALIPER_VERSION = '0.6.0';
const BINDING = 'fabric:fabric-gateway-1.11';
const CALIPER = join(HOME, 'node_modules', '.bin', 'caliper');
const BOUND = join(HOME, `bound-${CALIPER_VERSION}-${BINDING.replace(':', '-')}`);

function ensureCaliper() {
    if (existsSync(CALIPER) && existsSync(BOUND)) {
        return;
    }
    mkdirSync(HOME, { recursive: true });
    // A package of its own, so npm installs here and not into the repository's workspaces.
    writeFileSync(join(HOME, 'package.json'), `${JSON.stringify({ name: 'edgetrust-caliper', private: true }, null, 2)}\n`);
    say(`Installing @hyperledger/caliper-cli@${CALIPER_VERSION} into ${HOME}`);
    runOrExit('npm', ['install', '--no-audit', '--no-fund', '--prefix', HOME, `@hyperledger/caliper-cli@${CALIPER_VERSION}`]);
    say(`Binding Caliper to ${BINDING} (bench/caliper/bind.yaml)`);
    runOrExit(CALIPER, ['bind', '--caliper-bind-sut', BINDING, '--caliper-bind-file', join(KIT, 'bind.yaml'), '--caliper-bind-cwd', HOME]);
    writeFileSync(BOUND, `${new Date().toISOString()}\n`);
}

ensureCaliper();
say('Caliper network configuration and workload fixtures from the running network');
runOrExit(process.execPath, [join(ROOT, 'bench', 'dist', 'support', 'caliper-kit.js'), WORK]);
say('caliper launch manager (benchmark.yaml, 1 worker)');
// Our settings, each replaced by the same option given on the command line (yargs would make a repeated one a list).
const given = process.argv.slice(2);
const settings = {
    '--caliper-workspace': KIT,
    '--caliper-networkconfig': join(WORK, 'network-config.json'),
    '--caliper-benchconfig': 'benchmark.yaml',
    '--caliper-report-path': join(WORK, 'report.html'),
};
const ours = Object.entries(settings).filter(([option]) => !given.includes(option)).flat();
runOrExit(CALIPER, ['launch', 'manager', ...ours, '--caliper-flow-only-test', ...given], { EDGETRUST_CALIPER_WORK: WORK });
say(`Caliper report: ${join(WORK, 'report.html')}`);
