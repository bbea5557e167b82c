import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/*
 * The provider worker's checkpoint: where in the chain's ComputeTaskAssigned events it is, and how far each task
 * it took got, so that a restarted worker neither runs a task twice nor skips one. Written atomically (a temporary
 * file renamed over the old one) after every step, so a kill at any point leaves the last complete state.
 */

/** How far the worker got with one task. */
export type TaskProgress =
    /** Taken on the ledger (AcceptTask committed); the command has not finished. */
    | { phase: 'taken' }
    /** The command finished; its result digest is not on the ledger yet. */
    | { phase: 'computed'; resultDigest: string }
    /** The result digest is on the ledger, or the worker declined the task: nothing left to do. */
    | { phase: 'done' };

export interface WorkerCheckpoint {
    version: 1;
    siteId: string;
    /** Events are replayed from this block: the block of the oldest event not yet fully handled. */
    nextBlock: string;
    tasks: Record<string, TaskProgress>;
}

export function emptyCheckpoint(siteId: string): WorkerCheckpoint {
    return { version: 1, siteId, nextBlock: '0', tasks: {} };
}

/** The checkpoint in `file`, or an empty one when there is none yet; a file of another site or shape is refused. */
export async function loadCheckpoint(file: string, siteId: string): Promise<WorkerCheckpoint> {
    let text: string;
    try {
        text = await readFile(file, 'utf8');
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
            return emptyCheckpoint(siteId);
        }
        throw err;
    }
    const checkpoint = JSON.parse(text) as { [K in keyof WorkerCheckpoint]?: unknown };
    if (checkpoint.version !== 1 || typeof checkpoint.nextBlock !== 'string' || !/^\d+$/.test(checkpoint.nextBlock) || typeof checkpoint.tasks !== 'object' || checkpoint.tasks === null) {
        throw new Error(`${file} is not a compute worker checkpoint`);
    }
    if (checkpoint.siteId !== siteId) {
        throw new Error(`${file} is the checkpoint of site ${String(checkpoint.siteId)}, not ${siteId}`);
    }
    return checkpoint as unknown as WorkerCheckpoint;
}

export async function saveCheckpoint(file: string, checkpoint: WorkerCheckpoint): Promise<void> {
    await mkdir(dirname(file), { recursive: true });
    const temporary = `${file}.${String(process.pid)}.tmp`;
    await writeFile(temporary, `${JSON.stringify(checkpoint, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, file);
}

/** What to do with a task the event stream names, from its status on the ledger and the worker's own progress. */
export type WorkerAction = 'take' | 'run' | 'submit' | 'skip';

/**
 * - assigned to this site and not taken: take it (accept, then run);
 * - running (taken by this site) and the command never finished here: run it (a run killed midway produced nothing);
 * - running and computed here: submit the digest already computed, without running the command again;
 * - anything else (done here, submitted, settled, assigned elsewhere): skip.
 */
export function nextAction(task: { status: string; siteId?: string | undefined }, siteId: string, progress: TaskProgress | undefined): WorkerAction {
    if (task.siteId !== siteId || progress?.phase === 'done') {
        return 'skip';
    }
    if (task.status === 'assigned') {
        return 'take';
    }
    if (task.status === 'running') {
        return progress?.phase === 'computed' ? 'submit' : 'run';
    }
    return 'skip';
}
