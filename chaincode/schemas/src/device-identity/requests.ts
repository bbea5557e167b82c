import { Type, type Static, type TString } from '@sinclair/typebox';
import { Digest, Identifier, Text, UtcInstant } from '../primitives';
import { AssetState, InitialAssetState, RevocationReason } from './enums';
import { IdentityPrincipal } from './records';

/*
 * Everything a client sends the device identity chaincode. JSON requests travel as one text argument each; the
 * chaincode parses them itself so that bad input is refused with a stable code.
 */

/** The most devices one RegisterDevices transaction takes. */
export const MAX_BATCH_SIZE = 500;

/**
 * The most fingerprints one CheckCertificates query takes: enough to answer a burst of handshakes in one proposal,
 * small enough that the answer (about 400 bytes a report) stays far below a gRPC message's limit.
 */
export const MAX_STATUS_CHECKS = 200;

const SubjectId = Identifier(128, 'device or application id; platform is reserved');
const CertificatePem = Type.String({ description: 'one self-signed X.509 certificate, PEM' });
const Proof = (whose: string): TString =>
    Type.String({ description: `proof of possession: base64 of ${whose} signature over the registration message (certificate-check.ts registrationMessage)` });

/** RegisterManufacturer: a manufacturer operated by organisation `mspId`. */
export const RegisterManufacturerRequest = Type.Object(
    { id: Identifier(), name: Text(), mspId: Identifier(128, 'administrators of this organisation may act for the manufacturer') },
    { $id: 'RegisterManufacturerRequest' },
);
export type RegisterManufacturerRequest = Static<typeof RegisterManufacturerRequest>;

/** One device of a registration. */
export const DeviceRegistration = Type.Object(
    {
        id: SubjectId,
        certificatePem: CertificatePem,
        proof: Proof("the device key's"),
        model: Type.Optional(Text()),
        owner: Type.Optional(IdentityPrincipal),
    },
    { $id: 'DeviceRegistration' },
);
export type DeviceRegistration = Static<typeof DeviceRegistration>;

/** RegisterDevice: one device of a manufacturer. */
export const RegisterDeviceRequest = Type.Composite([DeviceRegistration, Type.Object({ manufacturerId: Identifier(), lot: Type.Optional(Text()) })], {
    $id: 'RegisterDeviceRequest',
});
export type RegisterDeviceRequest = Static<typeof RegisterDeviceRequest>;

/** RegisterDevices: a production lot in one all-or-nothing transaction. */
export const RegisterDevicesRequest = Type.Object(
    {
        manufacturerId: Identifier(),
        lot: Type.Optional(Text()),
        model: Type.Optional(Text(256, 'default model of the devices that name none')),
        devices: Type.Array(DeviceRegistration, { minItems: 1, maxItems: MAX_BATCH_SIZE }),
    },
    { $id: 'RegisterDevicesRequest' },
);
export type RegisterDevicesRequest = Static<typeof RegisterDevicesRequest>;

/** RegisterApplication: an edge application registers its own certificate. */
export const RegisterApplicationRequest = Type.Object(
    { id: SubjectId, certificatePem: CertificatePem, proof: Proof("the application key's"), name: Type.Optional(Text(256, 'application name, stored as model')) },
    { $id: 'RegisterApplicationRequest' },
);
export type RegisterApplicationRequest = Static<typeof RegisterApplicationRequest>;

/** SuspendCertificate, ReinstateCertificate. */
export const StatusChangeRequest = Type.Object({ comment: Type.Optional(Text(1024)) }, { $id: 'StatusChangeRequest' });
export type StatusChangeRequest = Static<typeof StatusChangeRequest>;

/** RevokeCertificate. */
export const RevokeCertificateRequest = Type.Object(
    {
        reason: RevocationReason,
        comment: Type.Optional(Text(1024)),
        invalidityDate: Type.Optional(UtcInstant('when the key is known or suspected to have been compromised; not in the future')),
    },
    { $id: 'RevokeCertificateRequest' },
);
export type RevokeCertificateRequest = Static<typeof RevokeCertificateRequest>;

/** RotateCertificate. */
export const RotateCertificateRequest = Type.Object(
    { certificatePem: CertificatePem, signature: Type.String({ description: "base64 of the old key's signature over rotationMessage(old fingerprint, new fingerprint)" }) },
    { $id: 'RotateCertificateRequest' },
);
export type RotateCertificateRequest = Static<typeof RotateCertificateRequest>;

/** GrantTrust: application `from` may talk to application `to`, or to the platform. */
export const GrantTrustRequest = Type.Object(
    {
        from: SubjectId,
        to: Identifier(128, 'an application id, or platform'),
        purpose: Type.Optional(Text(512)),
        expiresAt: Type.Optional(UtcInstant('in the future; no expiry when absent')),
    },
    { $id: 'GrantTrustRequest' },
);
export type GrantTrustRequest = Static<typeof GrantTrustRequest>;

/** RegisterAsset: a piece of equipment of the caller's organisation. */
export const RegisterAssetRequest = Type.Object(
    {
        id: Identifier(),
        tag: Identifier(128, 'QR code or barcode id; unique'),
        type: Identifier(64, 'equipment type, e.g. base_station'),
        site: Identifier(),
        location: Type.Optional(Text()),
        model: Type.Optional(Text()),
        serialNumber: Type.Optional(Text()),
        state: Type.Optional(InitialAssetState),
        note: Type.Optional(Text(1024)),
    },
    { $id: 'RegisterAssetRequest' },
);
export type RegisterAssetRequest = Static<typeof RegisterAssetRequest>;

/**
 * The transient-map entry RegisterAsset and TransitionAsset read: the request (RegisterAssetRequest or
 * AssetTransitionRequest), so that nothing of the asset enters the transaction. The salt of the private records is
 * the transaction's (SALT_TRANSIENT_KEY), so that their public hashes cannot be confirmed by guessing. The SDK's
 * typed client sends both.
 */
export const ASSET_TRANSIENT_KEY = 'asset';

/** TransitionAsset: the next lifecycle state, and where. */
export const AssetTransitionRequest = Type.Object(
    {
        to: AssetState,
        site: Type.Optional(Identifier(128, 'a new site when the equipment moves; the current one otherwise')),
        location: Type.Optional(Text()),
        note: Type.Optional(Text(1024)),
        lentTo: Type.Optional(Identifier(128, 'required when lending')),
        replacedBy: Type.Optional(Identifier(128, 'required when replaced: the id of the replacing asset')),
    },
    { $id: 'AssetTransitionRequest' },
);
export type AssetTransitionRequest = Static<typeof AssetTransitionRequest>;

/** CheckCertificates: the status of several certificates at one transaction time, answered in request order. */
export const CheckCertificatesRequest = Type.Object(
    { fingerprints: Type.Array(Digest("SHA-256 of a certificate's DER, 64 lower-case hex characters"), { minItems: 1, maxItems: MAX_STATUS_CHECKS }) },
    { $id: 'CheckCertificatesRequest' },
);
export type CheckCertificatesRequest = Static<typeof CheckCertificatesRequest>;
