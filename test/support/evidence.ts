import type { Network } from '@hyperledger/fabric-gateway';
import { createHash } from 'node:crypto';
import { decodeEvent, type EdgeTrustEvent, EvidenceClient } from '../../gateway-sdk/src';
import { connectAs, testProfile } from './network';

/** An evidence client and its channel, as one user of one organisation. */
export interface EvidenceActor {
    client: EvidenceClient;
    network: Network;
    mspId: string;
    /** The certificate CN of the user (what roles are granted to). */
    commonName: string;
}

const DOMAINS: Readonly<Record<string, string>> = { EdgeOrg: 'edge.edgetrust.local', CloudOrg: 'cloud.edgetrust.local' };

/** Connects as `user` of `organization` (nearest peer first) and opens the evidence chaincode. */
export async function evidenceAs(organization: string, user = 'User1'): Promise<EvidenceActor> {
    const profile = testProfile();
    const connection = await connectAs(organization, { user });
    const network = connection.gateway.getNetwork(profile.channel);
    const client = new EvidenceClient(network.getContract(profile.chaincodes.evidence ?? 'evidence'));
    return { client, network, mspId: connection.mspId, commonName: `${user}@${DOMAINS[organization] ?? organization}` };
}

export function sha256(data: string | Uint8Array): string {
    return createHash('sha256').update(data).digest('hex');
}

/**
 * The evidence events of the given transactions, read from `startBlock` on; fails after `timeoutMs`
 * with what was found so far (the caller's assertion then names what is missing).
 */
export async function eventsOf(network: Network, startBlock: bigint, transactionIds: readonly string[], timeoutMs = 20_000): Promise<Map<string, EdgeTrustEvent>> {
    const wanted = new Set(transactionIds);
    const found = new Map<string, EdgeTrustEvent>();
    const events = await network.getChaincodeEvents(testProfile().chaincodes.evidence ?? 'evidence', { startBlock });
    const timer = setTimeout(() => events.close(), timeoutMs);
    try {
        for await (const event of events) {
            if (wanted.has(event.transactionId)) {
                found.set(event.transactionId, decodeEvent(event));
            }
            if (found.size === wanted.size) {
                break;
            }
        }
    } catch {
        // Closed by the timeout: return what arrived.
    } finally {
        clearTimeout(timer);
        events.close();
    }
    return found;
}
