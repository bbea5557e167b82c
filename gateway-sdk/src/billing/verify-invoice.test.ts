import type { Invoice, PricePlan, UsageRecord } from './models';
import { chainLineDigest, EMPTY_LINE_DIGEST, meteredAmount, verifyInvoice } from './verify-invoice';

const plans: PricePlan[] = [
    { resourceId: 'gpu-1', version: 1, unit: 'second', rate: 10, publishedAt: '2026-01-01T00:00:00.000Z', publishedByMspId: 'EdgeOrgMSP', txId: 't0' },
    { resourceId: 'upf', version: 2, unit: 'gb', rate: 300, publishedAt: '2026-01-01T00:00:00.000Z', publishedByMspId: 'EdgeOrgMSP', txId: 't0' },
];

function record(overrides: Partial<UsageRecord>): UsageRecord {
    return {
        recordId: 'session:s-1',
        source: 'session',
        sessionId: 's-1',
        operatorMspId: 'EdgeOrgMSP',
        tenantMspId: 'CloudOrgMSP',
        appId: 'game-1',
        resourceId: 'gpu-1',
        planVersion: 1,
        unit: 'second',
        rate: 10,
        quantity: 60,
        amount: 600,
        startedAt: '2026-01-05T10:00:00.000Z',
        stoppedAt: '2026-01-05T10:01:00.000Z',
        recordedAt: '2026-01-05T10:01:00.000Z',
        recordedByMspId: 'EdgeOrgMSP',
        period: '2026-01',
        settlement: 'invoice',
        lineId: 'gpu-1|1|game-1',
        lineSeq: 1,
        txId: 'tx',
        ...overrides,
    };
}

const records: UsageRecord[] = [
    record({}),
    record({ recordId: 'session:s-2', sessionId: 's-2', startedAt: '2026-01-06T10:00:00.000Z', stoppedAt: '2026-01-06T10:00:30.200Z', quantity: 31, amount: 310, lineSeq: 2 }),
    record({
        recordId: 'ct:op-1',
        source: 'ct-operation',
        sessionId: undefined,
        startedAt: undefined,
        stoppedAt: undefined,
        operationId: 'op-1',
        appId: 'video',
        resourceId: 'upf',
        planVersion: 2,
        unit: 'gb',
        rate: 300,
        quantity: 1_500_000_001,
        amount: 451,
        lineId: 'upf|2|video',
        lineSeq: 1,
    }),
];

function invoiceOf(recs: readonly UsageRecord[]): Invoice {
    const line = (lineId: string, resourceId: string, planVersion: number, appId: string, unit: 'second' | 'gb', rate: number): Invoice['lines'][number] => {
        const mine = recs.filter((r) => r.lineId === lineId);
        return {
            lineId,
            operatorMspId: 'EdgeOrgMSP',
            tenantMspId: 'CloudOrgMSP',
            period: '2026-01',
            resourceId,
            planVersion,
            appId,
            unit,
            rate,
            quantity: mine.reduce((s, r) => s + r.quantity, 0),
            amount: mine.reduce((s, r) => s + r.amount, 0),
            recordCount: mine.length,
            recordsDigest: mine.reduce((d, r) => chainLineDigest(d, r), EMPTY_LINE_DIGEST),
        };
    };
    const lines = [line('gpu-1|1|game-1', 'gpu-1', 1, 'game-1', 'second', 10), line('upf|2|video', 'upf', 2, 'video', 'gb', 300)];
    const total = lines.reduce((s, l) => s + l.amount, 0);
    return {
        invoiceId: 'EdgeOrgMSP|CloudOrgMSP|2026-01',
        operatorMspId: 'EdgeOrgMSP',
        tenantMspId: 'CloudOrgMSP',
        period: '2026-01',
        lines,
        total,
        creditTotal: 0,
        amountDue: total,
        status: 'issued',
        openDisputes: 0,
        issuedAt: '2026-02-01T00:00:00.000Z',
        issuedById: 'x509::operator',
        txId: 'tx-close',
    };
}

