import { createCipheriv, createDecipheriv, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, type KeyObject, createPrivateKey, randomBytes } from 'node:crypto';
import { EdgeTrustError } from '../errors';
import { ACCESS_ALGORITHM } from '@edgetrust/schemas';
import type { AccessEnvelope } from './models';

export { ACCESS_ALGORITHM };

const HKDF_INFO = 'edgetrust/marketplace/access/v1';

/** A buyer's key pair for receiving access information, both halves as PEM. */
export interface AccessKeyPair {
    /** SPKI PEM: give it in the purchase request. */
    publicKeyPem: string;
    /** PKCS#8 PEM: keep it; it decrypts the access information. */
    privateKeyPem: string;
}

/** Makes a P-256 key pair for a buyer. */
export function generateAccessKeyPair(): AccessKeyPair {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return {
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
}

function requireP256(key: KeyObject, what: string): KeyObject {
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
        throw new EdgeTrustError({ code: 'INVALID_KEY', message: `${what} must be a P-256 key` });
    }
    return key;
}

function contentKey(privateKey: KeyObject, publicKey: KeyObject, purchaseId: string): Buffer {
    const shared = diffieHellman({ privateKey, publicKey });
    return Buffer.from(hkdfSync('sha256', shared, Buffer.from(purchaseId, 'utf8'), HKDF_INFO, 32));
}

/**
 * Encrypts a listing's access information for one buyer, so the chain only ever holds ciphertext:
 * ECDH between a fresh ephemeral P-256 key and the buyer's key, HKDF-SHA256 (salt = purchaseId,
 * info "edgetrust/marketplace/access/v1") to an AES-256-GCM key, purchaseId as additional data.
 * @param plaintext - The access information (URL, credentials...).
 * @param buyerPublicKeyPem - The purchase's `encryptionKey`.
 * @param purchaseId - Binds the envelope to this purchase.
 */
export function encryptAccessInfo(plaintext: string | Uint8Array, buyerPublicKeyPem: string, purchaseId: string): AccessEnvelope {
    const buyer = requireP256(createPublicKey(buyerPublicKeyPem), 'the buyer key');
    const ephemeral = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', contentKey(ephemeral.privateKey, buyer, purchaseId), iv);
    cipher.setAAD(Buffer.from(purchaseId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
    return {
        algorithm: ACCESS_ALGORITHM,
        ephemeralPublicKey: ephemeral.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
        iv: iv.toString('base64'),
        ciphertext: ciphertext.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
    };
}

/**
 * Decrypts access information with the buyer's private key.
 * @throws {@link EdgeTrustError} `ACCESS_DECRYPTION_FAILED` when the key, purchase or envelope do not match.
 */
export function decryptAccessInfo(envelope: AccessEnvelope, buyerPrivateKey: KeyObject | string, purchaseId: string): Buffer {
    try {
        const privateKey = requireP256(typeof buyerPrivateKey === 'string' ? createPrivateKey(buyerPrivateKey) : buyerPrivateKey, 'the buyer key');
        const ephemeral = createPublicKey({ key: Buffer.from(envelope.ephemeralPublicKey, 'base64'), format: 'der', type: 'spki' });
        const decipher = createDecipheriv('aes-256-gcm', contentKey(privateKey, ephemeral, purchaseId), Buffer.from(envelope.iv, 'base64'));
        decipher.setAAD(Buffer.from(purchaseId, 'utf8'));
        decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, 'base64')), decipher.final()]);
    } catch (err) {
        throw new EdgeTrustError({ code: 'ACCESS_DECRYPTION_FAILED', message: `cannot decrypt the access information of ${purchaseId}`, cause: err });
    }
}
