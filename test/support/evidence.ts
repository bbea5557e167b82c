import type { Network } from '@hyperledger/fabric-gateway';
import { createHash } from 'node:crypto';
import { type EdgeTrustEvent, EvidenceClient } from '../../gateway-sdk/src';
import { chaincodeEventsOf, connectAs, testProfile } from './network';

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

/** The evidence events of the given transactions, read from `startBlock` on (see chaincodeEventsOf). */
export function eventsOf(network: Network, startBlock: bigint, transactionIds: readonly string[], timeoutMs = 20_000): Promise<Map<string, EdgeTrustEvent>> {
    return chaincodeEventsOf(network, testProfile().chaincodes.evidence ?? 'evidence', startBlock, transactionIds, timeoutMs);
}
