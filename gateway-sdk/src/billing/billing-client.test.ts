import { generateKeyPairSync } from 'node:crypto';
import type { Contract, ProposalOptions } from '@hyperledger/fabric-gateway';
import { generateAccessKeyPair } from './access-envelope';
import { BillingClient } from './billing-client';
import { verifyComputeTask } from './compute-task';
import type { AccessEnvelope, Invoice, StartSessionRequest, UsageRecord } from './models';
import { chainLineDigest, EMPTY_LINE_DIGEST } from './verify-invoice';

interface Call {
    kind: 'submit' | 'evaluate';
    name: string;
    args: string[];
    options: ProposalOptions;
}

/** A stand-in for fabric-gateway's Contract that records calls and answers with fixed JSON. */
function fakeContract(answer: (name: string, args: string[]) => unknown): { contract: Contract; calls: Call[] } {
    const calls: Call[] = [];
    const bytes = (kind: Call['kind'], name: string, options: ProposalOptions): Uint8Array => {
        const args = (options.arguments ?? []).map(String);
        calls.push({ kind, name, args, options });
        const value = answer(name, args);
        return Buffer.from(value === undefined ? '' : JSON.stringify(value));
    };
    const contract = {
        evaluate: (name: string, options: ProposalOptions = {}) => Promise.resolve(bytes('evaluate', name, options)),
        submitAsync: (name: string, options: ProposalOptions = {}) => {
            const result = bytes('submit', name, options);
            return Promise.resolve({
                getResult: () => result,
                getStatus: () => Promise.resolve({ successful: true, code: 0, transactionId: 'tx-1', blockNumber: 3n }),
            });
        },
    } as unknown as Contract;
    return { contract, calls };
}

