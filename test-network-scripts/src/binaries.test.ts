import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FABRIC_VERSION, FabricUnavailableError, installFabric, type InstallSources, releasePlatform, sha256File } from './binaries';

/** A folder in the official release layout whose `peer version` prints the given version. */
function fakeRelease(root: string, version = FABRIC_VERSION): string {
    mkdirSync(join(root, 'bin'), { recursive: true });
    mkdirSync(join(root, 'config'), { recursive: true });
    for (const command of ['peer', 'orderer', 'osnadmin', 'configtxgen', 'cryptogen']) {
        writeFileSync(join(root, 'bin', command), `#!/bin/sh\necho "${command}:"\necho " Version: ${version}"\n`);
        chmodSync(join(root, 'bin', command), 0o755);
    }
    for (const file of ['core.yaml', 'orderer.yaml', 'configtx.yaml']) {
        writeFileSync(join(root, 'config', file), '# sample\n');
    }
    return root;
}

function tarball(work: string, name: string, version = FABRIC_VERSION): string {
    const release = fakeRelease(join(work, `release-${name}`), version);
    const file = join(work, name);
    execFileSync('tar', [name.endsWith('.xz') ? '-cJf' : '-czf', file, '-C', release, 'bin', 'config']);
    return file;
}

describe('installFabric', () => {
    let work: string;
    let lines: string[];
    const sources = (env: NodeJS.ProcessEnv): InstallSources => ({
        // No Go on PATH and no pinned digest: the last two steps fail at once instead of reaching the internet.
        env: { PATH: '/usr/bin:/bin', ...env },
        projectDir: join(work, 'project', '.fabric'),
        cacheDir: join(work, 'cache', 'edgetrust', 'fabric', 'commit'),
        log: (line) => lines.push(line),
    });

    beforeEach(() => {
        work = mkdtempSync(join(tmpdir(), 'edgetrust-binaries-'));
        lines = [];
    });
    afterEach(() => rmSync(work, { recursive: true, force: true }));

    it('uses FABRIC_BIN_DIR and remembers it, so a later call with no variable set finds the same binaries', async () => {
        const release = fakeRelease(join(work, 'built'));
        const first = await installFabric(sources({ FABRIC_BIN_DIR: join(release, 'bin') }));
        expect(first.source).toBe(`FABRIC_BIN_DIR=${join(release, 'bin')}`);
        expect(readlinkSync(join(work, 'project', '.fabric', 'bin'))).toBe(join(release, 'bin'));
        const later = await installFabric(sources({}));
        expect(later.binDir).toBe(join(work, 'project', '.fabric', 'bin'));
        expect(later.source).toBe(first.source);
    });

    it('installs a .tar.xz or .tar.gz release tarball into the cache, checked against FABRIC_RELEASE_SHA256, and remembers it', async () => {
        for (const name of ['fabric.tar.xz', 'fabric.tar.gz']) {
            rmSync(join(work, 'project'), { recursive: true, force: true });
            rmSync(join(work, 'cache'), { recursive: true, force: true });
            const file = tarball(work, name);
            const installed = await installFabric(sources({ FABRIC_RELEASE_TARBALL: file, FABRIC_RELEASE_SHA256: await sha256File(file) }));
            expect(installed.source).toBe(`tarball ${file}`);
            expect(existsSync(join(work, 'cache', 'edgetrust', 'fabric', 'commit', 'bin', 'peer'))).toBe(true);
            expect(readFileSync(join(work, 'project', '.fabric', 'SOURCE'), 'utf8').trim()).toBe(`tarball ${file}`);
            expect((await installFabric(sources({}))).source).toBe(`tarball ${file}`);
        }
    });

    it('refuses a tarball whose SHA-256 differs, unpacking nothing, and says what it tried', async () => {
        const file = tarball(work, 'fabric.tar.gz');
        const attempt = installFabric(sources({ FABRIC_RELEASE_TARBALL: file, FABRIC_RELEASE_SHA256: '0'.repeat(64) }));
        await expect(attempt).rejects.toThrow(FabricUnavailableError);
        await expect(attempt).rejects.toThrow(/FABRIC_BIN_DIR: not set[\s\S]*FABRIC_RELEASE_TARBALL: .* has SHA-256 [0-9a-f]{64}, expected 0{64}/);
        expect(existsSync(join(work, 'cache', 'edgetrust', 'fabric', 'commit'))).toBe(false);
    });

    it('refuses binaries of another Fabric version', async () => {
        const file = tarball(work, 'fabric.tar.gz', '2.5.9');
        await expect(installFabric(sources({ FABRIC_RELEASE_TARBALL: file }))).rejects.toThrow(/version says 2\.5\.9, not 3\.1\.5/);
    });

    it('lists every step it tried when nothing works, the unverified download and go install included', async () => {
        const attempt = installFabric(sources({}));
        await expect(attempt).rejects.toThrow(
            new RegExp(
                [
                    'FABRIC_BIN_DIR: not set',
                    'installed in .*: nothing installed there',
                    'installed in .*: nothing installed there',
                    'FABRIC_RELEASE_TARBALL: not set',
                    `official release download: no official SHA-256 is pinned for ${releasePlatform()}`,
                    'go install: Go is not installed',
                ].join('[\\s\\S]*'),
            ),
        );
    });

    it('names Fabric release platforms as the release does', () => {
        expect(releasePlatform('linux', 'x64')).toBe('linux-amd64');
        expect(releasePlatform('darwin', 'arm64')).toBe('darwin-arm64');
    });
});
