import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, loadNetworkProfile } from '@edgetrust/gateway-sdk';
import { allPeers, type Network, networkFromEnv } from '@edgetrust/test-network-scripts';
import { leastSquaresSlope } from '../stats';
import { checkLedgers } from './ledgers';
import { Load, SUBMITTERS } from './load';
import { goRuntime, heights, pidOf, rssMiB } from './probes';

/**
 * A long run at steady load (issue: survives long runs): CHAOS_SUBMITTERS submitters anchor evidence through one
 * EdgeOrg connection for CHAOS_SOAK_MINUTES (default 10). Every CHAOS_SAMPLE_SECONDS (default 10) the resident
 * memory (VmRSS, /proc/<pid>/status) of every orderer, peer and chaincode server, and of this process (the SDK
 * client), is sampled. Printed: acknowledgements per minute, and per process its memory at the start, middle and
 * end, its peak, and the slope of a least-squares line through the samples of the second half with a verdict:
 * "grows" when that slope is above both 0.5 MiB/min and 0.5 % of its mean per minute, else "flat".
 * Usage: npm run chaos -- soak
 */

const MINUTES = Number(process.env.CHAOS_SOAK_MINUTES ?? 10);
const SAMPLE_MS = Number(process.env.CHAOS_SAMPLE_SECONDS ?? 10) * 1000;
const CLIENT = 'client (this process)';

function processNames(network: Network): string[] {
    return [...network.orderers.map((o) => o.host), ...allPeers(network).map((p) => p.host), ...network.chaincodes.flatMap((c) => c.servers.map((s) => s.name))];
}

/** Fabric nodes with an operations endpoint (their Go runtime metrics tell heap growth from RSS the GC has not returned). */
function goNodes(network: Network): { name: string; port: number }[] {
    return [...network.orderers.map((o) => ({ name: o.host, port: o.operationsPort })), ...allPeers(network).map((p) => ({ name: p.host, port: p.operationsPort }))];
}

function sample(network: Network, names: readonly string[]): Map<string, number | undefined> {
    const now = new Map<string, number | undefined>(names.map((name) => {
        const pid = pidOf(network, name);
        return [name, pid === undefined ? undefined : rssMiB(pid)];
    }));
    now.set(CLIENT, process.memoryUsage().rss / 2 ** 20);
    return now;
}

function memoryRow(name: string, points: readonly (readonly [number, number])[]): string {
    const values = points.map(([, v]) => v);
    const at = (fraction: number): number => values[Math.min(values.length - 1, Math.floor(fraction * (values.length - 1)))] ?? 0;
    const firstHalf = points.slice(0, Math.floor(points.length / 2));
    const secondHalf = points.slice(Math.floor(points.length / 2));
    const slope = leastSquaresSlope(secondHalf) * 60_000;
    const mean = secondHalf.reduce((s, [, v]) => s + v, 0) / Math.max(1, secondHalf.length);
    const grows = slope > 0.5 && slope > 0.005 * mean;
    const f = (v: number): string => v.toFixed(0);
    const earlier = leastSquaresSlope(firstHalf) * 60_000;
    return `| ${name} | ${f(at(0))} | ${f(at(0.5))} | ${f(at(1))} | ${f(Math.max(...values))} | ${earlier.toFixed(2)} | ${slope.toFixed(2)} | ${grows ? '**grows**' : 'flat'} |`;
}

