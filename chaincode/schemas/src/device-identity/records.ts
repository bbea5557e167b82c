import { Type, type Static, type TInteger, type TLiteral, type TString, type TUnion } from '@sinclair/typebox';
import { Page } from '../page';
import { Digest, Identifier, MspId, OneOf, Text, UtcInstant } from '../primitives';
import { AssetState, CertificateStatus, FingerprintStatus, HistoryAction, IdentityKind, REASON_CODES, TrustDecisionReason, TrustStatus, type StatusReason } from './enums';

/*
 * Everything the device identity chaincode stores and returns. The chaincode sets every field (clients send
 * requests.ts); times are UTC ISO-8601 with milliseconds.
 */

const TxId = Type.String({ description: 'the Fabric transaction id' });
const Version = (description: string): TInteger => Type.Integer({ minimum: 0, description });
/** A time that may not have happened: '' while it has not. */
const InstantOrEmpty = (description: string): TUnion<[TString, TLiteral<''>]> => Type.Union([UtcInstant(), Type.Literal('')], { description });

/** Every RFC 5280 reason a status change records, or '' while there was none. */
const StatusReasonOrNone = Type.Union([OneOf(Object.keys(REASON_CODES) as StatusReason[], 'RFC 5280 CRLReason'), Type.Literal('')], {
    description: "RFC 5280 reason of the last status change; '' while never suspended or revoked",
});
const ReasonCode = Type.Integer({ minimum: -1, description: 'RFC 5280 reason code, -1 while none' });

/**
 * A Fabric identity: its organisation's MSP id and the X.509 id string that fabric-shim's
 * ClientIdentity.getID() gives (`x509::<subject>::<issuer>`); clients learn theirs from `WhoAmI`.
 */
export const IdentityPrincipal = Type.Object(
    { mspId: Identifier(128, 'MSP id of the organisation'), id: Text(1024, 'x509::<subject>::<issuer>, as WhoAmI tells it') },
    { $id: 'IdentityPrincipal' },
);
export type IdentityPrincipal = Static<typeof IdentityPrincipal>;

/** The caller as the chaincode sees it, with the channel that registration proofs are bound to. */
export const CallerIdentity = Type.Object(
    {
        mspId: MspId(),
        id: Type.String({ description: 'x509::<subject>::<issuer>' }),
        channel: Type.String({ description: 'the channel, which registration proofs are bound to' }),
        orgAdmin: Type.Boolean({ description: 'an administrator (OU=admin) of its organisation' }),
        registryAdmin: Type.Boolean({ description: 'an administrator of a registry administrator organisation' }),
    },
    { $id: 'CallerIdentity' },
);
export type CallerIdentity = Static<typeof CallerIdentity>;

/** The registry administrator organisations; `initialized` is false before InitRegistry. */
export const DeviceRegistryState = Type.Object({ initialized: Type.Boolean(), mspIds: Type.Array(MspId()) }, { $id: 'DeviceRegistryState' });
export type DeviceRegistryState = Static<typeof DeviceRegistryState>;

/**
 * The organisations whose administrators (OU=admin) run the registry: they register manufacturers, appoint
 * registrars, manage the platform's trust relationships and may put any certificate on hold.
 */
export const RegistryAdministrators = Type.Object(
    {
        mspIds: Type.Array(MspId(), { minItems: 1 }),
        updatedAt: UtcInstant(),
        updatedBy: IdentityPrincipal,
        /**
         * The manufacturers the registry administrators registered. A manufacturer key is new when it is written,
         * so the chaincode-level OR policy lets any organisation's peer create one; this list lives in the registry
         * key, whose key-level policy needs every administrator organisation, and only listed manufacturers count.
         */
        manufacturerIds: Type.Optional(Type.Array(Identifier(), { description: 'the manufacturers the registry administrators registered (stored, not returned by changes)' })),
    },
    { $id: 'RegistryAdministrators' },
);
export type RegistryAdministrators = Static<typeof RegistryAdministrators>;

/** A device manufacturer and who may register certificates under its name (D5): its organisation's administrators and the registrars appointed on chain. */
export const Manufacturer = Type.Object(
    {
        id: Identifier(),
        name: Text(),
        mspId: Identifier(128, 'administrators of this organisation may act for the manufacturer'),
        registrars: Type.Array(IdentityPrincipal, { description: 'identities appointed to register devices, in (mspId, id) order' }),
        registeredBy: IdentityPrincipal,
        registeredAt: UtcInstant(),
        updatedAt: UtcInstant(),
    },
    { $id: 'Manufacturer' },
);
export type Manufacturer = Static<typeof Manufacturer>;

