import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * Benchmark key material from the openssl command line, P-256 everywhere so both TLS variants do
 * the same public-key work: self-signed device and application certificates for the chain-verified
 * variant, and a tiny CA with two leaves for the CA-pinned baseline.
 */

/** A private key and its certificate, PEM. */
export interface KeyAndCertificate {
    key: string;
    cert: string;
}

/** The CA-pinned baseline: one CA and a server and a client certificate it issued. */
export interface TinyCa {
    caCert: string;
    server: KeyAndCertificate;
    client: KeyAndCertificate;
}

const MUTUAL_TLS_EXTENSIONS = ['basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature', 'extendedKeyUsage = serverAuth,clientAuth', 'subjectAltName = IP:127.0.0.1'];

function inTempDir<T>(work: (path: (name: string, text?: string) => string) => T): T {
    const dir = mkdtempSync(join(tmpdir(), 'edgetrust-bench-'));
    try {
        return work((name, text) => {
            if (text !== undefined) {
                writeFileSync(join(dir, name), text);
            }
            return join(dir, name);
        });
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

function openssl(args: string[]): string {
    return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function config(commonName: string, extensions: readonly string[]): string {
    return ['[req]', 'distinguished_name = dn', 'x509_extensions = ext', 'req_extensions = ext', 'prompt = no', '[dn]', `CN = ${commonName}`, '[ext]', ...extensions, ''].join('\n');
}

function newKey(path: (name: string, text?: string) => string, name: string): string {
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path(name)]);
    return readFileSync(path(name), 'utf8');
}

/** A self-signed P-256 certificate fit for mutual TLS, valid for `days`. */
export function selfSigned(commonName: string, days = 7): KeyAndCertificate {
    return inTempDir((path) => {
        const key = newKey(path, 'key.pem');
        const cert = openssl(['req', '-x509', '-new', '-config', path('req.cnf', config(commonName, MUTUAL_TLS_EXTENSIONS)), '-key', path('key.pem'), '-days', String(days), '-sha256']);
        return { key, cert };
    });
}

/** A CA and a server and a client certificate it issued, for TLS pinned to that CA. */
export function tinyCa(days = 7): TinyCa {
    return inTempDir((path) => {
        newKey(path, 'ca.key');
        const caExtensions = ['basicConstraints = critical,CA:TRUE', 'keyUsage = critical,keyCertSign,cRLSign'];
        const caCert = openssl(['req', '-x509', '-new', '-config', path('ca.cnf', config('bench-ca', caExtensions)), '-key', path('ca.key'), '-days', String(days), '-sha256']);
        path('ca.pem', caCert);
        const leaf = (name: string, serial: number): KeyAndCertificate => {
            const key = newKey(path, `${name}.key`);
            const cnf = path(`${name}.cnf`, config(name, MUTUAL_TLS_EXTENSIONS));
            const csr = openssl(['req', '-new', '-config', cnf, '-key', path(`${name}.key`)]);
            const cert = openssl(['x509', '-req', '-in', path(`${name}.csr`, csr), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-days', String(days), '-set_serial', String(serial), '-sha256', '-extfile', cnf, '-extensions', 'ext']);
            return { key, cert };
        };
        return { caCert, server: leaf('edge-app', 2), client: leaf('device', 3) };
    });
}
