// Bootstrap helpers for the README commands. Plain Node, no dependencies: they run before `npm ci`.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const NETWORK_CLI = join(ROOT, 'test-network-scripts', 'dist', 'cli.js');
/** Exit code of the network CLI when Fabric binaries can't be had on this machine. */
export const EXIT_FABRIC_UNAVAILABLE = 3;

export function say(line) {
    console.log(`\n==> ${line}`);
}

/** Runs a command in the repository, inheriting output; returns its exit code. */
export function run(command, args, env = {}) {
    const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
    if (result.error) {
        throw result.error;
    }
    return result.status ?? 1;
}

export function runOrExit(command, args, env = {}) {
    const code = run(command, args, env);
    if (code !== 0) {
        console.error(`\n${command} ${args.join(' ')} failed with exit code ${code}`);
        process.exit(code);
    }
}

/** `npm ci` when node_modules is missing or older than the lockfile. */
export function ensureDependencies() {
    const marker = join(ROOT, 'node_modules', '.package-lock.json');
    const lock = join(ROOT, 'package-lock.json');
    if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) {
        return;
    }
    say('Installing npm dependencies (npm ci)');
    runOrExit('npm', ['ci', '--no-audit', '--no-fund']);
}

export function build() {
    say('Building all packages (tsc -b)');
    runOrExit(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b']);
    say('Building the web console (vite build: console/dist, served by edgetrust serve)');
    runOrExit('npm', ['run', 'build', '--silent', '-w', '@edgetrust/console']);
}

export function network(args, env = {}) {
    return run(process.execPath, [NETWORK_CLI, ...args], env);
}

/**
 * The browser the console's tests drive: EDGETRUST_CHROMIUM, else Debian's chromium, installed with apt-get when it is
 * missing and this machine allows it (root and apt-get present), as the Fabric binaries are installed on demand.
 * Returns the executable's path, or undefined with the reason printed.
 */
export function ensureChromium() {
    const wanted = process.env.EDGETRUST_CHROMIUM ?? '/usr/bin/chromium';
    if (existsSync(wanted)) {
        return wanted;
    }
    if (process.env.EDGETRUST_CHROMIUM !== undefined) {
        console.error(`EDGETRUST_CHROMIUM=${wanted} does not exist`);
        return undefined;
    }
    const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' });
    if (apt.status !== 0 || typeof process.getuid !== 'function' || process.getuid() !== 0) {
        console.error('Chromium is not installed (/usr/bin/chromium) and cannot be installed here: install Debian\'s chromium, or set EDGETRUST_CHROMIUM');
        return undefined;
    }
    say('Installing Debian\'s chromium for the console\'s browser tests (apt-get)');
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    if (run('apt-get', ['update', '-q'], env) !== 0 || run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium'], env) !== 0) {
        console.error('apt-get could not install chromium');
        return undefined;
    }
    return existsSync(wanted) ? wanted : undefined;
}
