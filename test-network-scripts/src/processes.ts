import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A long-running node of the network: orderer, peer or chaincode server. */
export interface ProcessSpec {
    name: string;
    command: string;
    args: string[];
    env: Record<string, string>;
    cwd?: string;
}

interface PidRecord {
    pid: number;
    command: string;
}

export function pidFile(pidsDir: string, name: string): string {
    return join(pidsDir, `${name}.json`);
}

export function logFile(logsDir: string, name: string): string {
    return join(logsDir, `${name}.log`);
}

/** True when the pid file names a live process that is still the one we started (not a reused pid). */
export function isRunning(pidsDir: string, name: string): boolean {
    const file = pidFile(pidsDir, name);
    if (!existsSync(file)) {
        return false;
    }
    const record = JSON.parse(readFileSync(file, 'utf8')) as PidRecord;
    try {
        process.kill(record.pid, 0);
        return readlinkSync(`/proc/${String(record.pid)}/exe`).length > 0 && commandOf(record.pid).includes(record.command);
    } catch {
        return false;
    }
}

function commandOf(pid: number): string {
    try {
        return readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
        return '';
    }
}

/** Starts a node detached from this process, logging to its own file, and records its pid. */
export function startProcess(spec: ProcessSpec, pidsDir: string, logsDir: string): number {
    mkdirSync(pidsDir, { recursive: true });
    mkdirSync(logsDir, { recursive: true });
    const out = openSync(logFile(logsDir, spec.name), 'a');
    // Only what the node needs from our environment, so the peer's CORE_* never leak into a chaincode server.
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...spec.env };
    const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env, detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    if (child.pid === undefined) {
        throw new Error(`could not start ${spec.name} (${spec.command})`);
    }
    child.unref();
    writeFileSync(pidFile(pidsDir, spec.name), JSON.stringify({ pid: child.pid, command: spec.command } satisfies PidRecord));
    return child.pid;
}

/** Stops a node we started (SIGTERM, then SIGKILL after a grace period) and forgets its pid. */
export async function stopProcess(pidsDir: string, name: string, graceMs = 10_000): Promise<boolean> {
    const file = pidFile(pidsDir, name);
    if (!existsSync(file)) {
        return false;
    }
    const { pid } = JSON.parse(readFileSync(file, 'utf8')) as PidRecord;
    const wasRunning = isRunning(pidsDir, name);
    if (wasRunning) {
        process.kill(pid, 'SIGTERM');
        const deadline = Date.now() + graceMs;
        while (Date.now() < deadline && isAlive(pid)) {
            await sleep(100);
        }
        if (isAlive(pid)) {
            process.kill(pid, 'SIGKILL');
        }
    }
    rmSync(file, { force: true });
    return wasRunning;
}

function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return !readFileSync(`/proc/${String(pid)}/stat`, 'utf8').includes(') Z');
    } catch {
        return false;
    }
}

/** Resolves when the port can be bound on 127.0.0.1, i.e. nothing listens there. */
export function isPortFree(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const server = createServer();
        server.once('error', () => resolve(false));
        server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
}

/** Throws naming every port that is taken, so the user knows what clashes. */
export async function requireFreePorts(ports: { name: string; port: number }[]): Promise<void> {
    const taken: string[] = [];
    for (const { name, port } of ports) {
        if (!(await isPortFree(port))) {
            taken.push(`${String(port)} (${name})`);
        }
    }
    if (taken.length > 0) {
        throw new Error(
            `port(s) already in use: ${taken.join(', ')}. Stop whatever listens there, or choose other ports with EDGETRUST_PORT_BASE.`,
        );
    }
}

/** Polls a Fabric operations endpoint until /healthz answers {"status":"OK"}. */
export async function waitForHealthy(name: string, port: number, logsDir: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
        try {
            const response = await fetch(`http://127.0.0.1:${String(port)}/healthz`);
            const body = (await response.json()) as { status?: string };
            if (body.status === 'OK') {
                return;
            }
            last = JSON.stringify(body);
        } catch (err) {
            last = err instanceof Error ? err.message : String(err);
        }
        await sleep(200);
    }
    throw new Error(`${name} did not become healthy within ${String(timeoutMs / 1000)} s (${last}); last log lines:\n${tail(logFile(logsDir, name))}`);
}

/** Waits until something accepts TCP connections on the port (chaincode servers have no health endpoint). */
export async function waitForListening(name: string, port: number, pidsDir: string, logsDir: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (!(await isPortFree(port))) {
            return;
        }
        if (!isRunning(pidsDir, name)) {
            throw new Error(`${name} exited; last log lines:\n${tail(logFile(logsDir, name))}`);
        }
        await sleep(200);
    }
    throw new Error(`${name} is not listening on ${String(port)} after ${String(timeoutMs / 1000)} s; last log lines:\n${tail(logFile(logsDir, name))}`);
}

export function tail(file: string, lines = 20): string {
    return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)';
}

/** Resident memory of a node we started, in MiB, or undefined when it is not running. */
export function residentMemoryMiB(pidsDir: string, name: string): number | undefined {
    if (!isRunning(pidsDir, name)) {
        return undefined;
    }
    const { pid } = JSON.parse(readFileSync(pidFile(pidsDir, name), 'utf8')) as PidRecord;
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
}
