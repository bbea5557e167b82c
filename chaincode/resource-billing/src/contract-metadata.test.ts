import { contractMetadata, transactionNames } from '../../common/testing/contract-metadata';
import { contracts } from './index';

describe('resource-billing chaincode metadata', () => {
    const metadata = contractMetadata(contracts, 'resource-billing');

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
        ['settlement', ['CloseBillingPeriod', 'RaiseDispute', 'ResolveDispute'], ['GetDispute', 'GetInvoice', 'ListInvoices', 'ListLineUsage', 'ListPeriodLines', 'ListPeriodTenants']],
        ['token', ['Mint', 'OpenAccount', 'SetTaskKey', 'Transfer'], ['GetAccount', 'GetEscrow', 'GetSupply']],
        [
            'marketplace',
            ['CompletePurchase', 'CreateListing', 'DeliverAccess', 'PurchaseListing', 'RatePurchase', 'RefundPurchase', 'WithdrawListing'],
            ['GetListing', 'GetPurchase', 'GetReputation', 'SearchListings'],
        ],
    ])('passes schema validation and exposes exactly the %s transactions', (contract, submit, evaluate) => {
        expect(transactionNames(metadata, contract)).toEqual({ submit: [...submit].sort(), evaluate: [...evaluate].sort() });
    });
});
