import { Object as DataType, Property } from 'fabric-contract-api';
import { invalidArgument, optionalText, requireIdentifier } from '../../common/src';
import { Principal, requirePrincipal } from './principal';

/** Reserved as the far end of app trust relationships (D8), so no certificate may take it as its id. */
export const PLATFORM_ID = 'platform';

export const IDENTITY_KINDS = ['device', 'app'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export const CERTIFICATE_STATUSES = ['active', 'suspended', 'revoked'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/** What a fingerprint resolves to: a record's status, `superseded` by a rotation, or `unknown`. */
export type FingerprintStatus = CertificateStatus | 'superseded' | 'unknown';

export const HISTORY_ACTIONS = ['registered', 'suspended', 'reinstated', 'revoked', 'rotated'] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

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
export type RevocationReason = keyof typeof REASON_CODES;

/** Reasons a caller may give to RevokeCertificate. */
export const REVOCATION_REASONS = [
    'unspecified',
    'keyCompromise',
    'affiliationChanged',
    'superseded',
    'cessationOfOperation',
    'privilegeWithdrawn',
] as const satisfies readonly RevocationReason[];

/**
 * A registered self-signed certificate of a device (registered by its manufacturer) or of an edge
 * application (registered by itself). `id` stays the same across key rotations; `fingerprint` is
 * the current certificate's.
 */
@DataType()
export class DeviceCertificate {
    @Property()
    id: string = '';

    @Property('kind', 'string')
    kind: IdentityKind = 'device';

    @Property()
    fingerprint: string = '';

    @Property()
    certificatePem: string = '';

    @Property()
    subject: string = '';

    @Property()
    serialNumber: string = '';

    @Property()
    keyType: string = '';

    @Property()
    notBefore: string = '';

    @Property()
    notAfter: string = '';

    /** Empty for applications. */
    @Property()
    manufacturerId: string = '';

    /** Production lot, model or application name; empty when not given. */
    @Property()
    lot: string = '';

    @Property()
    model: string = '';

    @Property()
    owner: Principal = new Principal();

    @Property()
    registeredBy: Principal = new Principal();

    @Property()
    registeredAt: string = '';

    @Property('status', 'string')
    status: CertificateStatus = 'active';

    /** RFC 5280 reason of the last status change; empty while never suspended or revoked. */
    @Property()
    statusReason: string = '';

    /** RFC 5280 reason code of the last status change, -1 while none. */
    @Property()
    statusReasonCode: number = -1;

    @Property()
    statusChangedAt: string = '';

    @Property()
    statusChangedBy: Principal = new Principal();

    /** RFC 5280 invalidity date given with a revocation: when the key is known or suspected to be compromised. */
    @Property()
    invalidityDate: string = '';

    @Property('previousFingerprints', 'string[]')
    previousFingerprints: string[] = [];

    /** Number of history entries, the sequence of the last one. */
    @Property()
    version: number = 0;
}

/** One change of a certificate record, kept under its own key so history needs no history database. */
@DataType()
export class DeviceHistoryEntry {
    @Property()
    id: string = '';

    @Property()
    seq: number = 0;

    @Property('action', 'string')
    action: HistoryAction = 'registered';

    @Property('status', 'string')
    status: CertificateStatus = 'active';

    @Property()
    fingerprint: string = '';

    /** For a rotation: the superseded certificate. */
    @Property()
    previousFingerprint: string = '';

    @Property()
    reason: string = '';

    @Property()
    reasonCode: number = -1;

    @Property()
    comment: string = '';

    @Property()
    by: Principal = new Principal();

    @Property()
    at: string = '';

    @Property()
    txId: string = '';
}

/** A certificate record together with its history, as lookups by id or fingerprint return it (D3). */
export interface DeviceLookup {
    certificate: DeviceCertificate;
    /** The fingerprint looked up and what it resolves to (`superseded` for a rotated-out certificate). */
    fingerprint: string;
    fingerprintStatus: FingerprintStatus;
    history: DeviceHistoryEntry[];
}

/** The answer to "may I trust this certificate now?", as the TLS helper asks it (D6). */
export interface CertificateStatusReport {
    fingerprint: string;
    status: FingerprintStatus;
    /** Active, current, and within its validity window at the transaction time. */
    trusted: boolean;
    checkedAt: string;
    id?: string;
    kind?: IdentityKind;
    manufacturerId?: string;
    ownerMspId?: string;
    notBefore?: string;
    notAfter?: string;
}

/** One device of a registration request. */
export interface DeviceRequest {
    id: string;
    certificatePem: string;
    /** Proof of possession: base64 of the device key's signature over registrationMessage (see certificate-check). */
    proof: string;
    model?: string;
    owner?: Principal;
}

/** RegisterDevice: one device of a manufacturer. */
export interface RegisterDeviceRequest extends DeviceRequest {
    manufacturerId: string;
    lot?: string;
}

/** RegisterDevices: a production lot in one all-or-nothing transaction. */
export interface RegisterDevicesRequest {
    manufacturerId: string;
    lot?: string;
    model?: string;
    devices: DeviceRequest[];
}

/** RegisterApplication: an edge application registers its own certificate. */
export interface RegisterApplicationRequest {
    id: string;
    certificatePem: string;
    /** Proof of possession: base64 of the application key's signature over registrationMessage. */
    proof: string;
    /** Application name, stored as `model`. */
    name?: string;
}

export interface RevokeRequest {
    reason: string;
    comment?: string;
    invalidityDate?: string;
}

export interface StatusChangeRequest {
    comment?: string;
}

export interface RotateRequest {
    certificatePem: string;
    /** Base64 of the old key's signature over rotationMessage(old fingerprint, new fingerprint). */
    signature: string;
}

export const MAX_BATCH_SIZE = 500;

/** A device or application id: an identifier that is not the reserved platform id. */
export function requireSubjectId(value: unknown, field: string): string {
    const id = requireIdentifier(value, field);
    if (id === PLATFORM_ID) {
        throw invalidArgument(`${field} ${PLATFORM_ID} is reserved for the MEC platform`);
    }
    return id;
}

export function optionalPrincipal(value: unknown, field: string): Principal | undefined {
    return value === undefined || value === null ? undefined : requirePrincipal(value, field);
}

export function optionalComment(value: unknown): string {
    return optionalText(value, 'comment', 1024) ?? '';
}
