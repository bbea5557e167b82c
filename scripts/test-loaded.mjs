// `npm run test:loaded`: the README's `npm test` while every core is kept busy by a CPU hog this script starts and
// stops, to show the suite does not depend on a quiet machine. Uses stress-ng when installed, plain Node loops otherwise.
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ROOT, run, say } from './lib.mjs';

const cores = Number(process.env.EDGETRUST_HOG_CPUS ?? availableParallelism());
const hasStressNg = spawnSync('stress-ng', ['--version'], { stdio: 'ignore' }).status === 0;
const hogs = hasStressNg
    ? [spawn('stress-ng', ['--cpu', String(cores), '--quiet'], { stdio: 'ignore', detached: true })]
    : Array.from({ length: cores }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore', detached: true }));
say(`CPU hog: ${hasStressNg ? `stress-ng --cpu ${String(cores)}` : `${String(cores)} busy Node loops`} (pids ${hogs.map((h) => h.pid).join(', ')})`);

const stopHogs = () => {
    for (const hog of hogs) {
        try {
            process.kill(-hog.pid, 'SIGKILL');
        } catch {
            // already gone
        }
    }
};
process.on('exit', stopHogs);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

const code = run(process.execPath, [join(ROOT, 'scripts', 'test.mjs'), ...process.argv.slice(2)]);
stopHogs();
say(`npm test under a ${String(cores)}-core CPU hog exited ${String(code)}`);
process.exit(code);
