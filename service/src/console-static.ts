import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the console's build (console/dist, `npm run build`) is in this repository. */
export const CONSOLE_DIST = resolve(__dirname, '..', '..', 'console', 'dist');

/**
 * Paths of the console's own files: public, as they hold no data (every call they make to /v1 carries the caller's
 * API key). The console routes by the URL fragment (`/#/evidence`), so these are all the paths it needs.
 */
export function isConsolePath(path: string): boolean {
    return path === '/' || path === '/index.html' || path.startsWith('/assets/');
}

/** Serves the built console at `/` when it was built; without a build the API works alone. */
export async function registerConsole(app: FastifyInstance, root = CONSOLE_DIST): Promise<boolean> {
    if (!existsSync(join(root, 'index.html'))) {
        return false;
    }
    // The console and the API share an origin, so the API needs no CORS; the console loads nothing from elsewhere.
    await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: 'index.html', setHeaders: (res) => void res.setHeader('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'") });
    return true;
}
