import { createHash } from 'node:crypto';
import { connect, findCommittedTransaction, loadNetworkProfile, type Connection } from '@edgetrust/gateway-sdk';
import { networkFromEnv } from './topology';

/**
 * The main flow `npm start` shows once the network is up: an edge application notarizes a reading through
 * the nearest edge peer, both organisations endorse it, and the enterprise in the cloud verifies it.
 */
async function main(): Promise<void> {
    const network = networkFromEnv();
    const profile = loadNetworkProfile(network.paths.connectionProfile);
    const connections: Connection[] = [];
    try {
        const edge = await connect({ profile, organization: 'EdgeOrg' });
        const cloud = await connect({ profile, organization: 'CloudOrg' });
        connections.push(edge, cloud);
        console.log(`EdgeOrg app connected through ${edge.peer.name} (${edge.peer.tier}, ${edge.peer.site})`);
        console.log(`CloudOrg app connected through ${cloud.peer.name} (${cloud.peer.tier}, ${cloud.peer.site})`);

        const reading = JSON.stringify({ sensor: 'temp-17', celsius: 21.4, at: new Date().toISOString() });
        const digest = createHash('sha256').update(reading).digest('hex');
        const id = `demo-reading-${String(Date.now())}`;
        const evidence = edge.gateway.getNetwork(profile.channel).getContract('evidence');
        const commit = await evidence.submitAsync('Anchor', {
            arguments: [JSON.stringify({ id, digest, name: 'temp-17 reading', size: reading.length, mediaType: 'application/json', source: { type: 'device', id: 'temp-17' }, tags: ['iot', 'demo'] })],
            endorsingOrganizations: ['EdgeOrgMSP', 'CloudOrgMSP'],
        });
        const status = await commit.getStatus();
        const events = await edge.gateway.getNetwork(profile.channel).getBlockEvents({ startBlock: status.blockNumber });
        let endorsers: string[] = [];
        for await (const block of events) {
            endorsers = findCommittedTransaction(block, status.transactionId)?.endorserMspIds ?? [];
            break;
        }
        events.close();
        console.log(`Anchored evidence ${id} (sha256 ${digest.slice(0, 16)}…) in block ${String(status.blockNumber)}, tx ${status.transactionId.slice(0, 16)}…, endorsed by ${endorsers.join(' + ')}`);

        const verifier = cloud.gateway.getNetwork(profile.channel).getContract('evidence');
        const decode = (bytes: Uint8Array): { outcome: string } => JSON.parse(Buffer.from(bytes).toString()) as { outcome: string };
        const genuine = decode(await verifier.evaluate('Verify', { arguments: [id, digest] }));
        const tampered = decode(await verifier.evaluate('Verify', { arguments: [id, createHash('sha256').update(`${reading} `).digest('hex')] }));
        console.log(`CloudOrg verified the genuine reading: ${genuine.outcome}; a tampered copy: ${tampered.outcome}`);
    } finally {
        for (const c of connections) {
            c.close();
        }
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
