// `npm run bench -- <name> [...]`: benchmarks on a network of their own (own folder and ports), made fresh for the run
// and stopped afterwards. Figures are printed, never asserted: these machines are shared and noisy, so compare
// ratios measured side by side in one run. BENCH_KEEP_NETWORK=1 reuses a running benchmark network and leaves it up.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build, ensureDependencies, network, ROOT, run, say } from './lib.mjs';

// `--sweep`: the throughput benchmarks (evidence, billing, device) at rising concurrency until throughput stops rising.
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const names = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const available = readdirSync(join(ROOT, 'bench', 'src'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'stats.ts' && f !== 'chaos.ts')
    .map((f) => f.replace(/\.ts$/, ''))
    // Hyperledger Caliper 0.6 driving the same network: bench/caliper (installed into bench/caliper/.caliper on first use).
    .concat('caliper');
if (names.length === 0 || names.some((n) => !available.includes(n))) {
    console.error(`usage: npm run bench -- <${available.join('|')}> [...] [--sweep]`);
    process.exit(2);
}
const keep = process.env.BENCH_KEEP_NETWORK === '1';
ensureDependencies();
build();
const env = {
    EDGETRUST_NETWORK_DIR: process.env.EDGETRUST_BENCH_NETWORK_DIR ?? join(ROOT, '.edgetrust', 'bench-network'),
    EDGETRUST_PORT_BASE: process.env.EDGETRUST_BENCH_PORT_BASE ?? '27000',
    // Benchmarks that run chaincode in-process (billing's period close) would print every decorator otherwise.
    CORE_CHAINCODE_LOGGING_LEVEL: process.env.CORE_CHAINCODE_LOGGING_LEVEL ?? 'warning',
    ...(flags.includes('--sweep') ? { BENCH_SWEEP: '1' } : {}),
};
if (!keep) {
    network(['clean'], env);
}
say(`Benchmark network in ${env.EDGETRUST_NETWORK_DIR} (port base ${env.EDGETRUST_PORT_BASE}), with the baseline chaincode`);
if (network(['up', '--with-benchmark'], env) !== 0) {
    process.exit(1);
}
let code = 0;
for (const name of names) {
    say(`bench ${name}`);
    const script = name === 'caliper' ? join(ROOT, 'bench', 'caliper', 'run.mjs') : join(ROOT, 'bench', 'dist', `${name}.js`);
    code ||= run(process.execPath, [script], env);
}
if (!keep) {
    network(['down'], env);
}
process.exit(code);
