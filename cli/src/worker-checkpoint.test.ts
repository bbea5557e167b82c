import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyCheckpoint, loadCheckpoint, nextAction, saveCheckpoint } from './worker-checkpoint';

describe('compute worker checkpoint', () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'edgetrust-checkpoint-'));
    });
    afterEach(() => {
        rmSync(dir, { recursive: true, force: true });
    });

    it('starts empty, and reads back what it saved', async () => {
        const file = join(dir, 'sub', 'site-b.json');
        expect(await loadCheckpoint(file, 'site-b')).toEqual(emptyCheckpoint('site-b'));
        const saved = { ...emptyCheckpoint('site-b'), nextBlock: '42', tasks: { 't-1': { phase: 'done' as const }, 't-2': { phase: 'computed' as const, resultDigest: 'ab'.repeat(32) } } };
        await saveCheckpoint(file, saved);
        expect(await loadCheckpoint(file, 'site-b')).toEqual(saved);
        expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(saved);
    });

    it("refuses another site's checkpoint and a file that is none", async () => {
        const file = join(dir, 'c.json');
        await saveCheckpoint(file, emptyCheckpoint('site-a'));
        await expect(loadCheckpoint(file, 'site-b')).rejects.toThrow(/checkpoint of site site-a, not site-b/);
        writeFileSync(file, '{"tasks":{}}');
        await expect(loadCheckpoint(file, 'site-b')).rejects.toThrow(/not a compute worker checkpoint/);
    });

    it.each([
        ['assigned here, never seen', { status: 'assigned', siteId: 's' }, undefined, 'take'],
        ['running, the command killed midway', { status: 'running', siteId: 's' }, { phase: 'taken' }, 'run'],
        ['running, taken before the checkpoint was written', { status: 'running', siteId: 's' }, undefined, 'run'],
        ['running, the result computed but not submitted', { status: 'running', siteId: 's' }, { phase: 'computed', resultDigest: 'x' }, 'submit'],
        ['done here', { status: 'running', siteId: 's' }, { phase: 'done' }, 'skip'],
        ['submitted', { status: 'submitted', siteId: 's' }, undefined, 'skip'],
        ['assigned to another site (declined and re-matched)', { status: 'assigned', siteId: 'other' }, undefined, 'skip'],
        ['settled', { status: 'completed', siteId: 's' }, { phase: 'computed', resultDigest: 'x' }, 'skip'],
    ] as const)('%s: %s', (_label, task, progress, action) => {
        expect(nextAction(task, 's', progress)).toBe(action);
    });
});
