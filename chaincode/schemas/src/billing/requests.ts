import { Type, type Static, type TInteger, type TRecord, type TString } from '@sinclair/typebox';
import { Identifier, MspId, Text, UtcInstant } from '../primitives';
import { BillingCycle, DisputeOutcome, ListingKind, MeterUnit, ResourceKind } from './enums';

/*
 * Everything a client sends the resource billing chaincode. A JSON request travels as one text argument; the
 * chaincode parses and checks it itself (resource-billing/src/billing-inputs.ts and the aggregate modules), so
 * that bad input is refused with a stable code.
 */

/** The largest rate a plan may charge, in integer minor units per unit. */
export const MAX_RATE = 1_000_000_000_000;
/** The highest plan version a resource reaches (versions are padded to six digits in keys). */
export const MAX_PLAN_VERSION = 999_999;
/** The largest unit price of a listing, in tokens. */
export const MAX_UNIT_PRICE = 1_000_000_000_000;
/** The most units one purchase buys. */
export const MAX_PURCHASE_UNITS = 1_000_000_000;
/** The most lines one dispute names. */
export const MAX_DISPUTED_LINES = 100;

/** Base64 text (the chaincode also bounds its decoded length). */
export const Base64 = (description: string): TString => Type.String({ pattern: '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$', description });

/** An ECDSA/ECDH P-256 public key as SPKI PEM; the chaincode stores it re-encoded, so every endorser keeps the same text. */
export const P256PublicKeyPem = (description: string): TString => Text(1024, `${description}: a P-256 public key in SPKI PEM`);

/** A small string-to-string map (resource attributes, listing configuration): at most 32 entries. */
export const Attributes = (description: string): TRecord<TString, TString> =>
    Type.Record(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,63}$' }), Text(512), { maxProperties: 32, description });

const AmountOf = (description: string, minimum = 0): TInteger => Type.Integer({ minimum, maximum: Number.MAX_SAFE_INTEGER, description });

/** `resourceId|planVersion|appId`: "|" cannot occur in identifiers, so the parts are unambiguous. */
export const LINE_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:@/-]*\\|[1-9]\\d{0,5}\\|[A-Za-z0-9][A-Za-z0-9._:@/-]*$';
export const LineId = (description = 'invoice line id resourceId|planVersion|appId'): TString => Type.String({ maxLength: 300, pattern: LINE_ID_PATTERN, description });

/** A billing period of any cycle: YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH or YYYY-MM-DDTHH:MM (UTC), a real instant. */
export const PERIOD_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])(-\\d{2}(T\\d{2}(:\\d{2})?)?)?$';
export const Period = (description = 'billing period YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH or YYYY-MM-DDTHH:MM (UTC)'): TString =>
    Type.String({ pattern: PERIOD_PATTERN, description });

/** `operatorMspId|tenantMspId|period`, e.g. `EdgeOrgMSP|CloudOrgMSP|2026-11`. */
export const INVOICE_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,63}\\|[A-Za-z0-9][A-Za-z0-9._:@/-]{0,63}\\|\\d{4}-(0[1-9]|1[0-2])(-\\d{2}(T\\d{2}(:\\d{2})?)?)?$';
export const InvoiceId = (description = 'invoice id operatorMspId|tenantMspId|period'): TString => Type.String({ pattern: INVOICE_ID_PATTERN, description });

/** RegisterSite. */
export const RegisterSiteRequest = Type.Object({ siteId: Identifier(128, 'unique site id'), name: Text(), location: Text() }, { $id: 'RegisterSiteRequest' });
export type RegisterSiteRequest = Static<typeof RegisterSiteRequest>;

/** The priced part of a plan: `rate` in integer minor units per second, per call or per GB; no `cycle` means monthly. */
export const PricePlanTerms = Type.Object(
    { unit: MeterUnit, rate: Type.Integer({ minimum: 0, maximum: MAX_RATE, description: 'minor units per unit' }), cycle: Type.Optional(BillingCycle) },
    { $id: 'PricePlanTerms' },
);
export type PricePlanTerms = Static<typeof PricePlanTerms>;

