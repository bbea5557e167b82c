import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A subject as its ordered attributes: `[['OU', 'client'], ['CN', 'User1']]`. */
export type SubjectAttributes = readonly (readonly [type: string, value: string])[];

const made = new Map<string, string>();
let keyPem: string | undefined;

/**
 * A PEM certificate with exactly this subject, as the in-memory ledger's getIDBytes() returns it, made
 * by `openssl req -x509` (node:crypto makes no certificates) and kept for the process, so each distinct
 * identity costs one openssl run. The chaincode reads only its subject, so it is self-signed.
 */
export function clientCertificatePem(subject: SubjectAttributes): string {
    const cacheKey = JSON.stringify(subject);
    const known = made.get(cacheKey);
    if (known !== undefined) {
        return known;
    }
    keyPem ??= generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const dir = mkdtempSync(join(tmpdir(), 'edgetrust-client-'));
    try {
        // `<n>.<type>` lets a type repeat and keeps the order; openssl ignores the part before the dot.
        const dn = subject.map(([type, value], i) => `${String(i)}.${type} = ${value}`);
        const config = ['[req]', 'distinguished_name = dn', 'prompt = no', 'utf8 = yes', 'string_mask = utf8only', '[dn]', ...dn, ''].join('\n');
        writeFileSync(join(dir, 'openssl.cnf'), config);
        writeFileSync(join(dir, 'key.pem'), keyPem);
        const pem = execFileSync('openssl', ['req', '-x509', '-new', '-config', join(dir, 'openssl.cnf'), '-key', join(dir, 'key.pem'), '-days', '1', '-sha256'], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        made.set(cacheKey, pem);
        return pem;
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** The subject rendered as fabric-shim's ClientIdentity renders it: only the first `/` of a value is escaped. */
export function shimDistinguishedName(subject: SubjectAttributes): string {
    return subject.map(([type, value]) => `/${type}=${value.replace('/', '\\/')}`).join('');
}

/**
 * Client certificates (OU=client) whose other subject values smuggle in `/OU=admin` or `/CN=<someone>`,
 * as a member can have them issued: Fabric CA takes C, ST, L and O from the enrollee's own request.
 */
export function craftedClient(mspId: string, name: string, smuggled: SubjectAttributes): { mspId: string; name: string; subject: SubjectAttributes } {
    return { mspId, name, subject: [...smuggled, ['OU', 'client'], ['CN', name]] };
}

/** The attack certificates the unit tests of every chaincode try. */
export function adminImpostors(mspId: string): { label: string; identity: ReturnType<typeof craftedClient> }[] {
    return [
        { label: 'L=x/OU=admin', identity: craftedClient(mspId, 'eve', [['C', 'US'], ['L', 'x/OU=admin']]) },
        { label: 'ST=x/y/OU=admin (second slash unescaped)', identity: craftedClient(mspId, 'eve', [['ST', 'x/y/OU=admin']]) },
        { label: 'O=/OU=admin', identity: craftedClient(mspId, 'eve', [['O', '/OU=admin']]) },
        { label: 'C=US with L=/OU=admin/CN=Admin', identity: craftedClient(mspId, 'eve', [['C', 'US'], ['L', '/OU=admin/CN=Admin']]) },
    ];
}
