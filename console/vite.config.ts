import { defineConfig } from 'vite';

// Everything the console loads is bundled into dist/: no CDN at run time (the service's CSP allows 'self' only).
export default defineConfig({
    base: '/',
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
});
