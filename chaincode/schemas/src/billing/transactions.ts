import { Type } from '@sinclair/typebox';
import type { ContractSpec } from '../contract-metadata';
import { COMPUTE_EXCHANGE_CONTRACT } from '../compute/transactions';
import { Bookmark, Identifier, MspId, Named, PageSizeText, SaltText } from '../primitives';
import { BILLING_ROLES, LISTING_KINDS } from './enums';
import { BillingPurge, LineCountList, StoredUsageRecordPage, UsageRecordHashList, UsageRecordIdList } from './completeness';
import {
    AccountIds,
    BillingDispute,
    CtOperationIds,
    DisputeIds,
    InvoiceIds,
    SessionIds,
    PurchaseIds,
    CtOperationProposal,
    EdgeResource,
    EdgeResourcePage,
    EdgeSite,
    Escrow,
    Invoice,
    InvoiceLineList,
    InvoicePage,
    MarketListing,
    MarketListingPage,
    MarketPurchase,
    NoResult,
    PricePlan,
    ProviderReputation,
    RoleGrant,
    RoleGrantList,
    TenantPage,
    TokenAccount,
    TokenDisclosure,
    TokenSupply,
    UsageRecord,
    UsageRecordPage,
    UsageSession,
} from './records';
import {
    AccessEnvelope,
    CompletePurchaseRequest,
    CreateListingRequest,
    CtOperationRequest,
    InvoiceId,
    LineId,
    OpenAccountRequest,
    P256PublicKeyPem,
    Period,
    PricePlanTerms,
    PurchaseRequest,
    RaiseDisputeRequest,
    RegisterResourceRequest,
    RegisterSiteRequest,
    ResolveDisputeRequest,
    StartSessionRequest,
    StopMeters,
} from './requests';

// The text arguments, each named so that the contract metadata can point at its rule.
const MspIdText = Named('MspIdText', MspId());
const BillingRoleText = Named('BillingRoleText', Type.String({ pattern: `^(?:${BILLING_ROLES.join('|')})$`, description: `one of ${BILLING_ROLES.join(', ')}` }));
const SiteId = Named('SiteId', Identifier(128, 'site id'));
const ResourceId = Named('ResourceId', Identifier(128, 'resource id'));
const SessionId = Named('SessionId', Identifier(128, 'session id'));
const OperationId = Named('OperationId', Identifier(128, 'CT operation id'));
const RecordId = Named('UsageRecordId', Type.String({ minLength: 1, maxLength: 140, description: 'usage record id: session:<sessionId> or ct:<operationId>' }));
const DisputeId = Named('DisputeId', Identifier(128, 'dispute id'));
const AccountId = Named('AccountId', Identifier(128, 'token account id'));
const EscrowId = Named('EscrowId', Identifier(128, 'escrow id <purpose>:<referenceId>'));
const ListingId = Named('ListingId', Identifier(128, 'listing id'));
const PurchaseId = Named('PurchaseId', Identifier(128, 'purchase id'));
const ProviderId = Named('ProviderId', Identifier(128, "a provider's public id (MarketListing.providerId)"));
const InvoiceIdText = Named('InvoiceIdText', InvoiceId());
const LineIdText = Named('LineIdText', LineId());
const PeriodText = Named('PeriodText', Period());
const PageSize = Named('PageSize', PageSizeText);
const BookmarkText = Named('Bookmark', Bookmark);
const WholeNumber = (id: string, description: string): ReturnType<typeof Type.String> => Named(id, Type.String({ pattern: '^\\d{1,16}$', description }));
const PlanVersionText = WholeNumber('PlanVersionText', 'a price plan version, 1 to 999999, as decimal text');
const TokenAmountText = WholeNumber('TokenAmountText', 'a positive number of tokens, as decimal text');
const RatingText = Named('RatingText', Type.String({ pattern: '^[1-5]$', description: '1 to 5 stars' }));
const ListingKindOrEmpty = Named('ListingKindOrEmpty', Type.String({ pattern: `^(?:${LISTING_KINDS.join('|')})?$`, description: 'a listing kind, or empty for every kind' }));
const PublicKeyPemText = Named('PublicKeyPem', P256PublicKeyPem('signs compute tasks paid from the account'));

