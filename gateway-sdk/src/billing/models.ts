// Typed mirrors of the resource-billing chaincode's JSON. Amounts are integer minor units (tokens for escrow).

/** An organisation role held as chaincode data. */
export type BillingRole = 'governor' | 'operator' | 'tenant' | 'auditor' | 'issuer' | 'ct-entity';

/** One organisation holding one role. */
export interface RoleGrant {
    mspId: string;
    role: BillingRole;
    grantedByMspId: string;
    grantedById: string;
    grantedAt: string;
    txId: string;
}

/** One page of a paginated query; `bookmark` is empty when there is nothing more. */
export interface BillingPage<T> {
    records: T[];
    bookmark: string;
    fetchedRecordsCount: number;
}

/** Paging options of list queries. */
export interface PageOptions {
    /** 1 to 1000 (default 100). */
    pageSize?: number;
    /** From a previous page; empty for the first. */
    bookmark?: string;
}

/** What a plan charges for. */
export type MeterUnit = 'second' | 'call' | 'gb';

/**
 * How often a plan's invoice-settled usage is settled. A period is the UTC ISO-8601 prefix of the
 * cycle's length: `2026-11` (month, the default), `2026-11-22`, `2026-11-22T09`, `2026-11-22T09:15`.
 */
export type BillingCycle = 'month' | 'day' | 'hour' | 'minute';

/** The priced part of a plan: `rate` in minor units per second, per call or per GB (10^9 bytes). */
export interface PricePlanTerms {
    unit: MeterUnit;
    rate: number;
    /** Absent means monthly. */
    cycle?: BillingCycle;
}

/** One immutable version of a resource's price plan. */
export interface PricePlan extends PricePlanTerms {
    resourceId: string;
    version: number;
    publishedAt: string;
    publishedByMspId: string;
    txId: string;
}

/** What a site may offer: compute, network capabilities and CT operations. */
export type ResourceKind =
    | 'compute'
    | 'storage'
    | 'gpu'
    | 'fpga'
    | 'location'
    | 'sms'
    | 'qos'
    | 'traffic-steering'
    | 'routing-policy'
    | 'capability-call'
    | 'user-plane';

/** Registration of an edge site. */
export interface RegisterSiteRequest {
    siteId: string;
    name: string;
    location: string;
}

/** An edge site of an operator. */
export interface EdgeSite extends RegisterSiteRequest {
    operatorMspId: string;
    registeredAt: string;
    txId: string;
}

/** Registration of a resource with version 1 of its price plan. */
export interface RegisterResourceRequest {
    resourceId: string;
    siteId: string;
    kind: ResourceKind;
    name: string;
    description?: string;
    attributes?: Record<string, string>;
    /** Token account (of the operator) paid for token-settled sessions. */
    payeeAccountId?: string;
    plan: PricePlanTerms;
}

/** A resource or capability of a site. */
export interface EdgeResource extends Omit<RegisterResourceRequest, 'plan' | 'attributes'> {
    attributes: Record<string, string>;
    operatorMspId: string;
    planVersion: number;
    registeredAt: string;
    txId: string;
}

/** A token budget for a session. */
export interface SessionPaymentRequest {
    accountId: string;
    budget: number;
    /** ISO-8601 UTC; after it anyone may refund the budget. */
    deadline: string;
}

/**
 * Proposal of a usage session: it bills nothing until the other organisation accepts it
 * (`acceptSession`), except when the operator submits the tenant's signed compute task.
 */
export interface StartSessionRequest {
    sessionId: string;
    resourceId: string;
    appId: string;
    /** Needed when the operator starts the session for a tenant. */
    tenantMspId?: string;
    /** The plan version agreed to; refused if the resource has moved on. */
    planVersion?: number;
    payment?: SessionPaymentRequest;
    /** Base64 DER ECDSA signature of the compute task; see {@link ComputeTask}. */
    signature?: string;
}

/** The escrow part of a token-paid session. */
export interface SessionPayment extends SessionPaymentRequest {
    escrowId: string;
    signedTask: boolean;
}

/**
 * A session's state: `proposed` until the other party accepts, `active` while billed, `stopping`
 * while a metered reading awaits the other party's confirmation, then `closed`, `expired` or `declined`.
 */
export type SessionStatus = 'proposed' | 'active' | 'stopping' | 'closed' | 'expired' | 'declined';

/** A metered session's stop reading, until the other party confirms it. */
export interface StopProposal {
    quantity: number;
    stoppedAt: string;
    proposedByMspId: string;
    proposedById: string;
    txId: string;
}

