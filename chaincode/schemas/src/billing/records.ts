import { Type, type Static, type TInteger, type TString } from '@sinclair/typebox';
import { Page } from '../page';
import { Digest, Identifier, MspId, Text, UtcInstant } from '../primitives';
import {
    BillingCycle,
    BillingRole,
    CtOperationStatus,
    DisputeOutcome,
    DisputeStatus,
    EscrowPurpose,
    EscrowStatus,
    InvoiceStatus,
    ListingKind,
    ListingStatus,
    MeterUnit,
    PurchaseStatus,
    ResourceKind,
    SessionStatus,
    Settlement,
    UsageSource,
} from './enums';
import { AccessEnvelope, Attributes, InvoiceId, LineCredit, LineId, Period, PricePlanTerms, RegisterSiteRequest } from './requests';

/*
 * Everything the resource billing chaincode stores and returns. The chaincode sets every field (clients send
 * requests.ts); times are UTC ISO-8601 with milliseconds, amounts integer minor units (tokens for escrow).
 */

const TxId = (description = 'the Fabric transaction id'): TString => Type.String({ description });
const IdentityId = (description = 'X.509 identity of the caller (subject and issuer)'): TString => Type.String({ description });
const Amount = (description?: string): TInteger =>
    Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, ...(description === undefined ? {} : { description }) });
const PlanVersion = Type.Integer({ minimum: 1, description: 'price plan version' });

/** One organisation holding one role. */
export const RoleGrant = Type.Object(
    { mspId: MspId(), role: BillingRole, grantedByMspId: MspId(), grantedById: IdentityId(), grantedAt: UtcInstant(), txId: TxId() },
    { $id: 'RoleGrant' },
);
export type RoleGrant = Static<typeof RoleGrant>;

/** Every role grant (ListRoles). */
export const RoleGrantList = Type.Array(RoleGrant, { $id: 'RoleGrantList' });

/** An edge site of a MEC platform operator. */
export const EdgeSite = Type.Composite([RegisterSiteRequest, Type.Object({ operatorMspId: MspId(), registeredAt: UtcInstant(), txId: TxId() })], { $id: 'EdgeSite' });
export type EdgeSite = Static<typeof EdgeSite>;

/** A resource or capability of an edge site, with the version of its current price plan. */
export const EdgeResource = Type.Object(
    {
        resourceId: Identifier(),
        siteId: Identifier(),
        kind: ResourceKind,
        name: Text(),
        description: Type.Optional(Text(1024)),
        attributes: Attributes('what the resource is'),
        operatorMspId: MspId(),
        payeeAccountId: Type.Optional(Identifier(128, 'token account paid for token-settled sessions; without one, sessions are invoiced only')),
        planVersion: PlanVersion,
        registeredAt: UtcInstant(),
        txId: TxId(),
    },
    { $id: 'EdgeResource' },
);
export type EdgeResource = Static<typeof EdgeResource>;

/** A page of a site's resources. */
export const EdgeResourcePage = Page(EdgeResource, { $id: 'EdgeResourcePage' });

/** One version of a resource's price plan: never changed once published; sessions and records keep theirs. */
export const PricePlan = Type.Composite(
    [PricePlanTerms, Type.Object({ resourceId: Identifier(), version: PlanVersion, publishedAt: UtcInstant(), publishedByMspId: MspId(), txId: TxId() })],
    { $id: 'PricePlan' },
);
export type PricePlan = Static<typeof PricePlan>;

/** Who uses which resource at which price: the terms every session, CT operation and metered use carries. */
const PricedUseFields = {
    resourceId: Identifier(),
    operatorMspId: MspId(),
    tenantMspId: MspId(),
    appId: Identifier(),
    planVersion: PlanVersion,
    unit: MeterUnit,
    rate: Amount('minor units per unit'),
    cycle: Type.Optional(BillingCycle),
};
export const PricedUse = Type.Object(PricedUseFields, { $id: 'PricedUse' });
export type PricedUse = Static<typeof PricedUse>;

