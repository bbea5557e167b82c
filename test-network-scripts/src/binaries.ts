import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { REPO_ROOT } from './topology';

/** Fabric v3.1.5. Its go.mod says module github.com/hyperledger/fabric (no /v3), so tags can't be used: pin the commit. */
export const FABRIC_VERSION = '3.1.5';
export const FABRIC_COMMIT = '86c1172bec37e6590c6b1ae6f847833df48d65fc';
const FABRIC_MODULE = 'github.com/hyperledger/fabric';
const COMMANDS = ['peer', 'orderer', 'osnadmin', 'configtxgen', 'cryptogen'] as const;
const CONFIG_FILES = ['core.yaml', 'orderer.yaml'] as const;

/**
 * SHA-256 of the official release tarballs, by `<os>-<arch>`, checked before a downloaded tarball is unpacked.
 * A platform missing here is downloaded only with FABRIC_RELEASE_SHA256 set: an unverified binary never runs.
 * The digests are those GitHub publishes for the v3.1.5 release assets; add a platform only from that source.
 */
export const OFFICIAL_RELEASE_SHA256: Readonly<Record<string, string>> = {};

/** Where the binaries and their sample config (core.yaml, orderer.yaml) are. */
export interface FabricInstallation {
    binDir: string;
    configDir: string;
    /** How they were found, for the log. */
    source: string;
}

export class FabricUnavailableError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'FabricUnavailableError';
    }
}

/** One way of getting Fabric that did not work, and why: the final error lists every one. */
class AttemptFailed extends Error {}

export interface InstallSources {
    env: NodeJS.ProcessEnv;
    /** The project's git-ignored folder that remembers the installation every later command uses. */
    projectDir: string;
    /** The per-user cache shared by every clone on the machine. */
    cacheDir: string;
    log: (line: string) => void;
}

function defaultCacheDir(env: NodeJS.ProcessEnv): string {
    const base = env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
    return join(base, 'edgetrust', 'fabric', FABRIC_COMMIT);
}

function missingFiles(binDir: string, configDir: string): string[] {
    return [...COMMANDS.map((c) => join(binDir, c)), ...CONFIG_FILES.map((f) => join(configDir, f))].filter((p) => !existsSync(p));
}

/** `peer version` must say the pinned version: a different Fabric in the right place is refused, not used. */
function checkVersion(binDir: string): void {
    const result = spawnSync(join(binDir, 'peer'), ['version'], { encoding: 'utf8' });
    const version = /Version:\s*(\S+)/.exec(result.stdout)?.[1];
    if (result.status !== 0 || version !== FABRIC_VERSION) {
        throw new AttemptFailed(
            `${join(binDir, 'peer')} version says ${version ?? `nothing (exit ${String(result.status)}${result.error ? `, ${result.error.message}` : ''})`}, not ${FABRIC_VERSION}`,
        );
    }
}

function usable(binDir: string, configDir: string): void {
    const missing = missingFiles(binDir, configDir);
    if (missing.length === COMMANDS.length + CONFIG_FILES.length) {
        throw new AttemptFailed('nothing installed there');
    }
    if (missing.length > 0) {
        throw new AttemptFailed(`incomplete, missing ${missing.join(', ')}`);
    }
    checkVersion(binDir);
}

/** Links an installation into the project's .fabric folder, with its source, so every later command finds it with no variable set. */
function remember(sources: InstallSources, from: FabricInstallation): FabricInstallation {
    const { projectDir } = sources;
    if (resolve(from.binDir) === resolve(projectDir, 'bin')) {
        return from;
    }
    rmSync(projectDir, { recursive: true, force: true });
    mkdirSync(projectDir, { recursive: true });
    symlinkSync(resolve(from.binDir), join(projectDir, 'bin'));
    symlinkSync(resolve(from.configDir), join(projectDir, 'config'));
    writeFileSync(join(projectDir, 'SOURCE'), `${from.source}\n`);
    return { binDir: join(projectDir, 'bin'), configDir: join(projectDir, 'config'), source: from.source };
}

function fromEnvBinDir(sources: InstallSources): FabricInstallation | undefined {
    const binDir = sources.env.FABRIC_BIN_DIR;
    if (!binDir) {
        return undefined;
    }
    const configDir = sources.env.FABRIC_CFG_DIR ?? join(binDir, '..', 'config');
    usable(binDir, configDir);
    return { binDir: resolve(binDir), configDir: resolve(configDir), source: `FABRIC_BIN_DIR=${binDir}` };
}

function fromProject(sources: InstallSources): FabricInstallation {
    const binDir = join(sources.projectDir, 'bin');
    const configDir = join(sources.projectDir, 'config');
    usable(binDir, configDir);
    const sourceFile = join(sources.projectDir, 'SOURCE');
    return { binDir, configDir, source: existsSync(sourceFile) ? readFileSync(sourceFile, 'utf8').trim() : sources.projectDir };
}

