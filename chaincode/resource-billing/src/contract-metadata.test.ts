import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractMetadata, transactionNames, transactionSignatures } from '../../common/testing/contract-metadata';
import { contracts } from './index';
import { metadataFileText } from '../../schemas/src';
import { resourceBillingMetadata } from './metadata';

const FILE = join(__dirname, '..', 'META-INF', 'metadata.json');
const committed = JSON.parse(readFileSync(FILE, 'utf8')) as object;
const CONTRACTS = ['billing', 'settlement', 'token', 'marketplace', 'compute'];

interface Described {
    contracts: Record<string, { transactions: { name: string; parameters?: { name: string; schema: { type?: string; title?: string } }[]; returns?: { $ref?: string; description?: string } }[] }>;
    components: { schemas: Record<string, object> };
}

describe('resource-billing chaincode metadata', () => {
    it('META-INF/metadata.json is what the transaction tables generate (else: npm run build && npm run metadata)', () => {
        expect(readFileSync(FILE, 'utf8')).toBe(metadataFileText(resourceBillingMetadata()));
    });

    it('is valid against fabric-contract-api’s contract schema, as fabric-shim checks it at start', () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- fabric-shim's own loader, untyped
        const Bootstrap = require('fabric-shim/lib/contract-spi/bootstrap') as { loadAndValidateMetadata(path: string): unknown };
        expect(Bootstrap.loadAndValidateMetadata(FILE)).toEqual(committed);
    });

    it.each(CONTRACTS)('names every decorated %s transaction, with its submit/evaluate tag and parameter names in order, and no other', (contract) => {
        expect(transactionSignatures(contractMetadata(contracts, 'resource-billing', committed), contract)).toEqual(
            transactionSignatures(contractMetadata(contracts, 'resource-billing'), contract),
        );
    });

    it('describes every parameter and return value of every transaction by a schema in components.schemas', () => {
        const metadata = contractMetadata(contracts, 'resource-billing', committed) as unknown as Described;
        for (const contract of CONTRACTS) {
            for (const transaction of metadata.contracts[contract]?.transactions ?? []) {
                for (const parameter of transaction.parameters ?? []) {
                    expect([transaction.name, parameter.schema.type]).toEqual([transaction.name, 'string']);
                    expect(metadata.components.schemas[parameter.schema.title ?? '']).toBeDefined();
                }
                const returned = transaction.returns?.$ref?.replace('#/components/schemas/', '') ?? '';
                expect([transaction.name, metadata.components.schemas[returned] === undefined]).toEqual([transaction.name, false]);
            }
        }
    });

    it.each([
        [
            'billing',
            [
                'AcceptCtOperation',
                'AcceptSession',
                'BootstrapGovernance',
                'ConfirmStop',
                'DeclineCtOperation',
                'DeclineSession',
                'GrantRole',
                'PublishPricePlan',
                'RecordCtOperation',
                'RefundExpiredSession',
                'RegisterResource',
                'RegisterSite',
                'RevokeRole',
                'StartSession',
                'StopSession',
            ],
            ['GetCtOperation', 'GetPricePlan', 'GetResource', 'GetSession', 'GetSite', 'GetUsageRecord', 'ListRoles', 'ListSiteResources'],
        ],
        [
            'settlement',
            ['CloseBillingPeriod', 'PurgeBillingRecords', 'RaiseDispute', 'ResolveDispute'],
            ['DiscloseLineUsage', 'GetDispute', 'GetInvoice', 'GetPeriodLineCounts', 'GetUsageRecordHashes', 'ListInvoices', 'ListLineUsage', 'ListPeriodLines', 'ListPeriodTenants'],
        ],
        ['token', ['Mint', 'OpenAccount', 'SetTaskKey', 'Transfer'], ['GetAccount', 'GetDisclosure', 'GetEscrow', 'GetSupply']],
        [
            'marketplace',
            ['CompletePurchase', 'CreateListing', 'DeliverAccess', 'PurchaseListing', 'RatePurchase', 'RefundPurchase', 'WithdrawListing'],
            ['GetListing', 'GetPurchase', 'GetReputation', 'SearchListings'],
        ],
    ])('serves, as at server start, exactly the %s transactions', (contract, submit, evaluate) => {
        const metadata = contractMetadata(contracts, 'resource-billing', committed);
        expect(transactionNames(metadata, contract)).toEqual({ submit: [...submit].sort(), evaluate: [...evaluate].sort() });
    });

    it('shows an integrator the request StartSession takes and the session it returns', () => {
        const metadata = contractMetadata(contracts, 'resource-billing', committed) as unknown as Described;
        const start = metadata.contracts.billing?.transactions.find((t) => t.name === 'StartSession');
        // The request is private (transient map); the argument only routes, and the result names ids only.
        expect(start?.parameters).toEqual([{ name: 'sessionId', description: 'session id: text meeting components.schemas.SessionId', schema: { type: 'string', title: 'SessionId' } }]);
        expect(start?.returns).toMatchObject({ $ref: '#/components/schemas/SessionIds' });
        expect(start?.returns?.description).toContain('Transient map: request (JSON text of components.schemas.StartSessionRequest), salt (text meeting components.schemas.SaltText), account (JSON text of components.schemas.TokenDisclosure).');
        expect(metadata.components.schemas.StartSessionRequest).toMatchObject({ type: 'object', required: ['sessionId', 'resourceId', 'appId'] });
    });
});
