import { loadNetworkProfile, type NetworkProfile } from '@edgetrust/gateway-sdk';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type AccessEntry, certificateFingerprint, sha256OfText } from './identities';
import type { ServiceTls } from './server';

/** The service's folder inside a network folder: wallet, access list, API keys, TLS, store. */
export interface ServiceFolder {
    profile: NetworkProfile;
    folder: string;
    wallet: string;
    access: AccessEntry[];
    tls: ServiceTls;
    storeFile: string;
    /** The API key file of each identity, for the demo, the tests and curl (`$(cat …)`). */
    apiKeyFiles: Record<string, string>;
}

/** Wallet identity names for a network user: `edgeorg-user1`, `cloudorg-admin`, … */
export function identityName(organization: string, user: string): string {
    return `${organization}-${user}`.toLowerCase();
}

/** The cryptogen folder of an organisation, from a path inside it (`…/peerOrganizations/<domain>/…`). */
function organizationFolder(path: string): string {
    const match = /^(.*\/peerOrganizations\/[^/]+)\//.exec(path);
    if (!match?.[1]) {
        throw new Error(`not a cryptogen path: ${path}`);
    }
    return match[1];
}

/**
 * Makes (once) the service folder for the network in `networkDir`: a wallet identity per user of the profile (its
 * Fabric enrolment copied), an API key per identity (kept hashed in access.json, the key itself in an owner-only
 * file beside it), the TLS client certificate cryptogen issued that user as its mutual-TLS credential, and a server
 * certificate for localhost issued by the first organisation's TLS CA — the network's own crypto. Kept files are kept.
 */
export function prepareServiceFolder(networkDir: string, folder = join(networkDir, 'service')): ServiceFolder {
    const profile = loadNetworkProfile(join(networkDir, 'connection.json'));
    const wallet = join(folder, 'wallet');
    const access: AccessEntry[] = [];
    const apiKeyFiles: Record<string, string> = {};
    const tlsCas = new Set<string>();
    for (const [organization, org] of Object.entries(profile.organizations)) {
        for (const peer of org.peers) {
            tlsCas.add(peer.tlsCACertPath);
        }
        for (const [user, files] of Object.entries(org.users)) {
            const name = identityName(organization, user);
            const dir = join(wallet, name);
            mkdirSync(dir, { recursive: true });
            copyFileSync(files.certPath, join(dir, 'cert.pem'));
            copyFileSync(files.keyPath, join(dir, 'key.pem'));
            writeFileSync(join(dir, 'identity.json'), `${JSON.stringify({ organization })}\n`);
            const keyFile = join(folder, 'api-keys', `${name}.key`);
            if (!existsSync(keyFile)) {
                mkdirSync(dirname(keyFile), { recursive: true });
                writeFileSync(keyFile, `et_${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
            }
            apiKeyFiles[name] = keyFile;
            const clientCert = join(dirname(dirname(dirname(files.certPath))), 'tls', 'client.crt');
            access.push({
                identity: name,
                apiKeySha256: sha256OfText(readFileSync(keyFile, 'utf8').trim()),
                ...(existsSync(clientCert) ? { clientCertificateSha256: certificateFingerprint(readFileSync(clientCert)) } : {}),
            });
        }
    }
    writeFileSync(join(folder, 'access.json'), `${JSON.stringify(access, null, 2)}\n`);
    const firstPeer = Object.values(profile.organizations)[0]?.peers[0];
    if (!firstPeer) {
        throw new Error('the network profile has no peers');
    }
    const tls = serverCertificate(join(folder, 'tls'), organizationFolder(firstPeer.tlsCACertPath));
    return { profile, folder, wallet, access, tls: { ...tls, clientCa: [...tlsCas].map((f) => readFileSync(f)) }, storeFile: join(folder, 'service.db'), apiKeyFiles };
}

/** A TLS server certificate for localhost and 127.0.0.1 signed by an organisation's TLS CA (openssl, as the demo does). */
function serverCertificate(dir: string, organization: string): { key: Buffer; cert: Buffer; caFile: string } {
    const key = join(dir, 'server.key');
    const cert = join(dir, 'server.crt');
    const caFile = join(dir, 'ca.crt');
    if (!existsSync(cert)) {
        mkdirSync(dir, { recursive: true });
        const ca = join(organization, 'tlsca');
        const caCert = execFileSync('sh', ['-c', `ls ${JSON.stringify(ca)}/*-cert.pem`]).toString().trim();
        const csr = join(dir, 'server.csr');
        const ext = join(dir, 'server.ext');
        writeFileSync(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n');
        execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key], { stdio: 'ignore' });
        execFileSync('openssl', ['req', '-new', '-key', key, '-subj', '/CN=edgetrust-service', '-out', csr], { stdio: 'ignore' });
        execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', join(ca, 'priv_sk'), '-CAcreateserial', '-days', '365', '-extfile', ext, '-out', cert], { stdio: 'ignore' });
        copyFileSync(caCert, caFile);
    }
    return { key: readFileSync(key), cert: readFileSync(cert), caFile: resolve(caFile) };
}
