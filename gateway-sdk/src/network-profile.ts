import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

/** Where a peer runs: at an edge site (MEC) or in the cloud. */
export type Tier = 'edge' | 'cloud';

/** A peer an application can use as its gateway. */
export interface PeerProfile {
    name: string;
    /** host:port of the peer's gRPC endpoint. */
    endpoint: string;
    /** Name in the peer's TLS certificate, used as the TLS target name. */
    hostAlias: string;
    tier: Tier;
    site: string;
    /** PEM file of the organisation's TLS CA. */
    tlsCACertPath: string;
}

/** A user's enrolment: certificate and private key files. */
export interface UserProfile {
    certPath: string;
    keyPath: string;
}

export interface OrganizationProfile {
    mspId: string;
    /** What the organisation is in the MEC scenario, e.g. "MEC platform operator". */
    role: string;
    peers: PeerProfile[];
    users: Record<string, UserProfile>;
}

/**
 * The connection details `npm run network:up` writes (`.edgetrust/network/connection.json`):
 * everything an application needs to reach the network, per organisation.
 */
/** A channel of the network and the traffic it is tuned for. */
export interface ChannelProfile {
    /** `latency` (small batch timeout) or `bulk` (large blocks, for throughput). */
    latencyClass?: string;
    batchTimeout: string;
    maxMessageCount: number;
    /** Chaincode names deployed on the channel. */
    chaincodes: string[];
}

export interface NetworkProfile {
    name: string;
    /** The default channel (the latency channel). */
    channel: string;
    /** Every channel by name (profiles written before there were several have none: then `channel` is the only one). */
    channels?: Record<string, ChannelProfile>;
    /** Chaincode names on the channel, by chaincode package. */
    chaincodes: Record<string, string>;
    organizations: Record<string, OrganizationProfile>;
}

/**
 * The channel to call: a channel's name, or a latency class (`latency`, `bulk`) of the profile's channels; without
 * either, the default channel. An unknown name or class is an error, so a call never lands on a channel by accident.
 */
export function channelOf(profile: NetworkProfile, nameOrClass?: string): string {
    if (nameOrClass === undefined || nameOrClass === '' || nameOrClass === profile.channel) {
        return profile.channel;
    }
    const channels = profile.channels ?? {};
    if (nameOrClass in channels) {
        return nameOrClass;
    }
    const byClass = Object.entries(channels).find(([, c]) => c.latencyClass === nameOrClass);
    if (!byClass) {
        throw new Error(`no channel or latency class ${nameOrClass} in the profile (channels: ${[profile.channel, ...Object.keys(channels).filter((c) => c !== profile.channel)].join(', ')})`);
    }
    return byClass[0];
}

/** Reads a network profile; relative file paths in it are resolved against the profile's own folder. */
export function loadNetworkProfile(path: string): NetworkProfile {
    const profile = JSON.parse(readFileSync(path, 'utf8')) as NetworkProfile;
    const base = dirname(resolve(path));
    const absolute = (file: string): string => (isAbsolute(file) ? file : resolve(base, file));
    for (const org of Object.values(profile.organizations)) {
        for (const peer of org.peers) {
            peer.tlsCACertPath = absolute(peer.tlsCACertPath);
        }
        for (const user of Object.values(org.users)) {
            user.certPath = absolute(user.certPath);
            user.keyPath = absolute(user.keyPath);
        }
    }
    return profile;
}

/**
 * Orders an organisation's peers for use: the preferred tier first (edge by default, the nearest to
 * MEC applications), then the others, each group in profile order.
 */
export function orderPeers(peers: readonly PeerProfile[], preferredTier: Tier = 'edge'): PeerProfile[] {
    return [...peers.filter((p) => p.tier === preferredTier), ...peers.filter((p) => p.tier !== preferredTier)];
}
