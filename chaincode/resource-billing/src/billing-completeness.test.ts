import { createHash } from 'node:crypto';
import { BillingWorld, people } from '../testing/billing-fixture';
import { DEFAULT_TIMESTAMP_TOLERANCE_SECONDS } from './peer-clock';
import { type BillingPurge, type Invoice, type LineCount, lineRefOf, type StoredUsageRecord, type UsageRecord, type UsageRecordHash } from '../../schemas/src';
import type { Page } from '../../common/src';

/*
 * Completeness and retention of a pair's private billing records (docs/security/confidentiality.md): a public record
 * counter per invoice line, the records as stored for disclosure with their public hashes, and PurgeBillingRecords.
 */
const COLLECTION = 'billing_EdgeOrgMSP_CloudOrgMSP';
const JANUARY = 'EdgeOrgMSP|CloudOrgMSP|2026-01';
const FEBRUARY = Date.UTC(2026, 1, 1) + DEFAULT_TIMESTAMP_TOLERANCE_SECONDS * 1000;

async function useGpu(world: BillingWorld, sessionId: string, appId = 'game-1'): Promise<void> {
    await world.startSession(JSON.stringify({ sessionId, resourceId: 'gpu-1', appId }));
    await world.submit(people.cloudUser, (ctx) => world.billing.StopSession(ctx, sessionId, ''), { timeStepMillis: 60_000 });
}

