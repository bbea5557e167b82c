import { createHash } from 'node:crypto';
import { NotFoundError, type StoredUsageRecord, type UsageRecord } from '../../gateway-sdk/src';
import { billingParties, closeMinute, minuteEnd, recordAcceptedCtOperation, registerResource, rejectionOf, sleep } from '../support/billing';
import { closeConnections, connectAs, testProfile, uniqueId } from '../support/network';

// Three usage records within one minute, the minute's end plus the peers' tolerance, the close and the purge.
jest.setTimeout(300_000);

/*
 * Completeness and retention of a pair's private billing records on the real network (docs/security/confidentiality.md):
 * a disclosure that leaves out one usage record is found out by the public line counter, though every record shown
 * matches its public hash; after PurgeBillingRecords, agreed by both parties, the records read NOT_FOUND and their
 * hashes are still in the blocks.
 */
describe('a disclosure of billing records, checked against the public line counters and hashes, then purged', () => {
    afterAll(() => {
        closeConnections();
    });

    it('finds a record left out, and after the purge the records are gone from the peers but their hashes stay in the blocks', async () => {
        const { edge, cloud } = await billingParties();
        const api = await registerResource(edge.client, 'completeness-api', { kind: 'qos', name: 'completeness api', plan: { unit: 'call', rate: 5, cycle: 'minute' } });
        const appId = uniqueId('audited-app');
        // Three records in one minute period: start at the top of a minute (a CT operation takes a few seconds).
        await sleep(Math.max(0, Math.ceil(Date.now() / 60_000) * 60_000 + 500 - Date.now()));
        const records: UsageRecord[] = [];
        for (const calls of [11, 13, 17]) {
            records.push((await recordAcceptedCtOperation(edge, cloud, { operationId: uniqueId('audited-op'), resourceId: api.resourceId, tenantMspId: cloud.mspId, appId, calls })).result);
        }
        const period = records[0]?.period ?? '';
        expect(records.map((r) => r.period)).toEqual([period, period, period]);
        expect(records.map((r) => r.lineSeq)).toEqual([1, 2, 3]);
        const invoiceId = `${edge.mspId}|${cloud.mspId}|${period}`;
        const lineId = records[0]?.lineId ?? '';

        // The tenant discloses the period; the operator checks it with the public counters and hashes only.
        const disclosure = await cloud.client.discloseInvoiceUsage(invoiceId);
        const line = disclosure.lines.find((l) => l.lineId === lineId);
        expect(line?.records.map((r) => r.recordId)).toEqual(records.map((r) => r.recordId));
        expect(await edge.client.checkDisclosure(disclosure)).toMatchObject({ complete: true, problems: [] });
        const lacking = { ...disclosure, lines: disclosure.lines.map((l) => ({ ...l, records: l.records.filter((r) => r.recordId !== records[1]?.recordId) })) };
        const check = await edge.client.checkDisclosure(lacking);
        expect(check.complete).toBe(false);
        expect(check.missing).toEqual([{ lineRef: expect.any(String) as string, lineId, lineSeqs: [2] }]);

        // Purge the settled minute: the tenant proposes, the proposer cannot carry it out, the operator does.
        await closeMinute(edge, cloud.mspId, period);
        const next = new Date(minuteEnd(period)).toISOString().slice(0, 16);
        const proposed = await cloud.client.purgeBillingRecords(edge.mspId, cloud.mspId, period, next);
        expect(proposed.result).toMatchObject({ status: 'proposed', periods: [period] });
        expect((await rejectionOf(cloud.client.purgeBillingRecords(edge.mspId, cloud.mspId, period, next))).code).toBe('ACCESS_DENIED');
        const purged = await edge.client.purgeBillingRecords(edge.mspId, cloud.mspId, period, next);
        expect(purged.result).toMatchObject({ status: 'purged', periods: [period] });
        expect(purged.result.purgedKeys).toBeGreaterThanOrEqual(2 + 3 * 4);

        for (const record of records) {
            expect(await rejectionOf(cloud.client.getUsageRecord(record.recordId))).toBeInstanceOf(NotFoundError);
            expect(await rejectionOf(edge.client.getCtOperation(record.operationId ?? ''))).toBeInstanceOf(NotFoundError);
        }
        expect((await cloud.client.listLineUsage(invoiceId, lineId)).records).toEqual([]);
        expect((await edge.client.getUsageRecordHashes(invoiceId, records.map((r) => r.recordId))).map((h) => h.hash)).toEqual(['', '', '']);
        expect((await cloud.client.getInvoice(invoiceId)).lines.some((l) => l.lineId === lineId)).toBe(true);

        // Each record's hash is still in the block of the transaction that wrote it, fetched as any member can.
        const qscc = (await connectAs('CloudOrg')).gateway.getNetwork(testProfile().channel).getContract('qscc');
        for (const stored of line?.records ?? ([] as StoredUsageRecord[])) {
            const { txId } = JSON.parse(stored.stored) as { txId: string };
            const block = Buffer.from(await qscc.evaluateTransaction('GetBlockByTxID', testProfile().channel, txId));
            const hash = createHash('sha256').update(stored.stored, 'utf8').digest();
            expect({ recordId: stored.recordId, hashInBlock: block.includes(hash), textInBlock: block.includes(stored.stored) }).toEqual({ recordId: stored.recordId, hashInBlock: true, textInBlock: false });
        }
    });
});