const ANY_MEMBER = 'any channel member';
const PARTIES_OR_AUDITOR = 'its operator, its tenant and auditor organisations';

/** Roles, the edge catalog, usage sessions and CT operations (B1–B3, B6, B10). */
export const BILLING_CONTRACT: ContractSpec = {
    name: 'billing',
    title: 'BillingContract',
    description: 'MEC resource catalog, roles, usage sessions and CT/IT operations',
    transactions: {
        BootstrapGovernance: {
            type: 'submit',
            description: 'Makes the caller organisation the first governor; once. Event: GovernanceBootstrapped.',
            callers: 'an admin of the organisation the deployment names governor (EDGETRUST_GOVERNANCE_MSP_ID)',
            parameters: [],
            returns: RoleGrant,
        },
        GrantRole: {
            type: 'submit',
            description: 'Grants an organisation a role. Event: RoleGranted.',
            callers: 'admins of governor organisations',
            parameters: [
                ['mspId', MspIdText],
                ['role', BillingRoleText],
            ],
            returns: RoleGrant,
        },
        RevokeRole: {
            type: 'submit',
            description: "Revokes a role; never the caller organisation's own governor role. Event: RoleRevoked.",
            callers: 'admins of governor organisations',
            parameters: [
                ['mspId', MspIdText],
                ['role', BillingRoleText],
            ],
            returns: NoResult,
        },
        ListRoles: { type: 'evaluate', description: 'Every role grant, so that every party can see who is operator, tenant, auditor or issuer.', callers: ANY_MEMBER, parameters: [], returns: RoleGrantList },
        RegisterSite: {
            type: 'submit',
            description: 'Registers an edge site of the caller organisation. Event: SiteRegistered.',
            callers: 'members of operator organisations',
            parameters: [['request', RegisterSiteRequest]],
            returns: EdgeSite,
        },
        RegisterResource: {
            type: 'submit',
            description: "Registers a resource or capability of one of the caller's sites with version 1 of its price plan; a payee account must be the operator's own. Event: ResourceRegistered.",
            callers: "members of the operator organisation that owns the site",
            parameters: [['request', RegisterResourceRequest]],
            returns: EdgeResource,
        },
        PublishPricePlan: {
            type: 'submit',
            description: "Publishes the next version of a resource's price plan; sessions already started keep theirs. Event: PricePlanPublished.",
            callers: "members of the resource's operator organisation (operator role)",
            parameters: [
                ['resourceId', ResourceId],
                ['plan', PricePlanTerms],
            ],
            returns: PricePlan,
        },
        GetSite: { type: 'evaluate', description: 'An edge site.', callers: ANY_MEMBER, parameters: [['siteId', SiteId]], returns: EdgeSite },
        GetResource: { type: 'evaluate', description: 'A resource of the public catalog.', callers: ANY_MEMBER, parameters: [['resourceId', ResourceId]], returns: EdgeResource },
        GetPricePlan: {
            type: 'evaluate',
            description: "One version of a resource's price plan.",
            callers: ANY_MEMBER,
            parameters: [
                ['resourceId', ResourceId],
                ['version', PlanVersionText],
            ],
            returns: PricePlan,
        },
        ListSiteResources: {
            type: 'evaluate',
            description: "A page of a site's resources.",
            callers: ANY_MEMBER,
            parameters: [
                ['siteId', SiteId],
                ['pageSize', PageSize],
                ['bookmark', BookmarkText],
            ],
            returns: EdgeResourcePage,
        },
        StartSession: {
            type: 'submit',
            description:
                'Proposes a usage session (B2): proposed, billing nothing, until the other organisation calls AcceptSession; with the tenant\'s signed compute task (B9) submitted by the operator it is active at once. A payment is held in escrow from the proposal. Event: SessionProposed or SessionStarted. Private to the operator–tenant pair: the result and event carry ids only.',
            callers: 'the tenant for itself, or an operator organisation for a tenant on its own resource; the tenant must hold the tenant role',
            parameters: [['sessionId', SessionId]],
            returns: SessionIds,
            transient: [['request', StartSessionRequest], ['salt', SaltText], ['account', TokenDisclosure]],
        },
        AcceptSession: {
            type: 'submit',
            description: 'Accepts a proposed session; billing runs from this transaction. Event: SessionStarted. Private to the operator–tenant pair: the result and event carry ids only.',
            callers: 'the organisation the session awaits (the other party)',
            parameters: [['sessionId', SessionId]],
            returns: SessionIds,
            transient: [['salt', SaltText]],
        },
        DeclineSession: {
            type: 'submit',
            description: 'Declines (or withdraws) a proposed session; a budget held for it is refunded in full. Event: SessionDeclined. Private to the operator–tenant pair: the result and event carry ids only.',
            callers: 'either party of the session',
            parameters: [['sessionId', SessionId]],
            returns: SessionIds,
            transient: [['salt', SaltText]],
        },
        StopSession: {
            type: 'submit',
            description:
                'Stops an active session (B3). A per-second session is priced at once from the agreed start to this transaction time; a per-call or per-GB reading is a proposal (status stopping) until the other party calls ConfirmStop. Event: SessionStopped or SessionStopProposed. Private to the operator–tenant pair: the result and event carry ids only.',
            callers: 'either party of the session',
            parameters: [['sessionId', SessionId]],
            returns: SessionIds,
            transient: [['request', StopMeters], ['salt', SaltText]],
        },
        ConfirmStop: {
            type: 'submit',
            description: "Confirms a stopping session's reading: its usage is recorded and paid. Event: SessionStopped. Private to the operator–tenant pair: the result and event carry ids only.",
            callers: 'the organisation the stop reading awaits (the other party)',
            parameters: [['sessionId', SessionId]],
            returns: SessionIds,
            transient: [['salt', SaltText]],
        },
        RefundExpiredSession: {
            type: 'submit',
            description:
                "Settles a token-paid session after its deadline: a running per-second session pays pro rata up to the deadline, anything else is refunded in full. Event: SessionExpired. Private to the operator–tenant pair: the result and event carry ids only.",
            callers: PARTIES_OR_AUDITOR,
            parameters: [['sessionId', SessionId]],
            returns: SessionIds,
            transient: [['salt', SaltText]],
        },
        GetSession: { type: 'evaluate', description: 'A usage session.', callers: PARTIES_OR_AUDITOR, parameters: [['sessionId', SessionId]], returns: UsageSession },
        RecordCtOperation: {
            type: 'submit',
            description:
                'Reports an operation a CT entity did for an IT application (B6), priced at the current plan version; billed only once the tenant accepts it. Event: CtOperationProposed. Private to the operator–tenant pair: the result and event carry ids only.',
            callers: "members of ct-entity organisations that operate the capability's site",
            parameters: [['operationId', OperationId]],
            returns: CtOperationIds,
            transient: [['request', CtOperationRequest], ['salt', SaltText]],
        },
        AcceptCtOperation: {
            type: 'submit',
            description: 'Accepts a reported CT operation: priced as reported and added to its invoice line. Event: CtOperationRecorded. Private to the operator–tenant pair: the result and event carry ids only.',
            callers: 'the tenant organisation of the operation',
            parameters: [['operationId', OperationId]],
            returns: CtOperationIds,
            transient: [['salt', SaltText]],
        },
        DeclineCtOperation: {
            type: 'submit',
            description: 'Declines (or withdraws) a reported CT operation; nothing is billed. Event: CtOperationDeclined. Private to the operator–tenant pair: the result and event carry ids only.',
            callers: 'either party of the operation',
            parameters: [['operationId', OperationId]],
            returns: CtOperationIds,
            transient: [['salt', SaltText]],
        },
        GetCtOperation: { type: 'evaluate', description: 'A reported CT operation and whether the tenant accepted it.', callers: PARTIES_OR_AUDITOR, parameters: [['operationId', OperationId]], returns: CtOperationProposal },
        GetUsageRecord: { type: 'evaluate', description: 'A usage record.', callers: PARTIES_OR_AUDITOR, parameters: [['recordId', RecordId]], returns: UsageRecord },
    },
};