/** A resource allocated to a tenant's application. */
export interface UsageSession {
    sessionId: string;
    resourceId: string;
    siteId: string;
    operatorMspId: string;
    tenantMspId: string;
    appId: string;
    planVersion: number;
    unit: MeterUnit;
    rate: number;
    /** The plan's settlement cycle when it is not monthly. */
    cycle?: BillingCycle;
    status: SessionStatus;
    /** The organisation whose acceptance a proposed session or a stop reading waits for. */
    awaitingMspId?: string;
    proposedAt: string;
    /** The proposer. */
    startedByMspId: string;
    startedById: string;
    startTxId: string;
    /** When both parties had agreed; billing runs from here. */
    startedAt?: string;
    acceptedByMspId?: string;
    acceptedById?: string;
    acceptTxId?: string;
    stopProposal?: StopProposal;
    stoppedAt?: string;
    stoppedByMspId?: string;
    stoppedById?: string;
    stopTxId?: string;
    usageRecordId?: string;
    payment?: SessionPayment;
}

/**
 * The compute task a requester signs (B9): the signed bytes are the UTF-8 canonical JSON of these
 * eight fields (keys sorted, no whitespace), ECDSA P-256 over SHA-256, DER signature in base64.
 */
export interface ComputeTask {
    sessionId: string;
    resourceId: string;
    tenantMspId: string;
    appId: string;
    planVersion: number;
    accountId: string;
    budget: number;
    /** ISO-8601 UTC as `Date.toISOString()` writes it. */
    deadline: string;
}

/** Meter readings at stop: calls for per-call plans, bytes for per-GB plans, none for per-second. */
export interface StopMeters {
    calls?: number;
    bytes?: number;
}

/** A CT entity's report of operations for an IT application; billed once the tenant accepts it. */
export interface CtOperationRequest {
    operationId: string;
    resourceId: string;
    tenantMspId: string;
    appId: string;
    calls?: number;
    bytes?: number;
}

/** A reported CT operation, priced when reported; a usage record only once the tenant accepted it. */
export interface CtOperationProposal {
    operationId: string;
    resourceId: string;
    operationKind: string;
    operatorMspId: string;
    tenantMspId: string;
    appId: string;
    planVersion: number;
    unit: MeterUnit;
    rate: number;
    cycle?: BillingCycle;
    quantity: number;
    status: 'proposed' | 'accepted' | 'declined';
    awaitingMspId?: string;
    proposedAt: string;
    proposedByMspId: string;
    proposedById: string;
    txId: string;
    decidedAt?: string;
    decidedByMspId?: string;
    decideTxId?: string;
    usageRecordId?: string;
}

/** One metered use, priced on chain. */
export interface UsageRecord {
    recordId: string;
    source: 'session' | 'ct-operation';
    sessionId?: string;
    operationId?: string;
    operationKind?: string;
    operatorMspId: string;
    tenantMspId: string;
    appId: string;
    resourceId: string;
    planVersion: number;
    unit: MeterUnit;
    rate: number;
    quantity: number;
    amount: number;
    startedAt?: string;
    stoppedAt?: string;
    recordedAt: string;
    recordedByMspId: string;
    period: string;
    settlement: 'invoice' | 'token';
    lineId?: string;
    lineSeq?: number;
    charged?: number;
    txId: string;
}

/** The outcome of a stop: closed with its usage, or (metered sessions) `stopping` until the other party confirms. */
export interface StoppedSession {
    session: UsageSession;
    usage?: UsageRecord;
}

/** A session closed with its agreed usage. */
export interface ClosedSession {
    session: UsageSession;
    usage: UsageRecord;
}

/** A running total that becomes an invoice line at close. */
export interface InvoiceLine {
    /** `resourceId|planVersion|appId`. */
    lineId: string;
    operatorMspId: string;
    tenantMspId: string;
    period: string;
    resourceId: string;
    planVersion: number;
    appId: string;
    unit: MeterUnit;
    rate: number;
    quantity: number;
    amount: number;
    recordCount: number;
    recordsDigest: string;
    disputeId?: string;
}

/** One operator's invoice to one tenant for one period (a calendar month unless the plans use a shorter cycle). */
export interface Invoice {
    /** `operatorMspId|tenantMspId|period`, e.g. `EdgeOrgMSP|CloudOrgMSP|2026-11`. */
    invoiceId: string;
    operatorMspId: string;
    tenantMspId: string;
    period: string;
    lines: InvoiceLine[];
    total: number;
    creditTotal: number;
    amountDue: number;
    status: 'issued' | 'disputed';
    openDisputes: number;
    issuedAt: string;
    issuedById: string;
    txId: string;
}