describe('BillingClient', () => {
    it('discloses a debited account from its own peer and names the operator and tenant organisations as endorsers', async () => {
        const stored = Buffer.from(JSON.stringify({ accountId: 'alice', ownerMspId: 'CloudOrgMSP', ownerId: 'u', balance: 5, openedAt: 't', txId: 'x', salt: 's' })).toString('base64');
        const disclosure = { accountId: 'alice', account: stored, notes: [] };
        const { contract, calls } = fakeContract((name) => {
            switch (name) {
                case 'token:GetDisclosure':
                    return disclosure;
                case 'billing:ListRoles':
                    return [
                        { mspId: 'EdgeOrgMSP', role: 'operator' },
                        { mspId: 'EdgeOrgMSP', role: 'issuer' },
                        { mspId: 'CloudOrgMSP', role: 'tenant' },
                        { mspId: 'RegulatorOrgMSP', role: 'auditor' },
                    ];
                default:
                    return { accountId: 'alice', balance: 4 };
            }
        });
        const client = new BillingClient(contract);
        const { result } = await client.transfer('alice', 'bob', 1);
        expect(result).toEqual({ accountId: 'alice', balance: 4 });
        expect(calls.map((c) => `${c.kind} ${c.name}`)).toEqual(['evaluate token:GetDisclosure', 'evaluate billing:ListRoles', 'submit token:Transfer', 'evaluate token:GetAccount']);
        const transfer = calls[2];
        expect(transfer?.args).toEqual(['alice', 'bob', '1']);
        expect(transfer?.options.endorsingOrganizations).toEqual(['CloudOrgMSP', 'EdgeOrgMSP']);
        expect(JSON.parse(Buffer.from(transfer?.options.transientData?.account ?? new Uint8Array()).toString('utf8'))).toEqual(disclosure);
        expect(Buffer.from(Buffer.from(transfer?.options.transientData?.salt ?? new Uint8Array()).toString('utf8'), 'base64')).toHaveLength(32);
        // A mint debits nothing: no disclosure, the roles read once per client.
        await client.mint('bob', 3);
        expect(calls.slice(4).map((c) => `${c.kind} ${c.name}`)).toEqual(['submit token:Mint']);
        expect(calls[4]?.options.transientData?.account).toBeUndefined();
    });

    it('names each transaction with its contract and passes JSON and numbers as strings', async () => {
        const { contract, calls } = fakeContract((name) => (name === 'billing:ListRoles' ? [] : { operatorMspId: 'EdgeOrgMSP', tenantMspId: 'CloudOrgMSP', usageRecordId: 'session:s-1' }));
        const client = new BillingClient(contract);
        await client.startSession({ sessionId: 's-1', resourceId: 'gpu-1', appId: 'a' }, { endorsingOrganizations: ['EdgeOrgMSP', 'CloudOrgMSP'] });
        await client.acceptSession('s-1');
        await client.stopSession('s-1', { calls: 3 });
        await client.confirmStop('s-1');
        await client.declineSession('s-2');
        await client.acceptCtOperation('op-1');
        await client.declineCtOperation('op-2');
        await client.getCtOperation('op-1');
        await client.mint('alice', 500);
        await client.listInvoices('CloudOrgMSP', { pageSize: 20 });
        await client.searchListings(undefined);
        await client.ratePurchase('p-1', 5);
        const submits = calls.filter((c) => c.kind === 'submit' || !/^(billing:Get|billing:ListRoles|token:GetEscrow|marketplace:GetPurchase)/.test(c.name));
        expect(submits.map((c) => [c.name, c.args])).toEqual([
            ['billing:StartSession', ['s-1']],
            ['billing:AcceptSession', ['s-1']],
            ['billing:StopSession', ['s-1']],
            ['billing:ConfirmStop', ['s-1']],
            ['billing:DeclineSession', ['s-2']],
            ['billing:AcceptCtOperation', ['op-1']],
            ['billing:DeclineCtOperation', ['op-2']],
            ['token:Mint', ['alice', '500']],
            ['settlement:ListInvoices', ['CloudOrgMSP', '20', '']],
            ['marketplace:SearchListings', ['', '100', '']],
            ['marketplace:RatePurchase', ['p-1', '5']],
        ]);
        expect(submits[0]?.options.endorsingOrganizations).toEqual(['EdgeOrgMSP', 'CloudOrgMSP']);
        // Private transactions: the request and a fresh salt travel in the transient map, the pair endorses.
        const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
        expect(JSON.parse(text(submits[0]?.options.transientData?.request as Uint8Array))).toEqual({ sessionId: 's-1', resourceId: 'gpu-1', appId: 'a' });
        expect(JSON.parse(text(submits[2]?.options.transientData?.request as Uint8Array))).toEqual({ calls: 3 });
        const salts = submits.slice(0, 7).map((c) => Buffer.from(text(c.options.transientData?.salt as Uint8Array), 'base64'));
        expect(salts.every((salt) => salt.length === 32)).toBe(true);
        expect(new Set(salts.map((salt) => salt.toString('hex'))).size).toBe(7);
        expect(submits[1]?.options.endorsingOrganizations).toEqual(['EdgeOrgMSP', 'CloudOrgMSP']);
        // Each private result is read back after the commit.
        expect(calls[calls.indexOf(submits[1] as Call) + 1]).toMatchObject({ kind: 'evaluate', name: 'billing:GetSession', args: ['s-1'] });
    });

    it('sends a purchase request and the units used in the transient map, with a salt, and reads the purchase back', async () => {
        const purchase = { purchaseId: 'p-1', sellerMspId: 'EdgeOrgMSP', buyerMspId: 'CloudOrgMSP', providerId: 'abc', status: 'paid' };
        const stored = Buffer.from(JSON.stringify({ accountId: 'alice', ownerMspId: 'CloudOrgMSP', ownerId: 'u', balance: 50, openedAt: 't', txId: 'x', salt: 's' })).toString('base64');
        const answers: Record<string, unknown> = {
            'marketplace:GetPurchase': purchase,
            'marketplace:RatePurchase': { providerId: 'abc', ratingCount: 1 },
            'token:GetDisclosure': { accountId: 'alice', account: stored, notes: [] },
            'billing:ListRoles': [
                { mspId: 'EdgeOrgMSP', role: 'operator' },
                { mspId: 'CloudOrgMSP', role: 'tenant' },
            ],
        };
        const { contract, calls } = fakeContract((name) => answers[name] ?? { purchaseId: 'p-1', escrowId: 'purchase:p-1' });
        const client = new BillingClient(contract);
        const request = { purchaseId: 'p-1', listingId: 'l-1', buyerAccountId: 'alice', units: 4, deadline: '2026-03-01T00:00:00.000Z', encryptionKey: 'pem' };
        expect((await client.purchaseListing(request)).result).toEqual(purchase);
        expect((await client.completePurchase('p-1', 3)).result).toEqual(purchase);
        await client.refundPurchase('p-1');
        expect((await client.ratePurchase('p-1', 4)).result).toEqual({ providerId: 'abc', ratingCount: 1 });
        const submits = calls.filter((c) => c.kind === 'submit');
        expect(submits.map((c) => [c.name, c.args])).toEqual([
            ['marketplace:PurchaseListing', ['p-1']],
            ['marketplace:CompletePurchase', ['p-1']],
            ['marketplace:RefundPurchase', ['p-1']],
            ['marketplace:RatePurchase', ['p-1', '4']],
        ]);
        const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
        expect(JSON.parse(text(submits[0]?.options.transientData?.request as Uint8Array))).toEqual(request);
        expect(JSON.parse(text(submits[1]?.options.transientData?.request as Uint8Array))).toEqual({ usedUnits: 3 });
        expect(submits.every((c) => Buffer.from(text(c.options.transientData?.salt as Uint8Array), 'base64').length === 32)).toBe(true);
        // The buyer discloses its account; the operator and tenant organisations (the chaincode's policy) and the
        // purchase's two organisations endorse.
        expect(JSON.parse(text(submits[0]?.options.transientData?.account as Uint8Array))).toEqual(answers['token:GetDisclosure']);
        expect(submits.map((c) => c.options.endorsingOrganizations)).toEqual(submits.map(() => ['CloudOrgMSP', 'EdgeOrgMSP']));
        expect(calls[calls.indexOf(submits[0] as Call) + 1]).toMatchObject({ kind: 'evaluate', name: 'marketplace:GetPurchase', args: ['p-1'] });
    });

    it('signs compute tasks before starting a session', async () => {
        const session = { sessionId: 't-1', operatorMspId: 'EdgeOrgMSP', tenantMspId: 'CloudOrgMSP' };
        const { contract, calls } = fakeContract((name) => (name === 'billing:GetResource' ? { operatorMspId: 'EdgeOrgMSP' } : name === 'billing:GetSession' ? session : { sessionId: 't-1' }));
        const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const task = { sessionId: 't-1', resourceId: 'gpu-1', tenantMspId: 'CloudOrgMSP', appId: 'a', planVersion: 2, accountId: 'alice', budget: 9, deadline: '2026-03-01T00:00:00.000Z' };
        const started = await new BillingClient(contract).startSignedSession(task, privateKey);
        expect(started).toEqual({ result: session, transactionId: 'tx-1', blockNumber: 3n });
        const start = calls.find((c) => c.kind === 'submit');
        expect(start?.args).toEqual(['t-1']);
        const sent = JSON.parse(Buffer.from(start?.options.transientData?.request ?? new Uint8Array()).toString('utf8')) as StartSessionRequest;
        expect(verifyComputeTask(sent, publicKey)).toBe(true);
    });

    it('encrypts access for the buyer key on delivery and decrypts it for the buyer', async () => {
        const buyer = generateAccessKeyPair();
        let delivered: AccessEnvelope | undefined;
        const { contract } = fakeContract((name, args) => {
            if (name === 'marketplace:DeliverAccess') {
                delivered = JSON.parse(args[1] ?? '{}') as AccessEnvelope;
            }
            if (name === 'billing:ListRoles') {
                return [];
            }
            return { purchaseId: 'p-1', status: delivered ? 'delivered' : 'paid', encryptionKey: buyer.publicKeyPem, accessEnvelope: delivered };
        });
        const client = new BillingClient(contract);
        await expect(client.readAccess('p-1', buyer.privateKeyPem)).rejects.toMatchObject({ name: 'InvalidStateError' });
        await client.deliverAccess('p-1', 'ssh edge@10.0.0.7 -i key');
        expect(JSON.stringify(delivered)).not.toContain('10.0.0.7');
        await expect(client.readAccess('p-1', buyer.privateKeyPem)).resolves.toEqual(Buffer.from('ssh edge@10.0.0.7 -i key'));
    });

    it('fetches every page of every line and verifies the invoice', async () => {
        const record = (seq: number): UsageRecord => ({
            recordId: `ct:op-${String(seq)}`, source: 'ct-operation', operatorMspId: 'E', tenantMspId: 'C', appId: 'a', resourceId: 'qos', planVersion: 1,
            unit: 'call', rate: 5, quantity: 2, amount: 10, recordedAt: '2026-01-02T00:00:00.000Z', recordedByMspId: 'E', period: '2026-01',
            settlement: 'invoice', lineId: 'qos|1|a', lineSeq: seq, txId: 't',
        });
        const records = [record(1), record(2), record(3)];
        const invoice: Invoice = {
            invoiceId: 'E|C|2026-01', operatorMspId: 'E', tenantMspId: 'C', period: '2026-01', total: 30, creditTotal: 0, amountDue: 30, status: 'issued', openDisputes: 0,
            issuedAt: '2026-02-01T00:00:00.000Z', issuedById: 'x', txId: 't',
            lines: [{ lineId: 'qos|1|a', operatorMspId: 'E', tenantMspId: 'C', period: '2026-01', resourceId: 'qos', planVersion: 1, appId: 'a', unit: 'call', rate: 5, quantity: 6, amount: 30, recordCount: 3, recordsDigest: records.reduce((d, r) => chainLineDigest(d, r), EMPTY_LINE_DIGEST) }],
        };
        const { contract, calls } = fakeContract((name, args) => {
            if (name === 'settlement:GetInvoice') return invoice;
            if (name === 'billing:GetPricePlan') return { resourceId: 'qos', version: 1, unit: 'call', rate: 5 };
            const from = Number(args[3] || '0');
            return { records: records.slice(from, from + 2), bookmark: from + 2 < records.length ? String(from + 2) : '', fetchedRecordsCount: 2 };
        });
        const verified = await new BillingClient(contract).fetchAndVerifyInvoice('E|C|2026-01');
        expect(verified.verification).toMatchObject({ ok: true, lines: [{ lineId: 'qos|1|a', ok: true }] });
        expect(calls.filter((c) => c.name === 'settlement:ListLineUsage')).toHaveLength(2);
        expect(calls.find((c) => c.name === 'billing:GetPricePlan')?.args).toEqual(['qos', '1']);
    });
});