/** A token budget held in escrow for a session, paid to the resource's payee at stop. */
export const SessionPayment = Type.Object(
    {
        accountId: Identifier(),
        budget: Amount(),
        deadline: UtcInstant(),
        escrowId: Identifier(),
        signedTask: Type.Boolean({ description: 'true when the payer authorised the escrow with a signed compute task (B9)' }),
    },
    { $id: 'SessionPayment' },
);
export type SessionPayment = Static<typeof SessionPayment>;

/** A stop reading one party gave; the usage is recorded when the other party confirms it. */
export const StopProposal = Type.Object(
    { quantity: Amount(), stoppedAt: UtcInstant(), proposedByMspId: MspId(), proposedById: IdentityId(), txId: TxId() },
    { $id: 'StopProposal' },
);
export type StopProposal = Static<typeof StopProposal>;

/** A resource allocated to an application of a tenant, from start to stop (B2). */
export const UsageSession = Type.Object(
    {
        sessionId: Identifier(),
        ...PricedUseFields,
        siteId: Identifier(),
        status: SessionStatus,
        awaitingMspId: Type.Optional(MspId('the organisation whose acceptance a proposed session or a stop reading waits for')),
        proposedAt: UtcInstant(),
        startedByMspId: MspId('the proposer: the tenant for itself, or the operator on its behalf'),
        startedById: IdentityId(),
        startTxId: TxId(),
        startedAt: Type.Optional(UtcInstant('when both parties agreed; billing runs from here')),
        acceptedByMspId: Type.Optional(MspId()),
        acceptedById: Type.Optional(IdentityId()),
        acceptTxId: Type.Optional(TxId()),
        stopProposal: Type.Optional(StopProposal),
        stoppedAt: Type.Optional(UtcInstant()),
        stoppedByMspId: Type.Optional(MspId()),
        stoppedById: Type.Optional(IdentityId()),
        stopTxId: Type.Optional(TxId()),
        usageRecordId: Type.Optional(Text(140)),
        payment: Type.Optional(SessionPayment),
    },
    { $id: 'UsageSession' },
);
export type UsageSession = Static<typeof UsageSession>;

/**
 * One metered use, priced on chain when it was recorded (B3). Invoice-settled records belong to one invoice line
 * and carry their position in it (`lineSeq`), so the tenant can replay the line's running total and digest.
 */
export const UsageRecord = Type.Object(
    {
        recordId: Text(140, 'session:<sessionId> or ct:<operationId>'),
        source: UsageSource,
        sessionId: Type.Optional(Identifier()),
        operationId: Type.Optional(Identifier()),
        operationKind: Type.Optional(ResourceKind),
        operatorMspId: MspId(),
        tenantMspId: MspId(),
        appId: Identifier(),
        resourceId: Identifier(),
        planVersion: PlanVersion,
        unit: MeterUnit,
        rate: Amount(),
        quantity: Amount('seconds, calls or bytes'),
        amount: Amount('meteredAmount(unit, rate, quantity)'),
        startedAt: Type.Optional(UtcInstant()),
        stoppedAt: Type.Optional(UtcInstant()),
        recordedAt: UtcInstant(),
        recordedByMspId: MspId(),
        period: Period(),
        settlement: Settlement,
        lineId: Type.Optional(LineId()),
        lineSeq: Type.Optional(Type.Integer({ minimum: 1, description: 'position in the line' })),
        charged: Type.Optional(Amount('token-settled only: what the escrow paid (the amount, capped by the budget)')),
        txId: TxId(),
    },
    { $id: 'UsageRecord' },
);
export type UsageRecord = Static<typeof UsageRecord>;

/** A page of a line's usage records, in lineSeq order. */
export const UsageRecordPage = Page(UsageRecord, { $id: 'UsageRecordPage' });