/**
 * A registered self-signed certificate of a device (registered by its manufacturer) or of an edge application
 * (registered by itself). `id` stays the same across key rotations; `fingerprint` is the current certificate's.
 */
export const DeviceCertificate = Type.Object(
    {
        id: Identifier(),
        kind: IdentityKind,
        fingerprint: Digest("SHA-256 of the current certificate's DER, lower-case hex"),
        certificatePem: Type.String(),
        subject: Type.String(),
        serialNumber: Type.String(),
        keyType: Type.String({ description: 'ec-p256, ec-p384, ed25519 or rsa-<bits>' }),
        notBefore: UtcInstant(),
        notAfter: UtcInstant(),
        manufacturerId: Type.String({ description: 'empty for applications' }),
        lot: Type.String({ description: "production lot; '' when not given" }),
        model: Type.String({ description: "device model, or the application name; '' when not given" }),
        owner: IdentityPrincipal,
        registeredBy: IdentityPrincipal,
        registeredAt: UtcInstant(),
        status: CertificateStatus,
        statusReason: StatusReasonOrNone,
        statusReasonCode: ReasonCode,
        statusChangedAt: UtcInstant(),
        statusChangedBy: IdentityPrincipal,
        invalidityDate: InstantOrEmpty('RFC 5280 invalidity date given with a revocation: when the key is known or suspected to be compromised'),
        previousFingerprints: Type.Array(Digest(), { description: 'certificates superseded by rotations, oldest first' }),
        version: Version('number of history entries, the sequence of the last one'),
    },
    { $id: 'DeviceCertificate' },
);
export type DeviceCertificate = Static<typeof DeviceCertificate>;

/** One change of a certificate record, kept under its own key so history needs no history database. */
export const DeviceHistoryEntry = Type.Object(
    {
        id: Identifier(),
        seq: Version('sequence of this entry, from 1'),
        action: HistoryAction,
        status: CertificateStatus,
        fingerprint: Digest(),
        previousFingerprint: Type.String({ description: "for a rotation, the superseded certificate; '' otherwise" }),
        reason: StatusReasonOrNone,
        reasonCode: ReasonCode,
        comment: Type.String(),
        by: IdentityPrincipal,
        at: UtcInstant(),
        txId: TxId,
    },
    { $id: 'DeviceHistoryEntry' },
);
export type DeviceHistoryEntry = Static<typeof DeviceHistoryEntry>;

/** A certificate record together with its history, as lookups by id or fingerprint return it (D3). */
export const DeviceLookup = Type.Object(
    {
        certificate: DeviceCertificate,
        fingerprint: Digest('the fingerprint looked up'),
        fingerprintStatus: FingerprintStatus,
        history: Type.Array(DeviceHistoryEntry, { description: 'oldest first' }),
    },
    { $id: 'DeviceLookup' },
);
export type DeviceLookup = Static<typeof DeviceLookup>;

/** The answer to "may I trust this certificate now?", as the TLS helper asks it (D6). Identity fields are absent for an unknown fingerprint, validity for a superseded one. */
export const CertificateStatusReport = Type.Object(
    {
        fingerprint: Digest(),
        status: FingerprintStatus,
        trusted: Type.Boolean({ description: 'active, current, and within its validity window at the transaction time' }),
        checkedAt: UtcInstant('the transaction time'),
        id: Type.Optional(Identifier()),
        kind: Type.Optional(IdentityKind),
        manufacturerId: Type.Optional(Type.String()),
        ownerMspId: Type.Optional(MspId()),
        notBefore: Type.Optional(UtcInstant()),
        notAfter: Type.Optional(UtcInstant()),
    },
    { $id: 'CertificateStatusReport' },
);
export type CertificateStatusReport = Static<typeof CertificateStatusReport>;

/** What CheckCertificates returns: one report per fingerprint asked, in the order asked, all at one transaction time. */
export const CertificateStatusReports = Type.Object({ reports: Type.Array(CertificateStatusReport) }, { $id: 'CertificateStatusReports' });
export type CertificateStatusReports = Static<typeof CertificateStatusReports>;

