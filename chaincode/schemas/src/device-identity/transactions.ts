import { Type } from '@sinclair/typebox';
import type { TransactionTable } from '../contract-metadata';
import { Bookmark, Digest, Identifier, Named, PageSizeText, SALT_TRANSIENT_KEY, SaltText } from '../primitives';
import { AssetState } from './enums';
import {
    AssetHistoryPage,
    AssetReceipt,
    CallerIdentity,
    CertificateStatusReport,
    CertificateStatusReports,
    DeviceCertificate,
    DeviceCertificatePage,
    DeviceLookup,
    DeviceRegistryState,
    EquipmentAsset,
    EquipmentAssetPage,
    IdentityPrincipal,
    Manufacturer,
    ManufacturerPage,
    RegisteredLot,
    RegistryAdministrators,
    TrustDecision,
    TrustRelationship,
    TrustRelationshipPage,
} from './records';
import {
    ASSET_TRANSIENT_KEY,
    AssetTransitionRequest,
    CheckCertificatesRequest,
    GrantTrustRequest,
    MAX_STATUS_CHECKS,
    RegisterApplicationRequest,
    RegisterAssetRequest,
    RegisterDeviceRequest,
    RegisterDevicesRequest,
    RegisterManufacturerRequest,
    RevokeCertificateRequest,
    RotateCertificateRequest,
    StatusChangeRequest,
} from './requests';

// The text arguments, each named so that the contract metadata can point at its rule.
const MspIdText = Named('MspIdText', Identifier(128, 'MSP id of an organisation'));
const ManufacturerId = Named('ManufacturerId', Identifier(128, 'manufacturer id'));
const DeviceId = Named('DeviceId', Identifier(128, 'device or application id'));
const Fingerprint = Named('Fingerprint', Digest("SHA-256 of the certificate's DER, 64 lower-case hex characters"));
const AppId = Named('AppId', Identifier(128, 'application id'));
const TrustTarget = Named('TrustTarget', Identifier(128, 'application id, or platform'));
const AssetId = Named('AssetId', Identifier(128, 'equipment asset id'));
const AssetTag = Named('AssetTag', Identifier(128, 'QR code or barcode id'));
const SiteId = Named('SiteId', Identifier(128, 'site id'));
const AssetStateText = Named('AssetStateText', AssetState);
const AssetStateOrAll = Named('AssetStateOrAll', Type.Union([AssetState, Type.Literal('')], { description: "one lifecycle state, or '' for all" }));
const PageSize = Named('PageSize', PageSizeText);
const PageBookmark = Named('Bookmark', Bookmark);
const Registrar = Named('Registrar', IdentityPrincipal);

const paging = [
    ['pageSize', PageSize],
    ['bookmark', PageBookmark],
] as const;

const ANYONE = 'any channel member';
const REGISTRY_ADMINS = 'registry administrators (OU=admin of a registry administrator organisation)';
const MANUFACTURER_ADMINS = "registry administrators, or administrators of the manufacturer's organisation";
const REGISTRARS = "the manufacturer's registrars and its organisation's administrators";
const HOLDERS = "the certificate's owner (or its organisation's administrators), its manufacturer, or registry administrators";
const REVOKERS = "the certificate's owner (or its organisation's administrators) or its manufacturer; not registry administrators (D5)";
const ASSET_OWNERS = "members of the asset's owner organisation (others: NOT_FOUND, the asset is not on their peers)";