/** Periodic settlement, invoices and disputes (B4, B5). */
export const SETTLEMENT_CONTRACT: ContractSpec = {
    name: 'settlement',
    title: 'SettlementContract',
    description: 'Billing periods, invoices, disputes and credit notes',
    transactions: {
        CloseBillingPeriod: {
            type: 'submit',
            description:
                "Closes a tenant's period for the caller organisation and issues the invoice, one line per running total; once, and only after the period's end plus the timestamp tolerance. Event: InvoiceIssued. Private to the operator–tenant pair: the result and event carry ids only.",
            callers: 'members of operator organisations',
            parameters: [
                ['tenantMspId', MspIdText],
                ['period', PeriodText],
            ],
            returns: InvoiceIds,
            transient: [['salt', SaltText]],
        },
        GetInvoice: { type: 'evaluate', description: 'An invoice.', callers: PARTIES_OR_AUDITOR, parameters: [['invoiceId', InvoiceIdText]], returns: Invoice },
        ListInvoices: {
            type: 'evaluate',
            description: "A page of a tenant's invoices, oldest period first; an operator sees only its own on each page.",
            callers: 'the tenant and auditors (all invoices); operators (their own)',
            parameters: [
                ['tenantMspId', MspIdText],
                ['pageSize', PageSize],
                ['bookmark', BookmarkText],
            ],
            returns: InvoicePage,
        },
        ListPeriodLines: {
            type: 'evaluate',
            description: 'The running totals of an open or closed period: what its invoice holds or will hold.',
            callers: PARTIES_OR_AUDITOR,
            parameters: [['invoiceId', InvoiceIdText]],
            returns: InvoiceLineList,
        },
        ListLineUsage: {
            type: 'evaluate',
            description: 'A page of the usage records of one line, in lineSeq order, so the tenant can recompute it (B5).',
            callers: PARTIES_OR_AUDITOR,
            parameters: [
                ['invoiceId', InvoiceIdText],
                ['lineId', LineIdText],
                ['pageSize', PageSize],
                ['bookmark', BookmarkText],
            ],
            returns: UsageRecordPage,
        },
        ListPeriodTenants: {
            type: 'evaluate',
            description: 'A page of the tenants the caller organisation has usage for in a period: whom to invoice.',
            callers: 'members of operator organisations',
            parameters: [
                ['period', PeriodText],
                ['pageSize', PageSize],
                ['bookmark', BookmarkText],
            ],
            returns: TenantPage,
        },
        GetPeriodLineCounts: {
            type: 'evaluate',
            description:
                "Every public line counter of a pair's period: per line (lineRef = SHA-256 of the line id), how many usage records it holds. Public data (docs/security/confidentiality.md), so an auditor can tell whether a disclosure of the records is complete.",
            callers: PARTIES_OR_AUDITOR,
            parameters: [['invoiceId', InvoiceIdText]],
            returns: LineCountList,
        },
        GetUsageRecordHashes: {
            type: 'evaluate',
            description: "The public hashes (Fabric's GetPrivateDataHash, answered by any peer) of usage records of a pair, empty where none is held (never written, or purged), so disclosed records can be checked without a peer in the collection.",
            callers: PARTIES_OR_AUDITOR,
            parameters: [
                ['invoiceId', InvoiceIdText],
                ['recordIds', UsageRecordIdList],
            ],
            returns: UsageRecordHashList,
        },
        DiscloseLineUsage: {
            type: 'evaluate',
            description: "A page of one line's usage records exactly as stored, salt included, in lineSeq order: what a party hands an auditor, whose SHA-256 is the public hash. NOT_FOUND for organisations outside the pair's collection.",
            callers: PARTIES_OR_AUDITOR,
            parameters: [
                ['invoiceId', InvoiceIdText],
                ['lineId', LineIdText],
                ['pageSize', PageSize],
                ['bookmark', BookmarkText],
            ],
            returns: StoredUsageRecordPage,
        },
        PurgeBillingRecords: {
            type: 'submit',
            description:
                "Purges the pair's private usage records, running lines and the sessions and CT operations they came from, of every period that starts at or after `from` and ends by the start of `before`; each must be invoiced with no dispute open (PERIOD_NOT_SETTLED). The first call by either party proposes it (event BillingPurgeProposed); the other party's same call carries it out (event BillingRecordsPurged). Hashes stay in the blocks; invoices and disputes are kept.",
            callers: 'the operator or the tenant organisation of the pair; the second call by the other one',
            parameters: [
                ['operatorMspId', MspIdText],
                ['tenantMspId', MspIdText],
                ['from', PeriodText],
                ['before', PeriodText],
            ],
            returns: BillingPurge,
        },
        RaiseDispute: {
            type: 'submit',
            description: 'Disputes some lines of an invoice, optionally citing an evidence record. Event: DisputeRaised. Private to the operator–tenant pair: the result and event carry ids only.',
            callers: 'the tenant organisation of the invoice',
            parameters: [['disputeId', DisputeId]],
            returns: DisputeIds,
            transient: [['request', RaiseDisputeRequest], ['salt', SaltText]],
        },
        ResolveDispute: {
            type: 'submit',
            description: 'Decides a dispute: accepted with a credit note, or rejected with a reason. Event: DisputeResolved. Private to the operator–tenant pair: the result and event carry ids only.',
            callers: "an auditor organisation that is neither party; the invoice's operator may only accept (concede)",
            parameters: [['disputeId', DisputeId]],
            returns: DisputeIds,
            transient: [['request', ResolveDisputeRequest], ['salt', SaltText]],
        },
        GetDispute: { type: 'evaluate', description: 'A dispute and its outcome.', callers: "the invoice's operator, its tenant and auditor organisations", parameters: [['disputeId', DisputeId]], returns: BillingDispute },
    },
};