async function closeJanuary(world: BillingWorld): Promise<Invoice> {
    world.ledger.advance(FEBRUARY - world.ledger.now);
    return world.submit<Invoice>(people.edgeUser, (ctx) => world.settlement.CloseBillingPeriod(ctx, 'CloudOrgMSP', '2026-01'));
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('completeness of a disclosure: public line counters and record hashes', () => {
    let world: BillingWorld;

    beforeEach(async () => {
        world = new BillingWorld();
        await world.setUp();
    });

    it('counts every record of every line in public state, naming the line only by the hash of its id', async () => {
        await useGpu(world, 's-1');
        await useGpu(world, 's-2');
        await useGpu(world, 's-3', 'game-2');
        await world.recordCtOperation(JSON.stringify({ operationId: 'op-1', resourceId: 'upf-traffic', tenantMspId: 'CloudOrgMSP', appId: 'video-app', bytes: 1_500_000_000 }));
        const counts = await world.evaluate<LineCount[]>(people.auditor, (ctx) => world.settlement.GetPeriodLineCounts(ctx, JANUARY));
        const expected = [
            { lineRef: lineRefOf('gpu-1|1|game-1'), recordCount: 2 },
            { lineRef: lineRefOf('gpu-1|1|game-2'), recordCount: 1 },
            { lineRef: lineRefOf('upf-traffic|1|video-app'), recordCount: 1 },
        ].sort((a, b) => (a.lineRef < b.lineRef ? -1 : 1));
        expect(counts).toEqual(expected);
        // Public state names no app: the counter's key and value hold the hash of the line id only.
        const publicText = [...world.ledger.snapshot()].map(([key, value]) => `${key} ${Buffer.from(value, 'base64').toString('utf8')}`).join('\n');
        expect(publicText).not.toMatch(/game-1|game-2|video-app/);
        await expect(world.ledger.evaluate(people.stranger, (ctx) => world.settlement.GetPeriodLineCounts(ctx, JANUARY))).rejects.toThrow(/^ACCESS_DENIED: /);
    });

    it('discloses records as stored, whose SHA-256 is the public hash any peer answers, and finds a record left out by the counter', async () => {
        await useGpu(world, 's-1');
        await useGpu(world, 's-2');
        await useGpu(world, 's-3');
        const page = await world.evaluate<Page<StoredUsageRecord>>(people.cloudUser, (ctx) => world.settlement.DiscloseLineUsage(ctx, JANUARY, 'gpu-1|1|game-1', '10', ''));
        expect(page.records.map((r) => r.recordId)).toEqual(['session:s-1', 'session:s-2', 'session:s-3']);
        const hashes = await world.evaluate<UsageRecordHash[]>(people.auditor, (ctx) => world.settlement.GetUsageRecordHashes(ctx, JANUARY, JSON.stringify(['session:s-1', 'session:s-2', 'session:s-3', 'session:never'])));
        expect(hashes.map((h) => h.hash)).toEqual([...page.records.map((r) => sha256(r.stored)), '']);
        const stored = page.records.map((r) => JSON.parse(r.stored) as UsageRecord & { salt: string });
        expect(stored.map((r) => r.lineSeq)).toEqual([1, 2, 3]);
        expect(stored.every((r) => r.salt.length >= 24)).toBe(true);
        // Leaving out one record: the hashes of the rest still match, only the counter shows the gap.
        const [count] = await world.evaluate<LineCount[]>(people.auditor, (ctx) => world.settlement.GetPeriodLineCounts(ctx, JANUARY));
        const shown = stored.filter((r) => r.recordId !== 'session:s-2').map((r) => r.lineSeq);
        expect(count?.recordCount).toBe(3);
        expect([1, 2, 3].filter((seq) => !shown.includes(seq))).toEqual([2]);
    });

    it('refuses bad hash requests with stable codes and discloses nothing outside the pair', async () => {
        await useGpu(world, 's-1');
        for (const bad of ['', '{}', '[]', '[1]', 'not json', JSON.stringify(Array.from({ length: 501 }, (_, n) => `session:s-${String(n)}`))]) {
            await expect(world.ledger.evaluate(people.auditor, (ctx) => world.settlement.GetUsageRecordHashes(ctx, JANUARY, bad))).rejects.toThrow(/^INVALID_ARGUMENT: recordIds/);
        }
        await expect(world.ledger.evaluate(people.stranger, (ctx) => world.settlement.GetUsageRecordHashes(ctx, JANUARY, '["session:s-1"]'))).rejects.toThrow(/^ACCESS_DENIED: /);
        await expect(world.ledger.evaluate(people.stranger, (ctx) => world.settlement.DiscloseLineUsage(ctx, JANUARY, 'gpu-1|1|game-1', '10', ''))).rejects.toThrow(/^NOT_FOUND: /);
        await expect(world.ledger.evaluate(people.cloudUser, (ctx) => world.settlement.DiscloseLineUsage(ctx, 'EdgeOrgMSP|CloudOrgMSP|2026-13', 'gpu-1|1|game-1', '10', ''))).rejects.toThrow(/^INVALID_ARGUMENT: /);
    });
});

describe('PurgeBillingRecords', () => {
    let world: BillingWorld;

    beforeEach(async () => {
        world = new BillingWorld();
        await world.setUp();
    });

    it('purges settled periods only when the second party agrees; records then read NOT_FOUND, counters and invoices stay', async () => {
        await useGpu(world, 's-1');
        await world.recordCtOperation(JSON.stringify({ operationId: 'op-1', resourceId: 'upf-traffic', tenantMspId: 'CloudOrgMSP', appId: 'video-app', bytes: 1_000_000_000 }));
        await expect(world.submit(people.cloudUser, (ctx) => world.settlement.PurgeBillingRecords(ctx, 'EdgeOrgMSP', 'CloudOrgMSP', '2025-01', '2026-02'))).rejects.toThrow(/^PERIOD_NOT_SETTLED: period 2026-01/);
        const invoice = await closeJanuary(world);
        await useGpu(world, 's-feb');
        const proposed = await world.submit<BillingPurge>(people.cloudUser, (ctx) => world.settlement.PurgeBillingRecords(ctx, 'EdgeOrgMSP', 'CloudOrgMSP', '2025-01', '2026-02'));
        expect(proposed).toEqual({ status: 'proposed', proposedByMspId: 'CloudOrgMSP', operatorMspId: 'EdgeOrgMSP', tenantMspId: 'CloudOrgMSP', from: '2025-01', before: '2026-02', periods: ['2026-01'], purgedKeys: 0 });
        expect(await world.evaluate(people.cloudUser, (ctx) => world.billing.GetSession(ctx, 's-1'))).toMatchObject({ sessionId: 's-1' });
        // The proposer cannot carry out its own proposal; nobody outside the pair can do either.
        await world.expectRejected(people.cloudUser2, (ctx) => world.settlement.PurgeBillingRecords(ctx, 'EdgeOrgMSP', 'CloudOrgMSP', '2025-01', '2026-02'), /^ACCESS_DENIED: .*awaits the acceptance of EdgeOrgMSP/);
        await world.expectRejected(people.auditor, (ctx) => world.settlement.PurgeBillingRecords(ctx, 'EdgeOrgMSP', 'CloudOrgMSP', '2025-01', '2026-02'), /^ACCESS_DENIED: /);
        await world.expectRejected(people.stranger, (ctx) => world.settlement.PurgeBillingRecords(ctx, 'EdgeOrgMSP', 'CloudOrgMSP', '2025-01', '2026-02'), /^ACCESS_DENIED: /);

        const purged = await world.submit<BillingPurge>(people.edgeUser, (ctx) => world.settlement.PurgeBillingRecords(ctx, 'EdgeOrgMSP', 'CloudOrgMSP', '2025-01', '2026-02'));
        // Period lines, 2 lines, 2 record positions, 2 index entries, 2 records, the session and the CT operation.
        expect(purged).toMatchObject({ status: 'purged', proposedByMspId: 'CloudOrgMSP', periods: ['2026-01'], purgedKeys: 11 });
        expect(world.ledger.events.at(-1)).toMatchObject({ name: 'BillingRecordsPurged' });
        for (const read of [
            (ctx: Parameters<typeof world.billing.GetSession>[0]) => world.billing.GetSession(ctx, 's-1'),
            (ctx: Parameters<typeof world.billing.GetSession>[0]) => world.billing.GetUsageRecord(ctx, 'session:s-1'),
            (ctx: Parameters<typeof world.billing.GetSession>[0]) => world.billing.GetCtOperation(ctx, 'op-1'),
            (ctx: Parameters<typeof world.billing.GetSession>[0]) => world.billing.GetUsageRecord(ctx, 'ct:op-1'),
        ]) {
            await expect(world.ledger.evaluate(people.auditor, read)).rejects.toThrow(/^NOT_FOUND: /);
        }
        expect(await world.evaluate(people.cloudUser, (ctx) => world.settlement.ListPeriodLines(ctx, JANUARY))).toEqual([]);
        expect(await world.evaluate(people.cloudUser, (ctx) => world.settlement.ListLineUsage(ctx, JANUARY, 'gpu-1|1|game-1', '10', ''))).toMatchObject({ records: [] });
        expect(await world.evaluate(people.cloudUser, (ctx) => world.settlement.GetInvoice(ctx, JANUARY))).toEqual(invoice);
        expect(await world.evaluate<LineCount[]>(people.auditor, (ctx) => world.settlement.GetPeriodLineCounts(ctx, JANUARY))).toHaveLength(2);
        expect(await world.evaluate<UsageRecordHash[]>(people.auditor, (ctx) => world.settlement.GetUsageRecordHashes(ctx, JANUARY, '["session:s-1"]'))).toEqual([{ recordId: 'session:s-1', hash: '' }]);
        // February, not settled and not before the limit, is untouched; nothing of January is left in the collection.
        expect(await world.evaluate(people.cloudUser, (ctx) => world.billing.GetSession(ctx, 's-feb'))).toMatchObject({ sessionId: 's-feb' });
        const left = [...(world.ledger.privateSnapshot().get(COLLECTION) ?? new Map<string, string>()).keys()].filter((key) => key.includes('2026-01') || key.includes('s-1\u0000') || key.includes('op-1'));
        expect(left.filter((key) => !key.includes('billing.invoice'))).toEqual([]);
        // A second round finds nothing more to purge.
        await world.submit(people.edgeUser, (ctx) => world.settlement.PurgeBillingRecords(ctx, 'EdgeOrgMSP', 'CloudOrgMSP', '2025-01', '2026-02'));
        expect(await world.submit<BillingPurge>(people.cloudUser, (ctx) => world.settlement.PurgeBillingRecords(ctx, 'EdgeOrgMSP', 'CloudOrgMSP', '2025-01', '2026-02'))).toMatchObject({ status: 'purged', purgedKeys: 0 });
    });

    it('refuses a period whose invoice has a dispute open, and bad input, writing nothing', async () => {
        await useGpu(world, 's-1');
        await closeJanuary(world);
        await world.submit(people.cloudUser, (ctx) => world.settlement.RaiseDispute(ctx, JSON.stringify({ disputeId: 'd-1', invoiceId: JANUARY, lineIds: ['gpu-1|1|game-1'], reason: 'billed twice' })));
        await world.expectRejected(people.cloudUser, (ctx) => world.settlement.PurgeBillingRecords(ctx, 'EdgeOrgMSP', 'CloudOrgMSP', '2025-01', '2026-02'), /^PERIOD_NOT_SETTLED: invoice .* has a dispute open/);
        await world.expectRejected(people.cloudUser, (ctx) => world.settlement.PurgeBillingRecords(ctx, 'EdgeOrgMSP', 'CloudOrgMSP', '2025-01', '2026-13'), /^INVALID_ARGUMENT: before/);
        await world.expectRejected(people.cloudUser, (ctx) => world.settlement.PurgeBillingRecords(ctx, 'EdgeOrgMSP', 'bad|msp', '2025-01', '2026-02'), /^INVALID_ARGUMENT: /);
        await world.expectRejected(people.cloudUser, (ctx) => world.settlement.PurgeBillingRecords(ctx, 'EdgeOrgMSP', 'CloudOrgMSP', '2026-02', '2026-02'), /^INVALID_ARGUMENT: from/);
        // A range that ends before the disputed period's start, or starts after it, leaves it alone and needs no settlement.
        expect(await world.submit<BillingPurge>(people.cloudUser, (ctx) => world.settlement.PurgeBillingRecords(ctx, 'EdgeOrgMSP', 'CloudOrgMSP', '2026-01-02', '2026-02'))).toMatchObject({ status: 'proposed', periods: [] });
        // Before the period's own start, there is nothing to purge.
        expect(await world.submit<BillingPurge>(people.cloudUser, (ctx) => world.settlement.PurgeBillingRecords(ctx, 'EdgeOrgMSP', 'CloudOrgMSP', '2025-01', '2026-01'))).toMatchObject({ status: 'proposed', periods: [] });
    });
});
