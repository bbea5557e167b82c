import { verify, X509Certificate } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { ChaincodeError, invalidArgument, isEmpty, queryChaincode, requireIdentifier, requireInstantMillis, txTimeMillis } from '../../common/src';
import {
    captureMessage,
    captureSignatureHash,
    type DeviceStatus,
    EvidenceErrorCode,
    type EvidenceSource,
    MAX_CAPTURE_SEQUENCE,
    SIGNATURE_BASE64_PATTERN,
    type SignedCapture,
    type SourceProof,
    type SourceVerification,
} from '../../schemas/src';
import { key, KeyType } from './keys';

/*
 * Signed captures: a device's signature over what it captured, checked against its certificate in device identity
 * (a chaincode-to-chaincode query on the same channel, whose reads join this transaction's read set, so a revocation
 * committed meanwhile invalidates the anchoring), and the device's sequence counter against replays.
 */

/** The device identity chaincode's name on the channel (network/topology.json). */
export const DEVICE_IDENTITY_CHAINCODE = 'device-identity';

/** What evidence reads of device identity's ReadDevice answer (its DeviceLookup); only these fields are relied on. */
interface DeviceLookupView {
    certificate: {
        id: string;
        kind: string;
        fingerprint: string;
        certificatePem: string;
        keyType: string;
        notBefore: string;
        notAfter: string;
        status: DeviceStatus;
    };
    history: { seq: number; status: DeviceStatus; at: string }[];
}

/** A capture checked against device identity, with what advances the device's sequence. */
export interface VerifiedCapture {
    proof: SourceProof;
    /** The device's sequence key and its new value. */
    sequenceWrite: [string, Uint8Array];
}

/** The capture part of a request: shape only (the signature is checked by {@link verifyCapture}). */
export function validateCapture(value: unknown, source: EvidenceSource): SignedCapture {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw invalidArgument('capture must be an object with deviceId, captureTime, sequence and signature');
    }
    const raw = value as Partial<Record<keyof SignedCapture, unknown>>;
    const extra = Object.keys(raw).find((field) => !['deviceId', 'captureTime', 'sequence', 'signature'].includes(field));
    if (extra !== undefined) {
        throw invalidArgument(`capture.${extra} is not a capture field`);
    }
    const deviceId = requireIdentifier(raw.deviceId, 'capture.deviceId');
    const captureTime = requireSignedTime(raw.captureTime);
    const sequence = requireSequence(raw.sequence);
    const signature = requireSignature(raw.signature);
    if ((source.type !== 'device' && source.type !== 'app') || source.id !== deviceId) {
        throw invalidArgument(`a signed capture's source must be {type: device or app, id: ${deviceId}}, not ${source.type} ${source.id}`);
    }
    return { deviceId, captureTime, sequence, signature };
}

/** The time exactly as signed: the one ISO form with milliseconds. */
function requireSignedTime(value: unknown): string {
    const captureTime = new Date(requireInstantMillis(value, 'capture.captureTime')).toISOString();
    if (value !== captureTime) {
        throw invalidArgument(`capture.captureTime must be written exactly as signed, YYYY-MM-DDTHH:mm:ss.sssZ (${captureTime})`);
    }
    return captureTime;
}

function requireSequence(value: unknown): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > MAX_CAPTURE_SEQUENCE) {
        throw invalidArgument('capture.sequence must be an integer from 1');
    }
    return value;
}

const SIGNATURE_BASE64 = new RegExp(SIGNATURE_BASE64_PATTERN);

function requireSignature(value: unknown): string {
    if (typeof value !== 'string' || value === '' || value.length > 2048 || !SIGNATURE_BASE64.test(value)) {
        throw invalidArgument('capture.signature must be the standard base64 of a signature, at most 2048 characters');
    }
    return value;
}

/**
 * Checks a capture of `digest`: the device is known, trusted at capture time and now, the signature is its key's over
 * the capture message, and the sequence is above the device's last. Throws a coded error otherwise; writes nothing.
 */
