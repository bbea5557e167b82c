import { createPrivateKey, createPublicKey, type KeyObject, sign, verify, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { captureMessage, captureSignatureHash, type SignedCapture, type SourceProof } from '@edgetrust/schemas';
import { hashFile, sha256Hex } from './hashing';

/*
 * Signing captures on the device side: the device signs the digest of what it captured with the key of its certificate
 * registered in device identity (P-256, P-384, Ed25519 or RSA, as the registry accepts), so the evidence chaincode can
 * prove the record's source. The bytes signed are the schema package's captureMessage.
 */

/** A device key: a KeyObject, or a PEM (PKCS#8 or SEC1) text. */
export type DeviceKey = KeyObject | string;

export interface CaptureOptions {
    /** The channel the evidence chaincode runs on (part of what is signed). */
    channel: string;
    /** The device's id in device identity. */
    deviceId: string;
    /** The device's capture counter: above every capture of this device anchored before. */
    sequence: number;
    /** When the device captured the data; defaults to now. */
    captureTime?: Date;
    key: DeviceKey;
}

/** The key type names device identity gives certificates, from a private or public key. */
export function deviceKeyType(key: KeyObject): string {
    const type = key.asymmetricKeyType;
    if (type === 'ed25519') {
        return 'ed25519';
    }
    if (type === 'ec') {
        const curve = key.asymmetricKeyDetails?.namedCurve;
        if (curve === 'prime256v1') {
            return 'ec-p256';
        }
        if (curve === 'secp384r1') {
            return 'ec-p384';
        }
        throw new Error(`device keys on curve ${String(curve)} are not accepted by device identity (P-256 or P-384)`);
    }
    if (type === 'rsa') {
        return `rsa-${String(key.asymmetricKeyDetails?.modulusLength ?? 0)}`;
    }
    throw new Error(`device keys of type ${String(type)} are not accepted by device identity`);
}

function privateKeyOf(key: DeviceKey): KeyObject {
    return typeof key === 'string' ? createPrivateKey(key) : key;
}

/** Signs the capture of `digest` (a record's digest, or a batch's tree root). */
export function signCapture(digest: string, options: Readonly<CaptureOptions>): SignedCapture {
    const key = privateKeyOf(options.key);
    const captureTime = (options.captureTime ?? new Date()).toISOString();
    const { channel, deviceId, sequence } = options;
    const message = captureMessage({ channel, deviceId, digest, captureTime, sequence });
    const signature = sign(captureSignatureHash(deviceKeyType(key)), message, key).toString('base64');
    return { deviceId, captureTime, sequence, signature };
}

/** A capture ready to anchor: what `anchor` takes as digest, size, source and capture. */
export interface DeviceCapture {
    digest: string;
    size: number;
    source: { type: 'device'; id: string };
    capture: SignedCapture;
}

/** Device side: hashes a file (streaming) and signs its capture. */
export async function captureFile(path: string, options: Readonly<CaptureOptions>): Promise<DeviceCapture> {
    const { digest, size } = await hashFile(path);
    return { digest, size, source: { type: 'device', id: options.deviceId }, capture: signCapture(digest, options) };
}

/** Device side: a reading (bytes, or text as UTF-8; an object as its JSON) and its signed capture. */
export function captureReading(reading: Uint8Array | string | object, options: Readonly<CaptureOptions>): DeviceCapture & { bytes: Buffer } {
    const bytes = reading instanceof Uint8Array ? Buffer.from(reading) : Buffer.from(typeof reading === 'string' ? reading : JSON.stringify(reading), 'utf8');
    const digest = sha256Hex(bytes);
    return { digest, size: bytes.length, bytes, source: { type: 'device', id: options.deviceId }, capture: signCapture(digest, options) };
}

/**
 * Checks a record's source proof again, off chain, with the device's certificate (from device identity's
 * ReadDevice or ReadDeviceByFingerprint): true when the certificate is the one the proof names and its key signed
 * this capture of `digest` on `channel`.
 */
export function verifyCaptureSignature(certificatePem: string, channel: string, digest: string, proof: Readonly<Pick<SourceProof, 'deviceId' | 'captureTime' | 'sequence' | 'signature' | 'certificateFingerprint'>>): boolean {
    const certificate = new X509Certificate(certificatePem);
    if (certificate.fingerprint256.replaceAll(':', '').toLowerCase() !== proof.certificateFingerprint) {
        return false;
    }
    const key = createPublicKey(certificatePem);
    const message = captureMessage({ channel, deviceId: proof.deviceId, digest, captureTime: proof.captureTime, sequence: proof.sequence });
    try {
        return verify(captureSignatureHash(deviceKeyType(key)), message, key, Buffer.from(proof.signature, 'base64'));
    } catch {
        return false;
    }
}

/** Reads a device key from a PEM file (for the CLI and agents that hold their devices' keys). */
export async function readDeviceKey(path: string): Promise<KeyObject> {
    return createPrivateKey(await readFile(path, 'utf8'));
}
