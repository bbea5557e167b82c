import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
    BillingClient,
    type Connection,
    connect,
    ConsistencySession,
    DeviceIdentityClient,
    EvidenceClient,
    findCommittedTransaction,
    loadNetworkProfile,
    type NetworkProfile,
    NotFoundError,
    verifyReceipt,
} from '@edgetrust/gateway-sdk';
import { networkFromEnv } from './topology';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The main flow `npm start` shows once the network is up, through the nearest peers: evidence notarized at the
 * edge and verified in the cloud, a device certificate registered without a CA and revoked, and a GPU session
 * endorsed by both the platform and the application. Each step prints what it did.
 */
async function main(): Promise<void> {
    const network = networkFromEnv();
    const profile = loadNetworkProfile(network.paths.connectionProfile);
    const connections: Connection[] = [];
    try {
        // The two organisations' apps share one consistency session, as apps in two processes would pass tokens:
        // CloudOrg's reads and endorsements right after EdgeOrg's writes see them (gateway-sdk/README.md).
        const consistency = { session: new ConsistencySession() };
        const edge = await connect({ profile, organization: 'EdgeOrg', consistency });
        const cloud = await connect({ profile, organization: 'CloudOrg', consistency });
        connections.push(edge, cloud);
        console.log(`EdgeOrg app connected through ${edge.peer.name} (${edge.peer.tier}, ${edge.peer.site})`);
        console.log(`CloudOrg app connected through ${cloud.peer.name} (${cloud.peer.tier}, ${cloud.peer.site})`);
        await evidenceFlow(profile, edge, cloud);

        const edgeAdmin = await connect({ profile, organization: 'EdgeOrg', user: 'Admin', consistency });
        connections.push(edgeAdmin);
        await deviceFlow(profile, edgeAdmin, cloud);
        await billingFlow(profile, edge, cloud);
    } finally {
        for (const c of connections) {
            c.close();
        }
    }
}

/** Evidence: one IoT reading anchored and verified across organisations, then a Merkle batch with a receipt per reading. */
async function evidenceFlow(profile: NetworkProfile, edge: Connection, cloud: Connection): Promise<void> {
    const edgeEvidence = new EvidenceClient(edge.gateway.getNetwork(profile.channel).getContract('evidence'));
    const cloudEvidence = new EvidenceClient(cloud.gateway.getNetwork(profile.channel).getContract('evidence'));

    const reading = JSON.stringify({ sensor: 'temp-17', celsius: 21.4, at: new Date().toISOString() });
    const id = `demo-reading-${String(Date.now())}`;
    const anchored = await edgeEvidence.anchor({ id, digest: sha256(reading), name: 'temp-17 reading', size: reading.length, mediaType: 'application/json', source: { type: 'device', id: 'temp-17' }, tags: ['iot', 'demo'] });
    const endorsers = await endorsersOf(edge, profile.channel, anchored);
    console.log(`Anchored evidence ${id} (sha256 ${sha256(reading).slice(0, 16)}…) in block ${String(anchored.blockNumber)}, endorsed by ${endorsers.join(' + ')}`);
    const genuine = await cloudEvidence.verify(id, sha256(reading));
    const tampered = await cloudEvidence.verify(id, sha256(`${reading} `));
    console.log(`CloudOrg verified the genuine reading: ${genuine.outcome} (anchored ${genuine.anchoredAt ?? '?'} by ${genuine.anchoredByMspId ?? '?'}); a tampered copy: ${tampered.outcome}`);

    await batchFlow(edgeEvidence, cloudEvidence);
}

/** Five readings anchored as one Merkle root; every receipt checks offline, and one against the ledger. */
async function batchFlow(edgeEvidence: EvidenceClient, cloudEvidence: EvidenceClient): Promise<void> {
    const batcher = edgeEvidence.createBatcher({ metadata: { name: 'demo readings', source: { type: 'app', id: 'iot-gateway' } }, maxItems: 5 });
    const readings = Array.from({ length: 5 }, (_, i) => JSON.stringify({ sensor: `hum-${String(i)}`, percent: 40 + i }));
    const receipts = await Promise.all(readings.map((r) => batcher.add(sha256(r))));
    await batcher.close();
    const [first] = receipts;
    const [firstReading] = readings;
    if (!first || firstReading === undefined) {
        throw new Error('the batcher returned no receipt');
    }
    console.log(`Anchored ${String(receipts.length)} readings as one Merkle root ${first.root.slice(0, 16)}… (batch ${first.batchId.slice(0, 16)}…, block ${String(first.blockNumber)})`);
    const offline = receipts.filter((receipt, i) => verifyReceipt(receipt, sha256(readings[i] ?? '')).valid).length;
    const onChain = await cloudEvidence.verifyReceipt(first, sha256(firstReading));
    console.log(`Receipts verified offline: ${String(offline)}/${String(receipts.length)}; first receipt checked against the ledger by CloudOrg: ${onChain.valid ? 'valid' : 'INVALID'} (on-chain proof check: ${onChain.onChain.outcome})`);
}

