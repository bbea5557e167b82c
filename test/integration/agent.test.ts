import { EvidenceClient } from '../../gateway-sdk/src';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type AgentEvent, EvidenceAgent } from '../../service/src';
import { sha256 } from '../support/evidence';
import { closeConnections, connectAs, testProfile, uniqueId } from '../support/network';

jest.setTimeout(180_000);

afterAll(() => closeConnections());

describe('the edge evidence agent over a folder', () => {
    it('anchors every file exactly once across a kill and a restart, and pinpoints the file altered afterwards', async () => {
        const profile = testProfile();
        const connection = await connectAs('EdgeOrg');
        const evidence = new EvidenceClient(connection.gateway.getNetwork(profile.channel).getContract('evidence'), { mspId: connection.mspId });
        const folder = mkdtempSync(join(tmpdir(), 'edgetrust-agent-'));
        const events: AgentEvent[] = [];
        const agentOf = (): EvidenceAgent => new EvidenceAgent({ folder, evidence, channel: profile.channel, chaincode: 'evidence', stableMs: 300, scanIntervalMs: 100, maxBatch: 4, onEvent: (e) => events.push(e) });
        const write = (name: string): void => writeFileSync(join(folder, name), `${name} ${uniqueId('segment')}`);
        const settle = async (agent: EvidenceAgent, files: number): Promise<void> => {
            for (let i = 0; i < 200 && (agent.counts().anchored ?? 0) < files; i += 1) {
                await new Promise((r) => setTimeout(r, 100));
            }
        };

        // Files appear while the agent runs; it is stopped in the middle (a kill between cycles: the store is all it keeps).
        let agent = agentOf();
        agent.start();
        for (const n of [1, 2, 3, 4, 5]) {
            write(`cam7-000${String(n)}.mp4`);
            await new Promise((r) => setTimeout(r, 150));
        }
        await settle(agent, 2);
        await agent.stop();
        write('cam7-0006.mp4');
        write('cam7-0007.mp4');

        agent = agentOf();
        agent.start();
        await settle(agent, 7);
        await agent.stop();
        const anchoredBatches = events.filter((e): e is Extract<AgentEvent, { type: 'anchored' }> => e.type === 'anchored');
        expect(anchoredBatches.reduce((n, b) => n + b.files, 0)).toBe(7); // every file in exactly one batch
        expect(new Set(anchoredBatches.map((b) => b.batchId)).size).toBe(anchoredBatches.length);

        // One file is altered afterwards: its receipt no longer verifies, and only its.
        writeFileSync(join(folder, 'cam7-0003.mp4'), 'altered');
        agent = agentOf();
        const verdicts: Record<string, string> = {};
        for (const n of [1, 2, 3, 4, 5, 6, 7]) {
            const name = `cam7-000${String(n)}.mp4`;
            const receipt = agent.receipt(name);
            expect(receipt).toBeDefined();
            const check = await evidence.verifyReceipt(receipt!, sha256(readFileSync(join(folder, name))));
            verdicts[name] = check.valid ? 'valid' : (check.problem ?? 'invalid');
        }
        expect(Object.entries(verdicts).filter(([, v]) => v !== 'valid')).toEqual([['cam7-0003.mp4', 'digest-mismatch']]);
        await agent.cycle();
        await agent.stop();
        expect(events).toContainEqual(expect.objectContaining({ type: 'altered', path: 'cam7-0003.mp4' }));
        expect(events.filter((e) => e.type === 'anchored').reduce((n, b) => n + (b as { files: number }).files, 0)).toBe(7);
    });
});

/** `edgetrust agent watch` as its own process, its JSON lines collected. */
function agentProcess(folder: string, lines: Array<Record<string, unknown>>): ChildProcess {
    const cli = join(__dirname, '..', '..', 'cli', 'dist', 'main.js');
    const child = spawn(process.execPath, [cli, 'agent', 'watch', folder, '--stable-ms', '300', '--batch', '3', '--network-dir', dirname(process.env.EDGETRUST_CONNECTION_PROFILE ?? '')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const parts = buffer.split('\n');
        buffer = parts.pop() ?? '';
        for (const line of parts.filter((l) => l.startsWith('{'))) {
            lines.push(JSON.parse(line) as Record<string, unknown>);
        }
    });
    return child;
}

async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition() && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
    }
}

describe('edgetrust agent watch, killed with SIGKILL and restarted', () => {
    it('anchors every file once, and each receipt beside its file verifies on the ledger', async () => {
        const profile = testProfile();
        const connection = await connectAs('EdgeOrg');
        const evidence = new EvidenceClient(connection.gateway.getNetwork(profile.channel).getContract('evidence'), { mspId: connection.mspId });
        const folder = mkdtempSync(join(tmpdir(), 'edgetrust-agent-cli-'));
        const names = Array.from({ length: 9 }, (_, i) => `clip-${String(i).padStart(2, '0')}.mp4`);
        const lines: Array<Record<string, unknown>> = [];
        let child = agentProcess(folder, lines);
        for (const name of names.slice(0, 6)) {
            writeFileSync(join(folder, name), `${name} ${uniqueId('clip')}`);
        }
        await until(() => lines.some((l) => l.type === 'anchored'));
        child.kill('SIGKILL'); // mid-run: whatever it was doing, only its store survives
        await new Promise((r) => child.once('exit', r));
        for (const name of names.slice(6)) {
            writeFileSync(join(folder, name), `${name} ${uniqueId('clip')}`);
        }
        child = agentProcess(folder, lines);
        await until(() => names.every((n) => existsSync(join(folder, `${n}.edgetrust-receipt.json`))) && lines.filter((l) => l.type === 'anchored').reduce((n, l) => n + Number(l.files), 0) >= names.length);
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
        const anchored = lines.filter((l) => l.type === 'anchored');
        expect(anchored.reduce((n, l) => n + Number(l.files), 0)).toBe(names.length);
        expect(new Set(anchored.map((l) => l.batchId)).size).toBe(anchored.length);
        for (const name of names) {
            const receipt = JSON.parse(readFileSync(join(folder, `${name}.edgetrust-receipt.json`), 'utf8')) as Parameters<typeof evidence.verifyReceipt>[0];
            const check = await evidence.verifyReceipt(receipt, sha256(readFileSync(join(folder, name))));
            expect({ name, valid: check.valid }).toEqual({ name, valid: true });
        }
    });
});
