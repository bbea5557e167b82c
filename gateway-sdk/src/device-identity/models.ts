// The device identity chaincode's requests and records: the schema package's types (chaincode/schemas/src/device-identity).
import type { DeviceRegistration as WireDeviceRegistration, RegisterApplicationRequest as WireApplicationRequest, RegisterDeviceRequest as WireDeviceRequest, RegisterDevicesRequest as WireDevicesRequest } from '@edgetrust/schemas';

export {
    ASSET_STATES,
    ASSET_TRANSITIONS,
    CERTIFICATE_STATUSES,
    DEVICE_IDENTITY_EVENTS,
    /**
     * Domain error codes of the device identity chaincode. They arrive as the `code` of an
     * {@link EdgeTrustError}; the generic codes arrive as its subclasses (e.g. `AlreadyExistsError`).
     */
    DeviceIdentityErrorCode,
    IDENTITY_KINDS,
    INITIAL_ASSET_STATES,
    MAX_BATCH_SIZE,
    MAX_STATUS_CHECKS,
    PLATFORM_ID,
    REVOCATION_REASONS,
} from '@edgetrust/schemas';
export type {
    AssetHistoryEntry,
    AssetReceipt,
    AssetState,
    AssetTransitionRequest,
    CallerIdentity,
    CertificateStatus,
    CertificateStatusReport,
    CertificateStatusReports,
    CheckCertificatesRequest,
    DeviceCertificate,
    DeviceHistoryEntry,
    DeviceIdentityEventName,
    DeviceLookup,
    DeviceRegistryState,
    EquipmentAsset,
    FingerprintStatus,
    GrantTrustRequest,
    HistoryAction as DeviceHistoryAction,
    IdentityKind,
    IdentityPrincipal,
    InitialAssetState,
    Manufacturer,
    RegisteredLot,
    RegisterAssetRequest,
    RegisterManufacturerRequest,
    RegistryAdministrators,
    RevocationReason,
    RevokeCertificateRequest,
    RotateCertificateRequest,
    TrustDecision,
    TrustDecisionReason,
    TrustRelationship,
    TrustStatus,
} from '@edgetrust/schemas';

// SDK-side shapes: what the client's register methods take. The proof of possession may be left out when the
// method is given the private key, which then signs the registration message itself.

/** One device of a registration; `proof` may be left out when the client is given the device's key. */
export type DeviceRegistration = Omit<WireDeviceRegistration, 'proof'> & { proof?: string };

/** What {@link DeviceIdentityClient.registerDevice} takes. */
export type RegisterDeviceRequest = Omit<WireDeviceRequest, 'proof'> & { proof?: string };

/** What {@link DeviceIdentityClient.registerDevices} takes: a production lot, all or nothing. */
export type RegisterDevicesRequest = Omit<WireDevicesRequest, 'devices'> & { devices: DeviceRegistration[] };

/** What {@link DeviceIdentityClient.registerApplication} takes. */
export type RegisterApplicationRequest = Omit<WireApplicationRequest, 'proof'> & { proof?: string };