/** The organisations whose peers endorsed a committed transaction, read from its block. */
async function endorsersOf(connection: Connection, channel: string, submitted: { transactionId: string; blockNumber: bigint }): Promise<string[]> {
    const blocks = await connection.gateway.getNetwork(channel).getBlockEvents({ startBlock: submitted.blockNumber });
    try {
        for await (const block of blocks) {
            return findCommittedTransaction(block, submitted.transactionId)?.endorserMspIds ?? [];
        }
        return [];
    } finally {
        blocks.close();
    }
}

/** A self-signed P-256 certificate as a device makes it at the factory (node:crypto makes keys, not certificates). */
/** A device key and its self-signed certificate, as the factory makes them; the key proves possession at registration. */
function factoryCertificate(commonName: string): { pem: string; keyPem: string } {
    const keyPem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const dir = mkdtempSync(join(tmpdir(), 'edgetrust-demo-'));
    try {
        writeFileSync(join(dir, 'key.pem'), keyPem);
        const pem = execFileSync(
            'openssl',
            ['req', '-x509', '-new', '-key', join(dir, 'key.pem'), '-days', '365', '-subj', `/CN=${commonName}`, '-addext', 'keyUsage=critical,digitalSignature'],
            { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
        );
        return { pem, keyPem };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** Device identity: the platform registers a manufacturer, which registers a camera's certificate; an app checks it, then it is revoked. */
async function deviceFlow(profile: NetworkProfile, edgeAdmin: Connection, cloud: Connection): Promise<void> {
    const registry = new DeviceIdentityClient(edgeAdmin.gateway.getNetwork(profile.channel).getContract('device-identity'));
    const lookup = new DeviceIdentityClient(cloud.gateway.getNetwork(profile.channel).getContract('device-identity'));
    const manufacturerId = 'demo-camera-maker';
    try {
        await registry.readManufacturer(manufacturerId);
    } catch (err) {
        if (!(err instanceof NotFoundError)) {
            throw err;
        }
        await registry.registerManufacturer({ id: manufacturerId, name: 'Demo Camera Maker', mspId: edgeAdmin.mspId });
    }
    const deviceId = `demo-camera-${String(Date.now())}`;
    const device = factoryCertificate(deviceId);
    const registered = await registry.registerDevice({ manufacturerId, id: deviceId, certificatePem: device.pem, model: 'IPC-4K' }, device.keyPem);
    const fingerprint = registered.result.fingerprint;
    console.log(`Manufacturer ${manufacturerId} registered device ${deviceId}'s self-signed certificate (sha256 ${fingerprint.slice(0, 16)}…), no CA involved; the device key proved possession`);
    const before = await lookup.checkCertificate(fingerprint);
    await registry.revokeCertificate(deviceId, { reason: 'keyCompromise', comment: 'demo' });
    const after = await lookup.checkCertificate(fingerprint);
    console.log(`CloudOrg app looked it up before mutual TLS: ${before.status}, trusted ${String(before.trusted)}; after revocation: ${after.status}, trusted ${String(after.trusted)}`);
}

/**
 * Resource billing: the operator lists a GPU; the app proposes a session and the operator accepts it,
 * each in its own transaction endorsed by both organisations, so neither bills the other alone.
 */
async function billingFlow(profile: NetworkProfile, edge: Connection, cloud: Connection): Promise<void> {
    const operator = new BillingClient(edge.gateway.getNetwork(profile.channel).getContract('resource-billing'));
    const tenant = new BillingClient(cloud.gateway.getNetwork(profile.channel).getContract('resource-billing'));
    const suffix = String(Date.now());
    await operator.registerSite({ siteId: `demo-site-${suffix}`, name: 'Demo edge site', location: 'edge-site-a' });
    const gpu = (await operator.registerResource({ resourceId: `demo-gpu-${suffix}`, siteId: `demo-site-${suffix}`, kind: 'gpu', name: 'GPU slice', plan: { unit: 'second', rate: 40 } })).result;
    console.log(`EdgeOrg (operator) listed ${gpu.resourceId} at 40 minor units per second`);
    const proposed = await tenant.startSession({ sessionId: `demo-session-${suffix}`, resourceId: gpu.resourceId, appId: 'demo-cloud-game', planVersion: 1 });
    console.log(`CloudOrg (tenant) proposed session ${proposed.result.sessionId}: ${proposed.result.status}, awaiting ${proposed.result.awaitingMspId ?? ''}`);
    const accepted = await operator.acceptSession(proposed.result.sessionId);
    const endorsers = await endorsersOf(edge, profile.channel, accepted);
    console.log(`EdgeOrg accepted it: ${accepted.result.status} from ${accepted.result.startedAt ?? ''}, endorsed by ${endorsers.sort().join(' + ')}`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const { usage } = (await operator.stopSession(proposed.result.sessionId)).result;
    if (usage) {
        console.log(`EdgeOrg stopped it: ${String(usage.quantity)} s × 40 = ${String(usage.amount)} minor units, on invoice line ${usage.lineId ?? ''} of period ${usage.period}`);
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
