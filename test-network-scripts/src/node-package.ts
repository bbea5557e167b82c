import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { governanceEnv } from './nodes';
import { type ChaincodeSpec, type Network, REPO_ROOT } from './topology';

type Log = (line: string) => void;

/**
 * Packages a built chaincode the way Fabric's node builder takes it (metadata.json + code.tar.gz holding
 * src/ with package.json, package-lock.json, dist/ and META-INF/ where the chaincode has generated metadata), and proves the package stands alone: `npm ci --omit=dev`
 * inside the staged copy, then loading its contracts. The test network itself runs chaincode as a service;
 * this is for peers that build Node chaincode themselves.
 */
export function packageForNodeBuilder(network: Network, chaincode: ChaincodeSpec, log: Log): string {
    const out = join(network.dir, 'node-packages');
    const stage = join(out, chaincode.name);
    const src = join(stage, 'src');
    rmSync(stage, { recursive: true, force: true });
    mkdirSync(src, { recursive: true });
    const packageDir = join(REPO_ROOT, chaincode.path);
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { main: string };
    // The peer's node builder runs `npm start`; the governance organisation travels in the package (whose id
    // every organisation approves), as the test network's chaincode servers get it in their environment.
    const governance = Object.entries(governanceEnv(network, chaincode)).map(([name, value]) => `${name}=${value} `).join('');
    const staged = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    staged.scripts = { ...staged.scripts, start: `${governance}fabric-chaincode-node start` };
    writeFileSync(join(src, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);
    // Tests and test fixtures (`testing/` folders) stay out of what peers install.
    const shipped = (file: string): boolean => !file.endsWith('.test.js') && !file.endsWith('.test.d.ts') && !file.split(sep).includes('testing');
    cpSync(join(packageDir, 'dist'), join(src, 'dist'), { recursive: true, filter: shipped });
    // The generated contract metadata (docs/wire-model.md), which fabric-contract-api serves as GetMetadata.
    if (existsSync(join(packageDir, 'META-INF'))) {
        cpSync(join(packageDir, 'META-INF'), join(src, 'META-INF'), { recursive: true });
    }
    const npm = (args: string[]): void => {
        execFileSync('npm', [...args, '--no-audit', '--no-fund'], { cwd: src, stdio: 'pipe' });
    };
    npm(['install', '--package-lock-only', '--omit=dev']);
    npm(['ci', '--omit=dev']);
    const loaded = execFileSync(process.execPath, ['-e', `console.log(require(${JSON.stringify(join(src, manifest.main))}).contracts.map((c) => c.name).join(','))`], {
        env: { ...process.env, CORE_CHAINCODE_LOGGING_LEVEL: 'error' },
        encoding: 'utf8',
    }).trim();
    log(`${chaincode.name}: npm ci --omit=dev in a standalone copy works; contracts ${loaded}`);
    rmSync(join(src, 'node_modules'), { recursive: true, force: true });
    writeFileSync(join(stage, 'metadata.json'), JSON.stringify({ path: '', type: 'node', label: chaincode.name }));
    execFileSync('tar', ['-C', stage, '-czf', join(stage, 'code.tar.gz'), 'src']);
    const file = join(out, `${chaincode.name}-node.tgz`);
    execFileSync('tar', ['-C', stage, '-czf', file, 'metadata.json', 'code.tar.gz']);
    return file;
}
