// The device identity chaincode's JSON, as TypeScript interfaces (mirrors chaincode/device-identity/src).

/** Reserved target id of trust relationships towards the MEC platform itself. */
export const PLATFORM_ID = 'platform';

/**
 * Domain error codes of the device identity chaincode. They arrive as the `code` of an
 * {@link EdgeTrustError}; the generic codes arrive as its subclasses (e.g. `AlreadyExistsError`).
 */
export const DeviceIdentityErrorCode = {
    CertificateInvalid: 'CERTIFICATE_INVALID',
    CertificateExpired: 'CERTIFICATE_EXPIRED',
    CertificateNotYetValid: 'CERTIFICATE_NOT_YET_VALID',
    CertificateSignatureInvalid: 'CERTIFICATE_SIGNATURE_INVALID',
    WeakSignatureAlgorithm: 'WEAK_SIGNATURE_ALGORITHM',
    KeyTooWeak: 'KEY_TOO_WEAK',
    KeyTypeUnsupported: 'KEY_TYPE_UNSUPPORTED',
    KeyUsageInvalid: 'KEY_USAGE_INVALID',
    SignatureInvalid: 'SIGNATURE_INVALID',
    CertificateRevoked: 'CERTIFICATE_REVOKED',
    IllegalTransition: 'ILLEGAL_TRANSITION',
} as const;

/** A Fabric identity: MSP id and the `x509::<subject>::<issuer>` id the chaincode sees (see `whoAmI`). */
export interface IdentityPrincipal {
    mspId: string;
    id: string;
}

/** The caller as the chaincode sees it. */
export interface CallerIdentity extends IdentityPrincipal {
    /** The channel, which registration proofs are bound to. */
    channel: string;
    orgAdmin: boolean;
    registryAdmin: boolean;
}

/** The registry administrator organisations. */
export interface DeviceRegistryState {
    initialized: boolean;
    mspIds: string[];
}

/** The stored registry administrator set, as changes return it. */
export interface RegistryAdministrators {
    mspIds: string[];
    updatedAt: string;
    updatedBy: IdentityPrincipal;
}

/** One page of a paginated query; `bookmark` is empty on the last page. */
export interface DeviceIdentityPage<T> {
    records: T[];
    bookmark: string;
    fetchedRecordsCount: number;
}

/** A device manufacturer and the identities appointed to register devices for it. */
export interface Manufacturer {
    id: string;
    name: string;
    /** Administrators of this organisation may act for the manufacturer. */
    mspId: string;
    registrars: IdentityPrincipal[];
    registeredBy: IdentityPrincipal;
    registeredAt: string;
    updatedAt: string;
}

/** What {@link DeviceIdentityClient.registerManufacturer} sends. */
export interface RegisterManufacturerRequest {
    id: string;
    name: string;
    mspId: string;
}

export type IdentityKind = 'device' | 'app';
export type CertificateStatus = 'active' | 'suspended' | 'revoked';
/** What a fingerprint resolves to: a record status, `superseded` by a rotation, or `unknown`. */
export type FingerprintStatus = CertificateStatus | 'superseded' | 'unknown';
export type DeviceHistoryAction = 'registered' | 'suspended' | 'reinstated' | 'revoked' | 'rotated';
/** RFC 5280 reasons accepted by revocation. */
export type RevocationReason = 'unspecified' | 'keyCompromise' | 'affiliationChanged' | 'superseded' | 'cessationOfOperation' | 'privilegeWithdrawn';

/** A registered self-signed certificate of a device or an edge application. */
export interface DeviceCertificate {
    id: string;
    kind: IdentityKind;
    /** SHA-256 of the current certificate's DER, lower-case hex. */
    fingerprint: string;
    certificatePem: string;
    subject: string;
    serialNumber: string;
    /** `ec-p256`, `ec-p384`, `ed25519` or `rsa-<bits>`. */
    keyType: string;
    notBefore: string;
    notAfter: string;
    /** Empty for applications. */
    manufacturerId: string;
    lot: string;
    /** Device model, or the application name. */
    model: string;
    owner: IdentityPrincipal;
    registeredBy: IdentityPrincipal;
    registeredAt: string;
    status: CertificateStatus;
    /** RFC 5280 reason of the last status change ('' if none). */
    statusReason: string;
    /** RFC 5280 reason code of the last status change (-1 if none). */
    statusReasonCode: number;
    statusChangedAt: string;
    statusChangedBy: IdentityPrincipal;
    invalidityDate: string;
    previousFingerprints: string[];
    version: number;
}

/** One change of a certificate record. */
export interface DeviceHistoryEntry {
    id: string;
    seq: number;
    action: DeviceHistoryAction;
    status: CertificateStatus;
    fingerprint: string;
    previousFingerprint: string;
    reason: string;
    reasonCode: number;
    comment: string;
    by: IdentityPrincipal;
    at: string;
    txId: string;
}

/** A lookup by id or fingerprint: the record, what the fingerprint resolves to, and history. */
export interface DeviceLookup {
    certificate: DeviceCertificate;
    fingerprint: string;
    fingerprintStatus: FingerprintStatus;
    history: DeviceHistoryEntry[];
}

