import type { Context } from 'fabric-contract-api';

import { BillingWorld, people } from '../testing/billing-fixture';

import { DEFAULT_TIMESTAMP_TOLERANCE_SECONDS } from './peer-clock';
import { BillingDispute, chainLineDigest, EMPTY_LINE_DIGEST, Invoice, InvoiceLine, type UsageRecord } from '../../schemas/src';

// A period closes once its end plus the timestamp tolerance has passed.
const FEBRUARY = Date.UTC(2026, 1, 1) + DEFAULT_TIMESTAMP_TOLERANCE_SECONDS * 1000;
const INVOICE_ID = 'EdgeOrgMSP|CloudOrgMSP|2026-01';

async function useGpu(world: BillingWorld, sessionId: string, appId = 'game-1'): Promise<void> {
    await world.startSession(JSON.stringify({ sessionId, resourceId: 'gpu-1', appId }));
    await world.submit(people.cloudUser, (ctx) => world.billing.StopSession(ctx, sessionId, ''), { timeStepMillis: 60_000 });
}

async function recordTraffic(world: BillingWorld, operationId: string, bytes: number): Promise<void> {
    const request = { operationId, resourceId: 'upf-traffic', tenantMspId: 'CloudOrgMSP', appId: 'video-app', bytes };
    await world.recordCtOperation(JSON.stringify(request));
}

async function closeJanuary(world: BillingWorld): Promise<Invoice> {
    world.ledger.advance(FEBRUARY - world.ledger.now);
    return world.submit<Invoice>(people.edgeUser, (ctx) => world.settlement.CloseBillingPeriod(ctx, 'CloudOrgMSP', '2026-01'));
}

/** Counts the keys a transaction reads, directly or through range queries. */
function countingReads(ctx: Context): { ctx: Context; reads: () => number } {
    let reads = 0;
    const stub = ctx.stub;
    const counted = Object.create(stub) as Context['stub'];
    counted.getState = async (key: string) => {
        reads += 1;
        return stub.getState(key);
    };
    counted.getStateByPartialCompositeKey = (async (objectType: string, attributes: string[]) => {
        const iterator = await stub.getStateByPartialCompositeKey(objectType, attributes);
        const next = iterator.next.bind(iterator);
        iterator.next = async () => {
            const result = await next();
            reads += result.done ? 0 : 1;
            return result;
        };
        return iterator;
    }) as Context['stub']['getStateByPartialCompositeKey'];
    const wrapped = Object.create(ctx) as Context;
    wrapped.stub = counted;
    return { ctx: wrapped, reads: () => reads };
}

