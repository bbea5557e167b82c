import { generateKeyPairSync } from 'node:crypto';
import { ACCESS_ALGORITHM, decryptAccessInfo, encryptAccessInfo, generateAccessKeyPair } from './access-envelope';

function codeOf(fn: () => unknown): string | undefined {
    try {
        fn();
    } catch (err) {
        return (err as { code?: string }).code;
    }
    return undefined;
}

describe('marketplace access envelopes', () => {
    const buyer = generateAccessKeyPair();
    const secret = 'rtsp://cam-7.site-a.example/stream?token=s3cret';

    it('round-trips access information for the buyer, with ciphertext only in the envelope', () => {
        const envelope = encryptAccessInfo(secret, buyer.publicKeyPem, 'p-1');
        expect(envelope.algorithm).toBe(ACCESS_ALGORITHM);
        expect(Buffer.from(envelope.iv, 'base64')).toHaveLength(12);
        expect(Buffer.from(envelope.tag, 'base64')).toHaveLength(16);
        expect(JSON.stringify(envelope)).not.toContain('s3cret');
        expect(decryptAccessInfo(envelope, buyer.privateKeyPem, 'p-1').toString('utf8')).toBe(secret);
        expect(encryptAccessInfo(secret, buyer.publicKeyPem, 'p-1').ciphertext).not.toBe(envelope.ciphertext);
    });

    it('refuses another key, another purchase and a tampered ciphertext', () => {
        const envelope = encryptAccessInfo(secret, buyer.publicKeyPem, 'p-1');
        expect(codeOf(() => decryptAccessInfo(envelope, generateAccessKeyPair().privateKeyPem, 'p-1'))).toBe('ACCESS_DECRYPTION_FAILED');
        expect(codeOf(() => decryptAccessInfo(envelope, buyer.privateKeyPem, 'p-2'))).toBe('ACCESS_DECRYPTION_FAILED');
        const bytes = Buffer.from(envelope.ciphertext, 'base64');
        bytes[0] = (bytes[0] ?? 0) ^ 1;
        expect(() => decryptAccessInfo({ ...envelope, ciphertext: bytes.toString('base64') }, buyer.privateKeyPem, 'p-1')).toThrow(/cannot decrypt/);
    });

    it('refuses keys that are not P-256', () => {
        expect(() => encryptAccessInfo(secret, 'not a key', 'p-1')).toThrow();
        const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
        expect(codeOf(() => encryptAccessInfo(secret, rsa, 'p-1'))).toBe('INVALID_KEY');
    });
});