/** RegisterResource: a resource or capability of one of the caller's sites, with version 1 of its price plan. */
export const RegisterResourceRequest = Type.Object(
    {
        resourceId: Identifier(128, 'unique resource id'),
        siteId: Identifier(128, 'a site of the caller organisation'),
        kind: ResourceKind,
        name: Text(),
        description: Type.Optional(Text(1024)),
        attributes: Type.Optional(Attributes('what the resource is, e.g. gpu=A100')),
        payeeAccountId: Type.Optional(Identifier(128, "the operator's token account paid for token-settled sessions; without one, sessions are invoiced only")),
        plan: PricePlanTerms,
    },
    { $id: 'RegisterResourceRequest' },
);
export type RegisterResourceRequest = Static<typeof RegisterResourceRequest>;

/** A token budget for a session, held in escrow from the proposal. */
export const SessionPaymentRequest = Type.Object(
    { accountId: Identifier(128, 'the payer token account'), budget: AmountOf('tokens held in escrow', 1), deadline: UtcInstant('after it anyone may refund the budget') },
    { $id: 'SessionPaymentRequest' },
);
export type SessionPaymentRequest = Static<typeof SessionPaymentRequest>;

/**
 * StartSession: proposal of a usage session. It bills nothing until the other organisation accepts it, except
 * when the operator submits the tenant's signed compute task (`signature`, B9).
 */
export const StartSessionRequest = Type.Object(
    {
        sessionId: Identifier(128, 'unique session id'),
        resourceId: Identifier(),
        appId: Identifier(128, 'the application of the tenant'),
        tenantMspId: Type.Optional(MspId('needed when the operator starts the session for a tenant')),
        planVersion: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PLAN_VERSION, description: 'the plan version agreed to; refused if the resource has moved on' })),
        payment: Type.Optional(SessionPaymentRequest),
        signature: Type.Optional(Base64('base64 DER ECDSA signature of the compute task (components.schemas.ComputeTask) by the key registered for the payer account; needs payment and planVersion')),
    },
    { $id: 'StartSessionRequest' },
);
export type StartSessionRequest = Static<typeof StartSessionRequest>;

/**
 * The compute task a requester signs (B9): the signed bytes are the UTF-8 canonical JSON of these eight fields
 * (keys sorted, no whitespace, `computeTaskText`), ECDSA P-256 over SHA-256, DER signature in base64.
 */
export const ComputeTask = Type.Object(
    {
        sessionId: Identifier(),
        resourceId: Identifier(),
        tenantMspId: MspId(),
        appId: Identifier(),
        planVersion: Type.Integer({ minimum: 1, maximum: MAX_PLAN_VERSION }),
        accountId: Identifier(),
        budget: AmountOf('tokens', 1),
        deadline: UtcInstant('as Date.toISOString() writes it'),
    },
    { $id: 'ComputeTask' },
);
export type ComputeTask = Static<typeof ComputeTask>;

/** StopSession's meter readings: calls for a per-call plan, bytes for a per-GB plan, nothing for per-second. */
export const StopMeters = Type.Object({ calls: Type.Optional(AmountOf('calls made')), bytes: Type.Optional(AmountOf('bytes carried')) }, { $id: 'StopMeters' });
export type StopMeters = Static<typeof StopMeters>;

/** RecordCtOperation: what a CT entity reports for an IT application (B6), exactly one of calls or bytes. */
export const CtOperationRequest = Type.Object(
    {
        operationId: Identifier(128, 'unique operation id'),
        resourceId: Identifier(128, 'a capability of a site the caller operates'),
        tenantMspId: MspId('the tenant that is billed once it accepts'),
        appId: Identifier(),
        calls: Type.Optional(AmountOf('for a per-call capability: routing policies set, capability calls', 1)),
        bytes: Type.Optional(AmountOf('for a per-GB capability: user-plane traffic', 1)),
    },
    { $id: 'CtOperationRequest' },
);
export type CtOperationRequest = Static<typeof CtOperationRequest>;

/** RaiseDispute: a tenant's objection to some lines of an invoice (B5). */
export const RaiseDisputeRequest = Type.Object(
    {
        disputeId: Identifier(128, 'unique dispute id'),
        invoiceId: InvoiceId(),
        lineIds: Type.Array(LineId(), { minItems: 1, maxItems: MAX_DISPUTED_LINES, description: 'each once; stored sorted' }),
        reason: Text(1024),
        evidenceId: Type.Optional(Identifier(128, 'an evidence chaincode record the tenant cites: it must exist and not be revoked (checked against the evidence chaincode)')),
    },
    { $id: 'RaiseDisputeRequest' },
);
export type RaiseDisputeRequest = Static<typeof RaiseDisputeRequest>;

