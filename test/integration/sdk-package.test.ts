import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { testProfile } from '../support/network';

// The gateway SDK as an application installs it: packed with `npm pack` (only what its package.json ships),
// installed from the tarball into a project outside the workspace, used there through its public entry point.
jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '..', '..');
/** The packages an application needs, in dependency order (the SDK's own workspace dependencies come first). */
const PACKAGES = ['chaincode/schemas', 'gateway-sdk'];

function npm(args: string[], cwd: string): string {
    return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
}

describe('the gateway SDK as a published package', () => {
    let project: string;

    beforeAll(() => {
        testProfile(); // fails here, not later, when no network is given
        project = mkdtempSync(join(tmpdir(), 'edgetrust-sdk-consumer-'));
        const tarballs = PACKAGES.map((dir) => {
            const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', project], join(ROOT, dir))) as { filename: string }[];
            return join(project, packed[0]!.filename);
        });
        writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'edgetrust-sdk-consumer', version: '1.0.0', private: true }));
        npm(['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs], project);
    });
    afterAll(() => {
        rmSync(project, { recursive: true, force: true });
    });

    it('ships dist with types and an exports map, and no tests or sources', () => {
        const installed = join(project, 'node_modules', '@edgetrust', 'gateway-sdk');
        const files = readdirSync(installed, { recursive: true }).map(String);
        expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'CHANGELOG.md', join('dist', 'index.js'), join('dist', 'index.d.ts')]));
        expect(files.filter((f) => /\.test\.|^src[\\/]|tsbuildinfo$/.test(f))).toEqual([]);
        // Deep imports are closed: only the entry point (and package.json) are exported.
        const deep = `try { require('@edgetrust/gateway-sdk/dist/connect'); console.log('open'); } catch (e) { console.log(e.code); }`;
        expect(execFileSync(process.execPath, ['-e', deep], { cwd: project, encoding: 'utf8' }).trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    });

    it('type-checks an application against the installed declarations', () => {
        writeFileSync(
            join(project, 'app.ts'),
            [
                "import { connect, EvidenceClient, type AnchorRequest, NotFoundError } from '@edgetrust/gateway-sdk';",
                "const request: AnchorRequest = { id: 'x', digest: 'ab'.repeat(32), name: 'x.bin', size: 1, mediaType: 'application/octet-stream', source: { type: 'device', id: 'cam' } };",
                'export const used = [connect, EvidenceClient, NotFoundError, request];',
                // A misspelt field must not compile, or the types would be `any`.
                "// @ts-expect-error 'digets' is not a field of AnchorRequest",
                "export const wrong: AnchorRequest = { ...request, digets: 'x' };",
            ].join('\n'),
        );
        const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
        // skipLibCheck as applications of fabric-gateway set it: @hyperledger/fabric-protos ships declarations that need @types/google-protobuf.
        const args = ['--noEmit', '--strict', '--skipLibCheck', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules', '@types'), 'app.ts'];
        const check = spawnSync(process.execPath, [tsc, ...args], { cwd: project, encoding: 'utf8' });
        expect(check.stdout + check.stderr).toBe('');
        expect(check.status).toBe(0);
    });

    it('anchors and verifies a record on the real network from the installed package', () => {
        writeFileSync(
            join(project, 'app.js'),
            `const { createHash } = require('node:crypto');
const { connect, EvidenceClient, loadNetworkProfile } = require('@edgetrust/gateway-sdk');
(async () => {
    const profile = loadNetworkProfile(process.env.EDGETRUST_CONNECTION_PROFILE);
    const connection = await connect({ profile, organization: 'EdgeOrg' });
    try {
        const evidence = new EvidenceClient(connection.gateway.getNetwork(profile.channel).getContract(profile.chaincodes.evidence || 'evidence'));
        const content = 'reading from a packaged SDK ' + process.pid + ' ' + Date.now();
        const digest = createHash('sha256').update(content).digest('hex');
        const id = 'pkg-' + process.pid + '-' + Date.now();
        const anchored = await evidence.anchor({ id, digest, name: id + '.txt', size: Buffer.byteLength(content), mediaType: 'text/plain', source: { type: 'device', id: 'pkg-test' } });
        const match = await evidence.verify(id, digest);
        const mismatch = await evidence.verify(id, createHash('sha256').update(content + '!').digest('hex'));
        console.log(JSON.stringify({ id, recordId: anchored.result.id, transactionId: anchored.transactionId, match: match.outcome, mismatch: mismatch.outcome, sdk: require.resolve('@edgetrust/gateway-sdk') }));
    } finally {
        connection.close();
    }
})().catch((e) => { console.error(e); process.exit(1); });
`,
        );
        const out = JSON.parse(execFileSync(process.execPath, ['app.js'], { cwd: project, encoding: 'utf8', env: process.env })) as Record<string, string>;
        expect(out.recordId).toBe(out.id);
        expect(out.transactionId).toMatch(/^[0-9a-f]{64}$/);
        expect(out.match).toBe('match');
        expect(out.mismatch).toBe('mismatch');
        // The application used the installed copy, not the workspace's.
        expect(out.sdk!.startsWith(join(project, 'node_modules'))).toBe(true);
    });
});
