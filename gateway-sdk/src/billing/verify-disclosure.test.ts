import { BillingWorld, people } from '../../../chaincode/resource-billing/testing/billing-fixture';
import type { LineCount, Page, StoredUsageRecord, UsageRecordHash } from './models';
import { type BillingDisclosure, verifyDisclosure } from './verify-disclosure';

/*
 * The auditor's check of a disclosure (docs/security/confidentiality.md), against a memory ledger running the real
 * chaincode: what a party discloses with DiscloseLineUsage, checked against GetPeriodLineCounts and
 * GetUsageRecordHashes.
 */
const JANUARY = 'EdgeOrgMSP|CloudOrgMSP|2026-01';

async function useGpu(world: BillingWorld, sessionId: string, appId: string): Promise<void> {
    await world.startSession(JSON.stringify({ sessionId, resourceId: 'gpu-1', appId }));
    await world.submit(people.cloudUser, (ctx) => world.billing.StopSession(ctx, sessionId, ''), { timeStepMillis: 60_000 });
}

async function disclose(world: BillingWorld, lineIds: string[]): Promise<BillingDisclosure> {
    const lines = [];
    for (const lineId of lineIds) {
        const page = await world.evaluate<Page<StoredUsageRecord>>(people.cloudUser, (ctx) => world.settlement.DiscloseLineUsage(ctx, JANUARY, lineId, '100', ''));
        lines.push({ lineId, records: page.records });
    }
    return { invoiceId: JANUARY, lines };
}

async function audit(world: BillingWorld, disclosure: BillingDisclosure): Promise<ReturnType<typeof verifyDisclosure>> {
    const counts = await world.evaluate<LineCount[]>(people.auditor, (ctx) => world.settlement.GetPeriodLineCounts(ctx, JANUARY));
    const ids = disclosure.lines.flatMap((line) => line.records.map((r) => r.recordId));
    const hashes = ids.length === 0 ? [] : await world.evaluate<UsageRecordHash[]>(people.auditor, (ctx) => world.settlement.GetUsageRecordHashes(ctx, JANUARY, JSON.stringify(ids)));
    return verifyDisclosure(disclosure, { counts, hashes });
}

describe('verifyDisclosure', () => {
    let world: BillingWorld;
    let full: BillingDisclosure;

    beforeAll(async () => {
        world = new BillingWorld();
        await world.setUp();
        await useGpu(world, 's-1', 'game-1');
        await useGpu(world, 's-2', 'game-1');
        await useGpu(world, 's-3', 'game-1');
        await useGpu(world, 's-4', 'game-2');
        full = await disclose(world, ['gpu-1|1|game-1', 'gpu-1|1|game-2']);
    });

    it('accepts a disclosure of every record of every line', async () => {
        expect(await audit(world, full)).toEqual({ invoiceId: JANUARY, complete: true, problems: [], missing: [] });
    });

    it('detects a disclosure missing one usage record, though every record shown matches its hash', async () => {
        const lacking: BillingDisclosure = { ...full, lines: full.lines.map((line) => ({ ...line, records: line.records.filter((r) => r.recordId !== 'session:s-2') })) };
        const check = await audit(world, lacking);
        expect(check.complete).toBe(false);
        expect(check.missing).toEqual([expect.objectContaining({ lineId: 'gpu-1|1|game-1', lineSeqs: [2] })]);
        expect(check.problems).toEqual(['line gpu-1|1|game-1 holds 3 records; lineSeq 2 not disclosed']);
    });

    it('detects a line left out, a record altered, and a record shown twice or under another line', async () => {
        const [game1, game2] = full.lines;
        if (game1 === undefined || game2 === undefined) {
            throw new Error('two lines expected');
        }
        expect((await audit(world, { ...full, lines: [game1] })).missing).toEqual([expect.objectContaining({ lineSeqs: [1] })]);
        const [first, ...rest] = game1.records;
        if (first === undefined) {
            throw new Error('a record expected');
        }
        const altered = { ...first, stored: first.stored.replace('"quantity":60', '"quantity":6') };
        expect(altered.stored).not.toBe(first.stored);
        const check = await audit(world, { ...full, lines: [{ ...game1, records: [altered, ...rest] }, game2] });
        expect(check.problems).toEqual(expect.arrayContaining([expect.stringMatching(/session:s-1 is not the record written/), expect.stringMatching(/lineSeq 1 not disclosed/)]));
        const twice = await audit(world, { ...full, lines: [{ ...game1, records: [...game1.records, first] }, game2] });
        expect(twice.problems).toEqual([expect.stringMatching(/session:s-1 has lineSeq 1, outside 1 to 3 or given twice/)]);
        const moved = await audit(world, { ...full, lines: [game1, { ...game2, records: [...game2.records, first] }] });
        expect(moved.problems).toEqual([expect.stringMatching(/session:s-1 belongs to line gpu-1\|1\|game-1/)]);
        const invented = await audit(world, { ...full, lines: [...full.lines, { lineId: 'gpu-1|1|game-3', records: [] }] });
        expect(invented.problems).toEqual(['line gpu-1|1|game-3 has no public counter in EdgeOrgMSP|CloudOrgMSP|2026-01']);
    });
});
