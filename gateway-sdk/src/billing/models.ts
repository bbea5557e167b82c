// The resource-billing chaincode's requests and records: the schema package's types, defined once beside the
// schemas the chaincode validates with (chaincode/schemas/src/billing). Amounts are integer minor units (tokens
// for escrow); times UTC ISO-8601.
export {
    type AccessEnvelope,
    BILLING_CYCLES,
    BILLING_EVENTS,
    BILLING_ROLES,
    type BillingCycle,
    type BillingDispute,
    BillingErrorCode,
    type BillingEventName,
    type BillingRole,
    type ClosedSession,
    type ComputeTask,
    type CreateListingRequest,
    type CreditNote,
    type CtOperationProposal,
    type CtOperationRequest,
    type DeclinedSession,
    type DisputeResolution,
    type EdgeResource,
    type EdgeSite,
    type Escrow,
    type ExpiredSession,
    type Invoice,
    type InvoiceLine,
    type LineCredit,
    LISTING_KINDS,
    type ListingKind,
    type MarketListing,
    type MarketPurchase,
    METER_UNITS,
    type MeterUnit,
    type Page,
    type PricePlan,
    type PricePlanTerms,
    type ProviderReputation,
    type PurchaseRequest,
    type RaiseDisputeRequest,
    type RegisterResourceRequest,
    type RegisterSiteRequest,
    type ResolveDisputeRequest,
    RESOURCE_KINDS,
    type ResourceKind,
    type RoleGrant,
    type SessionPayment,
    type SessionPaymentRequest,
    type SessionStatus,
    type StartSessionRequest,
    type StopMeters,
    type StoppedSession,
    type StopProposal,
    type AccountIds,
    type TokenAccount,
    type TokenDisclosure,
    type TokenSupply,
    type UsageRecord,
    type UsageSession,
} from '@edgetrust/schemas';

/** Paging options of list queries (a client-side shape: the chaincode takes them as two text arguments). */
export interface PageOptions {
    /** 1 to 1000 (default 100). */
    pageSize?: number;
    /** From a previous page; empty for the first. */
    bookmark?: string;
}
