/** Summary figures of a sample of durations in milliseconds. */
export interface Summary {
    count: number;
    p50: number;
    p95: number;
    mean: number;
}

export function summarize(samples: readonly number[]): Summary {
    const sorted = [...samples].sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
    const mean = sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length);
    return { count: sorted.length, p50: at(0.5), p95: at(0.95), mean };
}

export function formatSummary(label: string, s: Summary): string {
    return `${label.padEnd(44)} n=${String(s.count).padStart(4)}  p50 ${s.p50.toFixed(1).padStart(7)} ms  p95 ${s.p95.toFixed(1).padStart(7)} ms  mean ${s.mean.toFixed(1).padStart(7)} ms`;
}

/** Runs `fn` for `count` iterations with `concurrency` workers; returns elapsed milliseconds. */
export async function runConcurrently(count: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<number> {
    let next = 0;
    const started = performance.now();
    const worker = async (): Promise<void> => {
        while (next < count) {
            const i = next++;
            await fn(i);
        }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return performance.now() - started;
}

/**
 * Slope of the least-squares line through (x, y) points, in y per unit of x; 0 for fewer than two distinct x. Six
 * lines of arithmetic, so no statistics library for it.
 */
export function leastSquaresSlope(points: readonly (readonly [number, number])[]): number {
    const n = points.length;
    const meanX = points.reduce((sum, [x]) => sum + x, 0) / Math.max(1, n);
    const meanY = points.reduce((sum, [, y]) => sum + y, 0) / Math.max(1, n);
    const covariance = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
    const variance = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
    return variance === 0 ? 0 : covariance / variance;
}
