import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conforms } from '../check';
import { type CaptureBinding, captureMessage, captureSignatureHash, SignedCapture } from './capture';

interface CaptureVector {
    keyType: string;
    binding: CaptureBinding;
    messageText: string;
    messageHex: string;
    publicKeyPem: string;
    signature: string;
}
const vectors = JSON.parse(readFileSync(join(__dirname, 'capture-vectors.json'), 'utf8')) as { vectors: CaptureVector[] };

describe('captureMessage', () => {
    it.each(vectors.vectors.map((vector) => [vector.keyType, vector] as const))('gives the vector bytes, which the %s vector signature verifies', (_type, vector) => {
        const message = captureMessage(vector.binding);
        expect(message.toString('hex')).toBe(vector.messageHex);
        expect(message.toString('utf8')).toBe(vector.messageText);
        expect(verify(captureSignatureHash(vector.keyType), message, createPublicKey(vector.publicKeyPem), Buffer.from(vector.signature, 'base64'))).toBe(true);
    });

    it.each([
        ['channel', { channel: 'other' }],
        ['device', { deviceId: 'cam-8' }],
        ['digest', { digest: '0'.repeat(64) }],
        ['capture time', { captureTime: '2026-05-01T08:30:00.251Z' }],
        ['sequence', { sequence: 43 }],
    ])('binds the %s: a vector signature fails for another', (_label, change) => {
        for (const vector of vectors.vectors) {
            const message = captureMessage({ ...vector.binding, ...change });
            expect(verify(captureSignatureHash(vector.keyType), message, createPublicKey(vector.publicKeyPem), Buffer.from(vector.signature, 'base64'))).toBe(false);
        }
    });

    it('cannot be confused by text that looks like a separator', () => {
        const a = captureMessage({ channel: 'a","b', deviceId: 'c', digest: 'd', captureTime: 't', sequence: 1 });
        const b = captureMessage({ channel: 'a', deviceId: 'b","c', digest: 'd', captureTime: 't', sequence: 1 });
        expect(a.equals(b)).toBe(false);
    });
});

describe('SignedCapture', () => {
    const good = { deviceId: 'cam-7', captureTime: '2026-05-01T08:30:00.250Z', sequence: 1, signature: 'AAAA' };
    it('accepts a capture and refuses other time forms, sequences and encodings', () => {
        expect(conforms(SignedCapture, good)).toBe(true);
        expect(conforms(SignedCapture, { ...good, captureTime: '2026-05-01T08:30:00Z' })).toBe(false);
        expect(conforms(SignedCapture, { ...good, sequence: 0 })).toBe(false);
        expect(conforms(SignedCapture, { ...good, signature: 'AA-A' })).toBe(false);
        expect(conforms(SignedCapture, { ...good, extra: 1 })).toBe(false);
    });
});