describe('SettlementContract', () => {
    let world: BillingWorld;

    beforeEach(async () => {
        world = new BillingWorld();
        await world.setUp();
    });

    it('issues one invoice per tenant whose lines are the running totals, each traceable to its records', async () => {
        await useGpu(world, 's-1');
        await useGpu(world, 's-2');
        await useGpu(world, 's-3', 'game-2');
        await recordTraffic(world, 'op-1', 1_500_000_000);
        await world.expectRejected(people.edgeUser, (ctx) => world.settlement.CloseBillingPeriod(ctx, 'CloudOrgMSP', '2026-01'), /^PERIOD_NOT_ENDED: /);
        const tenants = await world.evaluate(people.edgeUser, (ctx) => world.settlement.ListPeriodTenants(ctx, '2026-01', '10', ''));
        expect(tenants).toMatchObject({ records: ['CloudOrgMSP'], bookmark: '' });
        const invoice = await closeJanuary(world);
        expect(invoice.lines.map((l) => [l.lineId, l.recordCount, l.quantity, l.amount])).toEqual([
            ['gpu-1|1|game-1', 2, 120, 1200],
            ['gpu-1|1|game-2', 1, 60, 600],
            ['upf-traffic|1|video-app', 1, 1_500_000_000, 450],
        ]);
        expect(invoice).toMatchObject({ invoiceId: INVOICE_ID, total: 2250, amountDue: 2250, creditTotal: 0, status: 'issued' });
        expect(world.ledger.events.at(-1)).toEqual({ txId: expect.any(String) as string, name: 'InvoiceIssued', payload: { invoiceId: INVOICE_ID } });

        const page = await world.evaluate<{ records: UsageRecord[] }>(people.cloudUser, (ctx) => world.settlement.ListLineUsage(ctx, INVOICE_ID, 'gpu-1|1|game-1', '10', ''));
        expect(page.records.map((r) => [r.recordId, r.lineSeq])).toEqual([['session:s-1', 1], ['session:s-2', 2]]);
        const line = invoice.lines[0] as InvoiceLine;
        expect(page.records.reduce((digest, record) => chainLineDigest(digest, record), EMPTY_LINE_DIGEST)).toBe(line.recordsDigest);
        await world.expectRejected(people.edgeUser, (ctx) => world.settlement.CloseBillingPeriod(ctx, 'CloudOrgMSP', '2026-01'), /^PERIOD_CLOSED: /);
    });

    it('chains line digests as documented (the SDK pins the same value)', () => {
        expect(chainLineDigest(EMPTY_LINE_DIGEST, { recordId: 'session:s-1', quantity: 60, amount: 600 })).toBe(
            'fc6101a1d1243a31e02594b2c2d6bfd44d5dd0807d54adf0455c9f4fee74a4bd',
        );
    });

    it('closes a period with the same number of reads whatever the number of usage records', async () => {
        const readsToClose = async (records: number): Promise<number> => {
            world = new BillingWorld();
            await world.setUp();
            for (let i = 0; i < records; i++) {
                await recordTraffic(world, `op-${String(i)}`, 1_000_000);
            }
            world.ledger.advance(FEBRUARY - world.ledger.now);
            let reads = 0;
            await world.ledger.submit(people.edgeUser, async (ctx) => {
                const counting = countingReads(ctx);
                const result = await world.settlement.CloseBillingPeriod(counting.ctx, 'CloudOrgMSP', '2026-01');
                reads = counting.reads();
                return result;
            });
            expect(world.stateOf<Invoice>('billing.invoice')[0]).toMatchObject({ total: records, lines: [{ recordCount: records }] });
            return reads;
        };
        const few = await readsToClose(2);
        const many = await readsToClose(40);
        expect(many).toBe(few);
        expect(few).toBeLessThan(10);
    });

    it('refuses usage dated into a period that is already invoiced', async () => {
        await recordTraffic(world, 'op-1', 1);
        await closeJanuary(world);
        // A client may set its timestamp up to the tolerance in the past: still into January.
        const late = { operationId: 'op-2', resourceId: 'upf-traffic', tenantMspId: 'CloudOrgMSP', appId: 'video-app', bytes: 5 };
        await world.submit(people.edgeUser, (ctx) => world.billing.RecordCtOperation(ctx, JSON.stringify(late)), { timeStepMillis: -60_000 });
        await world.expectRejected(people.cloudUser, (ctx) => world.billing.AcceptCtOperation(ctx, 'op-2'), /^PERIOD_CLOSED: /);
    });

    it('shows invoices to their tenant, their operator and auditors only', async () => {
        await useGpu(world, 's-1');
        await closeJanuary(world);
        for (const reader of [people.cloudUser, people.edgeUser, people.auditor]) {
            expect(await world.evaluate(reader, (ctx) => world.settlement.GetInvoice(ctx, INVOICE_ID))).toMatchObject({ total: 600 });
            expect(await world.evaluate(reader, (ctx) => world.settlement.ListInvoices(ctx, 'CloudOrgMSP', '10', ''))).toMatchObject({ records: [{ invoiceId: INVOICE_ID }] });
            expect(await world.evaluate(reader, (ctx) => world.settlement.ListPeriodLines(ctx, INVOICE_ID))).toMatchObject([{ amount: 600 }]);
        }
        // Outside the pair's collection the records do not exist (docs/security/confidentiality.md).
        await expect(world.ledger.evaluate(people.stranger, (ctx) => world.settlement.GetInvoice(ctx, INVOICE_ID))).rejects.toThrow(/^NOT_FOUND: /);
        await expect(world.ledger.evaluate(people.stranger, (ctx) => world.settlement.ListLineUsage(ctx, INVOICE_ID, 'gpu-1|1|game-1', '10', ''))).rejects.toThrow(/^NOT_FOUND: /);
        await expect(world.ledger.evaluate(people.stranger, (ctx) => world.settlement.ListPeriodLines(ctx, INVOICE_ID))).rejects.toThrow(/^NOT_FOUND: /);
        expect(await world.evaluate(people.stranger, (ctx) => world.settlement.ListInvoices(ctx, 'CloudOrgMSP', '10', ''))).toMatchObject({ records: [] });
        await expect(world.ledger.evaluate(people.cloudUser, (ctx) => world.settlement.ListPeriodTenants(ctx, '2026-01', '10', ''))).rejects.toThrow(/^ACCESS_DENIED: /);
    });

    it.each<[string, (w: BillingWorld) => (ctx: Context) => Promise<unknown>, RegExp]>([
        ['close by a tenant', (w) => (ctx) => w.settlement.CloseBillingPeriod(ctx, 'CloudOrgMSP', '2026-01'), /^ACCESS_DENIED: /],
        ['close of a badly written period', (w) => (ctx) => w.settlement.CloseBillingPeriod(ctx, 'CloudOrgMSP', '2026-13'), /^INVALID_ARGUMENT: period/],
        ['close with a bad tenant', (w) => (ctx) => w.settlement.CloseBillingPeriod(ctx, 'a|b', '2026-01'), /^INVALID_ARGUMENT: tenantMspId/],
    ])('refuses %s', async (_label, tx, pattern) => {
        await world.expectRejected(people.cloudUser, tx(world), pattern);
    });

    it('refuses to close a period without usage', async () => {
        world.ledger.advance(FEBRUARY - world.ledger.now);
        await world.expectRejected(people.edgeUser, (ctx) => world.settlement.CloseBillingPeriod(ctx, 'CloudOrgMSP', '2026-01'), /^INVALID_STATE: /);
    });

    it.each<[string, (w: BillingWorld) => (ctx: Context) => Promise<string>, RegExp]>([
        ['an invoice id without a period', (w) => (ctx) => w.settlement.GetInvoice(ctx, 'EdgeOrgMSP|CloudOrgMSP'), /^INVALID_ARGUMENT: invoiceId/],
        ['a missing invoice', (w) => (ctx) => w.settlement.GetInvoice(ctx, 'EdgeOrgMSP|CloudOrgMSP|2025-01'), /^NOT_FOUND: /],
        ['a bad line id', (w) => (ctx) => w.settlement.ListLineUsage(ctx, INVOICE_ID, 'gpu-1', '10', ''), /^INVALID_ARGUMENT: lineId/],
        ['a page too large', (w) => (ctx) => w.settlement.ListInvoices(ctx, 'CloudOrgMSP', '1001', ''), /^INVALID_ARGUMENT: pageSize/],
        ['a bad period', (w) => (ctx) => w.settlement.ListPeriodTenants(ctx, '2026-1', '10', ''), /^INVALID_ARGUMENT: period/],
        ['a missing dispute', (w) => (ctx) => w.settlement.GetDispute(ctx, 'd-0'), /^NOT_FOUND: /],
        ['bad period lines', (w) => (ctx) => w.settlement.ListPeriodLines(ctx, 'x'), /^INVALID_ARGUMENT: /],
    ])('answers a query with %s by a coded error', async (_label, query, pattern) => {
        await expect(world.ledger.evaluate(people.edgeUser, query(world))).rejects.toThrow(pattern);
    });

    describe('disputes', () => {
        const dispute = (overrides: Record<string, unknown> = {}): string =>
            JSON.stringify({ disputeId: 'd-1', invoiceId: INVOICE_ID, lineIds: ['gpu-1|1|game-2'], reason: 'GPU was down', evidenceId: 'cam-7/log-1', ...overrides });

        beforeEach(async () => {
            await useGpu(world, 's-1');
            await useGpu(world, 's-2', 'game-2');
            await recordTraffic(world, 'op-1', 2_000_000_000);
            await closeJanuary(world);
            world.anchorEvidence(people.cloudUser, 'cam-7/log-1', 'a'.repeat(64));
        });

        it('lets the tenant dispute lines and the operator concede with a credit note', async () => {
            const raised = await world.submit<BillingDispute>(people.cloudUser, (ctx) => world.settlement.RaiseDispute(ctx, dispute()));
            expect(raised).toMatchObject({ status: 'open', lineIds: ['gpu-1|1|game-2'], evidenceId: 'cam-7/log-1', tenantMspId: 'CloudOrgMSP' });
            expect(raised.citedEvidence).toEqual({ evidenceId: 'cam-7/log-1', digest: 'a'.repeat(64), kind: 'generic', status: 'active', anchoredAt: expect.any(String), anchoredByMspId: 'CloudOrgMSP', sourceProven: false, checkedAt: raised.raisedAt });
            expect(world.ledger.events.at(-1)).toEqual({ txId: expect.any(String) as string, name: 'DisputeRaised', payload: { disputeId: 'd-1' } });
            expect(await world.evaluate(people.cloudUser, (ctx) => world.settlement.GetInvoice(ctx, INVOICE_ID))).toMatchObject({ status: 'disputed', openDisputes: 1 });
            await world.expectRejected(people.cloudUser, (ctx) => world.settlement.RaiseDispute(ctx, dispute({ disputeId: 'd-2' })), /^LINE_ALREADY_DISPUTED: /);
            await world.expectRejected(people.cloudUser, (ctx) => world.settlement.ResolveDispute(ctx, 'd-1', '{"outcome":"accepted"}'), /^ACCESS_DENIED: /);
            await world.expectRejected(people.edgeUser, (ctx) => world.settlement.ResolveDispute(ctx, 'd-1', JSON.stringify({ outcome: 'accepted', credits: [{ lineId: 'gpu-1|1|game-2', amount: 601 }] })), /^INVALID_ARGUMENT: credit/);
            await world.expectRejected(people.edgeUser, (ctx) => world.settlement.ResolveDispute(ctx, 'd-1', JSON.stringify({ outcome: 'accepted', credits: [{ lineId: 'gpu-1|1|game-1', amount: 1 }] })), /^INVALID_ARGUMENT: credit/);
            const resolved = await world.submit<BillingDispute>(people.edgeUser, (ctx) => world.settlement.ResolveDispute(ctx, 'd-1', JSON.stringify({ outcome: 'accepted', credits: [{ lineId: 'gpu-1|1|game-2', amount: 250 }] })));
            expect(resolved).toMatchObject({ status: 'accepted', resolution: { outcome: 'accepted', creditNote: { creditNoteId: 'credit:d-1', amount: 250 } } });
            expect(world.ledger.events.at(-1)).toEqual({ txId: expect.any(String) as string, name: 'DisputeResolved', payload: { disputeId: 'd-1' } });
            expect(await world.evaluate(people.auditor, (ctx) => world.settlement.GetInvoice(ctx, INVOICE_ID))).toMatchObject({ total: 1800, creditTotal: 250, amountDue: 1550, status: 'issued', openDisputes: 0 });
            await world.expectRejected(people.edgeUser, (ctx) => world.settlement.ResolveDispute(ctx, 'd-1', '{"outcome":"accepted"}'), /^INVALID_STATE: /);
            expect(await world.evaluate(people.auditor, (ctx) => world.settlement.GetDispute(ctx, 'd-1'))).toMatchObject({ status: 'accepted' });
            await expect(world.ledger.evaluate(people.stranger, (ctx) => world.settlement.GetDispute(ctx, 'd-1'))).rejects.toThrow(/^NOT_FOUND: /);
        });

        it('credits disputed lines in full by default, or records an auditor\'s rejection with its reason', async () => {
            await world.submit(people.cloudUser, (ctx) => world.settlement.RaiseDispute(ctx, dispute({ lineIds: ['gpu-1|1|game-1', 'gpu-1|1|game-2'] })));
            await world.submit(people.cloudUser, (ctx) => world.settlement.RaiseDispute(ctx, dispute({ disputeId: 'd-2', lineIds: ['upf-traffic|1|video-app'], evidenceId: undefined })));
            const accepted = await world.submit<BillingDispute>(people.edgeUser, (ctx) => world.settlement.ResolveDispute(ctx, 'd-1', '{"outcome":"accepted"}'));
            expect(accepted.resolution?.creditNote).toMatchObject({ amount: 1200, lines: [{ lineId: 'gpu-1|1|game-1', amount: 600 }, { lineId: 'gpu-1|1|game-2', amount: 600 }] });
            expect(await world.evaluate(people.cloudUser, (ctx) => world.settlement.GetInvoice(ctx, INVOICE_ID))).toMatchObject({ status: 'disputed', openDisputes: 1, amountDue: 600 });
            await world.expectRejected(people.edgeUser, (ctx) => world.settlement.ResolveDispute(ctx, 'd-2', '{"outcome":"rejected"}'), /^INVALID_ARGUMENT: reason/);
            await world.expectRejected(people.edgeUser, (ctx) => world.settlement.ResolveDispute(ctx, 'd-2', '{"outcome":"rejected","reason":"traffic matches UPF counters"}'), /^ACCESS_DENIED: /);
            const rejected = await world.submit<BillingDispute>(people.auditor, (ctx) => world.settlement.ResolveDispute(ctx, 'd-2', '{"outcome":"rejected","reason":"traffic matches UPF counters"}'));
            expect(rejected).toMatchObject({ status: 'rejected', resolution: { outcome: 'rejected', reason: 'traffic matches UPF counters', resolvedByMspId: 'AuditOrgMSP' } });
            expect(rejected.resolution?.creditNote).toBeUndefined();
            expect(await world.evaluate(people.cloudUser, (ctx) => world.settlement.GetInvoice(ctx, INVOICE_ID))).toMatchObject({ status: 'issued', amountDue: 600 });
        });

        it('checks the cited evidence at the time of the dispute: a revoked record is refused, and nothing is written', async () => {
            world.revokeEvidence(people.cloudUser, 'cam-7/log-1');
            await world.expectRejected(people.cloudUser, (ctx) => world.settlement.RaiseDispute(ctx, dispute()), /^CITED_EVIDENCE_REVOKED: the cited evidence cam-7\/log-1/);
            world.anchorEvidence(people.edgeUser, 'cam-7/log-2', 'b'.repeat(64));
            const raised = await world.submit<BillingDispute>(people.cloudUser, (ctx) => world.settlement.RaiseDispute(ctx, dispute({ evidenceId: 'cam-7/log-2' })));
            expect(raised.citedEvidence).toMatchObject({ evidenceId: 'cam-7/log-2', digest: 'b'.repeat(64), anchoredByMspId: 'EdgeOrgMSP', status: 'active' });
        });

        it.each<[string, Record<string, unknown>, RegExp]>([
            ['no lines', { lineIds: [] }, /^INVALID_ARGUMENT: lineIds/],
            ['an unknown line', { lineIds: ['gpu-1|2|game-1'] }, /^INVALID_ARGUMENT: invoice .* has no line/],
            ['a malformed line id', { lineIds: ['gpu-1'] }, /^INVALID_ARGUMENT: lineIds\[0\]/],
            ['no reason', { reason: '' }, /^INVALID_ARGUMENT: reason/],
            ['a bad evidence id', { evidenceId: 'a b' }, /^INVALID_ARGUMENT: evidenceId/],
            ['evidence that was never anchored', { evidenceId: 'cam-7/log-0' }, /^CITED_EVIDENCE_NOT_FOUND: /],
            ['a missing invoice', { invoiceId: 'EdgeOrgMSP|CloudOrgMSP|2025-12' }, /^NOT_FOUND: /],
            ['a bad invoice id', { invoiceId: 'nope' }, /^INVALID_ARGUMENT: invoiceId/],
        ])('refuses a dispute with %s', async (_label, overrides, pattern) => {
            await world.expectRejected(people.cloudUser, (ctx) => world.settlement.RaiseDispute(ctx, dispute(overrides)), pattern);
        });

        it('refuses disputes from others, duplicate ids and bad decisions', async () => {
            await world.expectRejected(people.edgeUser, (ctx) => world.settlement.RaiseDispute(ctx, dispute()), /^ACCESS_DENIED: /);
            await world.submit(people.cloudUser, (ctx) => world.settlement.RaiseDispute(ctx, dispute()));
            await world.expectRejected(people.cloudUser, (ctx) => world.settlement.RaiseDispute(ctx, dispute({ lineIds: ['gpu-1|1|game-1'] })), /^ALREADY_EXISTS: /);
            await world.expectRejected(people.edgeUser, (ctx) => world.settlement.ResolveDispute(ctx, 'd-1', '{"outcome":"maybe"}'), /^INVALID_ARGUMENT: outcome/);
            await world.expectRejected(people.edgeUser, (ctx) => world.settlement.ResolveDispute(ctx, 'd-1', '{"outcome":"rejected","reason":"x","credits":[]}'), /^INVALID_ARGUMENT: /);
            await world.expectRejected(people.edgeUser, (ctx) => world.settlement.ResolveDispute(ctx, 'd-1', '{"outcome":"accepted","credits":[{"lineId":"gpu-1|1|game-2","amount":-1}]}'), /^INVALID_ARGUMENT: /);
            await world.expectRejected(people.edgeUser, (ctx) => world.settlement.ResolveDispute(ctx, 'none', '{"outcome":"accepted"}'), /^NOT_FOUND: /);
        });
    });
});
