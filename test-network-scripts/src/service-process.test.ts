import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down, SERVICE_PROCESS, startService } from './network';
import { isRunning, pidFile, stopProcess } from './processes';
import { loadNetwork, type Network } from './topology';

/*
 * `npm start` runs the service as one of the network's processes, so that `network:down` stops it (and only it).
 * A real child process stands in for the service: node waiting a minute.
 */

const WAIT = ['-e', 'setTimeout(() => undefined, 60_000)', 'edgetrust-service-stand-in'];

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return !readFileSync(`/proc/${String(pid)}/stat`, 'utf8').includes(') Z');
    } catch {
        return false;
    }
}

async function gone(pid: number): Promise<boolean> {
    for (let i = 0; i < 50 && alive(pid); i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return !alive(pid);
}

describe('the service npm start launches', () => {
    let dir: string;
    let network: Network;
    const started: number[] = [];

    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'edgetrust-service-'));
        network = loadNetwork({ dir, portBase: 17000 });
    });

    afterEach(() => {
        for (const pid of started.splice(0)) {
            if (alive(pid)) {
                process.kill(pid, 'SIGKILL');
            }
        }
        rmSync(dir, { recursive: true, force: true });
    });

    it('is stopped by network down, its pid record removed', async () => {
        const pid = startService(network, { command: process.execPath, args: WAIT, env: {} });
        started.push(pid);
        expect(isRunning(network.paths.pids, SERVICE_PROCESS)).toBe(true);
        const told: string[] = [];
        await down(network, (line) => told.push(line));
        expect(told).toContain(`stopped ${SERVICE_PROCESS}`);
        await expect(gone(pid)).resolves.toBe(true);
        expect(isRunning(network.paths.pids, SERVICE_PROCESS)).toBe(false);
    });

    it('is not signalled when its pid now runs another command line (a reused pid)', async () => {
        const pid = startService(network, { command: process.execPath, args: WAIT, env: {} });
        started.push(pid);
        // The record as it would read had the service exited and the system given its pid to another node process.
        const file = pidFile(network.paths.pids, SERVICE_PROCESS);
        const record = JSON.parse(readFileSync(file, 'utf8')) as { commandLine: string };
        expect(record.commandLine).toBe([process.execPath, ...WAIT].join(' '));
        writeFileSync(file, JSON.stringify({ ...record, commandLine: `${process.execPath} another-program.js` }));
        expect(isRunning(network.paths.pids, SERVICE_PROCESS)).toBe(false);
        await expect(stopProcess(network.paths.pids, SERVICE_PROCESS, 200)).resolves.toBe(false);
        expect(alive(pid)).toBe(true);
    });
});
