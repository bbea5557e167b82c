import { kill } from './chaos/kill';
import { partition } from './chaos/partition';
import { replicas } from './chaos/replicas';
import { restartScenario } from './chaos/restart';
import { soak } from './chaos/soak';

/**
 * `npm run chaos -- <scenario> [...]` (scripts/chaos.mjs starts a network of its own first). Scenarios, each
 * described where it is written: kill (chaos/kill.ts), restart (chaos/restart.ts), partition (chaos/partition.ts),
 * replicas (chaos/replicas.ts), soak (chaos/soak.ts).
 */
const SCENARIOS: Record<string, (args: readonly string[]) => Promise<void>> = {
    kill,
    restart: restartScenario,
    partition,
    replicas,
    soak,
};

async function main(): Promise<void> {
    const [scenario = '', ...args] = process.argv.slice(2);
    const run = SCENARIOS[scenario];
    if (!run) {
        console.error(`usage: npm run chaos -- <${Object.keys(SCENARIOS).join('|')}> [...]`);
        process.exit(2);
    }
    await run(args);
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
