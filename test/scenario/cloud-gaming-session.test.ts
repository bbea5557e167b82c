import { createHash } from 'node:crypto';
import { type EdgeResource, type Invoice, type UsageRecord, verifyInvoice } from '../../gateway-sdk/src';
import { answerProposal, type BillingParty, billingParties, closeMinute, registerResource, sleep } from '../support/billing';
import { closeConnections, connectAs, testProfile, uniqueId } from '../support/network';

jest.setTimeout(180_000);

/**
 * Scenario 1 (B2–B5): a cloud-gaming provider (CloudOrg, tenant) runs a game on a GPU slice at the
 * MEC operator's (EdgeOrg) edge site. Start and stop are endorsed by both organisations; the
 * operator invoices the period; the tenant recomputes every line from the chain, disputes the GPU
 * line citing an evidence record, and the operator accepts it with a partial credit note.
 *
 * The GPU plan settles per minute (`cycle: 'minute'`) so the period really ends and can be closed
 * during the test: transaction timestamps are real time on this network (±300 s tolerance).
 */
describe('scenario: a cloud-gaming GPU session from start to a resolved dispute', () => {
    let edge: BillingParty;
    let cloud: BillingParty;
    let gpu: EdgeResource;
    const appId = uniqueId('cloud-game');
    let usage: UsageRecord;
    let invoice: Invoice;

    beforeAll(async () => {
        ({ edge, cloud } = await billingParties());
        gpu = await registerResource(edge.client, 'gaming-gpu', {
            kind: 'gpu',
            name: 'GPU slice for cloud gaming',
            attributes: { model: 'A100', memoryGb: '10' },
            plan: { unit: 'second', rate: 40, cycle: 'minute' },
        });
    });

    afterAll(closeConnections);

    it('1. the game proposes a GPU session and the operator accepts it, each endorsed by both organisations', async () => {
        const sessionId = uniqueId('gaming-session');
        const proposed = await cloud.client.startSession({ sessionId, resourceId: gpu.resourceId, appId, planVersion: 1 });
        expect(proposed.result).toMatchObject({ status: 'proposed', awaitingMspId: 'EdgeOrgMSP', cycle: 'minute', rate: 40 });
        const started = await answerProposal(() => edge.client.acceptSession(sessionId));
        expect(started.result).toMatchObject({ status: 'active', acceptedByMspId: 'EdgeOrgMSP', cycle: 'minute', rate: 40, operatorMspId: 'EdgeOrgMSP', tenantMspId: 'CloudOrgMSP' });
        const committed = await edge.committed(started);
        expect(committed.validationCode).toBe('VALID');
        expect([...committed.endorserMspIds].sort()).toEqual(['CloudOrgMSP', 'EdgeOrgMSP']);

        await sleep(2500);
        const stopped = await edge.client.stopSession(sessionId);
        expect((await edge.committed(stopped)).endorserMspIds.sort()).toEqual(['CloudOrgMSP', 'EdgeOrgMSP']);
        if (!stopped.result.usage) {
            throw new Error('a per-second stop records its usage at once');
        }
        usage = stopped.result.usage;
        const seconds = Math.ceil((Date.parse(usage.stoppedAt ?? '') - Date.parse(usage.startedAt ?? '')) / 1000);
        expect(usage).toMatchObject({ quantity: seconds, amount: seconds * 40, settlement: 'invoice', lineId: `${gpu.resourceId}|1|${appId}` });
        expect(usage.quantity).toBeGreaterThanOrEqual(3);
        expect(usage.period).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    });

    it('2. the operator closes the period once it has ended and issues the invoice', async () => {
        invoice = await closeMinute(edge, 'CloudOrgMSP', usage.period);
        expect(invoice).toMatchObject({ invoiceId: `EdgeOrgMSP|CloudOrgMSP|${usage.period}`, status: 'issued', creditTotal: 0 });
        const line = invoice.lines.find((l) => l.lineId === usage.lineId);
        expect(line).toMatchObject({ recordCount: 1, quantity: usage.quantity, amount: usage.amount, planVersion: 1 });
        expect(invoice.total).toBe(invoice.lines.reduce((sum, l) => sum + l.amount, 0));
        expect(invoice.amountDue).toBe(invoice.total);
        // Usage can no longer be dated into an invoiced period.
        await expect(edge.client.closeBillingPeriod('CloudOrgMSP', usage.period)).rejects.toMatchObject({ code: 'PERIOD_CLOSED' });
    });

    it('3. the tenant recomputes every line from the on-chain records and plans', async () => {
        const { verification, records, plans } = await cloud.client.fetchAndVerifyInvoice(invoice.invoiceId);
        expect(verification.ok).toBe(true);
        expect(verification.lines.map((l) => l.lineId).sort()).toEqual(invoice.lines.map((l) => l.lineId).sort());
        expect(records.map((r) => r.recordId)).toContain(usage.recordId);
        expect(plans).toContainEqual(expect.objectContaining({ resourceId: gpu.resourceId, version: 1, rate: 40 }));
        // The same check catches a line the operator would have inflated.
        const tampered = { ...invoice, lines: invoice.lines.map((l) => (l.lineId === usage.lineId ? { ...l, amount: l.amount + 40 } : l)) };
        const verdict = verifyInvoice(tampered, records, plans);
        expect(verdict.ok).toBe(false);
        expect(verdict.lines.find((l) => l.lineId === usage.lineId)?.problems.join(' ')).toMatch(/amount is/);
    });

    it('4. the tenant disputes the GPU line, citing an evidence record of the lag it measured', async () => {
        const evidenceId = uniqueId('lag-report');
        const report = `frame latency above 80 ms for ${appId}`;
        const cloudEvidence = (await connectAs('CloudOrg')).gateway.getNetwork(testProfile().channel).getContract('evidence');
        await cloudEvidence.submit('Anchor', {
            arguments: [
                JSON.stringify({
                    id: evidenceId,
                    digest: createHash('sha256').update(report).digest('hex'),
                    name: `${evidenceId}.txt`,
                    size: Buffer.byteLength(report),
                    mediaType: 'text/plain',
                    source: { type: 'app', id: appId },
                }),
            ],
        });
        const disputeId = uniqueId('gaming-dispute');
        // The cited record is checked against the evidence chaincode: one never anchored is refused.
        await expect(cloud.client.raiseDispute({ disputeId, invoiceId: invoice.invoiceId, lineIds: [usage.lineId ?? ''], reason: 'lag', evidenceId: uniqueId('no-such-report') })).rejects.toMatchObject({
            code: 'CITED_EVIDENCE_NOT_FOUND',
        });
        const raised = await cloud.client.raiseDispute({ disputeId, invoiceId: invoice.invoiceId, lineIds: [usage.lineId ?? ''], reason: 'GPU slice lagged; see the evidence record', evidenceId });
        expect(raised.result).toMatchObject({ status: 'open', evidenceId, operatorMspId: 'EdgeOrgMSP' });
        expect(raised.result.citedEvidence).toMatchObject({ evidenceId, digest: createHash('sha256').update(report).digest('hex'), status: 'active', anchoredByMspId: 'CloudOrgMSP' });
        const disputed = await cloud.client.getInvoice(invoice.invoiceId);
        expect(disputed.status).toBe('disputed');
        expect(disputed.lines.find((l) => l.lineId === usage.lineId)?.disputeId).toBe(disputeId);
        await expect(cloud.client.raiseDispute({ disputeId: uniqueId('again'), invoiceId: invoice.invoiceId, lineIds: [usage.lineId ?? ''], reason: 'twice' })).rejects.toMatchObject({
            code: 'LINE_ALREADY_DISPUTED',
        });
        await expect(cloud.client.resolveDispute(disputeId, { outcome: 'accepted' })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
        // The operator may not reject a dispute about its own invoice (an auditor decides that); it may concede.
        await expect(edge.client.resolveDispute(disputeId, { outcome: 'rejected', reason: 'no lag in our logs' })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });

        const half = Math.floor(usage.amount / 2);
        const resolved = await edge.client.resolveDispute(disputeId, { outcome: 'accepted', credits: [{ lineId: usage.lineId ?? '', amount: half }] });
        expect(resolved.result.resolution?.creditNote).toMatchObject({ amount: half, invoiceId: invoice.invoiceId });

        const seenByTenant = await cloud.client.getDispute(disputeId);
        expect(seenByTenant).toMatchObject({ status: 'accepted', resolution: { outcome: 'accepted', txId: resolved.transactionId } });
        const settled = await cloud.client.getInvoice(invoice.invoiceId);
        expect(settled).toMatchObject({ status: 'issued', openDisputes: 0, creditTotal: half, amountDue: invoice.total - half });
        expect((await cloud.client.fetchAndVerifyInvoice(invoice.invoiceId)).verification.ok).toBe(true);
        await expect(edge.client.resolveDispute(disputeId, { outcome: 'accepted' })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    });
});
