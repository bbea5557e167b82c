import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runConcurrently, summarize } from '../stats';

/*
 * Saturation sweeps: the same workloads at rising concurrency until throughput stops rising, with the CPU every
 * process group of the network spent per transaction (from /proc/<pid>/stat), so that a ratio is read where the
 * CPU is the limit and not only where latency is. Figures are printed, never asserted.
 */

/** One workload of a sweep: `run(i)` is one unit of work of `transactionsPerRun` transactions. */
export interface Workload {
    label: string;
    run: (i: number) => Promise<void>;
    transactionsPerRun?: number;
}

/** A ratio to print at low load and at saturation: throughput of `numerator` over that of `denominator`. */
export interface Ratio {
    numerator: string;
    denominator: string;
}

export interface SweepOptions {
    /** Concurrency levels to try, in rising order (default 4, 8, 16, 32, 64, 128, 256). */
    levels?: number[];
    /** Runs per workload and level: at least this many (default BENCH_SWEEP_RUNS or 400) … */
    minRuns?: number;
    /** … and at least this many times the concurrency (default 8), so every level lasts a few block cuts. */
    runsPerInFlight?: number;
    /** A level counts as a rise when it beats the best throughput so far by this fraction (default 0.05). */
    rise?: number;
    /** The sweep stops after this many levels in a row without a rise for any workload (default 2). */
    flatSteps?: number;
}

/** Where CPU time goes: process groups of the network's pid files, and this process as the client. */
export type Group = 'peers' | 'orderers' | 'chaincode servers' | 'client';
export const GROUPS: readonly Group[] = ['peers', 'orderers', 'chaincode servers', 'client'];

/** Clock ticks per second of /proc/<pid>/stat's utime and stime: USER_HZ, 100 on every Linux architecture. */
const USER_HZ = 100;

export interface Level {
    concurrency: number;
    tps: number;
    p50: number;
    p95: number;
    /** CPU milliseconds per transaction by group. */
    cpuPerTx: Record<Group, number>;
    /** Cores busy on average with this network's processes and the client. */
    cores: number;
    failures: number;
}

function groupOf(name: string): Group | undefined {
    if (name.startsWith('chaincode-')) {
        return 'chaincode servers';
    }
    if (name.startsWith('peer')) {
        return 'peers';
    }
    return name.startsWith('orderer') ? 'orderers' : undefined;
}

/** The network's processes by group, from the pid files the scripts write (`<name>.json` with `pid`). */
export function networkProcesses(pidsDir: string): Map<Group, number[]> {
    const groups = new Map<Group, number[]>(GROUPS.map((g) => [g, []]));
    for (const file of readdirSync(pidsDir).filter((f) => f.endsWith('.json'))) {
        const group = groupOf(file);
        if (group) {
            const { pid } = JSON.parse(readFileSync(join(pidsDir, file), 'utf8')) as { pid: number };
            groups.get(group)?.push(pid);
        }
    }
    groups.get('client')?.push(process.pid);
    return groups;
}

/** utime + stime of a process in milliseconds (0 once it is gone). */
export function cpuMillis(pid: number): number {
    try {
        const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
        // The command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
    } catch {
        return 0;
    }
}

function snapshot(groups: Map<Group, number[]>): Record<Group, number> {
    const sum = (pids: number[] = []): number => pids.reduce((total, pid) => total + cpuMillis(pid), 0);
    return { peers: sum(groups.get('peers')), orderers: sum(groups.get('orderers')), 'chaincode servers': sum(groups.get('chaincode servers')), client: sum(groups.get('client')) };
}

/** Runs `runs` units of `workload` with `concurrency` in flight (ids from `first`): throughput, latency, CPU per transaction. */
export async function measureLevel(workload: Workload, concurrency: number, runs: number, first: number, groups: Map<Group, number[]>): Promise<Level> {
    const latencies: number[] = [];
    let failures = 0;
    const before = snapshot(groups);
    const elapsed = await runConcurrently(runs, concurrency, async (i) => {
        const started = performance.now();
        try {
            await workload.run(first + i);
            latencies.push(performance.now() - started);
        } catch {
            failures += 1;
        }
    });
    const after = snapshot(groups);
    const transactions = latencies.length * (workload.transactionsPerRun ?? 1);
    const cpuPerTx = Object.fromEntries(GROUPS.map((g) => [g, (after[g] - before[g]) / Math.max(1, transactions)])) as Record<Group, number>;
    const cpuTotal = GROUPS.reduce((total, g) => total + after[g] - before[g], 0);
    const summary = summarize(latencies);
    return { concurrency, tps: transactions / (elapsed / 1000), p50: summary.p50, p95: summary.p95, cpuPerTx, cores: cpuTotal / elapsed, failures };
}