/** The credit of one disputed line. */
export const LineCredit = Type.Object({ lineId: LineId(), amount: AmountOf('minor units, at most the line amount') }, { $id: 'LineCredit' });
export type LineCredit = Static<typeof LineCredit>;

/** ResolveDispute: the decision; a rejection needs a reason, an acceptance credits each disputed line in full unless `credits` say otherwise. */
export const ResolveDisputeRequest = Type.Object(
    {
        outcome: DisputeOutcome,
        reason: Type.Optional(Text(1024, 'required when rejecting')),
        credits: Type.Optional(Type.Array(LineCredit, { minItems: 1, description: 'accepted only; default: each disputed line credited in full' })),
    },
    { $id: 'ResolveDisputeRequest' },
);
export type ResolveDisputeRequest = Static<typeof ResolveDisputeRequest>;

/** OpenAccount: an account owned by the caller, optionally with the key that signs its compute tasks. */
export const OpenAccountRequest = Type.Object(
    { accountId: Identifier(128, 'unique account id'), taskKey: Type.Optional(P256PublicKeyPem('signs compute tasks paid from this account (B9)')) },
    { $id: 'OpenAccountRequest' },
);
export type OpenAccountRequest = Static<typeof OpenAccountRequest>;

/** CreateListing: a shared resource offered on the marketplace (B7). */
export const CreateListingRequest = Type.Object(
    {
        listingId: Identifier(128, 'unique listing id'),
        kind: ListingKind,
        title: Text(),
        description: Type.Optional(Text(2048)),
        config: Type.Optional(Attributes('public configuration of what is offered')),
        unit: Identifier(32, 'what one unit is: hour, call, GB, dataset...'),
        unitPrice: Type.Integer({ minimum: 1, maximum: MAX_UNIT_PRICE, description: 'tokens per unit' }),
        payeeAccountId: Identifier(128, 'a token account the caller owns'),
    },
    { $id: 'CreateListingRequest' },
);
export type CreateListingRequest = Static<typeof CreateListingRequest>;

/** PurchaseListing: up to `units` of a listing, paid into escrow until the seller completes or the deadline passes. */
export const PurchaseRequest = Type.Object(
    {
        purchaseId: Identifier(128, 'unique purchase id'),
        listingId: Identifier(),
        buyerAccountId: Identifier(128, 'a token account the caller owns'),
        units: Type.Integer({ minimum: 1, maximum: MAX_PURCHASE_UNITS }),
        deadline: UtcInstant('in the future'),
        encryptionKey: P256PublicKeyPem('the key the access information is encrypted for'),
    },
    { $id: 'PurchaseRequest' },
);
export type PurchaseRequest = Static<typeof PurchaseRequest>;

/** CompletePurchase's confidential request (transient map entry `request`): the units used, which price the payment. */
export const CompletePurchaseRequest = Type.Object({ usedUnits: Type.Integer({ minimum: 0, maximum: MAX_PURCHASE_UNITS, description: 'at most the units bought' }) }, { $id: 'CompletePurchaseRequest' });
export type CompletePurchaseRequest = Static<typeof CompletePurchaseRequest>;

/** The one algorithm of access envelopes. */
export const ACCESS_ALGORITHM = 'ECDH-ES-P256+HKDF-SHA256+A256GCM';

/**
 * DeliverAccess: access information encrypted for one buyer. ECDH P-256 between an ephemeral key and the buyer's
 * key, HKDF-SHA256 (info "edgetrust/marketplace/access/v1", salt = purchaseId) to an AES-256-GCM key, purchaseId
 * as additional data. The chain stores only this envelope.
 */
export const AccessEnvelope = Type.Object(
    {
        algorithm: Type.Literal(ACCESS_ALGORITHM),
        ephemeralPublicKey: Base64('ephemeral P-256 public key, SPKI DER, 32 to 256 bytes'),
        iv: Base64('12 bytes'),
        ciphertext: Base64('1 to 16384 bytes'),
        tag: Base64('16 bytes'),
    },
    { $id: 'AccessEnvelope' },
);
export type AccessEnvelope = Static<typeof AccessEnvelope>;