/** `soak`: see the comment at the top. */
export async function soak(): Promise<void> {
    const network = networkFromEnv();
    const profile = loadNetworkProfile(network.paths.connectionProfile);
    const connection = await connect({ profile, organization: 'EdgeOrg' });
    const load = new Load(connection.gateway.getNetwork(profile.channel).getContract('evidence'), `${String(process.pid)}-${String(Date.now())}`, SUBMITTERS);
    const names = processNames(network);
    const series = new Map<string, [number, number][]>([...names, CLIENT].map((n) => [n, []]));
    // Per Fabric node: Go heap in use and goroutines, so RSS growth can be told from live-heap growth or a leak.
    const heap = new Map<string, [number, number][]>(goNodes(network).map((n) => [n.name, []]));
    const goroutines = new Map<string, [number, number][]>(goNodes(network).map((n) => [n.name, []]));
    console.log(`${String(SUBMITTERS)} submitters anchoring evidence through ${connection.peer.name} for ${String(MINUTES)} min; memory of ${String(names.length)} nodes and this client sampled every ${String(SAMPLE_MS / 1000)} s`);
    const startAt = Date.now();
    const endAt = startAt + MINUTES * 60_000;
    const startHeight = Math.max(...(await heights(network)));
    load.start();
    let minute = 0;
    while (Date.now() < endAt) {
        const now = Date.now();
        for (const [name, rss] of sample(network, names)) {
            if (rss !== undefined) {
                series.get(name)?.push([now - startAt, rss]);
            }
        }
        await sampleGo(network, now - startAt, heap, goroutines);
        if (now - startAt >= (minute + 1) * 60_000) {
            const w = load.window(startAt + minute * 60_000, startAt + (minute + 1) * 60_000);
            // The machine's load average too: on a shared machine the throughput follows what else runs.
            const load1 = readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?';
            console.log(`minute ${String(minute + 1)}: ${String(w.acknowledged)} acknowledged (${(w.acknowledged / 60).toFixed(1)} tx/s), ${String(w.failed)} failed, longest stall ${String(w.stallMs)} ms; load average ${load1}`);
            minute++;
        }
        await sleep(Math.min(SAMPLE_MS, Math.max(0, endAt - Date.now())));
    }
    await load.stop();
    const endHeight = Math.max(...(await heights(network)));
    connection.close();

    printTables(load, startAt, series);
    printGoRuntime(heap, goroutines);
    const samples = series.get(CLIENT)?.length ?? 0;
    const check = await checkLedgers(network, profile, load.acks);
    for (const line of check.lines) {
        console.log(line);
    }
    console.log(
        `\n${String(samples)} samples per process; blocks ${String(startHeight)} → ${String(endHeight)}; chains identical on every peer: ${check.identical ? 'yes' : 'NO'}; total ${String(load.acks.length)} acknowledged, ${String(load.failures.length)} failed, ${String(check.lost)} acknowledged lost`,
    );
}

function printTables(load: Load, startAt: number, series: ReadonlyMap<string, [number, number][]>): void {
    console.log('\n| minute | acknowledged | tx/s | failed | longest stall |');
    console.log('|---|---|---|---|---|');
    for (let m = 0; m < MINUTES; m++) {
        const w = load.window(startAt + m * 60_000, startAt + (m + 1) * 60_000);
        console.log(`| ${String(m + 1)} | ${String(w.acknowledged)} | ${(w.acknowledged / 60).toFixed(1)} | ${String(w.failed)} | ${String(w.stallMs)} ms |`);
    }
    console.log('\n| process | RSS start (MiB) | middle | end | peak | slope, 1st half (MiB/min) | slope, 2nd half | verdict |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const [name, points] of series) {
        if (points.length > 0) {
            console.log(memoryRow(name, points));
        }
    }
    // RSS at the end of each minute, so a plateau (or its absence) can be seen, not only fitted.
    console.log('\nRSS (MiB) at the end of each minute:');
    for (const [name, points] of series) {
        const perMinute = Array.from({ length: MINUTES }, (_, m) => points.filter(([t]) => t < (m + 1) * 60_000).at(-1)?.[1] ?? 0);
        console.log(`${name}: ${perMinute.map((v) => v.toFixed(0)).join(' ')}`);
    }
}

async function sampleGo(network: Network, t: number, heap: Map<string, [number, number][]>, goroutines: Map<string, [number, number][]>): Promise<void> {
    for (const node of goNodes(network)) {
        const go = await goRuntime(node.port);
        if (go) {
            heap.get(node.name)?.push([t, go.heapInuseMiB]);
            goroutines.get(node.name)?.push([t, go.goroutines]);
        }
    }
}

function printGoRuntime(heap: ReadonlyMap<string, [number, number][]>, goroutines: ReadonlyMap<string, [number, number][]>): void {
    console.log('\n| Fabric node | Go heap in use start (MiB) | middle | end | slope, 2nd half (MiB/min) | goroutines start | end | slope, 2nd half (/min) |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const [name, points] of heap) {
        const g = goroutines.get(name) ?? [];
        if (points.length === 0) {
            continue;
        }
        const half = <T>(xs: readonly T[]): readonly T[] => xs.slice(Math.floor(xs.length / 2));
        const v = (xs: readonly (readonly [number, number])[], fraction: number): number => xs[Math.min(xs.length - 1, Math.floor(fraction * (xs.length - 1)))]?.[1] ?? 0;
        console.log(
            `| ${name} | ${v(points, 0).toFixed(0)} | ${v(points, 0.5).toFixed(0)} | ${v(points, 1).toFixed(0)} | ${(leastSquaresSlope(half(points)) * 60_000).toFixed(2)} | ${v(g, 0).toFixed(0)} | ${v(g, 1).toFixed(0)} | ${(leastSquaresSlope(half(g)) * 60_000).toFixed(2)} |`,
        );
    }
    console.log('\nGo heap in use (MiB) at the end of each minute:');
    for (const [name, points] of heap) {
        const perMinute = Array.from({ length: MINUTES }, (_, m) => points.filter(([t]) => t < (m + 1) * 60_000).at(-1)?.[1] ?? 0);
        console.log(`${name}: ${perMinute.map((x) => x.toFixed(0)).join(' ')}`);
    }
}
