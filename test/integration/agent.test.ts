import { EvidenceClient } from '../../gateway-sdk/src';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
            const { readFileSync } = await import('node:fs');
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
