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
export interface NetworkProfile {
    name: string;
    channel: string;
    /** Chaincode names on the channel, by chaincode package. */
    chaincodes: Record<string, string>;
    organizations: Record<string, OrganizationProfile>;
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
