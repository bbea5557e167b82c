import type { Static } from '@sinclair/typebox';
import { Enumeration } from '../primitives';

/** Reserved as the far end of app trust relationships (D8), so no certificate may take it as its id. */
export const PLATFORM_ID = 'platform';

/** A device (registered by its manufacturer) or an edge application (registered by itself). */
export const [IDENTITY_KINDS, IdentityKind] = Enumeration(['device', 'app'], 'a device or an edge application');
export type IdentityKind = Static<typeof IdentityKind>;

export const [CERTIFICATE_STATUSES, CertificateStatus] = Enumeration(['active', 'suspended', 'revoked'], 'active, on hold, or revoked for good');
export type CertificateStatus = Static<typeof CertificateStatus>;

/** What a fingerprint resolves to: a record's status, `superseded` by a rotation, or `unknown`. */
export const [FINGERPRINT_STATUSES, FingerprintStatus] = Enumeration(
    [...CERTIFICATE_STATUSES, 'superseded', 'unknown'],
    "the record's status, superseded by a rotation, or unknown",
);
export type FingerprintStatus = Static<typeof FingerprintStatus>;

export const [HISTORY_ACTIONS, HistoryAction] = Enumeration(
    ['registered', 'suspended', 'reinstated', 'revoked', 'rotated'],
    'what changed the certificate record',
);
export type HistoryAction = Static<typeof HistoryAction>;

/**
 * RFC 5280 section 5.3.1 CRLReason codes. A hold is `certificateHold` and its release `removeFromCRL`;
 * the CA-compromise reasons have no meaning for a self-signed certificate and are not offered.
 */
export const REASON_CODES = {
    unspecified: 0,
    keyCompromise: 1,
    affiliationChanged: 3,
    superseded: 4,
    cessationOfOperation: 5,
    certificateHold: 6,
    removeFromCRL: 8,
    privilegeWithdrawn: 9,
} as const;
/** Every RFC 5280 reason a status change records. */
export type StatusReason = keyof typeof REASON_CODES;

/** Reasons a caller may give to RevokeCertificate. */
export const [REVOCATION_REASONS, RevocationReason] = Enumeration(
    [
        'unspecified',
        'keyCompromise',
        'affiliationChanged',
        'superseded',
        'cessationOfOperation',
        'privilegeWithdrawn',
    ] as const satisfies readonly StatusReason[],
    'RFC 5280 reason of the revocation',
);
export type RevocationReason = Static<typeof RevocationReason>;

export const [TRUST_STATUSES, TrustStatus] = Enumeration(['active', 'revoked'], 'whether the relationship still holds');
export type TrustStatus = Static<typeof TrustStatus>;

/** Why CheckTrust allowed or refused a connection. */
export const [TRUST_DECISION_REASONS, TrustDecisionReason] = Enumeration(
    ['granted', 'not_granted', 'revoked', 'expired', 'from_not_active', 'to_not_active'],
    'why the connection is allowed or refused',
);
export type TrustDecisionReason = Static<typeof TrustDecisionReason>;

/** The lifecycle states of a piece of equipment (D7); ASSET_TRANSITIONS says which follow which. */
export const [ASSET_STATES, AssetState] = Enumeration(
    ['in_stock', 'installed', 'in_use', 'lent', 'under_repair', 'replaced', 'retired'],
    'lifecycle state of the equipment',
);
export type AssetState = Static<typeof AssetState>;

/** States an asset may be registered in, so an existing inventory can be imported as it stands. */
export const [INITIAL_ASSET_STATES, InitialAssetState] = Enumeration(
    ['in_stock', 'installed', 'in_use'] as const satisfies readonly AssetState[],
    'state to register in; defaults to in_stock',
);
export type InitialAssetState = Static<typeof InitialAssetState>;

/**
 * The legal lifecycle of a piece of telecom equipment (D7). Retired is final; replaced equipment
 * can only be refurbished into stock or retired; lent equipment comes back into stock, into use or
 * goes to repair.
 */
export const ASSET_TRANSITIONS: Readonly<Record<AssetState, readonly AssetState[]>> = {
    in_stock: ['installed', 'lent', 'retired'],
    installed: ['in_use', 'under_repair', 'in_stock', 'replaced', 'retired'],
    in_use: ['installed', 'lent', 'under_repair', 'replaced', 'retired'],
    lent: ['in_stock', 'in_use', 'under_repair'],
    under_repair: ['in_stock', 'installed', 'in_use', 'replaced', 'retired'],
    replaced: ['in_stock', 'retired'],
    retired: [],
};

/** Names of the chaincode events, one per state-changing transaction (three for the status changes). */
export const DEVICE_IDENTITY_EVENTS = [
    'RegistryInitialized',
    'RegistryAdministratorAdded',
    'RegistryAdministratorRemoved',
    'ManufacturerRegistered',
    'RegistrarAuthorized',
    'RegistrarWithdrawn',
    'DeviceRegistered',
    'DevicesRegistered',
    'ApplicationRegistered',
    'CertificateSuspended',
    'CertificateReinstated',
    'CertificateRevoked',
    'CertificateRotated',
    'TrustGranted',
    'TrustRevoked',
    'AssetRegistered',
    'AssetTransitioned',
] as const;
export type DeviceIdentityEventName = (typeof DEVICE_IDENTITY_EVENTS)[number];