/** A CT operation a ct-entity reported, priced at the plan version current then; a usage record once the tenant accepts it. */
export const CtOperationProposal = Type.Object(
    {
        operationId: Identifier(),
        ...PricedUseFields,
        operationKind: ResourceKind,
        quantity: Amount('calls or bytes'),
        status: CtOperationStatus,
        awaitingMspId: Type.Optional(MspId()),
        proposedAt: UtcInstant(),
        proposedByMspId: MspId(),
        proposedById: IdentityId(),
        txId: TxId(),
        decidedAt: Type.Optional(UtcInstant()),
        decidedByMspId: Type.Optional(MspId()),
        decideTxId: Type.Optional(TxId()),
        usageRecordId: Type.Optional(Text(140)),
    },
    { $id: 'CtOperationProposal' },
);
export type CtOperationProposal = Static<typeof CtOperationProposal>;

/**
 * A running total of one tenant's usage of one resource at one plan version by one application in one period;
 * it becomes an invoice line as it stands when the period is closed (B4).
 */
export const InvoiceLine = Type.Object(
    {
        lineId: LineId(),
        operatorMspId: MspId(),
        tenantMspId: MspId(),
        period: Period(),
        resourceId: Identifier(),
        planVersion: PlanVersion,
        appId: Identifier(),
        unit: MeterUnit,
        rate: Amount(),
        quantity: Amount(),
        amount: Amount(),
        recordCount: Type.Integer({ minimum: 0 }),
        recordsDigest: Digest('chained digest of the records in lineSeq order (chainLineDigest)'),
        disputeId: Type.Optional(Identifier(128, 'the dispute naming this line')),
    },
    { $id: 'InvoiceLine' },
);
export type InvoiceLine = Static<typeof InvoiceLine>;

/** The running totals of a period (ListPeriodLines). */
export const InvoiceLineList = Type.Array(InvoiceLine, { $id: 'InvoiceLineList' });

/** One operator's invoice to one tenant for one period. */
export const Invoice = Type.Object(
    {
        invoiceId: InvoiceId(),
        operatorMspId: MspId(),
        tenantMspId: MspId(),
        period: Period(),
        lines: Type.Array(InvoiceLine),
        total: Amount(),
        creditTotal: Amount(),
        amountDue: Amount('total less credits'),
        status: InvoiceStatus,
        openDisputes: Type.Integer({ minimum: 0 }),
        issuedAt: UtcInstant(),
        issuedById: IdentityId(),
        txId: TxId(),
    },
    { $id: 'Invoice' },
);
export type Invoice = Static<typeof Invoice>;

/** A page of a tenant's invoices, oldest period first. */
export const InvoicePage = Page(Invoice, { $id: 'InvoicePage' });

/** A page of the tenants an operator has usage for in a period. */
export const TenantPage = Page(MspId(), { $id: 'TenantPage' });

/** A credit the operator grants when it accepts a dispute; it lowers the invoice's amount due. */
export const CreditNote = Type.Object(
    { creditNoteId: Text(140), invoiceId: InvoiceId(), disputeId: Identifier(), amount: Amount(), lines: Type.Array(LineCredit), issuedAt: UtcInstant(), txId: TxId() },
    { $id: 'CreditNote' },
);
export type CreditNote = Static<typeof CreditNote>;

/** The decision on a dispute. */
export const DisputeResolution = Type.Object(
    {
        outcome: DisputeOutcome,
        reason: Type.Optional(Text(1024)),
        creditNote: Type.Optional(CreditNote),
        resolvedAt: UtcInstant(),
        resolvedByMspId: MspId('an auditor organisation, or the invoice operator conceding'),
        resolvedById: IdentityId(),
        txId: TxId(),
    },
    { $id: 'DisputeResolution' },
);
export type DisputeResolution = Static<typeof DisputeResolution>;

/** A tenant's objection to some lines of an invoice, and the decision: an auditor's, or the operator's concession (B5). */
/**
 * A cited evidence record as the evidence chaincode answered when it was cited (issue 17): it existed and was not
 * revoked then. A later revocation does not change this; the evidence chaincode's history tells it.
 */
