import * as grpc from '@grpc/grpc-js';
import { connect as connectGateway, hash, signers, type Gateway, type Identity, type Signer } from '@hyperledger/fabric-gateway';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EdgeTrustError } from './errors';
import { orderPeers, type NetworkProfile, type PeerProfile, type Tier } from './network-profile';

/** Options for {@link connect}. */
export interface ConnectOptions {
    profile: NetworkProfile;
    /** Organisation name in the profile, e.g. `EdgeOrg`. */
    organization: string;
    /** User name in the organisation, e.g. `User1` (default) or `Admin`. */
    user?: string;
    /** Which tier to try first (default `edge`); peers of the other tier are the fallback. */
    preferredTier?: Tier;
    /** Only this peer, by name, instead of trying them in order. */
    peer?: string;
    /** How long to wait for a peer to accept the connection before trying the next (default 3000 ms). */
    connectTimeoutMs?: number;
}

/** A live gateway connection; close it when done. */
export interface Connection {
    gateway: Gateway;
    /** The peer this connection goes through. */
    peer: PeerProfile;
    mspId: string;
    close(): void;
}

/**
 * Connects to the network as a user of one organisation, through the first reachable peer of the
 * preferred tier (edge first: the nearest peer to an MEC application), falling back to the others.
 */
export async function connect(options: Readonly<ConnectOptions>): Promise<Connection> {
    const org = options.profile.organizations[options.organization];
    if (!org) {
        throw new EdgeTrustError({ code: 'CONFIG_ERROR', message: `no organisation ${options.organization} in the network profile` });
    }
    const userName = options.user ?? 'User1';
    const user = org.users[userName];
    if (!user) {
        throw new EdgeTrustError({ code: 'CONFIG_ERROR', message: `no user ${userName} in organisation ${options.organization}` });
    }
    const identity: Identity = { mspId: org.mspId, credentials: readFileSync(user.certPath) };
    const signer: Signer = signers.newPrivateKeySigner(createPrivateKey(readFileSync(user.keyPath)));
    const candidates = options.peer ? org.peers.filter((p) => p.name === options.peer) : orderPeers(org.peers, options.preferredTier);
    const failures: string[] = [];
    for (const peer of candidates) {
        const client = newGrpcClient(peer);
        try {
            await waitForReady(client, options.connectTimeoutMs ?? 3000);
        } catch (err) {
            client.close();
            failures.push(`${peer.name} (${peer.endpoint}): ${err instanceof Error ? err.message : String(err)}`);
            continue;
        }
        const gateway = connectGateway({
            client,
            identity,
            signer,
            hash: hash.sha256,
            evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
            endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
            submitOptions: () => ({ deadline: Date.now() + 10_000 }),
            commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
        });
        return {
            gateway,
            peer,
            mspId: org.mspId,
            close: (): void => {
                gateway.close();
                client.close();
            },
        };
    }
    throw new EdgeTrustError({
        code: 'UNAVAILABLE',
        message: `no peer of ${options.organization} is reachable: ${failures.join('; ') || 'no peers in profile'}`,
    });
}

function newGrpcClient(peer: PeerProfile): grpc.Client {
    const credentials = grpc.credentials.createSsl(readFileSync(peer.tlsCACertPath));
    return new grpc.Client(peer.endpoint, credentials, { 'grpc.ssl_target_name_override': peer.hostAlias });
}

function waitForReady(client: grpc.Client, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
        client.waitForReady(Date.now() + timeoutMs, (err) => (err ? reject(err) : resolve()));
    });
}