/** Every transaction of the device identity contract: its shape, what it does and who may call it. */
export const DEVICE_IDENTITY_TRANSACTIONS = {
    InitRegistry: {
        type: 'submit',
        description:
            'Bootstrap: makes the caller\'s organisation, which the deployment names (EDGETRUST_GOVERNANCE_MSP_ID), the first registry administrator. Event: RegistryInitialized.',
        callers: 'an administrator of the organisation the deployment names, once',
        parameters: [],
        returns: RegistryAdministrators,
    },
    AddRegistryAdministrator: {
        type: 'submit',
        description: 'Adds an organisation to the registry administrators; every administrator organisation endorses. Event: RegistryAdministratorAdded.',
        callers: REGISTRY_ADMINS,
        parameters: [['mspId', MspIdText]],
        returns: RegistryAdministrators,
    },
    RemoveRegistryAdministrator: {
        type: 'submit',
        description: 'Removes an organisation from the registry administrators; the last one stays. Event: RegistryAdministratorRemoved.',
        callers: REGISTRY_ADMINS,
        parameters: [['mspId', MspIdText]],
        returns: RegistryAdministrators,
    },
    ReadRegistry: {
        type: 'evaluate',
        description: 'The registry administrator organisations; initialized is false before InitRegistry.',
        callers: ANYONE,
        parameters: [],
        returns: DeviceRegistryState,
    },
    WhoAmI: {
        type: 'evaluate',
        description: 'The caller as the chaincode sees it: the id to appoint as a registrar or name as an owner, and the channel registration proofs are bound to.',
        callers: ANYONE,
        parameters: [],
        returns: CallerIdentity,
    },
    RegisterManufacturer: {
        type: 'submit',
        description: 'Registers a manufacturer operated by organisation mspId (D5). Event: ManufacturerRegistered.',
        callers: REGISTRY_ADMINS,
        parameters: [['request', RegisterManufacturerRequest]],
        returns: Manufacturer,
    },
    AuthorizeRegistrar: {
        type: 'submit',
        description: 'Appoints an identity to register devices for the manufacturer. Event: RegistrarAuthorized.',
        callers: MANUFACTURER_ADMINS,
        parameters: [
            ['manufacturerId', ManufacturerId],
            ['registrar', Registrar],
        ],
        returns: Manufacturer,
    },
    WithdrawRegistrar: {
        type: 'submit',
        description: "Withdraws a registrar's right to register devices for the manufacturer. Event: RegistrarWithdrawn.",
        callers: MANUFACTURER_ADMINS,
        parameters: [
            ['manufacturerId', ManufacturerId],
            ['registrar', Registrar],
        ],
        returns: Manufacturer,
    },
    ReadManufacturer: {
        type: 'evaluate',
        description: 'A manufacturer and its registrars.',
        callers: ANYONE,
        parameters: [['id', ManufacturerId]],
        returns: Manufacturer,
    },
    ListManufacturers: {
        type: 'evaluate',
        description: 'A page of the manufacturers the registry administrators registered, in id order.',
        callers: ANYONE,
        parameters: [...paging],
        returns: ManufacturerPage,
    },
    RegisterDevice: {
        type: 'submit',
        description: "Registers one device's self-signed certificate under a manufacturer, with the device key's proof of possession (D1, D2, D5). Event: DeviceRegistered.",
        callers: REGISTRARS,
        parameters: [['request', RegisterDeviceRequest]],
        returns: DeviceCertificate,
    },
    RegisterDevices: {
        type: 'submit',
        description: 'Registers a production lot of devices in one all-or-nothing transaction. Event: DevicesRegistered.',
        callers: REGISTRARS,
        parameters: [['request', RegisterDevicesRequest]],
        returns: RegisteredLot,
    },
    RegisterApplication: {
        type: 'submit',
        description: "An edge application registers its own self-signed certificate, with its key's proof of possession, and becomes its owner. Event: ApplicationRegistered.",
        callers: ANYONE,
        parameters: [['request', RegisterApplicationRequest]],
        returns: DeviceCertificate,
    },
    ReadDevice: {
        type: 'evaluate',
        description: 'Certificate, owner, manufacturer, status and history of a device or application (D3).',
        callers: ANYONE,
        parameters: [['id', DeviceId]],
        returns: DeviceLookup,
    },
    ReadDeviceByFingerprint: {
        type: 'evaluate',
        description: 'The same lookup by SHA-256 fingerprint, current or superseded.',
        callers: ANYONE,
        parameters: [['fingerprint', Fingerprint]],
        returns: DeviceLookup,
    },
    CheckCertificate: {
        type: 'evaluate',
        description: 'Whether a certificate may be trusted now: registered, current, active and within its validity (D6).',
        callers: ANYONE,
        parameters: [['fingerprint', Fingerprint]],
        returns: CertificateStatusReport,
    },
    CheckCertificates: {
        type: 'evaluate',
        description: `CheckCertificate for up to ${String(MAX_STATUS_CHECKS)} fingerprints at one transaction time, one report each in the order asked (repeats answered again); the records are read in one GET_STATE_MULTIPLE where the peer offers it.`,
        callers: ANYONE,
        parameters: [['request', CheckCertificatesRequest]],
        returns: CertificateStatusReports,
    },
    ListDevicesByManufacturer: {
        type: 'evaluate',
        description: "A page of a manufacturer's devices in id order.",
        callers: ANYONE,
        parameters: [['manufacturerId', ManufacturerId], ...paging],
        returns: DeviceCertificatePage,
    },
    SuspendCertificate: {
        type: 'submit',
        description: 'Puts an active certificate on hold (RFC 5280 certificateHold) (D4). Event: CertificateSuspended.',
        callers: HOLDERS,
        parameters: [
            ['id', DeviceId],
            ['request', StatusChangeRequest],
        ],
        returns: DeviceCertificate,
    },
    ReinstateCertificate: {
        type: 'submit',
        description: 'Releases a hold (RFC 5280 removeFromCRL). Event: CertificateReinstated.',
        callers: HOLDERS,
        parameters: [
            ['id', DeviceId],
            ['request', StatusChangeRequest],
        ],
        returns: DeviceCertificate,
    },
    RevokeCertificate: {
        type: 'submit',
        description: 'Revokes a certificate for good, with an RFC 5280 reason. Event: CertificateRevoked.',
        callers: REVOKERS,
        parameters: [
            ['id', DeviceId],
            ['request', RevokeCertificateRequest],
        ],
        returns: DeviceCertificate,
    },
    RotateCertificate: {
        type: 'submit',
        description:
            "Replaces an active certificate by a new one, proven by the old key's signature over rotationMessage(old fingerprint, new fingerprint); the old fingerprint stays registered as superseded. Event: CertificateRotated.",
        callers: REVOKERS,
        parameters: [
            ['id', DeviceId],
            ['request', RotateCertificateRequest],
        ],
        returns: DeviceCertificate,
    },
    GrantTrust: {
        type: 'submit',
        description: 'Lets application from talk to application to, or to the MEC platform (to = platform) (D8). Event: TrustGranted.',
        callers: "the owner of to (or its organisation's administrators); registry administrators for the platform",
        parameters: [['request', GrantTrustRequest]],
        returns: TrustRelationship,
    },
    RevokeTrust: {
        type: 'submit',
        description: 'Ends a trust relationship. Event: TrustRevoked.',
        callers: 'whoever may grant it, or the owner of from',
        parameters: [
            ['from', AppId],
            ['to', TrustTarget],
        ],
        returns: TrustRelationship,
    },
    CheckTrust: {
        type: 'evaluate',
        description: 'May from talk to to now? Checks the relationship, its expiry and that both certificates are active.',
        callers: ANYONE,
        parameters: [
            ['from', AppId],
            ['to', TrustTarget],
        ],
        returns: TrustDecision,
    },
    ListTrustFrom: {
        type: 'evaluate',
        description: 'A page of the relationships an application may use (it is from), active or not.',
        callers: ANYONE,
        parameters: [['from', AppId], ...paging],
        returns: TrustRelationshipPage,
    },
    ListTrustTo: {
        type: 'evaluate',
        description: 'A page of the relationships towards an application or the platform (it is to), active or not.',
        callers: ANYONE,
        parameters: [['to', TrustTarget], ...paging],
        returns: TrustRelationshipPage,
    },
    RegisterAsset: {
        type: 'submit',
        description:
            "Registers a piece of equipment (D7) in the caller organisation's collection <MSP>Assets: transient entry `asset` holds the RegisterAssetRequest, `salt` the salt of its private records; id and tag must be free in every organisation. Event: AssetRegistered (ids only).",
        callers: 'any member of an organisation that has an asset collection',
        parameters: [['id', AssetId]],
        returns: AssetReceipt,
        transient: [[ASSET_TRANSIENT_KEY, RegisterAssetRequest], [SALT_TRANSIENT_KEY, SaltText]],
    },
    TransitionAsset: {
        type: 'submit',
        description:
            'Moves an asset along its lifecycle (ASSET_TRANSITIONS), recording who, when and where: transient entry `asset` holds the AssetTransitionRequest, `salt` the salt of its private records. Event: AssetTransitioned (ids only).',
        callers: ASSET_OWNERS,
        parameters: [['id', AssetId]],
        returns: AssetReceipt,
        transient: [[ASSET_TRANSIENT_KEY, AssetTransitionRequest], [SALT_TRANSIENT_KEY, SaltText]],
    },
    ReadAsset: {
        type: 'evaluate',
        description: 'An equipment asset.',
        callers: ASSET_OWNERS,
        parameters: [['id', AssetId]],
        returns: EquipmentAsset,
    },
    ReadAssetByTag: {
        type: 'evaluate',
        description: 'The asset a scanned QR/barcode tag belongs to.',
        callers: ASSET_OWNERS,
        parameters: [['tag', AssetTag]],
        returns: EquipmentAsset,
    },
    AssetHistory: {
        type: 'evaluate',
        description: "A page of an asset's history, oldest first.",
        callers: ASSET_OWNERS,
        parameters: [['id', AssetId], ...paging],
        returns: AssetHistoryPage,
    },
    ListAssetsBySite: {
        type: 'evaluate',
        description: "A page of the caller's organisation's assets at a site, in one state or ('') all.",
        callers: "any member; only the caller's organisation's assets",
        parameters: [['site', SiteId], ['state', AssetStateOrAll], ...paging],
        returns: EquipmentAssetPage,
    },
    ListAssetsByState: {
        type: 'evaluate',
        description: "A page of the caller's organisation's assets in one state, across sites.",
        callers: "any member; only the caller's organisation's assets",
        parameters: [['state', AssetStateText], ...paging],
        returns: EquipmentAssetPage,
    },
} as const satisfies TransactionTable;
export type DeviceIdentityTransactionName = keyof typeof DEVICE_IDENTITY_TRANSACTIONS;