describe('verifyInvoice', () => {
    it('accepts an invoice whose every line the records reproduce, in any order', () => {
        const invoice = invoiceOf(records);
        const result = verifyInvoice(invoice, [...records].reverse(), plans);
        expect(result).toMatchObject({ ok: true, totalProblems: [], strayRecordIds: [] });
        expect(result.lines.map((l) => [l.lineId, l.ok, l.expected.amount])).toEqual([
            ['gpu-1|1|game-1', true, 910],
            ['upf|2|video', true, 451],
        ]);
    });

    it('chains line digests the same way as the chaincode', () => {
        // The same literal is pinned in the chaincode's settlement tests through its own implementation.
        expect(chainLineDigest(EMPTY_LINE_DIGEST, { recordId: 'session:s-1', quantity: 60, amount: 600 })).toBe(
            'fc6101a1d1243a31e02594b2c2d6bfd44d5dd0807d54adf0455c9f4fee74a4bd',
        );
        expect(meteredAmount('gb', 300, 1_500_000_001)).toBe(451);
        expect(meteredAmount('gb', 300, 1_000_000_000)).toBe(300);
        expect(meteredAmount('call', 25, 4)).toBe(100);
    });

    it('names the line and the problem when a record is overcharged', () => {
        const tampered = records.map((r) => (r.recordId === 'session:s-2' ? { ...r, amount: 400 } : r));
        const result = verifyInvoice(invoiceOf(tampered), tampered, plans);
        expect(result.ok).toBe(false);
        const [gpu, upf] = result.lines;
        expect(upf?.ok).toBe(true);
        expect(gpu?.ok).toBe(false);
        expect(gpu?.problems).toEqual(['record session:s-2 charges 400, 31 second at 10 is 310']);
    });

    it('catches billed seconds that do not match the session timestamps', () => {
        const padded = records.map((r) => (r.recordId === 'session:s-1' ? { ...r, quantity: 70, amount: 700 } : r));
        const result = verifyInvoice(invoiceOf(padded), padded, plans);
        expect(result.lines[0]?.problems).toEqual(['record session:s-1 bills 70 s for a session of 60 s']);
    });

    it('catches a line that does not match its records: missing records, wrong totals, wrong plan', () => {
        const invoice = invoiceOf(records);
        const missing = verifyInvoice(invoice, records.filter((r) => r.recordId !== 'session:s-1'), plans);
        expect(missing.lines[0]?.problems).toEqual(
            expect.arrayContaining(['record session:s-2 is at position 2, expected 1', 'recordCount is 2, the records give 1', 'amount is 910, the records give 310']),
        );
        const inflated = { ...invoice, lines: invoice.lines.map((l, i) => (i === 1 ? { ...l, amount: 999 } : l)) };
        const result = verifyInvoice(inflated, records, plans);
        expect(result.lines[1]?.problems).toEqual(['amount is 999, the records give 451']);
        expect(result.totalProblems).toEqual(['total is 1361, the lines add up to 1909']);
        const noPlan = verifyInvoice(invoice, records, plans.slice(0, 1));
        expect(noPlan.lines[1]?.problems).toEqual(['no price plan upf version 2 was given']);
        const otherRate = verifyInvoice(invoice, records, [plans[0]!, { ...plans[1]!, rate: 200 }]);
        expect(otherRate.lines[1]?.ok).toBe(false);
    });

    it('reports records of the period that no line accounts for, and checks credits', () => {
        const stray = record({ recordId: 'session:s-9', lineId: 'gpu-1|1|ghost', appId: 'ghost' });
        const invoice = { ...invoiceOf(records), creditTotal: 100, amountDue: 1361 };
        const result = verifyInvoice(invoice, [...records, stray, record({ recordId: 'session:other', tenantMspId: 'OtherMSP' })], plans);
        expect(result.strayRecordIds).toEqual(['session:s-9']);
        expect(result.totalProblems).toEqual(['amount due 1361 is not total 1361 less credits 100']);
        expect(result.ok).toBe(false);
    });
});
