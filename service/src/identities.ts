import { BillingClient, ComputeExchangeClient, connect, type Connection, DeviceIdentityClient, EvidenceClient, type NetworkProfile } from '@edgetrust/gateway-sdk';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clients } from './operations/table';
import { recordingContract } from './recording-contract';
import { ServiceError } from './problem';

/**
 * One identity of the wallet folder: `<wallet>/<name>/identity.json` (`{ "organization": "EdgeOrg" }`, the
 * organisation's name in the network profile) with `cert.pem` and `key.pem`, the Fabric enrolment it signs with.
 */
export interface WalletIdentity {
    name: string;
    organization: string;
    mspId: string;
    certPath: string;
    keyPath: string;
}

/**
 * Who may call as which wallet identity: by API key (its SHA-256, never the key itself), by mutual-TLS client
 * certificate (its SHA-256 fingerprint), or both. Several callers may map to one identity; each maps to one only.
 */
export interface AccessEntry {
    identity: string;
    apiKeySha256?: string;
    clientCertificateSha256?: string;
}

/** Reads every identity of a wallet folder, checking each names an organisation of the profile. */
export function readWallet(folder: string, profile: NetworkProfile): Map<string, WalletIdentity> {
    const wallet = new Map<string, WalletIdentity>();
    for (const name of existsSync(folder) ? readdirSync(folder).sort() : []) {
        const file = join(folder, name, 'identity.json');
        if (!existsSync(file)) {
            continue;
        }
        const { organization } = JSON.parse(readFileSync(file, 'utf8')) as { organization: string };
        const org = profile.organizations[organization];
        if (!org) {
            throw new ServiceError('CONFIG_ERROR', `wallet identity ${name} names organisation ${organization}, which is not in the network profile`);
        }
        wallet.set(name, { name, organization, mspId: org.mspId, certPath: join(folder, name, 'cert.pem'), keyPath: join(folder, name, 'key.pem') });
    }
    return wallet;
}

/** SHA-256 of a UTF-8 text, lower-case hex (how API keys are kept). */
export function sha256OfText(value: string): string {
    return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** A certificate's SHA-256 fingerprint as lower-case hex without separators (Node writes `AB:CD:…`). */
export function certificateFingerprint(pemOrDer: string | Buffer): string {
    return new X509Certificate(pemOrDer).fingerprint256.replaceAll(':', '').toLowerCase();
}

/** What a request presented: a bearer API key, a client certificate the TLS layer verified, or neither. */
export interface Presented {
    apiKey?: string;
    /** Fingerprint of the client certificate, only when it chains to a trusted client CA. */
    clientCertificateSha256?: string;
}

/**
 * Maps credentials to one wallet identity. 401 (UNAUTHENTICATED) when nothing is presented, a credential is unknown,
 * or an API key and a certificate name different identities: a caller is exactly one identity, never chosen by a
 * header, so an application of CloudOrg cannot act as EdgeOrg.
 */
export class Authenticator {
    readonly #byKey = new Map<string, string>();
    readonly #byCertificate = new Map<string, string>();

    constructor(access: readonly AccessEntry[], wallet: ReadonlyMap<string, WalletIdentity>) {
        for (const entry of access) {
            if (!wallet.has(entry.identity)) {
                throw new ServiceError('CONFIG_ERROR', `access entry names identity ${entry.identity}, which is not in the wallet`);
            }
            if (entry.apiKeySha256) {
                this.#byKey.set(entry.apiKeySha256.toLowerCase(), entry.identity);
            }
            if (entry.clientCertificateSha256) {
                this.#byCertificate.set(entry.clientCertificateSha256.toLowerCase(), entry.identity);
            }
        }
    }

    identify(presented: Readonly<Presented>): string {
        const byKey = presented.apiKey === undefined ? undefined : this.#byKey.get(sha256OfText(presented.apiKey));
        const byCertificate = presented.clientCertificateSha256 === undefined ? undefined : this.#byCertificate.get(presented.clientCertificateSha256);
        if (presented.apiKey !== undefined && byKey === undefined) {
            throw new ServiceError('UNAUTHENTICATED', 'unknown API key');
        }
        if (byKey !== undefined && byCertificate !== undefined && byKey !== byCertificate) {
            throw new ServiceError('UNAUTHENTICATED', 'the API key and the client certificate name different identities');
        }
        const identity = byKey ?? byCertificate;
        if (identity === undefined) {
            throw new ServiceError('UNAUTHENTICATED', presented.clientCertificateSha256 === undefined ? 'no credentials: send Authorization: Bearer <API key> or a client certificate' : 'unknown client certificate');
        }
        return identity;
    }
}

/** One caller's connection and typed clients, opened on first use and kept for the life of the service. */
export interface CallerSession {
    identity: WalletIdentity;
    connection: Connection;
    clients: Clients;
}

/** Opens one gateway connection per wallet identity, as that identity: there is no shared super-identity. */
export class Sessions {
    readonly #profile: NetworkProfile;
    readonly #wallet: ReadonlyMap<string, WalletIdentity>;
    readonly #open = new Map<string, Promise<CallerSession>>();

    constructor(profile: NetworkProfile, wallet: ReadonlyMap<string, WalletIdentity>) {
        this.#profile = profile;
        this.#wallet = wallet;
    }

    get profile(): NetworkProfile {
        return this.#profile;
    }

    of(name: string): Promise<CallerSession> {
        let session = this.#open.get(name);
        if (!session) {
            session = this.#connect(name);
            session.catch(() => this.#open.delete(name));
            this.#open.set(name, session);
        }
        return session;
    }

    async #connect(name: string): Promise<CallerSession> {
        const identity = this.#wallet.get(name);
        if (!identity) {
            throw new ServiceError('UNAUTHENTICATED', `no wallet identity ${name}`);
        }
        // The profile with this identity as a user of its organisation: connect() signs with exactly these files.
        const org = this.#profile.organizations[identity.organization];
        if (!org) {
            throw new ServiceError('CONFIG_ERROR', `no organisation ${identity.organization} in the network profile`);
        }
        const profile: NetworkProfile = {
            ...this.#profile,
            organizations: { ...this.#profile.organizations, [identity.organization]: { ...org, users: { [name]: { certPath: identity.certPath, keyPath: identity.keyPath } } } },
        };
        const connection = await connect({ profile, organization: identity.organization, user: name });
        const network = connection.gateway.getNetwork(profile.channel);
        const contract = (chaincode: string): ReturnType<typeof network.getContract> => recordingContract(network.getContract(profile.chaincodes[chaincode] ?? chaincode));
        return {
            identity,
            connection,
            clients: {
                evidence: new EvidenceClient(contract('evidence'), { mspId: identity.mspId }),
                billing: new BillingClient(contract('resource-billing')),
                deviceIdentity: new DeviceIdentityClient(contract('device-identity')),
                compute: new ComputeExchangeClient(contract('resource-billing')),
            },
        };
    }

    async close(): Promise<void> {
        const sessions = await Promise.allSettled(this.#open.values());
        for (const s of sessions) {
            if (s.status === 'fulfilled') {
                s.value.connection.close();
            }
        }
        this.#open.clear();
    }
}
