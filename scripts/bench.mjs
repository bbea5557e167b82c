// `npm run bench -- <name> [...]`: benchmarks on a network of their own (own folder and ports), stopped afterwards.
// Figures are printed, never asserted: these machines are shared and noisy, so compare ratios measured in one run.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build, ensureDependencies, network, ROOT, run, say } from './lib.mjs';

const names = process.argv.slice(2);
const available = readdirSync(join(ROOT, 'bench', 'src')).filter((f) => f.endsWith('.ts') && !['stats.ts', 'index.ts'].includes(f) && !f.endsWith('.test.ts')).map((f) => f.replace(/\.ts$/, ''));
if (names.length === 0 || names.some((n) => !available.includes(n))) {
    console.error(`usage: npm run bench -- <${available.join('|')}> [...]`);
    process.exit(2);
}
ensureDependencies();
build();
const env = {
    EDGETRUST_NETWORK_DIR: process.env.EDGETRUST_BENCH_NETWORK_DIR ?? join(ROOT, '.edgetrust', 'bench-network'),
    EDGETRUST_PORT_BASE: process.env.EDGETRUST_BENCH_PORT_BASE ?? '27000',
};
say(`Benchmark network in ${env.EDGETRUST_NETWORK_DIR} (port base ${env.EDGETRUST_PORT_BASE}), with the baseline chaincode`);
const keep = existsSync(join(env.EDGETRUST_NETWORK_DIR, 'pids')) && process.env.BENCH_KEEP_NETWORK === '1';
if (network(['up', '--with-benchmark'], env) !== 0) {
    process.exit(1);
}
let code = 0;
for (const name of names) {
    say(`bench ${name}`);
    code ||= run(process.execPath, [join(ROOT, 'bench', 'dist', `${name}.js`)], env);
}
if (!keep && process.env.BENCH_KEEP_NETWORK !== '1') {
    network(['down'], env);
}
process.exit(code);
