import type { Static } from '@sinclair/typebox';
import { Enumeration } from '../primitives';

/**
 * Organisation roles of the billing chaincode, held by MSP id as chaincode data (never hard-coded):
 * governor (its admins grant and revoke roles), operator (MEC platform operator: sites, resources, periods),
 * tenant (application provider that uses resources and is invoiced), auditor (reads every billing record, decides
 * disputes, B10), issuer (mints compute tokens), ct-entity (UPF or local breakout gateway that reports CT operations).
 */
export const [BILLING_ROLES, BillingRole] = Enumeration(
    ['governor', 'operator', 'tenant', 'auditor', 'issuer', 'ct-entity'],
    'an organisation role of the billing chaincode',
);
export type BillingRole = Static<typeof BillingRole>;

/** What a plan charges for: each second of a session, each call, or each GB (10^9 bytes) of volume. */
export const [METER_UNITS, MeterUnit] = Enumeration(['second', 'call', 'gb'], 'what a plan charges for: per second, per call or per GB (10^9 bytes)');
export type MeterUnit = Static<typeof MeterUnit>;

/**
 * How often a plan's invoice-settled usage is settled: calendar-month periods by default, or day, hour or minute
 * periods (spot capacity, and tests on a live network that cannot wait for a month to end). A period is the UTC
 * ISO-8601 prefix of the cycle's length: `2026-11`, `2026-11-22`, `2026-11-22T09`, `2026-11-22T09:15`.
 */
export const [BILLING_CYCLES, BillingCycle] = Enumeration(['month', 'day', 'hour', 'minute'], 'settlement cycle of a plan; absent means month');
export type BillingCycle = Static<typeof BillingCycle>;

/** What an edge site offers: compute resources, network capabilities (WP 2.1.2) and CT operations (WP 2.3.2). */
export const [RESOURCE_KINDS, ResourceKind] = Enumeration(
    [
        'compute',
        'storage',
        'gpu',
        'fpga',
        'location',
        'sms',
        'qos',
        'traffic-steering',
        'routing-policy',
        'capability-call',
        'user-plane',
    ],
    'what the resource or capability is',
);
export type ResourceKind = Static<typeof ResourceKind>;

/**
 * proposed: one party asked, the other has not accepted yet (nothing is billed); active: both agreed, billing runs
 * from the acceptance; stopping: a metered session's reading awaits the other party's confirmation; closed,
 * expired, declined: final.
 */
export const [SESSION_STATUSES, SessionStatus] = Enumeration(
    ['proposed', 'active', 'stopping', 'closed', 'expired', 'declined'],
    'where the session stands',
);
export type SessionStatus = Static<typeof SessionStatus>;

/** A reported CT operation: proposed until its tenant accepts (billed) or declines it. */
export const [CT_OPERATION_STATUSES, CtOperationStatus] = Enumeration(['proposed', 'accepted', 'declined'], 'whether the tenant accepted the report');
export type CtOperationStatus = Static<typeof CtOperationStatus>;

export const [USAGE_SOURCES, UsageSource] = Enumeration(['session', 'ct-operation'], 'what was metered');
export type UsageSource = Static<typeof UsageSource>;

/** How a usage record is paid: on the tenant's periodic invoice, or at once from a token escrow. */
export const [SETTLEMENTS, Settlement] = Enumeration(['invoice', 'token'], 'how the usage is paid');
export type Settlement = Static<typeof Settlement>;

export const [INVOICE_STATUSES, InvoiceStatus] = Enumeration(['issued', 'disputed'], 'disputed while a dispute about it is open');
export type InvoiceStatus = Static<typeof InvoiceStatus>;

export const [DISPUTE_STATUSES, DisputeStatus] = Enumeration(['open', 'accepted', 'rejected'], 'open until decided');
export type DisputeStatus = Static<typeof DisputeStatus>;

export const [DISPUTE_OUTCOMES, DisputeOutcome] = Enumeration(['accepted', 'rejected'], 'the decision on a dispute');
export type DisputeOutcome = Static<typeof DisputeOutcome>;

export const [ESCROW_PURPOSES, EscrowPurpose] = Enumeration(['session', 'purchase', 'compute'], 'what the escrow pays for');
export type EscrowPurpose = Static<typeof EscrowPurpose>;

export const [ESCROW_STATUSES, EscrowStatus] = Enumeration(['held', 'released', 'refunded'], 'held until paid out (released) or refunded');
export type EscrowStatus = Static<typeof EscrowStatus>;

/** What a marketplace listing offers (B7). */
export const [LISTING_KINDS, ListingKind] = Enumeration(
    ['device', 'compute', 'storage', 'gpu', 'fpga', 'network', 'data'],
    'what the listing offers',
);
export type ListingKind = Static<typeof ListingKind>;

export const [LISTING_STATUSES, ListingStatus] = Enumeration(['active', 'withdrawn'], 'withdrawn listings take no new purchases');
export type ListingStatus = Static<typeof ListingStatus>;

export const [PURCHASE_STATUSES, PurchaseStatus] = Enumeration(['paid', 'delivered', 'completed', 'refunded'], 'from escrow to completion or refund');
export type PurchaseStatus = Static<typeof PurchaseStatus>;

/** Names of the chaincode events: each state-changing transaction sets one. */
export const BILLING_EVENTS = [
    'GovernanceBootstrapped',
    'RoleGranted',
    'RoleRevoked',
    'SiteRegistered',
    'ResourceRegistered',
    'PricePlanPublished',
    'SessionProposed',
    'SessionStarted',
    'SessionDeclined',
    'SessionStopProposed',
    'SessionStopped',
    'SessionExpired',
    'CtOperationProposed',
    'CtOperationRecorded',
    'CtOperationDeclined',
    'InvoiceIssued',
    'DisputeRaised',
    'DisputeResolved',
    'AccountOpened',
    'TaskKeySet',
    'TokensMinted',
    'TokensTransferred',
    'ListingCreated',
    'ListingWithdrawn',
    'ListingPurchased',
    'AccessDelivered',
    'PurchaseCompleted',
    'PurchaseRefunded',
    'ProviderRated',
] as const;
export type BillingEventName = (typeof BILLING_EVENTS)[number];
