import { type EdgeResource, type Invoice, meteredAmount, type UsageRecord } from '../../gateway-sdk/src';
import { answerProposal, type BillingParty, billingParties, closeMinute, recordAcceptedCtOperation, registerResource, rejectionOf } from '../support/billing';
import { closeConnections, uniqueId } from '../support/network';

jest.setTimeout(180_000);

const GB = 1_000_000_000;

/**
 * Scenario 3 (B6, B4, B5): CT/IT settlement. The MEC operator's CT entity (EdgeOrg: its UPF / local
 * breakout gateway) records the user-plane traffic it carried for an IT application of the app
 * provider (CloudOrg) and the routing policies it installed for it. Each report is only a proposal
 * until the app provider accepts it in its own transaction (both organisations endorse each); the
 * running totals grow as reports are accepted; the period is closed and the app provider recomputes
 * the invoice from the chain. Plans settle per minute so the test can close a period.
 */
describe('scenario: CT/IT settlement of traffic volumes between the operator and an app provider', () => {
    let edge: BillingParty;
    let cloud: BillingParty;
    let upf: EdgeResource;
    let routing: EdgeResource;
    const appId = uniqueId('video-analytics');
    const volumes = [3.2 * GB, 750_000_000, 12 * GB + 1, 1];
    const records: UsageRecord[] = [];
    let invoice: Invoice;

    beforeAll(async () => {
        ({ edge, cloud } = await billingParties());
        upf = await registerResource(edge.client, 'ct-upf', { kind: 'user-plane', name: 'Local breakout traffic', plan: { unit: 'gb', rate: 180, cycle: 'minute' } });
        routing = await registerResource(edge.client, 'ct-route', { kind: 'routing-policy', name: 'Traffic steering rule', plan: { unit: 'call', rate: 35, cycle: 'minute' } });
    });

    afterAll(closeConnections);

    it('1. the CT entity reports traffic volumes and routing operations; the app provider accepts each', async () => {
        for (const [index, bytes] of volumes.entries()) {
            const operationId = uniqueId(`upf-${String(index)}`);
            const reported = await edge.client.recordCtOperation({ operationId, resourceId: upf.resourceId, tenantMspId: 'CloudOrgMSP', appId, bytes });
            expect(reported.result).toMatchObject({ status: 'proposed', awaitingMspId: 'CloudOrgMSP', quantity: bytes });
            expect((await edge.committed(reported)).endorserMspIds.sort()).toEqual(['CloudOrgMSP', 'EdgeOrgMSP']);
            const accepted = await answerProposal(() => cloud.client.acceptCtOperation(operationId));
            expect((await cloud.committed(accepted)).endorserMspIds.sort()).toEqual(['CloudOrgMSP', 'EdgeOrgMSP']);
            expect(accepted.result).toMatchObject({ source: 'ct-operation', operationKind: 'user-plane', quantity: bytes, amount: meteredAmount('gb', 180, bytes) });
            records.push(accepted.result);
        }
        records.push((await recordAcceptedCtOperation(edge, cloud, { operationId: uniqueId('route'), resourceId: routing.resourceId, tenantMspId: 'CloudOrgMSP', appId, calls: 3 })).result);
        expect(records.at(-1)).toMatchObject({ operationKind: 'routing-policy', amount: 105 });
        // Minute-cycle plans: each record falls in the minute period it was recorded in (usually one, two if the test straddles a minute).
        for (const record of records) {
            expect(record.period).toBe(record.recordedAt.slice(0, 16));
        }
    });

    it('2. the app provider cannot record CT operations, the operator cannot accept its own, and a tenant-less app is refused', async () => {
        const operationId = uniqueId('unaccepted');
        await edge.client.recordCtOperation({ operationId, resourceId: upf.resourceId, tenantMspId: 'CloudOrgMSP', appId, bytes: 100 * GB });
        expect((await rejectionOf(answerProposal(() => edge.client.acceptCtOperation(operationId)))).code).toBe('ACCESS_DENIED');
        expect((await answerProposal(() => cloud.client.declineCtOperation(operationId))).result).toMatchObject({ status: 'declined', decidedByMspId: 'CloudOrgMSP' });
        expect((await rejectionOf(cloud.client.getUsageRecord(`ct:${operationId}`))).code).toBe('NOT_FOUND');
        const denied = await rejectionOf(cloud.client.recordCtOperation({ operationId: uniqueId('forged'), resourceId: upf.resourceId, tenantMspId: 'CloudOrgMSP', appId, bytes: 1 }));
        expect(denied.code).toBe('ACCESS_DENIED');
        const notTenant = await rejectionOf(edge.client.recordCtOperation({ operationId: uniqueId('no-tenant'), resourceId: upf.resourceId, tenantMspId: 'NobodyMSP', appId, bytes: 1 }));
        expect(notTenant.code).toBe('INVALID_ARGUMENT');
        const wrongMeter = await rejectionOf(edge.client.recordCtOperation({ operationId: uniqueId('calls'), resourceId: upf.resourceId, tenantMspId: 'CloudOrgMSP', appId, calls: 1 }));
        expect(wrongMeter.code).toBe('INVALID_ARGUMENT');
    });

    it('3. both parties see the running totals before the period is closed', async () => {
        for (const period of new Set(records.map((r) => r.period))) {
            const lines = await cloud.client.listPeriodLines(`EdgeOrgMSP|CloudOrgMSP|${period}`);
            for (const lineId of new Set(records.filter((r) => r.period === period).map((r) => r.lineId))) {
                const ours = records.filter((r) => r.lineId === lineId && r.period === period);
                expect(lines.find((l) => l.lineId === lineId)).toMatchObject({ recordCount: ours.length, amount: ours.reduce((s, r) => s + r.amount, 0) });
            }
        }
    });

    it('4. the operator closes the period and the app provider verifies the traffic invoice', async () => {
        const periods = [...new Set(records.map((r) => r.period))].sort();
        const invoices: Invoice[] = [];
        for (const period of periods) {
            invoices.push(await closeMinute(edge, 'CloudOrgMSP', period));
        }
        invoice = invoices[0] as Invoice;
        const trafficLines = invoices.flatMap((i) => i.lines).filter((l) => l.lineId === `${upf.resourceId}|1|${appId}`);
        expect(trafficLines.reduce((s, l) => s + l.quantity, 0)).toBe(volumes.reduce((s, v) => s + v, 0));
        expect(trafficLines.reduce((s, l) => s + l.amount, 0)).toBe(volumes.reduce((s, v) => s + meteredAmount('gb', 180, v), 0));
        const routingLines = invoices.flatMap((i) => i.lines).filter((l) => l.lineId === `${routing.resourceId}|1|${appId}`);
        expect(routingLines.map((l) => l.amount)).toEqual([105]);

        for (const issued of invoices) {
            const { verification, records: onChain } = await cloud.client.fetchAndVerifyInvoice(issued.invoiceId);
            expect(verification.ok).toBe(true);
            expect(onChain.map((r) => r.recordId)).toEqual(expect.arrayContaining(records.filter((r) => r.period === issued.period).map((r) => r.recordId)));
        }
    });

    it('5. the invoiced period stays closed: later traffic goes to a later period', async () => {
        const late = await rejectionOf(edge.client.closeBillingPeriod('CloudOrgMSP', invoice.period));
        expect(late.code).toBe('PERIOD_CLOSED');
        const next = (await recordAcceptedCtOperation(edge, cloud, { operationId: uniqueId('upf-next'), resourceId: upf.resourceId, tenantMspId: 'CloudOrgMSP', appId, bytes: GB })).result;
        expect(next.period > invoice.period).toBe(true);
        expect(next.lineSeq).toBe(1);
        expect(await cloud.client.getInvoice(invoice.invoiceId)).toEqual(invoice);
    });
});
