import { billingParties, closeMinute, minutesFromNow, recordAcceptedCtOperation, registerResource, startAgreedSession } from '../support/billing';
import { closeConnections, connectAs, testProfile, uniqueId } from '../support/network';

// A minute-cycle period must end (plus the peers' timestamp tolerance) before it can be invoiced.
jest.setTimeout(240_000);

/**
 * Confidentiality of billing records (issue 9 finding 8, docs/security/confidentiality.md): any channel member's
 * client can fetch every block with qscc GetBlockByNumber (the orderer organisation holds the same blocks). Before,
 * a block carried a session's app id, budget and meter readings and an invoice's total three times: in the
 * arguments, the write set and the result and event. Now they are private data of the operator–tenant pair: the
 * blocks hold only collection hashes, ids and the salted hashes of the values.
 */
describe('billing records in the blocks every member and the orderer hold', () => {
    afterAll(() => {
        closeConnections();
    });

    it('carry neither the app id, the budget, the meter readings nor the invoice total', async () => {
        const { edge, cloud } = await billingParties();
        const appId = uniqueId('secret-app');
        const budget = 7919;
        const calls = 6131;
        const payee = uniqueId('conf-payee');
        await edge.client.openAccount(payee);
        const gpu = await registerResource(edge.client, 'conf-gpu', { kind: 'gpu', name: 'confidential slice', payeeAccountId: payee, plan: { unit: 'second', rate: 3 } });
        const api = await registerResource(edge.client, 'conf-api', { kind: 'qos', name: 'confidential api', plan: { unit: 'call', rate: 7, cycle: 'minute' } });
        const account = uniqueId('conf-account');
        await cloud.client.openAccount(account);
        // Every block from here on is searched: the proposals, acceptances, stops and the invoice all come later.
        const before = await edge.client.mint(account, 10_000);

        const sessionId = uniqueId('conf-session');
        await startAgreedSession(cloud, edge, { sessionId, resourceId: gpu.resourceId, appId, payment: { accountId: account, budget, deadline: minutesFromNow(30) } });
        const stopped = await edge.client.stopSession(sessionId);
        const meteredId = uniqueId('conf-metered');
        await startAgreedSession(cloud, edge, { sessionId: meteredId, resourceId: api.resourceId, appId });
        await cloud.client.stopSession(meteredId, { calls });
        await edge.client.confirmStop(meteredId);
        const operation = await recordAcceptedCtOperation(edge, cloud, { operationId: uniqueId('conf-op'), resourceId: api.resourceId, tenantMspId: cloud.mspId, appId, calls: 4271 });
        const period = operation.result.period;
        const invoice = await closeMinute(edge, cloud.mspId, period);
        const total = invoice.total;
        // The parties themselves still read everything, through their own peers.
        expect(await cloud.client.getSession(sessionId)).toMatchObject({ appId, payment: { budget } });
        expect(invoice.lines.some((line) => line.appId === appId)).toBe(true);

        // Every block from the mint's to the invoice's and on, fetched as any member can.
        const member = await connectAs('CloudOrg');
        const qscc = member.gateway.getNetwork(testProfile().channel).getContract('qscc');
        const latest = (await cloud.client.getInvoice(invoice.invoiceId)).txId;
        expect(latest).toBeTruthy();
        const blocks: Buffer[] = [];
        for (let n = before.blockNumber; ; n++) {
            let block: Uint8Array;
            try {
                block = await qscc.evaluateTransaction('GetBlockByNumber', testProfile().channel, String(n));
            } catch {
                break;
            }
            blocks.push(Buffer.from(block));
        }
        const chain = Buffer.concat(blocks);
        expect(blocks.length).toBeGreaterThan(Number(stopped.blockNumber - before.blockNumber));
        // The ids are there (they route the transactions), so the search does look at the right blocks.
        expect(chain.includes(sessionId)).toBe(true);
        expect(chain.includes(`billing_${edge.mspId}_${cloud.mspId}`)).toBe(true);
        for (const secret of [appId, `"budget":${String(budget)}`, `"calls":${String(calls)}`, `"quantity":${String(calls)}`, `"quantity":4271`, `"total":${String(total)}`]) {
            expect({ secret, found: chain.includes(secret) }).toEqual({ secret, found: false });
        }
    });
});