/** A tenant's objection to invoice lines. */
export interface RaiseDisputeRequest {
    disputeId: string;
    invoiceId: string;
    lineIds: string[];
    reason: string;
    /** An evidence chaincode record supporting the dispute. */
    evidenceId?: string;
}

/** The operator's decision on a dispute. */
export interface ResolveDisputeRequest {
    outcome: 'accepted' | 'rejected';
    /** Required when rejecting. */
    reason?: string;
    /** Accepted only; default: each disputed line credited in full. */
    credits?: { lineId: string; amount: number }[];
}

/** A credit granted on an accepted dispute. */
export interface CreditNote {
    creditNoteId: string;
    invoiceId: string;
    disputeId: string;
    amount: number;
    lines: { lineId: string; amount: number }[];
    issuedAt: string;
    txId: string;
}

/** A dispute and its outcome. */
export interface BillingDispute extends RaiseDisputeRequest {
    operatorMspId: string;
    tenantMspId: string;
    status: 'open' | 'accepted' | 'rejected';
    raisedAt: string;
    raisedById: string;
    txId: string;
    resolution?: {
        outcome: 'accepted' | 'rejected';
        reason?: string;
        creditNote?: CreditNote;
        resolvedAt: string;
        /** An auditor organisation, or the invoice's operator conceding. */
        resolvedByMspId: string;
        resolvedById: string;
        txId: string;
    };
}

/** A compute-token account. */
export interface TokenAccount {
    accountId: string;
    ownerMspId: string;
    ownerId: string;
    balance: number;
    /** SPKI PEM of the P-256 key that signs compute tasks. */
    taskKey?: string;
    openedAt: string;
    txId: string;
}

/** Tokens held by the contract for a session or a purchase. */
export interface Escrow {
    escrowId: string;
    purpose: 'session' | 'purchase';
    referenceId: string;
    payerAccountId: string;
    payeeAccountId: string;
    amount: number;
    deadline: string;
    status: 'held' | 'released' | 'refunded';
    paid?: number;
    refunded?: number;
    createdAt: string;
    closedAt?: string;
    txId: string;
}

/** Everything minted. */
export interface TokenSupply {
    minted: number;
}

/** What a marketplace listing offers. */
export type ListingKind = 'device' | 'compute' | 'storage' | 'gpu' | 'fpga' | 'network' | 'data';

/** A new listing. */
export interface CreateListingRequest {
    listingId: string;
    kind: ListingKind;
    title: string;
    description?: string;
    config?: Record<string, string>;
    unit: string;
    unitPrice: number;
    payeeAccountId: string;
}

/** A listing on the marketplace. */
export interface MarketListing extends Omit<CreateListingRequest, 'config'> {
    config: Record<string, string>;
    ownerMspId: string;
    ownerId: string;
    providerId: string;
    status: 'active' | 'withdrawn';
    createdAt: string;
    txId: string;
}

/** Access information encrypted for the buyer; see `encryptAccessInfo`. */
export interface AccessEnvelope {
    algorithm: 'ECDH-ES-P256+HKDF-SHA256+A256GCM';
    /** Ephemeral P-256 public key, SPKI DER, base64. */
    ephemeralPublicKey: string;
    iv: string;
    ciphertext: string;
    tag: string;
}

/** A purchase request. */
export interface PurchaseRequest {
    purchaseId: string;
    listingId: string;
    buyerAccountId: string;
    units: number;
    deadline: string;
    /** The buyer's P-256 public key (SPKI PEM) that access information is encrypted for. */
    encryptionKey: string;
}

/** A purchase from escrow to rating. */
export interface MarketPurchase {
    purchaseId: string;
    listingId: string;
    sellerMspId: string;
    sellerId: string;
    providerId: string;
    buyerMspId: string;
    buyerId: string;
    buyerAccountId: string;
    payeeAccountId: string;
    encryptionKey: string;
    unitPrice: number;
    units: number;
    escrowId: string;
    deadline: string;
    status: 'paid' | 'delivered' | 'completed' | 'refunded';
    accessEnvelope?: AccessEnvelope;
    deliveredAt?: string;
    usedUnits?: number;
    paid?: number;
    refunded?: number;
    closedAt?: string;
    rating?: number;
    ratedAt?: string;
    createdAt: string;
    txId: string;
}

/**
 * A provider's ratings from paid purchases: one per buyer organisation, weighted by what it paid;
 * the weighted average is weightedRatingSum / paidTotal.
 */
export interface ProviderReputation {
    providerId: string;
    ratingCount: number;
    ratingSum: number;
    paidTotal: number;
    weightedRatingSum: number;
}