/** What RegisterDevices returns: the lot, all registered. */
export const RegisteredLot = Type.Object(
    { manufacturerId: Identifier(), lot: Type.String(), count: Type.Integer({ minimum: 1 }), devices: Type.Array(DeviceCertificate) },
    { $id: 'RegisteredLot' },
);
export type RegisteredLot = Static<typeof RegisteredLot>;

/**
 * Application `from` may open connections to application `to`, or to the MEC platform when `to` is `platform`
 * (D8). Granted by whoever answers for `to`: its owner, or a registry administrator for the platform.
 */
export const TrustRelationship = Type.Object(
    {
        from: Identifier(),
        to: Identifier(128, 'an application id, or platform'),
        status: TrustStatus,
        purpose: Type.String(),
        expiresAt: InstantOrEmpty("'' for no expiry"),
        grantedBy: IdentityPrincipal,
        grantedAt: UtcInstant(),
        updatedBy: IdentityPrincipal,
        updatedAt: UtcInstant(),
    },
    { $id: 'TrustRelationship' },
);
export type TrustRelationship = Static<typeof TrustRelationship>;

/** The answer of CheckTrust: may `from` talk to `to` now? */
export const TrustDecision = Type.Object(
    {
        from: Identifier(),
        to: Identifier(),
        allowed: Type.Boolean(),
        reason: TrustDecisionReason,
        checkedAt: UtcInstant('the transaction time'),
        relationship: Type.Optional(TrustRelationship),
    },
    { $id: 'TrustDecision' },
);
export type TrustDecision = Static<typeof TrustDecision>;

/** A piece of equipment (base station, antenna, switch, air conditioner ...) identified by its QR/barcode tag (D7). */
export const EquipmentAsset = Type.Object(
    {
        id: Identifier(),
        tag: Identifier(128, 'the QR code or barcode id printed on the equipment; unique'),
        type: Identifier(64, 'equipment type, e.g. base_station, antenna, switch, air_conditioner'),
        site: Identifier(),
        location: Type.String({ description: 'where on the site (rack, mast, room); free text' }),
        state: AssetState,
        model: Type.String(),
        serialNumber: Type.String(),
        ownerMspId: MspId('the organisation whose members manage this asset'),
        lentTo: Type.String({ description: 'who holds the equipment while it is lent' }),
        replacedBy: Type.String({ description: 'the asset that replaced this one' }),
        registeredBy: IdentityPrincipal,
        registeredAt: UtcInstant(),
        updatedBy: IdentityPrincipal,
        updatedAt: UtcInstant(),
        version: Version('number of history entries, the sequence of the last one'),
    },
    { $id: 'EquipmentAsset' },
);
export type EquipmentAsset = Static<typeof EquipmentAsset>;

/**
 * What RegisterAsset and TransitionAsset return and what their events carry: ids only, since the asset is private
 * data of its owner organisation (issue 9, finding 8); the owner reads the asset with ReadAsset.
 */
export const AssetReceipt = Type.Object({ id: Identifier(), txId: TxId }, { $id: 'AssetReceipt' });
export type AssetReceipt = Static<typeof AssetReceipt>;

/** One recorded state change: who, when and where (D7). `from` is empty for the registration. */
export const AssetHistoryEntry = Type.Object(
    {
        id: Identifier(),
        seq: Version('sequence of this entry, from 1'),
        from: Type.Union([AssetState, Type.Literal('')], { description: "the state before; '' for the registration" }),
        to: AssetState,
        site: Identifier(),
        location: Type.String(),
        note: Type.String(),
        lentTo: Type.String(),
        replacedBy: Type.String(),
        by: IdentityPrincipal,
        at: UtcInstant(),
        txId: TxId,
    },
    { $id: 'AssetHistoryEntry' },
);
export type AssetHistoryEntry = Static<typeof AssetHistoryEntry>;

export const ManufacturerPage = Page(Manufacturer, { $id: 'ManufacturerPage' });
export const DeviceCertificatePage = Page(DeviceCertificate, { $id: 'DeviceCertificatePage' });
export const TrustRelationshipPage = Page(TrustRelationship, { $id: 'TrustRelationshipPage' });
export const EquipmentAssetPage = Page(EquipmentAsset, { $id: 'EquipmentAssetPage' });
export const AssetHistoryPage = Page(AssetHistoryEntry, { $id: 'AssetHistoryPage' });