/** Compute tokens (B8): accounts, issuer-only minting, transfers, escrow. */
export const TOKEN_CONTRACT: ContractSpec = {
    name: 'token',
    title: 'TokenContract',
    description: 'Compute token accounts, minting, transfers and escrow',
    transactions: {
        OpenAccount: {
            type: 'submit',
            description: "Opens an account owned by the caller, in its organisation's token collection; the public route names the organisation. Event: AccountOpened.",
            callers: ANY_MEMBER,
            parameters: [['request', OpenAccountRequest]],
            returns: AccountIds,
            transient: [['salt', SaltText]],
        },
        SetTaskKey: {
            type: 'submit',
            description: 'Registers or replaces the key that signs compute tasks for the account. Event: TaskKeySet.',
            callers: 'the owner of the account',
            parameters: [
                ['accountId', AccountId],
                ['publicKeyPem', PublicKeyPemText],
            ],
            returns: AccountIds,
            transient: [['account', TokenDisclosure], ['salt', SaltText]],
        },
        Mint: {
            type: 'submit',
            description: "Creates tokens in an account: a credit note in the owner's collection, the account itself unread. Event: TokensMinted.",
            callers: 'members of issuer organisations',
            parameters: [
                ['accountId', AccountId],
                ['amount', TokenAmountText],
            ],
            returns: AccountIds,
            transient: [['salt', SaltText]],
        },
        Transfer: {
            type: 'submit',
            description: "Moves tokens from the disclosed source account to a credit note of the destination. Event: TokensTransferred.",
            callers: 'the owner of the source account',
            parameters: [
                ['fromAccountId', AccountId],
                ['toAccountId', AccountId],
                ['amount', TokenAmountText],
            ],
            returns: AccountIds,
            transient: [['account', TokenDisclosure], ['salt', SaltText]],
        },
        GetAccount: { type: 'evaluate', description: 'A token account, its unspent credit notes folded into the balance.', callers: 'its owner and auditor organisations, through a peer of its collection', parameters: [['accountId', AccountId]], returns: TokenAccount },
        GetDisclosure: {
            type: 'evaluate',
            description: 'What the owner discloses to debit the account: the stored bytes of it and of its first unspent credit notes.',
            callers: 'the owner of the account, through a peer of its collection',
            parameters: [['accountId', AccountId]],
            returns: TokenDisclosure,
        },
        GetEscrow: { type: 'evaluate', description: 'An escrow.', callers: "a session's escrow: organisations of its pair and auditors; a purchase's: its buyer and seller, issuer and auditor organisations; otherwise the organisations owning its payer or payee account, issuer and auditor organisations", parameters: [['escrowId', EscrowId]], returns: Escrow },
        GetSupply: { type: 'evaluate', description: 'Total tokens ever minted.', callers: ANY_MEMBER, parameters: [], returns: TokenSupply },
    },
};