export const CitedEvidence = Type.Object(
    {
        evidenceId: Identifier(),
        digest: Digest("the record's digest"),
        kind: Identifier(64, 'the kind of record'),
        status: Type.Literal('active', { description: 'never revoked at the time of the check' }),
        anchoredAt: UtcInstant(),
        anchoredByMspId: MspId('the organisation that anchored the record'),
        sourceProven: Type.Boolean({ description: "true when the record's source signed it (a device capture checked against device identity)" }),
        checkedAt: UtcInstant('the transaction time of the check'),
    },
    { $id: 'CitedEvidence' },
);
export type CitedEvidence = Static<typeof CitedEvidence>;

export const BillingDispute = Type.Object(
    {
        disputeId: Identifier(),
        invoiceId: InvoiceId(),
        operatorMspId: MspId(),
        tenantMspId: MspId(),
        lineIds: Type.Array(LineId(), { description: 'sorted, each once' }),
        reason: Text(1024),
        evidenceId: Type.Optional(Identifier(128, 'an evidence chaincode record the tenant cites')),
        citedEvidence: Type.Optional(CitedEvidence),
        status: DisputeStatus,
        raisedAt: UtcInstant(),
        raisedById: IdentityId(),
        txId: TxId(),
        resolution: Type.Optional(DisputeResolution),
    },
    { $id: 'BillingDispute' },
);
export type BillingDispute = Static<typeof BillingDispute>;

/** A compute-token balance owned by one identity (B8). */
export const TokenAccount = Type.Object(
    {
        accountId: Identifier(),
        ownerMspId: MspId(),
        ownerId: IdentityId(),
        balance: Amount('tokens'),
        taskKey: Type.Optional(Text(1024, 'P-256 public key (SPKI PEM) that signs compute tasks paid from this account (B9)')),
        openedAt: UtcInstant(),
        txId: TxId(),
    },
    { $id: 'TokenAccount' },
);
export type TokenAccount = Static<typeof TokenAccount>;

/** Tokens taken from a payer and held by the contract until they are paid out or refunded. */
export const Escrow = Type.Object(
    {
        escrowId: Text(140, '<purpose>:<referenceId>'),
        purpose: EscrowPurpose,
        referenceId: Identifier(),
        payerAccountId: Identifier(),
        payeeAccountId: Identifier(),
        amount: Amount('tokens'),
        deadline: UtcInstant(),
        status: EscrowStatus,
        paid: Type.Optional(Amount()),
        refunded: Type.Optional(Amount()),
        createdAt: UtcInstant(),
        closedAt: Type.Optional(UtcInstant()),
        txId: TxId(),
    },
    { $id: 'Escrow' },
);
export type Escrow = Static<typeof Escrow>;

/**
 * A credit to a token account, appended to its owner's collection by whoever pays it (a mint, a transfer, an escrow's
 * payout or refund) without reading the account; the owner's next debit folds it into the balance and deletes it.
 * Its key is (accountId, txId, index), so every endorser of the crediting transaction writes the same record.
 */
export const TokenCreditNote = Type.Object(
    {
        accountId: Identifier(),
        amount: Amount('tokens'),
        txId: TxId(),
        index: Type.Integer({ minimum: 0, description: 'position among the notes the transaction appended' }),
    },
    { $id: 'TokenCreditNote' },
);
export type TokenCreditNote = Static<typeof TokenCreditNote>;

/**
 * What the owner of a token account discloses to the endorsers of a debit (transient map entry `account`): the exact
 * stored bytes (base64, salt included) of the account and of the unspent credit notes it folds in. Every endorser,
 * member of the owner's collection or not, checks each against Fabric's hash of the stored value.
 */
export const TokenDisclosure = Type.Object(
    {
        accountId: Identifier(),
        account: Type.String({ description: 'the stored account record, base64' }),
        notes: Type.Array(Type.String({ description: 'a stored credit note, base64' }), { maxItems: 100 }),
    },
    { $id: 'TokenDisclosure', additionalProperties: false },
);
export type TokenDisclosure = Static<typeof TokenDisclosure>;

