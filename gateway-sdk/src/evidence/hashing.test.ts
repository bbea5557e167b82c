import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HashProgress, hashFile, sha256Hex } from './hashing';

describe('hashFile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgetrust-hash-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('hashes a multi-chunk file like node:crypto does, reporting progress up to the size', async () => {
        const data = Buffer.alloc(9 * 1024 * 1024 + 123);
        for (let i = 0; i < data.length; i += 4096) {
            data.writeUInt32LE(i, i);
        }
        const path = join(dir, 'video.bin');
        writeFileSync(path, data);
        const progress: HashProgress[] = [];
        const result = await hashFile(path, (p) => progress.push({ ...p }));
        expect(result).toEqual({ digest: createHash('sha256').update(data).digest('hex'), size: data.length });
        expect(progress.map((p) => p.bytesHashed)).toEqual([4194304, 8388608, data.length]);
        expect(progress.every((p) => p.totalBytes === data.length)).toBe(true);
    });

    it('hashes an empty file', async () => {
        const path = join(dir, 'empty');
        writeFileSync(path, '');
        await expect(hashFile(path)).resolves.toEqual({ digest: sha256Hex(''), size: 0 });
    });

    it('rejects a missing file and closes the handle when a listener throws', async () => {
        await expect(hashFile(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
        const path = join(dir, 'small');
        writeFileSync(path, 'abc');
        await expect(
            hashFile(path, () => {
                throw new Error('listener failed');
            }),
        ).rejects.toThrow('listener failed');
    });
});
