import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** How far hashing of a file has got. */
export interface HashProgress {
    bytesHashed: number;
    totalBytes: number;
}

/** A file's SHA-256 digest (hex) and the number of bytes hashed. */
export interface FileDigest {
    digest: string;
    size: number;
}

/** Callback for {@link hashFile}, called after every chunk. */
export type ProgressListener = (progress: Readonly<HashProgress>) => void;

const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * The SHA-256 of data in memory.
 * @returns The digest, 64 lower-case hex characters.
 */
export function sha256Hex(data: Uint8Array | string): string {
    return createHash('sha256').update(data).digest('hex');
}

/**
 * Streams a file of any size (e.g. a video recording) through SHA-256 in 4 MiB chunks. The next chunk is
 * read while the current one is hashed, so disk and CPU work at the same time.
 * @param path - File to hash.
 * @param onProgress - Called after every chunk with bytes hashed so far and the file size.
 * @returns Digest and size.
 */
export async function hashFile(path: string, onProgress?: ProgressListener): Promise<FileDigest> {
    const handle = await open(path, 'r');
    let pending: Promise<{ bytesRead: number }> | undefined;
    try {
        const totalBytes = (await handle.stat()).size;
        const hash = createHash('sha256');
        const buffers = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)] as const;
        let bytesHashed = 0;
        let which = 0;
        pending = handle.read(buffers[0], 0, CHUNK_BYTES, 0);
        for (let { bytesRead } = await pending; bytesRead > 0; { bytesRead } = await pending) {
            const current = buffers[which as 0 | 1];
            bytesHashed += bytesRead;
            which = 1 - which;
            pending = handle.read(buffers[which as 0 | 1], 0, CHUNK_BYTES, bytesHashed);
            hash.update(current.subarray(0, bytesRead));
            onProgress?.({ bytesHashed, totalBytes });
        }
        pending = undefined;
        return { digest: hash.digest('hex'), size: bytesHashed };
    } finally {
        // A read still in flight (after an error) must finish before its file handle closes.
        await pending?.catch(() => undefined);
        await handle.close();
    }
}