/** The shared-resource marketplace (B7). */
export const MARKETPLACE_CONTRACT: ContractSpec = {
    name: 'marketplace',
    title: 'MarketplaceContract',
    description: 'Shared-resource listings, purchases with escrow, ratings',
    transactions: {
        CreateListing: { type: 'submit', description: 'Lists a resource, paid into a token account the caller owns. Event: ListingCreated.', callers: ANY_MEMBER, parameters: [['request', CreateListingRequest]], returns: MarketListing },
        WithdrawListing: { type: 'submit', description: 'Takes a listing off the market; purchases already made continue. Event: ListingWithdrawn.', callers: 'the owner of the listing', parameters: [['listingId', ListingId]], returns: MarketListing },
        GetListing: { type: 'evaluate', description: 'A listing.', callers: ANY_MEMBER, parameters: [['listingId', ListingId]], returns: MarketListing },
        SearchListings: {
            type: 'evaluate',
            description: 'A page of active listings of one kind, or of every kind when kind is empty.',
            callers: ANY_MEMBER,
            parameters: [
                ['kind', ListingKindOrEmpty],
                ['pageSize', PageSize],
                ['bookmark', BookmarkText],
            ],
            returns: MarketListingPage,
        },
        PurchaseListing: {
            type: 'submit',
            description:
                'Buys up to units of a listing: their price goes into escrow from an account the buyer owns until the seller completes or the deadline passes. Event: ListingPurchased. Private to the seller\'s and buyer\'s pair collection (NO_PAIR_COLLECTION where they share none): the result and event carry ids only.',
            callers: 'any member but the owner of the listing, of an organisation that shares a pair collection with the seller\'s',
            parameters: [['purchaseId', PurchaseId]],
            returns: PurchaseIds,
            transient: [['request', PurchaseRequest], ['account', TokenDisclosure], ['salt', SaltText]],
        },
        DeliverAccess: {
            type: 'submit',
            description: "Releases the access information, encrypted for the buyer's key, before the deadline. Event: AccessDelivered. Private to the pair: the result and event carry ids only.",
            callers: 'the seller',
            parameters: [
                ['purchaseId', PurchaseId],
                ['envelope', AccessEnvelope],
            ],
            returns: PurchaseIds,
            transient: [['salt', SaltText]],
        },
        CompletePurchase: {
            type: 'submit',
            description: 'Records the units used: the escrow pays for them and refunds the rest. Event: PurchaseCompleted. Private to the pair: the result and event carry ids only.',
            callers: 'the seller',
            parameters: [['purchaseId', PurchaseId]],
            returns: PurchaseIds,
            transient: [['request', CompletePurchaseRequest], ['salt', SaltText]],
        },
        RefundPurchase: {
            type: 'submit',
            description: 'Refunds the whole escrow: by the buyer before delivery, or by the buyer, the seller or an auditor once the deadline and its grace period have passed. Event: PurchaseRefunded. Private to the pair: the result and event carry ids only.',
            callers: 'the buyer before delivery; the buyer, the seller and auditor organisations after the deadline and grace period',
            parameters: [['purchaseId', PurchaseId]],
            returns: PurchaseIds,
            transient: [['salt', SaltText]],
        },
        RatePurchase: {
            type: 'submit',
            description:
                'Rates the provider 1 to 5 after a completed, paid purchase; once per buyer organisation and provider, weighted by what was paid. The rating value and weight are public, the buyer is not: the public rating carries a salted commitment to the purchase. Event: ProviderRated.',
            callers: "the buyer, never from the provider's own organisation",
            parameters: [
                ['purchaseId', PurchaseId],
                ['rating', RatingText],
            ],
            returns: ProviderReputation,
            transient: [['salt', SaltText]],
        },
        GetPurchase: { type: 'evaluate', description: 'A purchase.', callers: 'its buyer, its seller and auditor organisations', parameters: [['purchaseId', PurchaseId]], returns: MarketPurchase },
        GetReputation: { type: 'evaluate', description: "A provider's reputation (zero ratings if it has none yet).", callers: ANY_MEMBER, parameters: [['providerId', ProviderId]], returns: ProviderReputation },
    },
};

/** The five contracts of the resource billing chaincode, in the order the chaincode loads them. */
export const RESOURCE_BILLING_CONTRACTS: readonly ContractSpec[] = [BILLING_CONTRACT, SETTLEMENT_CONTRACT, TOKEN_CONTRACT, MARKETPLACE_CONTRACT, COMPUTE_EXCHANGE_CONTRACT];
