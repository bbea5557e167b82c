import { randomBytes } from 'node:crypto';
import type { Contract } from '@hyperledger/fabric-gateway';
import { billingParties, closeMinute, minutesFromNow, recordAcceptedCtOperation, registerResource, rejectionOf, startAgreedSession } from '../support/billing';
import { closeConnections, connectAs, testProfile, uniqueId } from '../support/network';

/** Every block from `from` on, fetched with qscc GetBlockByNumber as any channel member can, concatenated. */
async function blocksFrom(from: bigint): Promise<{ chain: Buffer; count: number }> {
    const member = await connectAs('CloudOrg');
    const qscc = member.gateway.getNetwork(testProfile().channel).getContract('qscc');
    const blocks: Buffer[] = [];
    for (let n = from; ; n++) {
        try {
            blocks.push(Buffer.from(await qscc.evaluateTransaction('GetBlockByNumber', testProfile().channel, String(n))));
        } catch {
            break;
        }
    }
    return { chain: Buffer.concat(blocks), count: blocks.length };
}

/** The billing chaincode as fabric-gateway gives it, to submit with exactly the endorsers and transient map a test names. */
async function rawBilling(organization: 'EdgeOrg' | 'CloudOrg'): Promise<Contract> {
    const connection = await connectAs(organization);
    return connection.gateway.getNetwork(testProfile().channel).getContract(testProfile().chaincodes['resource-billing'] ?? 'resource-billing');
}

const salt = (): Uint8Array => Buffer.from(randomBytes(32).toString('base64'));

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

    it('carry no token balance or amount moved, and the issuer cannot read the accounts (they are in their owner organisation\'s collection)', async () => {
        const { edge, cloud } = await billingParties();
        const taskKey = (await import('node:crypto')).generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
        const wallet = uniqueId('conf-wallet');
        const payee = uniqueId('conf-token-payee');
        const opened = await cloud.client.openAccount(wallet, taskKey);
        await edge.client.openAccount(payee);
        await edge.client.mint(wallet, 8191);
        const sent = await cloud.client.transfer(wallet, payee, 1021);
        expect(sent.result.balance).toBe(8191 - 1021);
        const gpu = await registerResource(edge.client, 'conf-token-gpu', { kind: 'gpu', name: 'token slice', payeeAccountId: payee, plan: { unit: 'second', rate: 3 } });
        const sessionId = uniqueId('conf-token-session');
        await startAgreedSession(cloud, edge, { sessionId, resourceId: gpu.resourceId, appId: uniqueId('app'), payment: { accountId: wallet, budget: 2039, deadline: minutesFromNow(30) } });
        const balance = 8191 - 1021 - 2039;
        expect((await cloud.client.getAccount(wallet)).balance).toBe(balance);
        // The operator's peer endorsed the debit of an account in tokens_CloudOrgMSP, of which it is no member:
        // it checked the disclosed account against the hash, and the gateway used both organisations' peers.
        expect((await cloud.committed(sent)).endorserMspIds.sort()).toEqual([cloud.mspId, edge.mspId].sort());
        expect((await cloud.committed(sent)).validationCode).toBe('VALID');
        // The issuer minted into the account but cannot read it: its peer holds only the hashes.
        expect(await rejectionOf(edge.client.getAccount(wallet))).toMatchObject({ code: 'ACCESS_DENIED' });
        expect((await edge.client.getAccount(payee)).balance).toBe(1021);

        const { chain, count } = await blocksFrom(opened.blockNumber);
        expect(count).toBeGreaterThan(4);
        expect(chain.includes(wallet)).toBe(true);
        expect(chain.includes(`tokens_${cloud.mspId}`)).toBe(true);
        // Balances and amounts as JSON would carry them (bare digits also occur in transaction ids and hashes). The task
        // key, a public key, is in OpenAccount's and SetTaskKey's arguments (docs/security/confidentiality.md).
        for (const secret of ['"balance"', `"amount":1021`, `"amount":2039`, `:${String(8191 - 1021)},`, `:${String(balance)},`]) {
            expect({ secret, found: chain.includes(secret) }).toEqual({ secret, found: false });
        }
    });

    it('invalidate a credit endorsed without the payee organisation\'s peer', async () => {
        const { edge, cloud } = await billingParties();
        const wallet = uniqueId('conf-alone-wallet');
        const payee = uniqueId('conf-alone-payee');
        await cloud.client.openAccount(wallet);
        await edge.client.openAccount(payee);
        await edge.client.mint(wallet, 500);
        const disclosure = await cloud.client.getDisclosure(wallet);
        const contract = await rawBilling('CloudOrg');
        // Endorsed by the payer's peer alone: the credit note to tokens_EdgeOrgMSP lacks the payee's peer.
        const commit = await contract.submitAsync('token:Transfer', {
            arguments: [wallet, payee, '200'],
            transientData: { salt: salt(), account: Buffer.from(JSON.stringify(disclosure)) },
            endorsingOrganizations: [cloud.mspId],
        });
        const status = await commit.getStatus();
        expect({ successful: status.successful, code: status.code }).toEqual({ successful: false, code: 10 /* ENDORSEMENT_POLICY_FAILURE */ });
        expect((await cloud.client.getAccount(wallet)).balance).toBe(500);
        expect((await edge.client.getAccount(payee)).balance).toBe(0);
    });

    it('let only one of two concurrent debits fold the same credit note: the other fails MVCC', async () => {
        const { edge, cloud } = await billingParties();
        const wallet = uniqueId('conf-fold-wallet');
        const payee = uniqueId('conf-fold-payee');
        await cloud.client.openAccount(wallet);
        await edge.client.openAccount(payee);
        await edge.client.mint(wallet, 300);
        const disclosure = await cloud.client.getDisclosure(wallet);
        expect(disclosure.notes).toHaveLength(1);
        const contract = await rawBilling('CloudOrg');
        const debit = async (): Promise<number> => {
            const commit = await contract.submitAsync('token:Transfer', {
                arguments: [wallet, payee, '250'],
                transientData: { salt: salt(), account: Buffer.from(JSON.stringify(disclosure)) },
                endorsingOrganizations: [cloud.mspId, edge.mspId],
            });
            return (await commit.getStatus()).code;
        };
        // Both fold the one note of 300 and pay 250: without the hashed read set, 500 would leave a 300 balance.
        const codes = await Promise.all([debit(), debit()]);
        expect(codes.sort()).toEqual([0 /* VALID */, 11 /* MVCC_READ_CONFLICT */]);
        expect((await cloud.client.getAccount(wallet)).balance).toBe(50);
        expect((await edge.client.getAccount(payee)).balance).toBe(250);
    });
});