function fromCache(sources: InstallSources): FabricInstallation {
    const binDir = join(sources.cacheDir, 'bin');
    const configDir = join(sources.cacheDir, 'config');
    usable(binDir, configDir);
    const sourceFile = join(sources.cacheDir, 'SOURCE');
    const origin = existsSync(sourceFile) ? `, from ${readFileSync(sourceFile, 'utf8').trim()}` : '';
    return { binDir, configDir, source: `cache ${sources.cacheDir}${origin}` };
}

export async function sha256File(path: string): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) {
        hash.update(chunk as Buffer);
    }
    return hash.digest('hex');
}

/**
 * Unpacks an official-layout release tarball (bin/, config/) into the cache, through a temporary folder so an
 * interrupted unpack never leaves a half-installed cache behind. GNU tar picks gzip or xz from the file itself.
 */
async function installTarball(sources: InstallSources, tarball: string, expectedSha256: string | undefined, origin: string): Promise<FabricInstallation> {
    if (!existsSync(tarball)) {
        throw new AttemptFailed(`${tarball} does not exist`);
    }
    if (!/\.(tar\.gz|tgz|tar\.xz|txz)$/.test(tarball)) {
        throw new AttemptFailed(`${tarball} is neither .tar.gz nor .tar.xz`);
    }
    if (expectedSha256 !== undefined) {
        const actual = await sha256File(tarball);
        if (actual !== expectedSha256.trim().toLowerCase()) {
            throw new AttemptFailed(`${tarball} has SHA-256 ${actual}, expected ${expectedSha256}`);
        }
        sources.log(`SHA-256 of ${tarball} checked: ${actual}`);
    }
    mkdirSync(dirname(sources.cacheDir), { recursive: true });
    const staging = mkdtempSync(`${sources.cacheDir}.unpack-`);
    try {
        const tar = spawnSync('tar', ['-xf', tarball, '-C', staging], { encoding: 'utf8' });
        if (tar.error || tar.status !== 0) {
            throw new AttemptFailed(
                `tar -xf ${tarball} failed: ${(tar.error?.message ?? tar.stderr).trim()}${/xz/.test(tar.stderr) ? ' (a .tar.xz needs the xz-utils package)' : ''}`,
            );
        }
        usable(join(staging, 'bin'), join(staging, 'config'));
        writeFileSync(join(staging, 'SOURCE'), `${origin}\n`);
        rmSync(sources.cacheDir, { recursive: true, force: true });
        renameSync(staging, sources.cacheDir);
    } finally {
        rmSync(staging, { recursive: true, force: true });
    }
    sources.log(`Fabric ${FABRIC_VERSION} unpacked from ${origin} into ${sources.cacheDir}`);
    return { binDir: join(sources.cacheDir, 'bin'), configDir: join(sources.cacheDir, 'config'), source: origin };
}

function fromTarballOnDisk(sources: InstallSources): Promise<FabricInstallation> | undefined {
    const tarball = sources.env.FABRIC_RELEASE_TARBALL;
    if (!tarball) {
        return undefined;
    }
    const path = resolve(tarball);
    return installTarball(sources, path, sources.env.FABRIC_RELEASE_SHA256 || undefined, `tarball ${path}`);
}

/** Fabric's release names: the OS as Go spells it, amd64 or arm64. */
export function releasePlatform(platform: string = process.platform, arch: string = process.arch): string {
    const os = platform === 'win32' ? 'windows' : platform;
    const cpu = arch === 'x64' ? 'amd64' : arch;
    return `${os}-${cpu}`;
}

export function officialReleaseUrl(platform = releasePlatform()): string {
    return `https://github.com/hyperledger/fabric/releases/download/v${FABRIC_VERSION}/hyperledger-fabric-${platform}-${FABRIC_VERSION}.tar.gz`;
}

/** What a user with internet gets, as fabric-samples' install script fetches it, but verified before it is unpacked. */
async function fromOfficialRelease(sources: InstallSources): Promise<FabricInstallation> {
    const platform = releasePlatform();
    const url = sources.env.FABRIC_RELEASE_URL || officialReleaseUrl(platform);
    const expected = sources.env.FABRIC_RELEASE_SHA256 || OFFICIAL_RELEASE_SHA256[platform];
    if (!expected) {
        throw new AttemptFailed(
            `no official SHA-256 is pinned for ${platform}, so ${url} would run unverified; set FABRIC_RELEASE_SHA256 to the digest published with the release`,
        );
    }
    sources.log(`Downloading ${url}`);
    let response: Response;
    try {
        response = await fetch(url, { signal: AbortSignal.timeout(Number(sources.env.FABRIC_DOWNLOAD_TIMEOUT_MS ?? 300_000)) });
    } catch (err) {
        const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
        throw new AttemptFailed(`download of ${url} failed: ${err instanceof Error ? err.message : String(err)}${cause}`);
    }
    if (!response.ok) {
        throw new AttemptFailed(`download of ${url} answered HTTP ${String(response.status)} ${response.statusText}`);
    }
    const work = mkdtempSync(`${sources.cacheDir}.download-`);
    try {
        const file = join(work, `hyperledger-fabric-${platform}-${FABRIC_VERSION}.tar.gz`);
        writeFileSync(file, Buffer.from(await response.arrayBuffer()));
        return await installTarball(sources, file, expected, url);
    } finally {
        rmSync(work, { recursive: true, force: true });
    }
}

