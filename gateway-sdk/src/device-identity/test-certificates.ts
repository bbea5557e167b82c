import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateFingerprint } from './certificate-proof';

// Test fixtures only (not exported by the SDK): real self-signed certificates from the `openssl`
// command line, because node:crypto can make keys but not X.509 certificates.

/** A key pair and its self-signed certificate, PEM. */
export interface TestCertificate {
    pem: string;
    keyPem: string;
    privateKey: KeyObject;
    fingerprint: string;
}

/** A self-signed certificate suitable for mutual TLS (digitalSignature, serverAuth + clientAuth). */
export function makeTestCertificate(commonName: string, key: 'p256' | 'p384' | 'ed25519' = 'p256'): TestCertificate {
    const privateKey =
        key === 'ed25519'
            ? generateKeyPairSync('ed25519').privateKey
            : generateKeyPairSync('ec', { namedCurve: key === 'p384' ? 'secp384r1' : 'prime256v1' }).privateKey;
    const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const dir = mkdtempSync(join(tmpdir(), 'edgetrust-sdk-cert-'));
    try {
        const config = [
            '[req]',
            'distinguished_name = dn',
            'x509_extensions = ext',
            'prompt = no',
            '[dn]',
            `CN = ${commonName}`,
            '[ext]',
            'basicConstraints = critical,CA:FALSE',
            'keyUsage = critical,digitalSignature',
            'extendedKeyUsage = serverAuth,clientAuth',
            '',
        ].join('\n');
        writeFileSync(join(dir, 'openssl.cnf'), config);
        writeFileSync(join(dir, 'key.pem'), keyPem);
        const pem = execFileSync('openssl', ['req', '-x509', '-new', '-config', join(dir, 'openssl.cnf'), '-key', join(dir, 'key.pem'), '-days', '30'], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        return { pem, keyPem, privateKey, fingerprint: certificateFingerprint(pem) };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