export async function verifyCapture(ctx: Context, capture: SignedCapture, digest: string, source: EvidenceSource): Promise<VerifiedCapture> {
    const captureMillis = Date.parse(capture.captureTime);
    if (captureMillis > txTimeMillis(ctx)) {
        throw invalidArgument(`capture.captureTime ${capture.captureTime} is after the transaction time`);
    }
    const lookup = await readDevice(ctx, capture.deviceId);
    const { certificate } = lookup;
    if (certificate.kind !== source.type) {
        throw invalidArgument(`${capture.deviceId} is registered as ${certificate.kind}, not as ${source.type}`);
    }
    const statusAtCapture = statusAt(lookup, captureMillis);
    if (statusAtCapture === undefined) {
        throw sourceError(EvidenceErrorCode.SourceNotTrusted, `${capture.deviceId} was not registered yet at ${capture.captureTime}`);
    }
    if (certificate.status !== 'active' || statusAtCapture !== 'active') {
        const when = certificate.status !== 'active' ? 'now' : `at ${capture.captureTime}`;
        throw sourceError(EvidenceErrorCode.SourceNotTrusted, `${capture.deviceId} is ${certificate.status !== 'active' ? certificate.status : statusAtCapture} ${when}`);
    }
    if (captureMillis < Date.parse(certificate.notBefore) || captureMillis > Date.parse(certificate.notAfter)) {
        throw sourceError(EvidenceErrorCode.SourceNotTrusted, `${capture.deviceId}'s certificate is valid ${certificate.notBefore} to ${certificate.notAfter}, not at ${capture.captureTime}`);
    }
    const message = captureMessage({ channel: ctx.stub.getChannelID(), deviceId: capture.deviceId, digest, captureTime: capture.captureTime, sequence: capture.sequence });
    if (!signatureVerifies(certificate.certificatePem, certificate.keyType, message, capture.signature)) {
        throw sourceError(EvidenceErrorCode.SourceSignatureInvalid, `capture.signature is not ${capture.deviceId}'s signature over this capture (digest, time, sequence, channel)`);
    }
    const sequenceKey = key(ctx, KeyType.DeviceSequence, capture.deviceId);
    const previousSequence = await lastSequence(ctx, sequenceKey);
    if (capture.sequence <= previousSequence) {
        throw sourceError(EvidenceErrorCode.CaptureReplayed, `${capture.deviceId}'s capture ${String(capture.sequence)} is not above its last anchored sequence ${String(previousSequence)}`);
    }
    const proof: SourceProof = {
        ...capture,
        previousSequence,
        certificateFingerprint: certificate.fingerprint,
        keyType: certificate.keyType,
        statusAtCapture,
        trustedAtCapture: true,
    };
    return { proof, sequenceWrite: [sequenceKey, Buffer.from(String(capture.sequence))] };
}

/** What Verify says about a record's source: from its proof, and the device's status now if device identity answers. */
export async function sourceVerification(ctx: Context, proof: SourceProof | undefined): Promise<SourceVerification> {
    if (!proof) {
        return { basis: 'claimed', signatureValid: false, trustedAtCapture: false };
    }
    const answer: SourceVerification = { basis: 'signed', signatureValid: true, trustedAtCapture: proof.trustedAtCapture };
    try {
        return { ...answer, deviceStatusNow: (await readDevice(ctx, proof.deviceId)).certificate.status };
    } catch (err) {
        if (err instanceof ChaincodeError && err.code === EvidenceErrorCode.SourceDeviceUnknown) {
            return { ...answer, deviceStatusNow: 'unknown' };
        }
        return answer;
    }
}

/** The device's status at `millis` by its history (oldest first): the last change at or before then; undefined before registration. */
function statusAt(lookup: DeviceLookupView, millis: number): DeviceStatus | undefined {
    let status: DeviceStatus | undefined;
    for (const entry of lookup.history) {
        if (Date.parse(entry.at) > millis) {
            break;
        }
        status = entry.status;
    }
    return status;
}

async function lastSequence(ctx: Context, sequenceKey: string): Promise<number> {
    const bytes = await ctx.stub.getState(sequenceKey);
    return isEmpty(bytes) ? 0 : Number(Buffer.from(bytes).toString('utf8'));
}

/** Node's verify is deterministic (OpenSSL, no randomness in verification); a malformed signature is just invalid. */
function signatureVerifies(certificatePem: string, keyType: string, message: Buffer, signature: string): boolean {
    try {
        return verify(captureSignatureHash(keyType), message, new X509Certificate(certificatePem).publicKey, Buffer.from(signature, 'base64'));
    } catch {
        return false;
    }
}

async function readDevice(ctx: Context, deviceId: string): Promise<DeviceLookupView> {
    const lookup = await queryChaincode<DeviceLookupView>(ctx, DEVICE_IDENTITY_CHAINCODE, 'ReadDevice', [deviceId], (message) => deviceIdentityFailure(deviceId, message));
    if (typeof lookup.certificate !== 'object' || !Array.isArray(lookup.history)) {
        throw sourceError(EvidenceErrorCode.SourceRegistryUnavailable, `device identity answered ReadDevice ${deviceId} with an unexpected shape`);
    }
    return lookup;
}

/** ReadDevice's NOT_FOUND means an unknown device; anything else is the registry failing (fail closed). */
function deviceIdentityFailure(deviceId: string, message: string): ChaincodeError {
    if (/NOT_FOUND/.test(message)) {
        return sourceError(EvidenceErrorCode.SourceDeviceUnknown, `device ${deviceId} is not registered in device identity`);
    }
    return sourceError(EvidenceErrorCode.SourceRegistryUnavailable, `device identity could not be asked about ${deviceId}: ${message.slice(0, 200)}`);
}

function sourceError(code: EvidenceErrorCode, message: string): ChaincodeError {
    return new ChaincodeError(code, message);
}