/** A token transaction's result and event: account ids only, never a balance. */
export const AccountIds = Type.Object(
    { accountId: Type.String(), toAccountId: Type.Optional(Type.String()), ownerMspId: Type.Optional(Type.String()), amount: Type.Optional(Amount('tokens minted (public: the supply says it)')) },
    { $id: 'AccountIds', additionalProperties: false },
);
export type AccountIds = Static<typeof AccountIds>;

/** Everything ever minted; invariant: minted = Σ balances + Σ unspent credit notes + Σ held escrow. */
export const TokenSupply = Type.Object({ minted: Amount('tokens') }, { $id: 'TokenSupply' });
export type TokenSupply = Static<typeof TokenSupply>;

/** What DeclineSession returns: the session, and the refunded escrow of a paid one. */
export const DeclinedSession = Type.Object({ session: UsageSession, escrow: Type.Optional(Escrow) }, { $id: 'DeclinedSession' });
export type DeclinedSession = Static<typeof DeclinedSession>;

/** What StopSession returns: closed with its usage, or (metered sessions) `stopping` until the other party confirms. */
export const StoppedSession = Type.Object({ session: UsageSession, usage: Type.Optional(UsageRecord) }, { $id: 'StoppedSession' });
export type StoppedSession = Static<typeof StoppedSession>;

/** A session closed with its agreed usage (ConfirmStop). */
export const ClosedSession = Type.Object({ session: UsageSession, usage: UsageRecord }, { $id: 'ClosedSession' });
export type ClosedSession = Static<typeof ClosedSession>;

/** What RefundExpiredSession returns: the expired session, its settled escrow and, for a running per-second session, its usage to the deadline. */
export const ExpiredSession = Type.Object({ session: UsageSession, escrow: Escrow, usage: Type.Optional(UsageRecord) }, { $id: 'ExpiredSession' });
export type ExpiredSession = Static<typeof ExpiredSession>;

/** A shared resource offered by its owner (B7); the access information is never listed, only delivered. */
export const MarketListing = Type.Object(
    {
        listingId: Identifier(),
        kind: ListingKind,
        title: Text(),
        description: Type.Optional(Text(2048)),
        config: Attributes('public configuration of what is offered'),
        unit: Identifier(32, 'what one unit is'),
        unitPrice: Amount('tokens per unit'),
        payeeAccountId: Identifier(),
        ownerMspId: MspId(),
        ownerId: IdentityId(),
        providerId: Digest('sha256 of "mspId\\nX.509 id" of the owner, so listings need not expose certificates'),
        status: ListingStatus,
        createdAt: UtcInstant(),
        txId: TxId(),
    },
    { $id: 'MarketListing' },
);
export type MarketListing = Static<typeof MarketListing>;

/** A page of active listings. */
export const MarketListingPage = Page(MarketListing, { $id: 'MarketListingPage' });

/** One buyer's purchase of a listing, from escrow to rating; private data of the seller's and buyer's pair collection. */
export const MarketPurchase = Type.Object(
    {
        purchaseId: Identifier(),
        listingId: Identifier(),
        sellerMspId: MspId(),
        sellerId: IdentityId(),
        providerId: Digest('the seller as provider'),
        buyerMspId: MspId(),
        buyerId: IdentityId(),
        buyerAccountId: Identifier(),
        payeeAccountId: Identifier(),
        encryptionKey: Text(1024, "buyer's P-256 public key (SPKI PEM) the access information is encrypted for"),
        unitPrice: Amount(),
        units: Type.Integer({ minimum: 1 }),
        escrowId: Text(140),
        deadline: UtcInstant(),
        status: PurchaseStatus,
        accessEnvelope: Type.Optional(AccessEnvelope),
        deliveredAt: Type.Optional(UtcInstant()),
        usedUnits: Type.Optional(Type.Integer({ minimum: 0 })),
        paid: Type.Optional(Amount()),
        refunded: Type.Optional(Amount()),
        closedAt: Type.Optional(UtcInstant()),
        rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
        ratedAt: Type.Optional(UtcInstant()),
        ratingCommitment: Type.Optional(Digest('the public rating\'s commitment to this purchase: SHA-256(salt ‖ purchaseId), hex')),
        ratingSalt: Type.Optional(Text(88, 'the salt that opens ratingCommitment, base64 (kept private with the purchase)')),
        createdAt: UtcInstant(),
        txId: TxId(),
    },
    { $id: 'MarketPurchase' },
);
export type MarketPurchase = Static<typeof MarketPurchase>;