/** CPU milliseconds per transaction over every group. */
export const total = (level: Level): number => GROUPS.reduce((sum, g) => sum + level.cpuPerTx[g], 0);

function printLevel(label: string, level: Level): void {
    const cpu = GROUPS.map((g) => level.cpuPerTx[g].toFixed(2).padStart(5)).join(' ');
    const failed = level.failures > 0 ? `  failed ${String(level.failures)}` : '';
    console.log(
        `    ${String(level.concurrency).padStart(4)}  ${label.padEnd(32)} ${level.tps.toFixed(1).padStart(7)} tx/s  p50 ${level.p50.toFixed(0).padStart(5)} ms  p95 ${level.p95.toFixed(0).padStart(5)} ms  CPU ms/tx ${cpu} = ${total(level).toFixed(2).padStart(5)}  ${level.cores.toFixed(2)} cores${failed}`,
    );
}

/**
 * Sweeps the workloads side by side (each level runs every workload once, alternating, after a warm-up each), then
 * prints each workload's saturation point (its best throughput), the latency and CPU per transaction there, and
 * every ratio at the lowest level and at saturation.
 */
export async function sweep(title: string, pidsDir: string, workloads: Workload[], ratios: Ratio[], options: SweepOptions = {}): Promise<void> {
    const settings = { levels: [4, 8, 16, 32, 64, 128, 256], minRuns: Number(process.env.BENCH_SWEEP_RUNS ?? 400), runsPerInFlight: 8, rise: 0.05, flatSteps: 2, ...options };
    const groups = networkProcesses(pidsDir);
    console.log(`\n${title}: concurrency ${settings.levels.join(', ')} until no workload gains ${String(settings.rise * 100)} % for ${String(settings.flatSteps)} levels in a row`);
    console.log(`    CPU ms per transaction by group: ${GROUPS.join(' ')} = total (pids ${GROUPS.map((g) => `${g} ${(groups.get(g) ?? []).join(',')}`).join('; ')})`);
    const results = new Map<string, Level[]>(workloads.map((w) => [w.label, []]));
    const warmUp = (settings.levels[0] ?? 4) * 4;
    let offset = 0;
    for (const workload of workloads) {
        await measureLevel(workload, settings.levels[0] ?? 4, warmUp, offset, groups);
        offset += warmUp;
    }
    let flat = 0;
    for (const concurrency of settings.levels) {
        const runs = Math.max(settings.minRuns, concurrency * settings.runsPerInFlight);
        let rose = false;
        for (const workload of workloads) {
            const seen = results.get(workload.label) ?? [];
            const best = Math.max(0, ...seen.map((l) => l.tps));
            const level = await measureLevel(workload, concurrency, runs, offset, groups);
            offset += runs;
            seen.push(level);
            rose ||= level.tps > best * (1 + settings.rise);
            printLevel(workload.label, level);
        }
        flat = rose ? 0 : flat + 1;
        if (flat >= settings.flatSteps) {
            break;
        }
    }
    printSaturation(workloads, ratios, results);
}

function printSaturation(workloads: Workload[], ratios: Ratio[], results: Map<string, Level[]>): void {
    const low = (label: string): Level | undefined => results.get(label)?.[0];
    const saturated = (label: string): Level | undefined => [...(results.get(label) ?? [])].sort((a, b) => b.tps - a.tps)[0];
    console.log('    saturation (best throughput of the sweep):');
    for (const workload of workloads) {
        const level = saturated(workload.label);
        if (level) {
            const cpu = GROUPS.map((g) => `${g} ${level.cpuPerTx[g].toFixed(2)}`).join(', ');
            console.log(
                `      ${workload.label.padEnd(32)} ${level.tps.toFixed(1).padStart(7)} tx/s at ${String(level.concurrency)} in flight, p50 ${level.p50.toFixed(0)} ms, p95 ${level.p95.toFixed(0)} ms; CPU ms/tx ${cpu}; total ${total(level).toFixed(2)} (${level.cores.toFixed(2)} cores)`,
            );
        }
    }
    for (const { numerator, denominator } of ratios) {
        const at = (pick: (label: string) => Level | undefined): string => {
            const [n, d] = [pick(numerator), pick(denominator)];
            return n && d ? `${(n.tps / d.tps).toFixed(2)} (CPU/tx ${(total(n) / total(d)).toFixed(2)}, peers ${(n.cpuPerTx.peers / d.cpuPerTx.peers).toFixed(2)})` : '-';
        };
        console.log(`    ratio ${numerator} / ${denominator}: low load ${at(low)}; saturation ${at(saturated)}`);
    }
}
