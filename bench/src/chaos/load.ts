import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Contract } from '@hyperledger/fabric-gateway';

/** Concurrent submitters of every scenario (CHAOS_SUBMITTERS, default 8). */
export const SUBMITTERS = Number(process.env.CHAOS_SUBMITTERS ?? 8);
/** Load before the first fault and after each recovery (CHAOS_SETTLE_SECONDS, default 10). */
export const SETTLE_MS = Number(process.env.CHAOS_SETTLE_SECONDS ?? 10) * 1000;

/** One acknowledged anchor: its transaction id and when its commit status came back. */
export interface Ack {
    txId: string;
    at: number;
}

/** What happened in a span of time under load. */
export interface LoadWindow {
    acknowledged: number;
    failed: number;
    /** The longest gap between two acknowledgements (or the span's ends), in ms. */
    stallMs: number;
    firstFailure?: string;
}

export function firstLine(err: unknown): string {
    return err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
}

/**
 * `submitters` concurrent submitters anchoring evidence (one new record each time) until stopped; every
 * acknowledgement and failure is kept with its time, so any span can be measured afterwards.
 */
export class Load {
    readonly acks: Ack[] = [];
    readonly failures: { at: number; message: string }[] = [];
    #running = true;
    #done: Promise<unknown> | undefined;

    constructor(
        private readonly contract: Contract,
        private readonly run: string,
        private readonly submitters: number,
    ) {}

    start(): void {
        let n = 0;
        const submitter = async (): Promise<void> => {
            while (this.#running) {
                const id = `chaos-${this.run}-${String(n++)}`;
                const digest = createHash('sha256').update(id).digest('hex');
                const request = { id, digest, name: id, size: 1, mediaType: 'text/plain', source: { type: 'device', id: 'chaos' } };
                try {
                    const commit = await this.contract.submitAsync('Anchor', { arguments: [JSON.stringify(request)] });
                    const status = await commit.getStatus();
                    if (status.successful) {
                        this.acks.push({ txId: status.transactionId, at: Date.now() });
                    } else {
                        this.failures.push({ at: Date.now(), message: `validation code ${String(status.code)}` });
                    }
                } catch (err) {
                    this.failures.push({ at: Date.now(), message: firstLine(err) });
                    await sleep(200);
                }
            }
        };
        this.#done = Promise.all(Array.from({ length: this.submitters }, submitter));
    }

    async stop(): Promise<void> {
        this.#running = false;
        await this.#done;
    }

    /** Acknowledgements, failures and the longest gap between acknowledgements in [from, to). */
    window(from: number, to: number): LoadWindow {
        const times = [from, ...this.acks.filter((a) => a.at >= from && a.at < to).map((a) => a.at), to].sort((a, b) => a - b);
        let stallMs = 0;
        for (let i = 1; i < times.length; i++) {
            stallMs = Math.max(stallMs, (times[i] ?? 0) - (times[i - 1] ?? 0));
        }
        const failed = this.failures.filter((f) => f.at >= from && f.at < to);
        return { acknowledged: times.length - 2, failed: failed.length, stallMs, firstFailure: failed[0]?.message };
    }

    /** The first acknowledgement at or after `from`, if any. */
    firstAckAfter(from: number): number | undefined {
        return this.acks.find((a) => a.at >= from)?.at;
    }
}
