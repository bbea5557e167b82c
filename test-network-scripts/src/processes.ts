import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A long-running node of the network: orderer, peer or chaincode server. */
export interface ProcessSpec {
    name: string;
    command: string;
    args: string[];
    env: Record<string, string>;
    cwd?: string;
    /** A command that execs the node in place, e.g. `['ip', 'netns', 'exec', ns]` for a node on a host of its own. */
    launcher?: string[];
}

interface PidRecord {
    pid: number;
    command: string;
    /**
     * The command and its arguments as started: a pid the system reused for another run of the same program (another
     * node process) is not ours. Records written before it existed are checked by the command alone.
     */
    commandLine?: string;
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
        return readlinkSync(`/proc/${String(record.pid)}/exe`).length > 0 && commandOf(record.pid).includes(record.commandLine ?? record.command);
    } catch {
        return false;
    }
}

/** How /proc/<pid>/cmdline reads (NULs as spaces) for a process started from `spec` (a launcher execs in place). */
function commandLine(spec: ProcessSpec): string {
    return [spec.command, ...spec.args].join(' ');
}

function commandOf(pid: number): string {
    try {
        return readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
        return '';
    }
}

/**
 * Starts a node detached from this process, logging to its own file, and records its pid. `launcher` is a command
 * that execs the node in place, e.g. `['ip', 'netns', 'exec', 'site-a']`: the pid recorded is then the node's own.
 */
export function startProcess(spec: ProcessSpec, pidsDir: string, logsDir: string, launcher: readonly string[] = spec.launcher ?? []): number {
    mkdirSync(pidsDir, { recursive: true });
    mkdirSync(logsDir, { recursive: true });
    const out = openSync(logFile(logsDir, spec.name), 'a');
    // Only what the node needs from our environment, so the peer's CORE_* never leak into a chaincode server.
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...spec.env };
    const [command = spec.command, ...args] = [...launcher, spec.command, ...spec.args];
    const child = spawn(command, args, { cwd: spec.cwd, env, detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    if (child.pid === undefined) {
        throw new Error(`could not start ${spec.name} (${spec.command})`);
    }
    child.unref();
    writeFileSync(pidFile(pidsDir, spec.name), JSON.stringify({ pid: child.pid, command: spec.command, commandLine: commandLine(spec) } satisfies PidRecord));
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
export async function waitForHealthy(name: string, port: number, logsDir: string, timeoutMs = 60_000, host = '127.0.0.1'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
        try {
            const response = await fetch(`http://${host}:${String(port)}/healthz`);
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

/** Resolves undefined when something accepts a TCP connection on host:port, else the reason it did not. */
export function connectionRefusal(port: number, timeoutMs = 2000, host = '127.0.0.1'): Promise<string | undefined> {
    return new Promise((resolve) => {
        const socket = connect({ host, port, timeout: timeoutMs });
        const done = (reason: string | undefined): void => {
            socket.destroy();
            resolve(reason);
        };
        socket.once('connect', () => done(undefined));
        socket.once('timeout', () => done(`no answer within ${String(timeoutMs)} ms`));
        socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
    });
}

/** A TCP service that `up` talks to, e.g. an orderer's admin port; `node` names the process that serves it. */
export interface ServicePort {
    /** What listens there, as the user should read it: `orderer1.orderer.edgetrust.local admin`. */
    service: string;
    port: number;
    node: string;
    /** Its address (default 127.0.0.1). */
    host?: string;
}

export interface PortWaitOptions {
    timeoutMs?: number;
    intervalMs?: number;
    /** False once the serving process has exited: waiting longer is pointless. */
    stillRunning?: (node: string) => boolean;
    /** What to show with a failure, e.g. the node's last log lines. */
    diagnostics?: (node: string) => string;
    /** Told once, after the first try, which services do not accept connections yet and why. */
    onWait?: (notYet: string) => void;
}

/**
 * Waits, bounded, until every service accepts TCP connections. A node's health endpoint may answer before
 * its other ports listen (an orderer's admin port opens after its operations endpoint), so whoever talks to a
 * port waits for that port. Fails naming each service and port still refused, and why.
 */
export async function waitForPorts(services: readonly ServicePort[], options: PortWaitOptions = {}): Promise<void> {
    const { timeoutMs = 60_000, intervalMs = 200, stillRunning, diagnostics, onWait } = options;
    const details = (service: ServicePort | undefined): string =>
        service && diagnostics ? `; last log lines of ${service.node}:\n${diagnostics(service.node)}` : '';
    const deadline = Date.now() + timeoutMs;
    let waiting = [...services];
    const describe = (reasons: ReadonlyMap<ServicePort, string>): string =>
        [...reasons].map(([s, reason]) => `${s.service} ${s.host ?? '127.0.0.1'}:${String(s.port)} (${reason})`).join(', ');
    for (let attempt = 1; ; attempt++) {
        const refusals = await Promise.all(waiting.map(async (s) => [s, await connectionRefusal(s.port, 2000, s.host)] as const));
        const reasons = new Map(refusals.filter((r): r is readonly [ServicePort, string] => r[1] !== undefined));
        waiting = [...reasons.keys()];
        if (waiting.length === 0) {
            return;
        }
        if (attempt === 1) {
            onWait?.(describe(reasons));
        }
        const exited = stillRunning ? waiting.find((s) => !stillRunning(s.node)) : undefined;
        if (exited) {
            throw new Error(`${exited.node} exited before ${exited.service} ${exited.host ?? '127.0.0.1'}:${String(exited.port)} accepted connections${details(exited)}`);
        }
        if (Date.now() >= deadline) {
            throw new Error(`gave up after ${String(timeoutMs / 1000)} s waiting for ${describe(reasons)} to accept connections${details(waiting[0])}`);
        }
        await sleep(intervalMs);
    }
}

/** Waits until something accepts TCP connections on the port (chaincode servers have no health endpoint). */
export async function waitForListening(name: string, port: number, pidsDir: string, logsDir: string, timeoutMs = 30_000, host = '127.0.0.1'): Promise<void> {
    await waitForPorts([{ service: name, port, node: name, host }], {
        timeoutMs,
        stillRunning: (node) => isRunning(pidsDir, node),
        diagnostics: (node) => tail(logFile(logsDir, node)),
    });
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
