import * as grpc from '@grpc/grpc-js';
import { connect as connectGateway, hash, signers, type Gateway, type Identity, type Signer } from '@hyperledger/fabric-gateway';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { firstBlockFrom } from './block-feed';
import { type BlockFeed, type ConsistencyOptions, ConsistencySession, type ConsistencyToken, DEFAULT_CONSISTENCY_TIMEOUT_MS, type TrackedPeer } from './consistency';
import { consistentGateway } from './consistent-gateway';
import { EdgeTrustError } from './errors';
import { type PeerCandidate, PeerRoutes } from './failover';
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
    /**
     * Read-your-writes (on by default): evaluates and endorsements wait until the peers they run on have the
     * latest block this connection's session saw committed or was told about; `false` turns it off.
     * See gateway-sdk/README.md, "Consistency".
     */
    consistency?: ConsistencyOptions | false;
    /**
     * How long a commit status wait lasts before the same signed transaction is submitted again (default
     * `DEFAULT_RESUBMIT_AFTER_MS`, 2000 ms): see gateway-sdk/README.md, "Failover".
     */
    resubmitAfterMs?: number;
}

/** A live gateway connection; close it when done. */
export interface Connection {
    /** Fails over between the organisation's peers by itself (see gateway-sdk/README.md, "Failover"). */
    gateway: Gateway;
    /** The peer this connection goes through now (another peer of its organisation after a failover). */
    readonly peer: PeerProfile;
    /** How many times the connection moved to another peer because its peer failed. */
    readonly failovers: number;
    mspId: string;
    /** What this connection has seen committed and requires (shared with the connections of the same session). */
    session: ConsistencySession;
    /**
     * The highest block this connection's session saw committed or was told about on a channel (default: the
     * profile's channel), to hand to another application: `token.toString()` is `channel@block`.
     */
    consistencyToken(channel?: string): ConsistencyToken | undefined;
    /** Requires at least the token's block from now on, e.g. a token another organisation's application sent. */
    observe(token: ConsistencyToken | string | undefined): void;
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
        return openConnection(options, candidates, peer, client, identity, signer);
    }
    throw new EdgeTrustError({
        code: 'UNAVAILABLE',
        message: `no peer of ${options.organization} is reachable: ${failures.join('; ') || 'no peers in profile'}`,
    });
}

/**
 * The connection through one reachable peer, with read-your-writes unless turned off, and failover to the other
 * candidates (the organisation's peers in connect() order, starting again from the first after the last).
 */
function openConnection(
    options: Readonly<ConnectOptions>,
    candidates: readonly PeerProfile[],
    peer: PeerProfile,
    client: grpc.Client,
    identity: Identity,
    signer: Signer,
): Connection {
    const { profile } = options;
    const gateway = newGateway(client, identity, signer);
    const consistency = options.consistency === false ? undefined : (options.consistency ?? {});
    const session = consistency?.session ?? new ConsistencySession();
    const peerGateways = new PeerGateways(identity, signer, peer, client, gateway, Object.values(profile.organizations).flatMap((o) => o.peers));
    const tracked = (p: PeerProfile, orgName: string, mspId: string): TrackedPeer => ({ endpoint: p.endpoint, mspId, label: `${p.name} of ${orgName}` });
    const routeCandidates: PeerCandidate[] = candidates.map((p) => ({
        peer: tracked(p, options.organization, identity.mspId),
        open: () => peerGateways.gatewayOf(p),
        ready: () => peerGateways.ready(p),
    }));
    const routes = new PeerRoutes(routeCandidates, candidates.indexOf(peer), gateway);
    const byEndpoint = new Map(candidates.map((p) => [p.endpoint, p]));
    const consistent = consistentGateway(gateway, {
        session,
        gatewayPeer: tracked(peer, options.organization, identity.mspId),
        routes,
        readYourWrites: consistency !== undefined,
        resubmitAfterMs: options.resubmitAfterMs,
        mspId: identity.mspId,
        peersOf: (mspId) =>
            Object.entries(profile.organizations)
                .filter(([, o]) => o.mspId === mspId)
                .flatMap(([name, o]) => o.peers.map((p) => tracked(p, name, mspId))),
        organizations: Object.values(profile.organizations).map((o) => o.mspId),
        feed: peerGateways.feed,
        timeoutMs: consistency?.timeoutMs ?? DEFAULT_CONSISTENCY_TIMEOUT_MS,
    });
    return {
        gateway: consistent,
        get peer(): PeerProfile {
            return byEndpoint.get(routes.current.peer.endpoint) ?? peer;
        },
        get failovers(): number {
            return routes.failovers;
        },
        mspId: identity.mspId,
        session,
        consistencyToken: (channel = profile.channel) => session.token(channel),
        observe: (token) => session.observe(token),
        close: (): void => {
            peerGateways.close();
        },
    };
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

function newGateway(client: grpc.Client, identity: Identity, signer: Signer): Gateway {
    return connectGateway({
        client,
        identity,
        signer,
        hash: hash.sha256,
        evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
        endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
        submitOptions: () => ({ deadline: Date.now() + 10_000 }),
        commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
    });
}

/**
 * One Gateway (one gRPC client) per peer, opened on first use: the connection's own for the peer connect() reached,
 * others for failover and for consistency waits (a peer's deliver service answers a channel reader of any
 * organisation).
 */
class PeerGateways {
    readonly #identity: Identity;
    readonly #signer: Signer;
    readonly #profiles: ReadonlyMap<string, PeerProfile>;
    readonly #opened = new Map<string, { client: grpc.Client; gateway: Gateway }>();

    constructor(identity: Identity, signer: Signer, gatewayPeer: PeerProfile, client: grpc.Client, own: Gateway, peers: readonly PeerProfile[]) {
        this.#identity = identity;
        this.#signer = signer;
        this.#profiles = new Map(peers.map((p) => [p.endpoint, p]));
        this.#opened.set(gatewayPeer.endpoint, { client, gateway: own });
    }

    readonly feed: BlockFeed = (peer, channel, startBlock, signal) => firstBlockFrom(this.gatewayOf(this.#profileOf(peer)).getNetwork(channel), startBlock, signal);

    gatewayOf(profile: PeerProfile): Gateway {
        return this.#open(profile).gateway;
    }

    /** Whether the peer's gRPC channel is connected now; asking starts a connection attempt if it is idle. */
    ready(profile: PeerProfile): boolean {
        return this.#open(profile).client.getChannel().getConnectivityState(true) === grpc.connectivityState.READY;
    }

    #open(profile: PeerProfile): { client: grpc.Client; gateway: Gateway } {
        let opened = this.#opened.get(profile.endpoint);
        if (!opened) {
            const client = newGrpcClient(profile);
            opened = { client, gateway: newGateway(client, this.#identity, this.#signer) };
            this.#opened.set(profile.endpoint, opened);
        }
        return opened;
    }

    #profileOf(peer: TrackedPeer): PeerProfile {
        const profile = this.#profiles.get(peer.endpoint);
        if (!profile) {
            throw new EdgeTrustError({ code: 'CONFIG_ERROR', message: `no peer at ${peer.endpoint} in the network profile` });
        }
        return profile;
    }

    close(): void {
        for (const { client, gateway } of this.#opened.values()) {
            gateway.close();
            client.close();
        }
        this.#opened.clear();
    }
}
