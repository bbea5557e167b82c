import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { makeCertificate } from '../../chaincode/device-identity/testing/certificates';
import { fingerprintOfPem, sha256OfFile, WEB_CRYPTO_LIMIT } from './hash';

const expected = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('hashing in the browser', () => {
    it('hashes a small file with Web Crypto in one call', async () => {
        const bytes = randomBytes(10_000);
        await expect(sha256OfFile(new Blob([bytes]))).resolves.toBe(expected(bytes));
        await expect(sha256OfFile(new Blob([]))).resolves.toBe(expected(Buffer.alloc(0)));
    });

    it('streams a file above the Web Crypto limit through the incremental SHA-256, reporting progress', async () => {
        const bytes = randomBytes(WEB_CRYPTO_LIMIT + 123_457);
        const progress: number[] = [];
        await expect(sha256OfFile(new Blob([bytes]), (done) => progress.push(done))).resolves.toBe(expected(bytes));
        expect(progress.at(-1)).toBe(bytes.length);
    });

    it('gives a PEM certificate the fingerprint of its DER, as the device registry keys it', async () => {
        const { pem } = makeCertificate({ commonName: 'hash.console.test' });
        await expect(fingerprintOfPem(pem)).resolves.toBe(new X509Certificate(pem).fingerprint256.replaceAll(':', '').toLowerCase());
        await expect(fingerprintOfPem('not a certificate')).rejects.toThrow('not a PEM certificate');
    });
});
