import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import type { TestIdentity } from '../../common/testing/memory-ledger';
import {
    ACCESS_ALGORITHM,
    BILLING_CONTRACT,
    billingPeriod,
    type ContractSpec,
    conforms,
    firstViolation,
    MARKETPLACE_CONTRACT,
    periodEndMillis,
    RESOURCE_BILLING_CONTRACTS,
    SETTLEMENT_CONTRACT,
    TOKEN_CONTRACT,
} from '../../schemas/src';
import { API, BillingWorld, GPU, people, TRAFFIC } from '../testing/billing-fixture';
import { DEFAULT_TIMESTAMP_TOLERANCE_SECONDS } from './peer-clock';

// What the chaincode returns is what its contract metadata says: every transaction's answer meets its schema.
const HOUR = 3_600_000;
const world = new BillingWorld();
const checked = new Set<string>();
const { billing, settlement, token, market } = world;
const pem = (): string => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

async function call<T = Record<string, unknown>>(contract: ContractSpec, name: string, who: TestIdentity, run: (ctx: Context) => Promise<unknown>): Promise<T> {
    const spec = contract.transactions[name];
    if (spec === undefined) {
        throw new Error(`${contract.name} has no transaction ${name}`);
    }
    const text = spec.type === 'submit' ? await world.ledger.submit(who, run) : await world.ledger.evaluate(who, run as (ctx: Context) => Promise<string>);
    const value = (typeof text === 'string' && text !== '' ? JSON.parse(text) : null) as T;
    expect(firstViolation(spec.returns, value, `${contract.name}.${name}`)).toBeUndefined();
    checked.add(`${contract.name}.${name}`);
    return value;
}

