import { createHash } from 'node:crypto';
import { type Connection, connect, EvidenceClient, findCommittedTransaction, loadNetworkProfile, verifyReceipt } from '@edgetrust/gateway-sdk';
import { networkFromEnv } from './topology';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The main flow `npm start` shows once the network is up: an edge application notarizes IoT readings through
 * the nearest edge peer (one record, then a Merkle batch with a receipt per reading), and the enterprise in the
 * cloud verifies them. Each step prints what it did.
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
        const edgeEvidence = new EvidenceClient(edge.gateway.getNetwork(profile.channel).getContract('evidence'));
        const cloudEvidence = new EvidenceClient(cloud.gateway.getNetwork(profile.channel).getContract('evidence'));

        const reading = JSON.stringify({ sensor: 'temp-17', celsius: 21.4, at: new Date().toISOString() });
        const id = `demo-reading-${String(Date.now())}`;
        const anchored = await edgeEvidence.anchor({ id, digest: sha256(reading), name: 'temp-17 reading', size: reading.length, mediaType: 'application/json', source: { type: 'device', id: 'temp-17' }, tags: ['iot', 'demo'] });
        const blocks = await edge.gateway.getNetwork(profile.channel).getBlockEvents({ startBlock: anchored.blockNumber });
        let endorsers: string[] = [];
        for await (const block of blocks) {
            endorsers = findCommittedTransaction(block, anchored.transactionId)?.endorserMspIds ?? [];
            break;
        }
        blocks.close();
        console.log(`Anchored evidence ${id} (sha256 ${sha256(reading).slice(0, 16)}…) in block ${String(anchored.blockNumber)}, endorsed by ${endorsers.join(' + ')}`);
        const genuine = await cloudEvidence.verify(id, sha256(reading));
        const tampered = await cloudEvidence.verify(id, sha256(`${reading} `));
        console.log(`CloudOrg verified the genuine reading: ${genuine.outcome} (anchored ${genuine.anchoredAt ?? '?'} by ${genuine.anchoredByMspId ?? '?'}); a tampered copy: ${tampered.outcome}`);

        const batcher = edgeEvidence.createBatcher({ metadata: { name: 'demo readings', source: { type: 'app', id: 'iot-gateway' } }, maxItems: 5 });
        const readings = Array.from({ length: 5 }, (_, i) => JSON.stringify({ sensor: `hum-${String(i)}`, percent: 40 + i }));
        const receipts = await Promise.all(readings.map((r) => batcher.add(sha256(r))));
        await batcher.close();
        const first = receipts[0];
        console.log(`Anchored ${String(receipts.length)} readings as one Merkle root ${first?.root.slice(0, 16) ?? ''}… (batch ${first?.batchId.slice(0, 16) ?? ''}…, block ${String(first?.blockNumber ?? '')})`);
        const offline = receipts.map((receipt, i) => verifyReceipt(receipt, sha256(readings[i] ?? '')).valid);
        const onChain = first ? await cloudEvidence.verifyReceipt(first, sha256(readings[0] ?? '')) : undefined;
        console.log(`Receipts verified offline: ${String(offline.filter(Boolean).length)}/${String(receipts.length)}; first receipt checked against the ledger by CloudOrg: ${onChain?.valid ? 'valid' : 'INVALID'} (on-chain proof check: ${onChain?.onChain.outcome ?? 'n/a'})`);
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
