import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './topology';

/** Fabric v3.1.5. Its go.mod says module github.com/hyperledger/fabric (no /v3), so tags can't be used: pin the commit. */
export const FABRIC_VERSION = '3.1.5';
export const FABRIC_COMMIT = '86c1172bec37e6590c6b1ae6f847833df48d65fc';
const FABRIC_MODULE = 'github.com/hyperledger/fabric';
const COMMANDS = ['peer', 'orderer', 'osnadmin', 'configtxgen', 'cryptogen'] as const;
const CONFIG_FILES = ['core.yaml', 'orderer.yaml'] as const;

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

const PROJECT_DIR = join(REPO_ROOT, '.fabric');

function cacheDir(): string {
    const base = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
    return join(base, 'edgetrust', 'fabric', FABRIC_COMMIT);
}

function complete(binDir: string, configDir: string): boolean {
    return COMMANDS.every((c) => existsSync(join(binDir, c))) && CONFIG_FILES.every((f) => existsSync(join(configDir, f)));
}

/** Links (or copies) an installation into the project's git-ignored .fabric folder. */
function linkIntoProject(from: FabricInstallation): FabricInstallation {
    rmSync(PROJECT_DIR, { recursive: true, force: true });
    mkdirSync(PROJECT_DIR, { recursive: true });
    symlinkSync(from.binDir, join(PROJECT_DIR, 'bin'));
    symlinkSync(from.configDir, join(PROJECT_DIR, 'config'));
    writeFileSync(join(PROJECT_DIR, 'SOURCE'), `${from.source}\n`);
    return { binDir: join(PROJECT_DIR, 'bin'), configDir: join(PROJECT_DIR, 'config'), source: from.source };
}

/**
 * Finds the pinned Fabric binaries, installing them when missing, in this order:
 * FABRIC_BIN_DIR (with FABRIC_CFG_DIR or its sibling config/), the project's .fabric/, the per-user cache
 * shared by every clone, and last `go install` from the Go module proxy into that cache.
 */
export function ensureFabric(log: (line: string) => void = console.log): FabricInstallation {
    const fromEnv = process.env.FABRIC_BIN_DIR;
    if (fromEnv) {
        const configDir = process.env.FABRIC_CFG_DIR ?? join(fromEnv, '..', 'config');
        if (!complete(fromEnv, configDir)) {
            throw new FabricUnavailableError(
                `FABRIC_BIN_DIR=${fromEnv} must hold ${COMMANDS.join(', ')} and ${configDir} must hold ${CONFIG_FILES.join(', ')}`,
            );
        }
        return { binDir: fromEnv, configDir, source: `FABRIC_BIN_DIR=${fromEnv}` };
    }
    const project = { binDir: join(PROJECT_DIR, 'bin'), configDir: join(PROJECT_DIR, 'config') };
    if (complete(project.binDir, project.configDir)) {
        const source = existsSync(join(PROJECT_DIR, 'SOURCE')) ? readFileSync(join(PROJECT_DIR, 'SOURCE'), 'utf8').trim() : PROJECT_DIR;
        return { ...project, source };
    }
    const cache = { binDir: join(cacheDir(), 'bin'), configDir: join(cacheDir(), 'config') };
    if (complete(cache.binDir, cache.configDir)) {
        log(`Fabric ${FABRIC_VERSION} binaries found in ${cacheDir()}`);
        return linkIntoProject({ ...cache, source: `cache ${cacheDir()}` });
    }
    goInstall(cache.binDir, cache.configDir, log);
    return linkIntoProject({ ...cache, source: `go install ${FABRIC_MODULE}@${FABRIC_COMMIT}` });
}

function goInstall(binDir: string, configDir: string, log: (line: string) => void): void {
    const go = spawnSync('go', ['version'], { encoding: 'utf8' });
    if (go.error || go.status !== 0) {
        throw new FabricUnavailableError(
            `Go is not installed (or not on PATH). Fabric ${FABRIC_VERSION} is installed with \`go install\` from the Go module proxy: ` +
                'install Go 1.26.4 or newer (Debian: the golang package is too old; use the official Go toolchain) and run this again, ' +
                'or point FABRIC_BIN_DIR at a folder holding peer, orderer, osnadmin, configtxgen and cryptogen of Fabric v3.1.5.',
        );
    }
    log(`Installing Fabric ${FABRIC_VERSION} (${FABRIC_COMMIT.slice(0, 7)}) with ${go.stdout.trim()}: the first build takes several minutes`);
    mkdirSync(binDir, { recursive: true });
    const packages = COMMANDS.map((c) => `${FABRIC_MODULE}/cmd/${c}@${FABRIC_COMMIT}`);
    const install = spawnSync('go', ['install', ...packages], {
        env: { ...process.env, GOBIN: binDir, CGO_ENABLED: '0' },
        encoding: 'utf8',
        stdio: ['ignore', 'inherit', 'pipe'],
    });
    if (install.status !== 0) {
        throw new FabricUnavailableError(
            `go install of Fabric ${FABRIC_VERSION} failed:\n${install.stderr.trim()}\n` +
                'If the Go module proxy refuses the Fabric module, build the five commands from Fabric v3.1.5 elsewhere and point FABRIC_BIN_DIR at them.',
        );
    }
    // Config files are not installed by go install: take them from the module's sampleconfig.
    const info = JSON.parse(execFileSync('go', ['mod', 'download', '-json', `${FABRIC_MODULE}@${FABRIC_COMMIT}`], { encoding: 'utf8' })) as { Dir: string };
    mkdirSync(configDir, { recursive: true });
    for (const file of [...CONFIG_FILES, 'configtx.yaml']) {
        copyFileSync(join(info.Dir, 'sampleconfig', file), join(configDir, file));
    }
    cpSync(join(info.Dir, 'sampleconfig', 'msp'), join(configDir, 'msp'), { recursive: true });
    execFileSync('chmod', ['-R', 'u+w', configDir]);
}