describe('resource-billing wire shapes', () => {
    it('every transaction of the four contracts returns what its schema in the contract metadata describes', async () => {
        const { edgeAdmin, edgeUser, cloudUser, cloudUser2, auditor, stranger } = people;
        await call(BILLING_CONTRACT, 'BootstrapGovernance', edgeAdmin, (ctx) => billing.BootstrapGovernance(ctx));
        for (const [mspId, role] of [['EdgeOrgMSP', 'operator'], ['EdgeOrgMSP', 'issuer'], ['EdgeOrgMSP', 'ct-entity'], ['CloudOrgMSP', 'tenant'], ['AuditOrgMSP', 'auditor'], ['OtherOrgMSP', 'auditor']]) {
            await call(BILLING_CONTRACT, 'GrantRole', edgeAdmin, (ctx) => billing.GrantRole(ctx, mspId!, role!));
        }
        await call(BILLING_CONTRACT, 'RevokeRole', edgeAdmin, (ctx) => billing.RevokeRole(ctx, 'OtherOrgMSP', 'auditor'));
        await call(BILLING_CONTRACT, 'ListRoles', stranger, (ctx) => billing.ListRoles(ctx));

        await call(TOKEN_CONTRACT, 'OpenAccount', edgeUser, (ctx) => token.OpenAccount(ctx, JSON.stringify({ accountId: 'edge-payee' })));
        await call(TOKEN_CONTRACT, 'OpenAccount', cloudUser, (ctx) => token.OpenAccount(ctx, JSON.stringify({ accountId: 'alice' })));
        await call(TOKEN_CONTRACT, 'OpenAccount', cloudUser2, (ctx) => token.OpenAccount(ctx, JSON.stringify({ accountId: 'bob', taskKey: pem() })));
        await call(TOKEN_CONTRACT, 'SetTaskKey', cloudUser, (ctx) => token.SetTaskKey(ctx, 'alice', pem()));
        await call(TOKEN_CONTRACT, 'Mint', edgeUser, (ctx) => token.Mint(ctx, 'alice', '10000'));
        await call(TOKEN_CONTRACT, 'Transfer', cloudUser, (ctx) => token.Transfer(ctx, 'alice', 'bob', '10'));
        await call(TOKEN_CONTRACT, 'GetAccount', auditor, (ctx) => token.GetAccount(ctx, 'alice'));
        await call(TOKEN_CONTRACT, 'GetDisclosure', cloudUser, (ctx) => token.GetDisclosure(ctx, 'alice'));
        await call(TOKEN_CONTRACT, 'GetSupply', stranger, (ctx) => token.GetSupply(ctx));

        await call(BILLING_CONTRACT, 'RegisterSite', edgeUser, (ctx) => billing.RegisterSite(ctx, JSON.stringify({ siteId: 'site-a', name: 'Site A', location: 'Shenzhen MEC 1' })));
        for (const resource of [GPU, API, TRAFFIC]) {
            await call(BILLING_CONTRACT, 'RegisterResource', edgeUser, (ctx) => billing.RegisterResource(ctx, JSON.stringify({ ...resource, attributes: { model: 'A100' } })));
        }
        await call(BILLING_CONTRACT, 'PublishPricePlan', edgeUser, (ctx) => billing.PublishPricePlan(ctx, 'qos-api', JSON.stringify({ unit: 'call', rate: 30, cycle: 'month' })));
        await call(BILLING_CONTRACT, 'GetSite', stranger, (ctx) => billing.GetSite(ctx, 'site-a'));
        await call(BILLING_CONTRACT, 'GetResource', stranger, (ctx) => billing.GetResource(ctx, 'gpu-1'));
        await call(BILLING_CONTRACT, 'GetPricePlan', stranger, (ctx) => billing.GetPricePlan(ctx, 'qos-api', '2'));
        await call(BILLING_CONTRACT, 'ListSiteResources', stranger, (ctx) => billing.ListSiteResources(ctx, 'site-a', '10', ''));

        const start = (request: object): ((ctx: Context) => Promise<string>) => (ctx) => billing.StartSession(ctx, JSON.stringify({ appId: 'game-1', ...request }));
        await call(BILLING_CONTRACT, 'StartSession', cloudUser, start({ sessionId: 's-1', resourceId: 'gpu-1' }));
        await call(BILLING_CONTRACT, 'AcceptSession', edgeUser, (ctx) => billing.AcceptSession(ctx, 's-1'));
        world.ledger.advance(60_000);
        await call(BILLING_CONTRACT, 'StopSession', cloudUser, (ctx) => billing.StopSession(ctx, 's-1', ''));
        await call(BILLING_CONTRACT, 'GetSession', auditor, (ctx) => billing.GetSession(ctx, 's-1'));
        await call(BILLING_CONTRACT, 'GetUsageRecord', cloudUser, (ctx) => billing.GetUsageRecord(ctx, 'session:s-1'));
        await call(BILLING_CONTRACT, 'StartSession', cloudUser, start({ sessionId: 's-2', resourceId: 'qos-api' }));
        await call(BILLING_CONTRACT, 'AcceptSession', edgeUser, (ctx) => billing.AcceptSession(ctx, 's-2'));
        await call(BILLING_CONTRACT, 'StopSession', cloudUser, (ctx) => billing.StopSession(ctx, 's-2', JSON.stringify({ calls: 4 })));
        await call(BILLING_CONTRACT, 'ConfirmStop', edgeUser, (ctx) => billing.ConfirmStop(ctx, 's-2'));
        await call(BILLING_CONTRACT, 'StartSession', cloudUser, start({ sessionId: 's-3', resourceId: 'gpu-1' }));
        await call(BILLING_CONTRACT, 'DeclineSession', edgeUser, (ctx) => billing.DeclineSession(ctx, 's-3'));
        const deadline = new Date(world.ledger.now + HOUR).toISOString();
        await call(BILLING_CONTRACT, 'StartSession', cloudUser, start({ sessionId: 's-4', resourceId: 'gpu-1', payment: { accountId: 'alice', budget: 500, deadline } }));
        await call(BILLING_CONTRACT, 'AcceptSession', edgeUser, (ctx) => billing.AcceptSession(ctx, 's-4'));
        world.ledger.advance(2 * HOUR);
        await call(BILLING_CONTRACT, 'RefundExpiredSession', auditor, (ctx) => billing.RefundExpiredSession(ctx, 's-4'));
        await call(TOKEN_CONTRACT, 'GetEscrow', auditor, (ctx) => token.GetEscrow(ctx, 'session:s-4'));

        const operation = (operationId: string): string => JSON.stringify({ operationId, resourceId: 'upf-traffic', tenantMspId: 'CloudOrgMSP', appId: 'video', bytes: 1_500_000_001 });
        await call(BILLING_CONTRACT, 'RecordCtOperation', edgeUser, (ctx) => billing.RecordCtOperation(ctx, operation('op-1')));
        await call(BILLING_CONTRACT, 'AcceptCtOperation', cloudUser, (ctx) => billing.AcceptCtOperation(ctx, 'op-1'));
        await call(BILLING_CONTRACT, 'RecordCtOperation', edgeUser, (ctx) => billing.RecordCtOperation(ctx, operation('op-2')));
        await call(BILLING_CONTRACT, 'DeclineCtOperation', cloudUser, (ctx) => billing.DeclineCtOperation(ctx, 'op-2'));
        await call(BILLING_CONTRACT, 'GetCtOperation', auditor, (ctx) => billing.GetCtOperation(ctx, 'op-2'));

        const period = billingPeriod(world.ledger.now);
        const invoiceId = `EdgeOrgMSP|CloudOrgMSP|${period}`;
        const lines = await call<{ lineId: string }[]>(SETTLEMENT_CONTRACT, 'ListPeriodLines', cloudUser, (ctx) => settlement.ListPeriodLines(ctx, invoiceId));
        await call(SETTLEMENT_CONTRACT, 'ListPeriodTenants', edgeUser, (ctx) => settlement.ListPeriodTenants(ctx, period, '10', ''));
        world.ledger.advance(periodEndMillis(period) + DEFAULT_TIMESTAMP_TOLERANCE_SECONDS * 1000 - world.ledger.now + 1000);
        await call(SETTLEMENT_CONTRACT, 'CloseBillingPeriod', edgeUser, (ctx) => settlement.CloseBillingPeriod(ctx, 'CloudOrgMSP', period));
        await call(SETTLEMENT_CONTRACT, 'GetInvoice', auditor, (ctx) => settlement.GetInvoice(ctx, invoiceId));
        await call(SETTLEMENT_CONTRACT, 'ListInvoices', cloudUser, (ctx) => settlement.ListInvoices(ctx, 'CloudOrgMSP', '10', ''));
        const lineId = lines[0]?.lineId ?? '';
        await call(SETTLEMENT_CONTRACT, 'ListLineUsage', cloudUser, (ctx) => settlement.ListLineUsage(ctx, invoiceId, lineId, '10', ''));
        await call(SETTLEMENT_CONTRACT, 'RaiseDispute', cloudUser, (ctx) => settlement.RaiseDispute(ctx, JSON.stringify({ disputeId: 'd-1', invoiceId, lineIds: [lineId], reason: 'billed twice' })));
        await call(SETTLEMENT_CONTRACT, 'ResolveDispute', auditor, (ctx) => settlement.ResolveDispute(ctx, 'd-1', JSON.stringify({ outcome: 'accepted' })));
        await call(SETTLEMENT_CONTRACT, 'GetDispute', cloudUser, (ctx) => settlement.GetDispute(ctx, 'd-1'));
        await call(SETTLEMENT_CONTRACT, 'GetPeriodLineCounts', auditor, (ctx) => settlement.GetPeriodLineCounts(ctx, invoiceId));
        const disclosed = await call<{ records: { recordId: string }[] }>(SETTLEMENT_CONTRACT, 'DiscloseLineUsage', cloudUser, (ctx) => settlement.DiscloseLineUsage(ctx, invoiceId, lineId, '10', ''));
        await call(SETTLEMENT_CONTRACT, 'GetUsageRecordHashes', auditor, (ctx) => settlement.GetUsageRecordHashes(ctx, invoiceId, JSON.stringify(disclosed.records.map((r) => r.recordId))));
        const nextPeriod = billingPeriod(periodEndMillis(period));
        await call(SETTLEMENT_CONTRACT, 'PurgeBillingRecords', cloudUser, (ctx) => settlement.PurgeBillingRecords(ctx, 'EdgeOrgMSP', 'CloudOrgMSP', period, nextPeriod));
        await call(SETTLEMENT_CONTRACT, 'PurgeBillingRecords', edgeUser, (ctx) => settlement.PurgeBillingRecords(ctx, 'EdgeOrgMSP', 'CloudOrgMSP', period, nextPeriod));

        const listing = { listingId: 'l-1', kind: 'gpu', title: 'GPU hour', config: { model: 'A100' }, unit: 'hour', unitPrice: 5, payeeAccountId: 'edge-payee' };
        await call(MARKETPLACE_CONTRACT, 'CreateListing', edgeUser, (ctx) => market.CreateListing(ctx, JSON.stringify(listing)));
        await call(MARKETPLACE_CONTRACT, 'GetListing', stranger, (ctx) => market.GetListing(ctx, 'l-1'));
        await call(MARKETPLACE_CONTRACT, 'SearchListings', stranger, (ctx) => market.SearchListings(ctx, '', '10', ''));
        const purchase = (purchaseId: string): string => JSON.stringify({ purchaseId, listingId: 'l-1', buyerAccountId: 'alice', units: 3, deadline: new Date(world.ledger.now + HOUR).toISOString(), encryptionKey: pem() });
        await call(MARKETPLACE_CONTRACT, 'PurchaseListing', cloudUser, (ctx) => market.PurchaseListing(ctx, purchase('p-1')));
        const envelope = {
            algorithm: ACCESS_ALGORITHM,
            ephemeralPublicKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
            iv: randomBytes(12).toString('base64'),
            ciphertext: randomBytes(48).toString('base64'),
            tag: randomBytes(16).toString('base64'),
        };
        await call(MARKETPLACE_CONTRACT, 'DeliverAccess', edgeUser, (ctx) => market.DeliverAccess(ctx, 'p-1', JSON.stringify(envelope)));
        await call(MARKETPLACE_CONTRACT, 'CompletePurchase', edgeUser, (ctx) => market.CompletePurchase(ctx, 'p-1', '2'));
        await call(MARKETPLACE_CONTRACT, 'RatePurchase', cloudUser, (ctx) => market.RatePurchase(ctx, 'p-1', '4'));
        const bought = await call<{ providerId: string }>(MARKETPLACE_CONTRACT, 'GetPurchase', auditor, (ctx) => market.GetPurchase(ctx, 'p-1'));
        await call(MARKETPLACE_CONTRACT, 'GetReputation', stranger, (ctx) => market.GetReputation(ctx, bought.providerId));
        await call(MARKETPLACE_CONTRACT, 'PurchaseListing', cloudUser, (ctx) => market.PurchaseListing(ctx, purchase('p-2')));
        await call(MARKETPLACE_CONTRACT, 'RefundPurchase', cloudUser, (ctx) => market.RefundPurchase(ctx, 'p-2'));
        await call(MARKETPLACE_CONTRACT, 'WithdrawListing', edgeUser, (ctx) => market.WithdrawListing(ctx, 'l-1'));

        // The compute exchange's answers are checked the same way in compute-exchange.test.ts.
        const all = RESOURCE_BILLING_CONTRACTS.filter((contract) => contract.name !== 'compute').flatMap((contract) => Object.keys(contract.transactions).map((name) => `${contract.name}.${name}`));
        expect([...checked].sort()).toEqual(all.sort());
    });

    it('accepts a request that meets the schema of the transaction table and refuses one that does not', () => {
        const [, StartSessionRequest] = BILLING_CONTRACT.transactions.StartSession?.transient?.[0] ?? [];
        const request = { sessionId: 's-1', resourceId: 'gpu-1', appId: 'game-1', payment: { accountId: 'alice', budget: 5, deadline: '2026-05-01T00:00:00Z' } };
        expect(StartSessionRequest !== undefined && conforms(StartSessionRequest, request)).toBe(true);
        expect(StartSessionRequest !== undefined && conforms(StartSessionRequest, { ...request, payment: { ...request.payment, deadline: '2026-02-30T00:00:00Z' } })).toBe(false);
    });
});
