import type { CtOperationProposal, Invoice, InvoiceVerification, UsageRecord, UsageSession } from '@edgetrust/gateway-sdk';
import { ctOperationView, invoiceView, lineRow, planText, quantityText, sessionView, usageRow, verificationRows } from './billing-format';

const line = {
    lineId: 'gpu-1|1|game',
    operatorMspId: 'EdgeOrgMSP',
    tenantMspId: 'CloudOrgMSP',
    period: '2026-11',
    resourceId: 'gpu-1',
    planVersion: 1,
    appId: 'game',
    unit: 'second' as const,
    rate: 40,
    quantity: 125,
    amount: 5000,
    recordCount: 2,
    recordsDigest: 'ab'.repeat(32),
};

describe('billing tables', () => {
    it('shows whose acceptance a proposed session and a stop reading wait for', () => {
        const session: UsageSession = {
            sessionId: 's-1',
            resourceId: 'api-1',
            siteId: 'site-a',
            operatorMspId: 'EdgeOrgMSP',
            tenantMspId: 'CloudOrgMSP',
            appId: 'game',
            planVersion: 1,
            unit: 'call',
            rate: 25,
            status: 'stopping',
            awaitingMspId: 'EdgeOrgMSP',
            proposedAt: '2026-11-22T09:00:00.000Z',
            startedByMspId: 'CloudOrgMSP',
            startedById: 'x509::cloud-user',
            startTxId: 'tx-1',
            startedAt: '2026-11-22T09:00:02.000Z',
            acceptedByMspId: 'EdgeOrgMSP',
            stopProposal: { quantity: 3, stoppedAt: '2026-11-22T09:05:00.000Z', proposedByMspId: 'CloudOrgMSP', proposedById: 'x509::cloud-user', txId: 'tx-3' },
        };
        expect(sessionView(session)).toMatchObject({
            status: 'stopping',
            proposed: '2026-11-22T09:00:00.000Z by CloudOrgMSP',
            started: '2026-11-22T09:00:02.000Z accepted by EdgeOrgMSP',
            awaiting: 'EdgeOrgMSP',
            reading: '3 calls by CloudOrgMSP',
        });
        const operation: CtOperationProposal = {
            operationId: 'op-1',
            resourceId: 'upf-1',
            operationKind: 'user-plane',
            operatorMspId: 'EdgeOrgMSP',
            tenantMspId: 'CloudOrgMSP',
            appId: 'video',
            planVersion: 1,
            unit: 'gb',
            rate: 300,
            quantity: 2_000_000_000,
            status: 'proposed',
            awaitingMspId: 'CloudOrgMSP',
            proposedAt: '2026-11-22T09:00:00.000Z',
            proposedByMspId: 'EdgeOrgMSP',
            proposedById: 'x509::edge-user',
            txId: 'tx-9',
        };
        expect(ctOperationView(operation)).toMatchObject({ status: 'proposed', awaiting: 'CloudOrgMSP', quantity: '2 GB (2000000000 B)', decided: '', usage: '' });
    });

    it('writes quantities with their unit', () => {
        expect(quantityText('second', 125)).toBe('125 s');
        expect(quantityText('call', 1)).toBe('1 call');
        expect(quantityText('call', 3)).toBe('3 calls');
        expect(quantityText('gb', 3_200_000_000)).toBe('3.2 GB (3200000000 B)');
        expect(quantityText('gb', 1)).toBe('0 GB (1 B)');
        expect(quantityText('gb', 250_000_000_000)).toBe('250 GB (250000000000 B)');
    });

    it('writes plans with their settlement cycle', () => {
        expect(planText({ unit: 'second', rate: 40 })).toBe('40 per second, settled monthly');
        expect(planText({ unit: 'gb', rate: 180, cycle: 'minute' })).toBe('180 per GB, settled every minute');
    });

    it('shows an invoice header with open disputes, and its lines', () => {
        const invoice: Invoice = {
            invoiceId: 'EdgeOrgMSP|CloudOrgMSP|2026-11',
            operatorMspId: 'EdgeOrgMSP',
            tenantMspId: 'CloudOrgMSP',
            period: '2026-11',
            lines: [{ ...line, disputeId: 'd-1' }],
            total: 5000,
            creditTotal: 1000,
            amountDue: 4000,
            status: 'disputed',
            openDisputes: 1,
            issuedAt: '2026-12-01T00:00:01.000Z',
            issuedById: 'x509::edge',
            txId: 'tx-1',
        };
        expect(invoiceView(invoice)).toMatchObject({ status: 'disputed (1 open)', lines: 1, total: 5000, credited: 1000, 'amount due': 4000 });
        expect(lineRow(invoice.lines[0]!)).toEqual({ line: 'gpu-1|1|game', app: 'game', resource: 'gpu-1', plan: 'v1: 40/second', quantity: '125 s', amount: 5000, records: 2, dispute: 'd-1' });
    });

    it('lists usage records in line order', () => {
        const record = { recordId: 'session:s-1', source: 'session', unit: 'call', quantity: 2, rate: 5, amount: 10, recordedAt: 't', lineSeq: 3 } as UsageRecord;
        expect(usageRow(record)).toEqual({ '#': 3, record: 'session:s-1', source: 'session', quantity: '2 calls', rate: 5, amount: 10, recorded: 't' });
    });

    it('gives one verdict per line, then the totals and stray records', () => {
        const verification: InvoiceVerification = {
            invoiceId: 'i',
            ok: false,
            lines: [
                { lineId: 'a', ok: true, problems: [], expected: { quantity: 1, amount: 40, recordCount: 1, recordsDigest: 'x' } },
                { lineId: 'b', ok: false, problems: ['amount is 90, the records give 80'], expected: { quantity: 2, amount: 80, recordCount: 2, recordsDigest: 'y' } },
            ],
            totalProblems: [],
            strayRecordIds: ['ct:op-9'],
        };
        expect(verificationRows(verification)).toEqual([
            { line: 'a', verdict: 'ok', records: 1, amount: 40, problems: '' },
            { line: 'b', verdict: 'MISMATCH', records: 2, amount: 80, problems: 'amount is 90, the records give 80' },
            { line: '(totals)', verdict: 'ok', problems: '' },
            { line: '(stray records)', verdict: 'MISMATCH', problems: 'ct:op-9' },
        ]);
    });
});
