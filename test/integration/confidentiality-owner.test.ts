import { NotFoundError } from '../../gateway-sdk/src';
import { type DeviceIdentityActor, deviceIdentityAs } from '../support/device-identity';
import { type EvidenceActor, evidenceAs, sha256 } from '../support/evidence';
import { closeConnections, testProfile, uniqueId } from '../support/network';

/*
 * Owner data is confidential, not only access-checked (issue 9, finding 8; docs/security/confidentiality.md), on
 * the real network. Any channel member's client can fetch every block with qscc GetBlockByNumber (the orderers hold
 * the same blocks), so each block is searched byte for byte: write sets, transaction arguments, responses and
 * events all travel inside it. An equipment asset's serial number, site and location and a personal record's name,
 * source and tags must not be there; a public record's name, anchored alongside, must be (the search finds what is
 * there). On the code before this change all of them were in the block.
 */

jest.setTimeout(120_000);

describe('owner data in private data collections (real network)', () => {
    const channel = testProfile().channel;
    let edgeAssets: DeviceIdentityActor;
    let cloudAssets: DeviceIdentityActor;
    let edge: EvidenceActor;
    let cloud: EvidenceActor;

    beforeAll(async () => {
        [edgeAssets, cloudAssets, edge, cloud] = await Promise.all([deviceIdentityAs('EdgeOrg'), deviceIdentityAs('CloudOrg'), evidenceAs('EdgeOrg'), evidenceAs('CloudOrg')]);
    });
    afterAll(() => closeConnections());

    /** The block as any member fetches it: qscc GetBlockByNumber through CloudOrg's own peer (a non-owner). */
    async function blockBytes(blockNumber: bigint): Promise<Buffer> {
        const qscc = cloud.network.getContract('qscc');
        return Buffer.from(await qscc.evaluateTransaction('GetBlockByNumber', channel, blockNumber.toString()));
    }

    /** Which of `secrets` appear anywhere in the blocks. */
    async function foundIn(blockNumbers: readonly bigint[], secrets: readonly string[]): Promise<string[]> {
        const blocks = await Promise.all([...new Set(blockNumbers)].map(blockBytes));
        return secrets.filter((secret) => blocks.some((block) => block.includes(Buffer.from(secret, 'utf8'))));
    }

    it("keeps an equipment asset's details out of every block and off the other organisation's peers", async () => {
        const run = uniqueId('conf');
        const asset = { id: `it-asset-${run}`, tag: `QR-${run}`, type: 'base_station', site: `site-${run}`, location: `rack-${run}`, serialNumber: `SN-${run}`, model: `model-${run}` };
        const registered = await edgeAssets.client.registerAsset(asset);
        expect(registered.result).toMatchObject({ ...asset, ownerMspId: 'EdgeOrgMSP', state: 'in_stock' });
        const moved = await edgeAssets.client.transitionAsset(asset.id, { to: 'lent', lentTo: `borrower-${run}`, location: `mast-${run}`, note: `note-${run}` });
        expect(moved.result).toMatchObject({ state: 'lent', lentTo: `borrower-${run}`, location: `mast-${run}` });
        // A public record anchored now: the search must find its name, or finding nothing would prove nothing.
        const control = await edge.client.anchor({ id: `it-control-${run}`, name: `public-name-${run}`, digest: sha256(run), size: 1, source: { type: 'app', id: 'conf-test' } });

        const blocks = [registered.blockNumber, moved.blockNumber, control.blockNumber];
        expect(await foundIn(blocks, [`public-name-${run}`])).toEqual([`public-name-${run}`]);
        const secrets = [asset.serialNumber, asset.site, asset.location, asset.model, asset.tag, `borrower-${run}`, `mast-${run}`, `note-${run}`];
        expect(await foundIn(blocks, secrets)).toEqual([]);

        // CloudOrg's peer does not hold the asset: not refused, simply not there.
        await expect(cloudAssets.client.readAsset(asset.id)).rejects.toBeInstanceOf(NotFoundError);
        await expect(cloudAssets.client.readAssetByTag(asset.tag)).rejects.toMatchObject({ code: 'NOT_FOUND' });
        await expect(cloudAssets.client.listAssetsBySite(asset.site)).resolves.toMatchObject({ records: [] });
        // Yet the tag stays unique across organisations (checked against the private data hashes every peer holds).
        await expect(cloudAssets.client.registerAsset({ ...asset, id: `it-asset-cloud-${run}` })).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
        await expect(edgeAssets.client.assetHistory(asset.id)).resolves.toMatchObject({ records: [{ seq: 1 }, { seq: 2, note: `note-${run}` }] });
    });

    it("keeps a personal record's name, source and tags out of every block, and erases its private side on PurgePersonal", async () => {
        const run = uniqueId('conf-personal');
        const document = Buffer.from(`passport scan ${run}`);
        const identifying = { name: `passport of Jane Roe ${run}`, source: { type: 'org' as const, id: `kyc-desk-${run}` }, tags: [`subject-${run}`] };
        const anchored = await edge.client.anchorPersonal(
            { id: `it-personal-${run}`, ...identifying, size: document.length, attributes: { documentType: 'passport' } },
            { content: document, storeContent: true },
            [edge.mspId],
        );
        const id = anchored.result.id;
        expect(anchored.result).toMatchObject({ name: 'personal-document', source: { type: 'org', id: 'EdgeOrgMSP' }, tags: [] });
        await expect(edge.client.readPrivate(id)).resolves.toMatchObject({ ...identifying, salt: anchored.salt, contentDigest: sha256(document) });
        const control = await edge.client.anchor({ id: `it-control-${run}`, name: `public-name-${run}`, digest: sha256(run), size: 1, source: { type: 'app', id: 'conf-test' } });
        const blocks = [anchored.blockNumber, control.blockNumber];
        expect(await foundIn(blocks, [`public-name-${run}`])).toEqual([`public-name-${run}`]);
        expect(await foundIn(blocks, [identifying.name, identifying.source.id, ...identifying.tags, document.toString('base64')])).toEqual([]);
        await expect(cloud.client.readPrivate(id)).rejects.toMatchObject({ code: 'ACCESS_DENIED' });

        // Right to erasure: a non-owner cannot, the owner can; then the private side is gone and the commitment stays.
        await expect(cloud.client.purgePersonal(id, [cloud.mspId])).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
        const purged = await edge.client.purgePersonal(id, [edge.mspId]);
        expect(purged.result).toEqual({ id, txId: purged.transactionId });
        await expect(edge.client.readPrivate(id)).rejects.toBeInstanceOf(NotFoundError);
        await expect(edge.client.verifyPersonal(id, document)).rejects.toBeInstanceOf(NotFoundError);
        await expect(cloud.client.read(id)).resolves.toMatchObject({ digest: anchored.result.digest, digestScheme: 'salted-sha256' });
        await expect(cloud.client.verify(id, anchored.result.digest)).resolves.toMatchObject({ outcome: 'match' });
        await expect(edge.client.purgePersonal(id, [edge.mspId])).rejects.toBeInstanceOf(NotFoundError);
        expect(await foundIn([purged.blockNumber], [identifying.name, ...identifying.tags])).toEqual([]);
    });
});
