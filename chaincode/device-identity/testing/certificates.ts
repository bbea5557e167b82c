import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, type KeyObject, sign, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test fixtures: real self-signed certificates made by the `openssl` command line, because node:crypto
 * can create keys but not X.509 certificates. Keys come from node:crypto so tests can sign with them.
 */

export type TestKeyType = 'p256' | 'p384' | 'p224' | 'secp256k1' | 'ed25519' | 'rsa1024' | 'rsa2048';

export interface TestCertificate {
    pem: string;
    /** SHA-256 of the DER, lower-case hex. */
    fingerprint: string;
    privateKey: KeyObject;
    privateKeyPem: string;
}

export interface CertificateOptions {
    key?: TestKeyType;
    /** Validity from now, in days (openssl 3.0 has no -not_before: tests move the ledger clock instead). */
    days?: number;
    commonName?: string;
    /** Lines of the x509 extension section; the default suits a mutual-TLS device certificate. */
    extensions?: string[];
    /** Digest the certificate is signed with (default sha256; ignored for Ed25519). */
    digest?: 'sha1' | 'sha256' | 'sha384';
}

/** The private key of every certificate made here, by PEM, so tests can prove possession at registration. */
const keys = new Map<string, KeyObject>();

/** The private key of a certificate made by {@link makeCertificate}, {@link makeCaIssuedCertificate} or given to {@link rememberKey}. */
export function keyOf(pem: string): KeyObject | undefined {
    return keys.get(pem);
}

/** Records the private key of a certificate made elsewhere, for {@link keyOf}. */
export function rememberKey(pem: string, privateKey: KeyObject): void {
    keys.set(pem, privateKey);
}

export const DEFAULT_EXTENSIONS = [
    'basicConstraints = critical,CA:FALSE',
    'keyUsage = critical,digitalSignature',
    'extendedKeyUsage = serverAuth,clientAuth',
    'subjectKeyIdentifier = hash',
];

export function generateKey(type: TestKeyType): KeyObject {
    switch (type) {
        case 'ed25519':
            return generateKeyPairSync('ed25519').privateKey;
        case 'rsa1024':
        case 'rsa2048':
            return generateKeyPairSync('rsa', { modulusLength: type === 'rsa1024' ? 1024 : 2048 }).privateKey;
        default: {
            const namedCurve = { p256: 'prime256v1', p384: 'secp384r1', p224: 'secp224r1', secp256k1: 'secp256k1' }[type];
            return generateKeyPairSync('ec', { namedCurve }).privateKey;
        }
    }
}

/** A self-signed certificate for a new key (or `privateKey`), made by `openssl req -x509`. */
export function makeCertificate(options: CertificateOptions = {}, privateKey = generateKey(options.key ?? 'p256')): TestCertificate {
    const dir = mkdtempSync(join(tmpdir(), 'edgetrust-cert-'));
    try {
        const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        writeFileSync(join(dir, 'key.pem'), privateKeyPem);
        writeFileSync(join(dir, 'openssl.cnf'), config(options.commonName ?? 'device.test', options.extensions ?? DEFAULT_EXTENSIONS));
        const args = ['req', '-x509', '-new', '-config', join(dir, 'openssl.cnf'), '-key', join(dir, 'key.pem'), '-days', String(options.days ?? 30)];
        if (privateKey.asymmetricKeyType !== 'ed25519') {
            args.push(`-${options.digest ?? 'sha256'}`);
        }
        const pem = execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        keys.set(pem, privateKey);
        return { pem, fingerprint: fingerprint(pem), privateKey, privateKeyPem };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** A certificate issued by another key (a CA), so not self-signed. */
export function makeCaIssuedCertificate(): TestCertificate {
    const dir = mkdtempSync(join(tmpdir(), 'edgetrust-cert-'));
    try {
        const ca = makeCertificate({ commonName: 'ca.test', extensions: ['basicConstraints = critical,CA:TRUE', 'keyUsage = keyCertSign,digitalSignature'] });
        const privateKey = generateKey('p256');
        const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        const file = (name: string, text: string): string => {
            writeFileSync(join(dir, name), text);
            return join(dir, name);
        };
        const cnf = file('openssl.cnf', config('leaf.test', DEFAULT_EXTENSIONS));
        const csr = execFileSync('openssl', ['req', '-new', '-config', cnf, '-key', file('key.pem', privateKeyPem)], { encoding: 'utf8' });
        const pem = execFileSync(
            'openssl',
            ['x509', '-req', '-in', file('leaf.csr', csr), '-CA', file('ca.pem', ca.pem), '-CAkey', file('ca.key', ca.privateKeyPem), '-days', '30', '-set_serial', '7'],
            { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
        );
        keys.set(pem, privateKey);
        return { pem, fingerprint: fingerprint(pem), privateKey, privateKeyPem };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** The same certificate with the last byte of its signature changed: parses, but no longer verifies. */
export function breakSignature(pem: string): string {
    const der = Buffer.from(new X509Certificate(pem).raw);
    der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0x01;
    const body = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
    return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

export function fingerprint(pem: string): string {
    return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
}

/** The digest a key signs with: SHA-384 for P-384, none for Ed25519, SHA-256 otherwise. */
function digestFor(key: KeyObject): string | null {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    return key.asymmetricKeyType === 'ed25519' ? null : curve === 'secp384r1' ? 'sha384' : 'sha256';
}

/** Signs `message` as the chaincode verifies proofs: base64, the key type's digest. */
export function signWith(key: KeyObject, message: Buffer): string {
    return sign(digestFor(key), message, key).toString('base64');
}

/** The rotation proof as a client makes it: the old key signs `edgetrust:rotate:v1:<old>:<new>`. */
export function signRotation(oldCert: TestCertificate, newCert: TestCertificate): string {
    const message = Buffer.from(`edgetrust:rotate:v1:${oldCert.fingerprint}:${newCert.fingerprint}`, 'utf8');
    const curve = oldCert.privateKey.asymmetricKeyDetails?.namedCurve;
    const digest = oldCert.privateKey.asymmetricKeyType === 'ed25519' ? null : curve === 'secp384r1' ? 'sha384' : 'sha256';
    return sign(digest, message, oldCert.privateKey).toString('base64');
}

function config(commonName: string, extensions: string[]): string {
    return ['[req]', 'distinguished_name = dn', 'x509_extensions = ext', 'prompt = no', '[dn]', `CN = ${commonName}`, '[ext]', ...extensions, ''].join('\n');
}