/** Whether a certificate may be trusted now, as the chaincode answers it. */
export interface CertificateStatusReport {
    fingerprint: string;
    status: FingerprintStatus;
    /** Active, current and within its validity window at the time of the query. */
    trusted: boolean;
    checkedAt: string;
    id?: string;
    kind?: IdentityKind;
    manufacturerId?: string;
    ownerMspId?: string;
    notBefore?: string;
    notAfter?: string;
}

/** One device of a registration. */
export interface DeviceRegistration {
    id: string;
    certificatePem: string;
    /**
     * Proof of possession: base64 of the device key's signature over the registration message
     * (`signRegistration`). The client makes it when given the device's private key.
     */
    proof?: string;
    model?: string;
    /** Who owns the device; the registering identity by default. */
    owner?: IdentityPrincipal;
}

/** What {@link DeviceIdentityClient.registerDevice} sends. */
export interface RegisterDeviceRequest extends DeviceRegistration {
    manufacturerId: string;
    lot?: string;
}

/** What {@link DeviceIdentityClient.registerDevices} sends: a production lot, all or nothing. */
export interface RegisterDevicesRequest {
    manufacturerId: string;
    lot?: string;
    /** Default model for devices that name none. */
    model?: string;
    /** At most 500 devices. */
    devices: DeviceRegistration[];
}

/** What {@link DeviceIdentityClient.registerDevices} returns. */
export interface RegisteredLot {
    manufacturerId: string;
    lot: string;
    count: number;
    devices: DeviceCertificate[];
}

/** What {@link DeviceIdentityClient.registerApplication} sends. */
export interface RegisterApplicationRequest {
    id: string;
    certificatePem: string;
    /** Proof of possession by the application's key; the client makes it when given the private key. */
    proof?: string;
    name?: string;
}

/** What {@link DeviceIdentityClient.revokeCertificate} sends. */
export interface RevokeCertificateRequest {
    reason: RevocationReason;
    comment?: string;
    /** ISO-8601 UTC; when the key is known or suspected to have been compromised (not in the future). */
    invalidityDate?: string;
}

/** What {@link DeviceIdentityClient.rotateCertificate} sends. */
export interface RotateCertificateRequest {
    certificatePem: string;
    /** Base64 of the old key's signature over `rotationMessage(old fingerprint, new fingerprint)`. */
    signature: string;
}

export type TrustStatus = 'active' | 'revoked';
export type TrustDecisionReason = 'granted' | 'not_granted' | 'revoked' | 'expired' | 'from_not_active' | 'to_not_active';

/** Application `from` may talk to application `to`, or to the platform when `to` is {@link PLATFORM_ID}. */
export interface TrustRelationship {
    from: string;
    to: string;
    status: TrustStatus;
    purpose: string;
    /** '' for no expiry. */
    expiresAt: string;
    grantedBy: IdentityPrincipal;
    grantedAt: string;
    updatedBy: IdentityPrincipal;
    updatedAt: string;
}

/** What {@link DeviceIdentityClient.grantTrust} sends. */
export interface GrantTrustRequest {
    from: string;
    to: string;
    purpose?: string;
    expiresAt?: string;
}

/** The answer to "may `from` talk to `to` now?". */
export interface TrustDecision {
    from: string;
    to: string;
    allowed: boolean;
    reason: TrustDecisionReason;
    checkedAt: string;
    relationship?: TrustRelationship;
}

export type AssetState = 'in_stock' | 'installed' | 'in_use' | 'lent' | 'under_repair' | 'replaced' | 'retired';

/** A piece of telecom equipment identified by its QR/barcode tag. */
export interface EquipmentAsset {
    id: string;
    tag: string;
    type: string;
    site: string;
    location: string;
    state: AssetState;
    model: string;
    serialNumber: string;
    ownerMspId: string;
    lentTo: string;
    replacedBy: string;
    registeredBy: IdentityPrincipal;
    registeredAt: string;
    updatedBy: IdentityPrincipal;
    updatedAt: string;
    version: number;
}

/** One recorded state change of an asset: who, when and where. */
export interface AssetHistoryEntry {
    id: string;
    seq: number;
    /** '' for the registration. */
    from: AssetState | '';
    to: AssetState;
    site: string;
    location: string;
    note: string;
    lentTo: string;
    replacedBy: string;
    by: IdentityPrincipal;
    at: string;
    txId: string;
}

/** What {@link DeviceIdentityClient.registerAsset} sends. */
export interface RegisterAssetRequest {
    id: string;
    tag: string;
    type: string;
    site: string;
    location?: string;
    model?: string;
    serialNumber?: string;
    /** `in_stock` (default), `installed` or `in_use`, to import an existing inventory as it stands. */
    state?: 'in_stock' | 'installed' | 'in_use';
    note?: string;
}

/** What {@link DeviceIdentityClient.transitionAsset} sends. */
export interface AssetTransitionRequest {
    to: AssetState;
    /** A new site when the equipment moves. */
    site?: string;
    location?: string;
    note?: string;
    /** Required when `to` is `lent`. */
    lentTo?: string;
    /** Required when `to` is `replaced`: the replacing asset's id. */
    replacedBy?: string;
}
