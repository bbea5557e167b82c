import type { Context } from 'fabric-contract-api';
import { collect, invalidArgument } from '../../common/src';
import { type EvidenceRecord, MAX_TRACE_STEPS, type TraceWalk } from '../../schemas/src';
import { parseInteger } from './evidence-batch';
import { KeyType } from './keys';
import { readRecord, readRecordOfKind } from './records';

/*
 * Multi-party process traces (E9): each process-step record names its predecessor; the successor index
 * (keys.ts) leads forward. Walks are bounded by maxSteps.
 */

/** TraceBackward: from a step back to the trace's first step. */
export async function traceBackward(ctx: Context, id: string, maxSteps: string): Promise<TraceWalk> {
    const limit = requireMaxSteps(maxSteps);
    let current = await readProcessStep(ctx, id);
    const steps = [current];
    while (steps.length < limit && typeof current.attributes.predecessorId === 'string') {
        current = await readRecord(ctx, current.attributes.predecessorId);
        steps.push(current);
    }
    const complete = current.attributes.predecessorId === undefined;
    return { traceId: traceIdOf(current), steps: steps.reverse(), complete };
}

/** TraceForward: from a step through every later step, breadth first. */
export async function traceForward(ctx: Context, id: string, maxSteps: string): Promise<TraceWalk> {
    const limit = requireMaxSteps(maxSteps);
    const start = await readProcessStep(ctx, id);
    const steps = [start];
    const queue = [start.id];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const successors = await successorsOf(ctx, next);
        if (steps.length + successors.length > limit) {
            return { traceId: traceIdOf(start), steps, complete: false };
        }
        for (const successorId of successors) {
            steps.push(await readRecord(ctx, successorId));
            queue.push(successorId);
        }
    }
    return { traceId: traceIdOf(start), steps, complete: true };
}

function readProcessStep(ctx: Context, id: string): Promise<EvidenceRecord> {
    return readRecordOfKind(ctx, id, 'process-step', 'process step');
}

async function successorsOf(ctx: Context, id: string): Promise<string[]> {
    const iterator = await ctx.stub.getStateByPartialCompositeKey(KeyType.SuccessorIndex, [id]);
    return collect(iterator, (kv) => ctx.stub.splitCompositeKey(kv.key).attributes[1] ?? '');
}

function requireMaxSteps(maxSteps: string): number {
    const limit = parseInteger(maxSteps, 'maxSteps');
    if (limit < 1 || limit > MAX_TRACE_STEPS) {
        throw invalidArgument(`maxSteps must be from 1 to ${String(MAX_TRACE_STEPS)}`);
    }
    return limit;
}

function traceIdOf(record: EvidenceRecord): string {
    return String(record.attributes.traceId);
}
