import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';

/**
 * Files up to this size are hashed by Web Crypto in one call. crypto.subtle.digest is not incremental (it needs the
 * whole file in memory), so larger files are streamed through @noble/hashes' incremental SHA-256 chunk by chunk.
 */
export const WEB_CRYPTO_LIMIT = 32 * 1024 * 1024;

const hex = (buffer: ArrayBuffer): string => bytesToHex(new Uint8Array(buffer));

/** SHA-256 of a file, lower-case hex, computed here: the file never leaves the browser. */
export async function sha256OfFile(file: Blob, onProgress?: (done: number, total: number) => void): Promise<string> {
    if (file.size <= WEB_CRYPTO_LIMIT) {
        const digest = hex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
        onProgress?.(file.size, file.size);
        return digest;
    }
    const hash = sha256.create();
    const reader = file.stream().getReader();
    let done = 0;
    for (;;) {
        const chunk = await reader.read();
        if (chunk.done) {
            break;
        }
        hash.update(chunk.value);
        done += chunk.value.byteLength;
        onProgress?.(done, file.size);
    }
    return bytesToHex(hash.digest());
}

/** SHA-256 of a PEM certificate's DER, lower-case hex: the fingerprint the device registry keys certificates by. */
export async function fingerprintOfPem(pem: string): Promise<string> {
    const body = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem)?.[1];
    if (!body) {
        throw new Error('not a PEM certificate (no BEGIN CERTIFICATE block)');
    }
    const der = Uint8Array.from(atob(body.replace(/\s+/g, '')), (c) => c.charCodeAt(0));
    return hex(await crypto.subtle.digest('SHA-256', der));
}
