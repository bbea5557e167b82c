// The resource-billing chaincode's requests and records: the schema package's types, defined once beside the
// schemas the chaincode validates with (chaincode/schemas/src/billing). Amounts are integer minor units (tokens
// for escrow); times UTC ISO-8601.
export type {
    AccessEnvelope,
    BillingCycle,
    BillingDispute,
    BillingRole,
    ClosedSession,
    ComputeTask,
    CreateListingRequest,
    CreditNote,
    CtOperationProposal,
    CtOperationRequest,
    DeclinedSession,
    DisputeResolution,
    EdgeResource,
    EdgeSite,
    Escrow,
    ExpiredSession,
    Invoice,
    InvoiceLine,
    LineCredit,
    ListingKind,
    MarketListing,
    MarketPurchase,
    MeterUnit,
    Page,
    PricePlan,
    PricePlanTerms,
    ProviderReputation,
    PurchaseRequest,
    RaiseDisputeRequest,
    RegisterResourceRequest,
    RegisterSiteRequest,
    ResolveDisputeRequest,
    ResourceKind,
    RoleGrant,
    SessionPayment,
    SessionPaymentRequest,
    SessionStatus,
    StartSessionRequest,
    StopMeters,
    StoppedSession,
    StopProposal,
    TokenAccount,
    TokenSupply,
    UsageRecord,
    UsageSession,
} from '@edgetrust/schemas';

/** Paging options of list queries (a client-side shape: the chaincode takes them as two text arguments). */
export interface PageOptions {
    /** 1 to 1000 (default 100). */
    pageSize?: number;
    /** From a previous page; empty for the first. */
    bookmark?: string;
}
