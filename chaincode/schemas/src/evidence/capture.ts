import { Type, type Static } from '@sinclair/typebox';
import { Digest, Enumeration, Identifier, UtcInstant } from '../primitives';

/*
 * A signed capture: the device that captured a piece of data signs its digest with the key of its certificate
 * registered in device identity, so the evidence chaincode can prove the record's source instead of taking the
 * submitter's word. The bytes signed are defined here once, for the devices and the SDK that sign them and the
 * chaincode that verifies them (test vectors: capture-vectors.json).
 */

/** Largest sequence number: integers stay exact in JSON. */
export const MAX_CAPTURE_SEQUENCE = Number.MAX_SAFE_INTEGER;

/** Standard base64 with padding; 2048 characters cover every signature the registry's key types make. */
export const SIGNATURE_BASE64_PATTERN = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';

/** What a device signs and sends with the digest (Anchor's `capture`, AnchorBatch's `metadata.capture`). */
export const SignedCapture = Type.Object(
    {
        deviceId: Identifier(128, 'the id of the device in device identity; equal to source.id'),
        captureTime: Type.String({
            ...UtcInstant(),
            pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$',
            description: 'when the device captured the data, by its clock: exactly YYYY-MM-DDTHH:mm:ss.sssZ (the bytes signed)',
        }),
        sequence: Type.Integer({ minimum: 1, maximum: MAX_CAPTURE_SEQUENCE, description: "the device's capture counter: above every sequence of the device anchored before" }),
        signature: Type.String({ maxLength: 2048, pattern: SIGNATURE_BASE64_PATTERN, description: 'base64 of the device key signature over the capture message (ECDSA: DER)' }),
    },
    { $id: 'SignedCapture', additionalProperties: false },
);
export type SignedCapture = Static<typeof SignedCapture>;

/** The facts a capture message binds. `digest` is the record's digest (a batch's tree root). */
export interface CaptureBinding {
    /** The channel the evidence chaincode runs on, so a capture cannot be replayed on another ledger. */
    channel: string;
    deviceId: string;
    digest: string;
    captureTime: string;
    sequence: number;
}

/**
 * The exact bytes a device signs: the UTF-8 of `edgetrust:capture:v1:` followed by the JSON array
 * [channel, deviceId, digest, captureTime, sequence] (the same style as device identity's registration message).
 */
export function captureMessage(binding: Readonly<CaptureBinding>): Buffer {
    const { channel, deviceId, digest, captureTime, sequence } = binding;
    return Buffer.from(`edgetrust:capture:v1:${JSON.stringify([channel, deviceId, digest, captureTime, sequence])}`, 'utf8');
}

/**
 * The hash each registered key type signs with (node:crypto's `sign(algorithm, …)`): none for Ed25519 (pure
 * EdDSA), SHA-384 for P-384, SHA-256 otherwise (P-256 ECDSA, RSA PKCS#1 v1.5), as device identity's proofs.
 */
export function captureSignatureHash(keyType: string): string | null {
    if (keyType === 'ed25519') {
        return null;
    }
    return keyType === 'ec-p384' ? 'sha384' : 'sha256';
}

/** Certificate statuses as device identity reports them. */
export const [DEVICE_STATUSES, DeviceStatus] = Enumeration(['active', 'suspended', 'revoked'], "a device certificate's status in device identity");
export type DeviceStatus = Static<typeof DeviceStatus>;

/** What a record keeps of a verified capture: its source is then proven, not claimed. */
export const SourceProof = Type.Object(
    {
        deviceId: Identifier(),
        captureTime: UtcInstant('as signed'),
        sequence: Type.Integer({ minimum: 1 }),
        previousSequence: Type.Integer({ minimum: 0, description: "the device's last anchored sequence before this one (0: none); a gap shows captures never anchored" }),
        signature: Type.String({ description: 'as sent: anyone holding the certificate can check it again' }),
        certificateFingerprint: Digest("SHA-256 of the device certificate's DER at anchoring"),
        keyType: Type.String({ description: 'ec-p256, ec-p384, ed25519 or rsa-<bits>' }),
        statusAtCapture: DeviceStatus,
        trustedAtCapture: Type.Boolean({ description: 'registered, active and within its validity at captureTime, and still active at anchoring' }),
    },
    { $id: 'SourceProof' },
);
export type SourceProof = Static<typeof SourceProof>;

/** How a record's source is known: `signed` by the device (proven), or `claimed` by the submitter. */
export const [SOURCE_BASES, SourceBasis] = Enumeration(['signed', 'claimed'], "how the record's source is known");
export type SourceBasis = Static<typeof SourceBasis>;

/** What Verify says about the source. */
export const SourceVerification = Type.Object(
    {
        basis: SourceBasis,
        signatureValid: Type.Boolean({ description: "signed: the device key's signature verified against its registered certificate when the endorsing peers anchored it" }),
        trustedAtCapture: Type.Boolean({ description: 'signed: the device was registered and active at capture time (claimed: false)' }),
        deviceStatusNow: Type.Optional(Type.Union([DeviceStatus, Type.Literal('unknown')], { description: "the device's status in device identity at verification" })),
    },
    { $id: 'SourceVerification' },
);
export type SourceVerification = Static<typeof SourceVerification>;
