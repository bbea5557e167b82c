import { createHash } from 'node:crypto';
import { EVIDENCE_TRANSACTIONS } from '@edgetrust/schemas';
import { findCommittedTransaction } from '../../gateway-sdk/src';
import { closeConnections, connectAs, readBlock, testProfile, uniqueId } from '../support/network';

const utf8 = new TextDecoder();

function anchorRequest(id: string, content: string): string {
    return JSON.stringify({
        id,
        digest: createHash('sha256').update(content).digest('hex'),
        name: `${id}.txt`,
        size: Buffer.byteLength(content),
        mediaType: 'text/plain',
        source: { type: 'device', id: 'camera-7' },
        tags: ['network-test'],
    });
}

describe('the EdgeTrust test network (real Fabric peers through the gateway)', () => {
    afterAll(closeConnections);

    it('labels every peer with its tier and site, with edge and cloud organisations', () => {
        const profile = testProfile();
        const tiers = Object.values(profile.organizations).flatMap((org) => org.peers.map((p) => `${org.mspId}:${p.tier}`));
        expect(tiers).toEqual(expect.arrayContaining(['EdgeOrgMSP:edge', 'CloudOrgMSP:cloud']));
        for (const org of Object.values(profile.organizations)) {
            for (const peer of org.peers) {
                expect(peer.site).not.toHaveLength(0);
            }
        }
    });

    it('commits a transaction endorsed by peers of both organisations, readable by each', async () => {
        const profile = testProfile();
        const edge = await connectAs('EdgeOrg');
        const cloud = await connectAs('CloudOrg');
        expect(edge.peer.tier).toBe('edge');
        expect(cloud.peer.tier).toBe('cloud');

        const id = uniqueId('network-test');
        const content = `reading at ${id}`;
        const contract = edge.gateway.getNetwork(profile.channel).getContract('evidence');
        const commit = await contract.submitAsync('Anchor', {
            arguments: [anchorRequest(id, content)],
            endorsingOrganizations: ['EdgeOrgMSP', 'CloudOrgMSP'],
        });
        const status = await commit.getStatus();
        expect(status.successful).toBe(true);

        const block = await readBlock(edge.gateway, profile.channel, status.blockNumber);
        const committed = findCommittedTransaction(block, status.transactionId);
        expect(committed?.validationCode).toBe('VALID');
        expect(new Set(committed?.endorserMspIds)).toEqual(new Set(['EdgeOrgMSP', 'CloudOrgMSP']));

        const read = await cloud.gateway.getNetwork(profile.channel).getContract('evidence').evaluate('Read', { arguments: [id] });
        expect(JSON.parse(utf8.decode(read))).toMatchObject({ id, submitterMspId: 'EdgeOrgMSP' });
        const verify = await cloud.gateway
            .getNetwork(profile.channel)
            .getContract('evidence')
            .evaluate('Verify', { arguments: [id, createHash('sha256').update(content).digest('hex')] });
        expect(JSON.parse(utf8.decode(verify))).toMatchObject({ outcome: 'match' });
    });

    it.each(['EdgeOrg', 'CloudOrg'])('has evidence from %s endorsed by its own organisation under the OR policy', async (org) => {
        const profile = testProfile();
        const connection = await connectAs(org);
        const id = uniqueId(`own-org-${org}`);
        const commit = await connection.gateway.getNetwork(profile.channel).getContract('evidence').submitAsync('Anchor', { arguments: [anchorRequest(id, id)] });
        const status = await commit.getStatus();
        const committed = findCommittedTransaction(await readBlock(connection.gateway, profile.channel, status.blockNumber), status.transactionId);
        expect(committed?.endorserMspIds).toEqual([connection.mspId]);
    });

    it('falls back to another peer of the organisation when the nearest edge peer is down', async () => {
        const profile = testProfile();
        const edgeOrg = profile.organizations.EdgeOrg;
        const [nearest, next] = edgeOrg?.peers ?? [];
        expect(next).toBeDefined();
        // Point the nearest peer at a port nothing listens on: the same as that peer being down.
        const broken = { ...profile, organizations: { ...profile.organizations, EdgeOrg: { ...edgeOrg!, peers: [{ ...nearest!, endpoint: '127.0.0.1:1' }, next!] } } };
        const connection = await connectAs('EdgeOrg', { profile: broken, connectTimeoutMs: 1000 });
        expect(connection.peer.name).toBe(next?.name);
        const metadata = await connection.gateway.getNetwork(profile.channel).getContract('evidence').evaluate('org.hyperledger.fabric:GetMetadata');
        expect(JSON.parse(utf8.decode(metadata))).toHaveProperty('contracts.evidence');
    });

    it("GetMetadata tells an integrator each evidence transaction's request and return shapes (META-INF/metadata.json)", async () => {
        const connection = await connectAs('EdgeOrg');
        const bytes = await connection.gateway.getNetwork(testProfile().channel).getContract('evidence').evaluate('org.hyperledger.fabric:GetMetadata');
        const metadata = JSON.parse(utf8.decode(bytes)) as {
            contracts: Record<string, { transactions: { name: string; parameters?: { name: string; schema: object }[]; returns?: { $ref?: string } }[] }>;
            components: { schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }> };
        };
        const transactions = metadata.contracts.evidence?.transactions ?? [];
        // Every transaction of the table the deployed chaincode was built from, and no other.
        expect(transactions.map((t) => t.name).sort()).toEqual(Object.keys(EVIDENCE_TRANSACTIONS).sort());
        const anchor = transactions.find((t) => t.name === 'Anchor');
        expect(anchor?.parameters).toEqual([expect.objectContaining({ name: 'request', schema: { type: 'string', title: 'AnchorRequest' } })]);
        expect(anchor?.returns?.$ref).toBe('#/components/schemas/EvidenceRecord');
        expect(metadata.components.schemas.AnchorRequest?.required).toEqual(expect.arrayContaining(['id', 'name', 'source']));
        for (const t of transactions) {
            expect({ t: t.name, returns: metadata.components.schemas[(t.returns?.$ref ?? '').split('/').pop() ?? ''] === undefined }).toEqual({ t: t.name, returns: false });
        }
    });
});