function goInstall(sources: InstallSources): FabricInstallation {
    const binDir = join(sources.cacheDir, 'bin');
    const configDir = join(sources.cacheDir, 'config');
    const go = spawnSync('go', ['version'], { encoding: 'utf8', env: sources.env });
    if (go.error || go.status !== 0) {
        throw new AttemptFailed('Go is not installed (or not on PATH); Go 1.26.4 or newer builds Fabric from the module proxy');
    }
    sources.log(`Installing Fabric ${FABRIC_VERSION} (${FABRIC_COMMIT.slice(0, 7)}) with ${go.stdout.trim()}: the first build takes several minutes`);
    mkdirSync(binDir, { recursive: true });
    const packages = COMMANDS.map((c) => `${FABRIC_MODULE}/cmd/${c}@${FABRIC_COMMIT}`);
    const install = spawnSync('go', ['install', ...packages], {
        env: { ...sources.env, GOBIN: binDir, CGO_ENABLED: '0' },
        encoding: 'utf8',
        stdio: ['ignore', 'inherit', 'pipe'],
    });
    if (install.status !== 0) {
        throw new AttemptFailed(`go install ${FABRIC_MODULE}@${FABRIC_COMMIT} failed: ${install.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    }
    // Config files are not installed by go install: take them from the module's sampleconfig.
    const info = JSON.parse(execFileSync('go', ['mod', 'download', '-json', `${FABRIC_MODULE}@${FABRIC_COMMIT}`], { encoding: 'utf8', env: sources.env })) as { Dir: string };
    mkdirSync(configDir, { recursive: true });
    for (const file of [...CONFIG_FILES, 'configtx.yaml']) {
        copyFileSync(join(info.Dir, 'sampleconfig', file), join(configDir, file));
    }
    cpSync(join(info.Dir, 'sampleconfig', 'msp'), join(configDir, 'msp'), { recursive: true });
    execFileSync('chmod', ['-R', 'u+w', configDir]);
    usable(binDir, configDir);
    const source = `go install ${FABRIC_MODULE}@${FABRIC_COMMIT}`;
    writeFileSync(join(sources.cacheDir, 'SOURCE'), `${source}\n`);
    return { binDir, configDir, source };
}

interface Step {
    name: string;
    attempt: () => FabricInstallation | Promise<FabricInstallation> | undefined;
}

/**
 * Finds the pinned Fabric binaries, installing them when missing, in this order: FABRIC_BIN_DIR (with
 * FABRIC_CFG_DIR or its sibling config/); what this project installed before (.fabric/, then the per-user cache);
 * a release tarball on disk (FABRIC_RELEASE_TARBALL, checked against FABRIC_RELEASE_SHA256 when given); the
 * official release download, checked against its pinned SHA-256; and last `go install`. Whatever is found is
 * linked into .fabric/ so that later commands use the same binaries with no variable set. When nothing works the
 * error says what each step tried.
 */
export async function installFabric(sources: InstallSources): Promise<FabricInstallation> {
    const steps: Step[] = [
        { name: 'FABRIC_BIN_DIR', attempt: () => fromEnvBinDir(sources) },
        { name: `installed in ${sources.projectDir}`, attempt: () => fromProject(sources) },
        { name: `installed in ${sources.cacheDir}`, attempt: () => fromCache(sources) },
        { name: 'FABRIC_RELEASE_TARBALL', attempt: () => fromTarballOnDisk(sources) },
        { name: 'official release download', attempt: () => fromOfficialRelease(sources) },
        { name: 'go install', attempt: () => goInstall(sources) },
    ];
    const tried: string[] = [];
    for (const { name, attempt } of steps) {
        try {
            const found = await attempt();
            if (found === undefined) {
                tried.push(`${name}: not set`);
                continue;
            }
            return remember(sources, found);
        } catch (err) {
            if (!(err instanceof AttemptFailed)) {
                throw err;
            }
            tried.push(`${name}: ${err.message}`);
            // A source the user named explicitly must work: falling back silently would run other binaries.
            if (name === 'FABRIC_BIN_DIR' || name === 'FABRIC_RELEASE_TARBALL') {
                break;
            }
        }
    }
    throw new FabricUnavailableError(
        `Fabric ${FABRIC_VERSION} could not be found or installed. Tried, in order:\n${tried.map((t) => `  - ${t}`).join('\n')}\n` +
            'Offline (air-gapped) install: FABRIC_RELEASE_TARBALL=/path/to/hyperledger-fabric-<os>-<arch>-3.1.5.tar.gz [FABRIC_RELEASE_SHA256=<digest>] npm run fabric:install',
    );
}

/** installFabric with this process's environment, the project's .fabric/ and the per-user cache. */
export function ensureFabric(log: (line: string) => void = console.log): Promise<FabricInstallation> {
    return installFabric({ env: process.env, projectDir: join(REPO_ROOT, '.fabric'), cacheDir: defaultCacheDir(process.env), log });
}
