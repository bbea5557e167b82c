import * as wire from '@edgetrust/schemas';
import { Type } from '@sinclair/typebox';
import { positionalOperations } from './positional';
import type { Operation } from './table';

/** The SDK's VerifiedInvoice: the invoice, every usage record of its lines, their plans, and the recomputation. */
const VerifiedInvoice = Type.Object({
    invoice: wire.Invoice,
    records: Type.Array(wire.UsageRecord),
    plans: Type.Array(wire.PricePlan),
    verification: Type.Object(
        { invoiceId: Type.String(), ok: Type.Boolean({ description: 'every line and the totals check out, no record left over' }), lines: Type.Array(Type.Object({}, { additionalProperties: true })), totalProblems: Type.Array(Type.String()), strayRecordIds: Type.Array(Type.String()) },
        { additionalProperties: true, description: "the SDK's InvoiceVerification" },
    ),
});

/** The resource-billing chaincode's client as endpoints (what is not, and why: NOT_ENDPOINTS in index.ts). */
export const billingOperations: readonly Operation[] = positionalOperations('billing', '/v1/billing', [
    { name: 'bootstrapGovernance', method: 'POST', path: '/governance/bootstrap', args: [], summary: "Bootstrap billing governance (the deployment's governance organisation's admin)" },
    { name: 'grantRole', method: 'POST', path: '/roles', args: ['b:mspId', 'b:role'], summary: 'Grant a billing role to an organisation' },
    { name: 'revokeRole', method: 'POST', path: '/roles/revoke', args: ['b:mspId', 'b:role'], summary: "Revoke an organisation's billing role" },
    { name: 'listRoles', method: 'GET', path: '/roles', args: [], summary: 'Every role grant' },
    { name: 'registerSite', method: 'POST', path: '/sites', args: ['B'], summary: 'Register an edge site (RegisterSiteRequest)' },
    { name: 'registerResource', method: 'POST', path: '/resources', args: ['B'], summary: 'Register a resource of a site (RegisterResourceRequest)' },
    { name: 'publishPricePlan', method: 'POST', path: '/resources/:resourceId/price-plans', args: ['p:resourceId', 'B'], summary: 'Publish the next price plan of a resource (PricePlanTerms)' },
    { name: 'getSite', method: 'GET', path: '/sites/:siteId', args: ['p:siteId'], summary: 'A site' },
    { name: 'getResource', method: 'GET', path: '/resources/:resourceId', args: ['p:resourceId'], summary: 'A resource' },
    { name: 'getPricePlan', method: 'GET', path: '/resources/:resourceId/price-plans/:version', args: ['p:resourceId', 'p:version'], summary: 'One version of a price plan' },
    { name: 'listSiteResources', method: 'GET', path: '/sites/:siteId/resources', args: ['p:siteId', 'page'], summary: "One page of a site's resources" },
    { name: 'startSession', method: 'POST', path: '/sessions', args: ['B'], summary: 'Propose a usage session (StartSessionRequest); the counterparty accepts it' },
    { name: 'acceptSession', method: 'POST', path: '/sessions/:sessionId/accept', args: ['p:sessionId'], summary: 'Accept a proposed session' },
    { name: 'declineSession', method: 'POST', path: '/sessions/:sessionId/decline', args: ['p:sessionId'], summary: 'Decline a proposed session' },
    { name: 'stopSession', method: 'POST', path: '/sessions/:sessionId/stop', args: ['p:sessionId', 'B'], summary: 'Stop a session (StopMeters for metered ones)' },
    { name: 'confirmStop', method: 'POST', path: '/sessions/:sessionId/confirm-stop', args: ['p:sessionId'], summary: "Confirm the counterparty's stop" },
    { name: 'refundExpiredSession', method: 'POST', path: '/sessions/:sessionId/refund', args: ['p:sessionId'], summary: 'Refund a session that expired unaccepted' },
    { name: 'getSession', method: 'GET', path: '/sessions/:sessionId', args: ['p:sessionId'], summary: 'A session' },
    { name: 'recordCtOperation', method: 'POST', path: '/ct-operations', args: ['B'], summary: 'Propose a CT operation (CtOperationRequest)' },
    { name: 'acceptCtOperation', method: 'POST', path: '/ct-operations/:operationId/accept', args: ['p:operationId'], summary: 'Accept a CT operation' },
    { name: 'declineCtOperation', method: 'POST', path: '/ct-operations/:operationId/decline', args: ['p:operationId'], summary: 'Decline a CT operation' },
    { name: 'getCtOperation', method: 'GET', path: '/ct-operations/:operationId', args: ['p:operationId'], summary: 'A CT operation' },
    { name: 'getUsageRecord', method: 'GET', path: '/usage/:recordId', args: ['p:recordId'], summary: 'A usage record' },
    { name: 'closeBillingPeriod', method: 'POST', path: '/periods/:period/close', args: ['b:tenantMspId', 'p:period'], summary: "Close a tenant's billing period into an invoice" },
    { name: 'getInvoice', method: 'GET', path: '/invoices/:invoiceId', args: ['p:invoiceId'], summary: 'An invoice' },
    { name: 'listInvoices', method: 'GET', path: '/tenants/:tenantMspId/invoices', args: ['p:tenantMspId', 'page'], summary: "One page of a tenant's invoices" },
    { name: 'listPeriodLines', method: 'GET', path: '/invoices/:invoiceId/lines', args: ['p:invoiceId'], summary: "An invoice's lines" },
    { name: 'listLineUsage', method: 'GET', path: '/invoices/:invoiceId/lines/:lineId/usage', args: ['p:invoiceId', 'p:lineId', 'page'], summary: "One page of an invoice line's usage" },
    { name: 'listPeriodTenants', method: 'GET', path: '/periods/:period/tenants', args: ['p:period', 'page'], summary: 'One page of the tenants billed in a period' },
    {
        name: 'fetchAndVerifyInvoice',
        method: 'GET',
        path: '/invoices/:invoiceId/verified',
        args: ['p:invoiceId'],
        summary: 'An invoice recomputed from its usage and checked',
        transaction: 'GetInvoice',
        response: VerifiedInvoice,
    },
    { name: 'raiseDispute', method: 'POST', path: '/disputes', args: ['B'], summary: 'Dispute an invoice line (RaiseDisputeRequest)' },
    { name: 'resolveDispute', method: 'POST', path: '/disputes/:disputeId/resolve', args: ['p:disputeId', 'B'], summary: 'Resolve a dispute (auditor; the operator may concede)' },
    { name: 'getDispute', method: 'GET', path: '/disputes/:disputeId', args: ['p:disputeId'], summary: 'A dispute' },
    // The chaincode returns account ids only (the account is private to its owner's collection); the SDK reads it back.
    { name: 'openAccount', method: 'POST', path: '/accounts', args: ['b:accountId', 'b:taskKeyPem=taskKey?'], summary: 'Open a compute-token account', response: wire.TokenAccount },
    { name: 'setTaskKey', method: 'PUT', path: '/accounts/:accountId/task-key', args: ['p:accountId', 'b:publicKeyPem'], summary: "Set an account's compute-task signing key", response: wire.TokenAccount },
    { name: 'mint', method: 'POST', path: '/accounts/:accountId/mint', args: ['p:accountId', 'b:amount'], summary: 'Mint tokens into an account (issuers)' },
    { name: 'transfer', method: 'POST', path: '/token-transfers', args: ['b:fromAccountId', 'b:toAccountId', 'b:amount'], summary: 'Transfer tokens', response: wire.TokenAccount },
    { name: 'getAccount', method: 'GET', path: '/accounts/:accountId', args: ['p:accountId'], summary: 'A token account' },
    { name: 'getEscrow', method: 'GET', path: '/escrows/:escrowId', args: ['p:escrowId'], summary: 'An escrow' },
    { name: 'getSupply', method: 'GET', path: '/supply', args: [], summary: 'The token supply' },
    { name: 'createListing', method: 'POST', path: '/listings', args: ['B'], summary: 'List a shared resource on the marketplace (CreateListingRequest)' },
    { name: 'withdrawListing', method: 'POST', path: '/listings/:listingId/withdraw', args: ['p:listingId'], summary: 'Withdraw a listing' },
    { name: 'getListing', method: 'GET', path: '/listings/:listingId', args: ['p:listingId'], summary: 'A listing' },
    { name: 'searchListings', method: 'GET', path: '/listings', args: ['q:kind?', 'page'], summary: 'One page of listings, optionally of a kind' },
    { name: 'purchaseListing', method: 'POST', path: '/purchases', args: ['B'], summary: 'Buy a listing (PurchaseRequest)' },
    { name: 'deliverAccess', method: 'POST', path: '/purchases/:purchaseId/access', args: ['p:purchaseId', 'b:accessInfo'], summary: "Deliver access information, encrypted to the buyer's key" },
    { name: 'completePurchase', method: 'POST', path: '/purchases/:purchaseId/complete', args: ['p:purchaseId', 'b:usedUnits'], summary: 'Complete a purchase with the units used' },
    { name: 'refundPurchase', method: 'POST', path: '/purchases/:purchaseId/refund', args: ['p:purchaseId'], summary: 'Refund a purchase' },
    { name: 'ratePurchase', method: 'POST', path: '/purchases/:purchaseId/rate', args: ['p:purchaseId', 'b:rating'], summary: 'Rate a paid purchase (1–5)' },
    { name: 'getPurchase', method: 'GET', path: '/purchases/:purchaseId', args: ['p:purchaseId'], summary: 'A purchase' },
    { name: 'getReputation', method: 'GET', path: '/providers/:providerId/reputation', args: ['p:providerId'], summary: "A provider's reputation" },
]);