/**
 * A provider's reputation from paid purchases only: one 1–5 rating per buyer organisation, each weighted by the
 * tokens that buyer paid; the weighted average is weightedRatingSum / paidTotal, the plain one ratingSum / ratingCount.
 */
export const ProviderReputation = Type.Object(
    { providerId: Identifier(), ratingCount: Type.Integer({ minimum: 0 }), ratingSum: Type.Integer({ minimum: 0 }), paidTotal: Amount(), weightedRatingSum: Amount() },
    { $id: 'ProviderReputation' },
);
export type ProviderReputation = Static<typeof ProviderReputation>;

/**
 * One public rating of a provider (stored, not returned): its value and weight (what was paid) are public, their
 * purpose; the buyer is not named. `commitment` is SHA-256(salt ‖ purchaseId) with the salt kept in the private
 * purchase, so the buyer, the seller or an auditor can show which purchase a rating came from, and nobody else can.
 */
export const ProviderRating = Type.Object(
    { providerId: Identifier(), commitment: Digest('SHA-256(salt ‖ purchaseId), hex'), rating: Type.Integer({ minimum: 1, maximum: 5 }), paid: Amount(), ratedAt: UtcInstant(), txId: TxId() },
    { $id: 'ProviderRating' },
);
export type ProviderRating = Static<typeof ProviderRating>;

/** The empty answer of a transaction that returns nothing (RevokeRole). */
export const NoResult = Type.Null({ $id: 'NoResult', description: 'the transaction returns an empty payload' });

/*
 * What state-changing transactions on a pair's private records return and emit (docs/security/confidentiality.md):
 * ids only, since a result and an event are part of the transaction every channel member and the orderer hold.
 * The SDK reads the records themselves afterwards with an evaluate.
 */

/** A session transaction's result and event: the ids of the session and of the escrow and usage record it touched. */
export const SessionIds = Type.Object(
    { sessionId: Type.String(), escrowId: Type.Optional(Type.String()), usageRecordId: Type.Optional(Type.String()) },
    { $id: 'SessionIds', additionalProperties: false },
);
export type SessionIds = Static<typeof SessionIds>;

/** A CT operation transaction's result and event: the operation's id and, once accepted, its usage record's. */
export const CtOperationIds = Type.Object({ operationId: Type.String(), recordId: Type.Optional(Type.String()) }, { $id: 'CtOperationIds', additionalProperties: false });
export type CtOperationIds = Static<typeof CtOperationIds>;

/** CloseBillingPeriod's result and event. */
export const InvoiceIds = Type.Object({ invoiceId: Type.String() }, { $id: 'InvoiceIds', additionalProperties: false });
export type InvoiceIds = Static<typeof InvoiceIds>;

/** A purchase transaction's result and event (PurchaseListing, DeliverAccess, CompletePurchase, RefundPurchase): its ids. */
export const PurchaseIds = Type.Object({ purchaseId: Type.String(), escrowId: Type.Optional(Type.String()) }, { $id: 'PurchaseIds', additionalProperties: false });
export type PurchaseIds = Static<typeof PurchaseIds>;

/** RaiseDispute's and ResolveDispute's result and event. */
export const DisputeIds = Type.Object({ disputeId: Type.String() }, { $id: 'DisputeIds', additionalProperties: false });
export type DisputeIds = Static<typeof DisputeIds>;
