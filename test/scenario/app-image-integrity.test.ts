import { randomBytes } from 'node:crypto';
import { copyFileSync, appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessDeniedError, type EvidenceRole, hashFile } from '../../gateway-sdk/src';
import { type EvidenceActor, evidenceAs } from '../support/evidence';
import { closeConnections, uniqueId } from '../support/network';

jest.setTimeout(120_000);

/*
 * Scenario 3 (WP 2.3.3): the app provider (CloudOrg) publishes the digest of a container image; an edge
 * node (EdgeOrg) checks every image before it loads it. Publishing needs the publisher role, which the
 * provider's org admin grants. A revoked version is refused from then on.
 */

/** What an edge node does before loading an image: load only what the ledger approves. */
async function loadImage(edgeNode: EvidenceActor, name: string, version: string, path: string): Promise<string> {
    const check = await edgeNode.client.checkArtifactFile(name, version, path);
    return check.loadAllowed ? 'loaded' : `refused: ${check.verdict}`;
}

describe('scenario: an app image published, checked before load, revoked and then refused', () => {
    let folder: string;
    let admin: EvidenceActor;
    let publisher: EvidenceActor;
    let rolesBefore: EvidenceRole[] = [];

    beforeAll(async () => {
        folder = mkdtempSync(join(tmpdir(), 'edgetrust-images-'));
        [admin, publisher] = await Promise.all([evidenceAs('CloudOrg', 'Admin'), evidenceAs('CloudOrg')]);
        rolesBefore = (await admin.client.readRoles(publisher.mspId, publisher.commonName)).roles;
    });
    afterAll(async () => {
        // Leave the publisher's roles as they were found.
        await admin.client.setRoles(publisher.commonName, rolesBefore);
        closeConnections();
        rmSync(folder, { recursive: true, force: true });
    });

    it('publishes through a granted role, approves the exact image only, and refuses it once revoked', async () => {
        const edgeNode = await evidenceAs('EdgeOrg');
        const name = uniqueId('video-analytics');
        const image = join(folder, 'video-analytics-1.0.0.tar');
        writeFileSync(image, randomBytes(3 * 1024 * 1024));
        const { digest, size } = await hashFile(image);
        const publish = (version: string, file: { digest: string; size: number }): ReturnType<EvidenceActor['client']['anchor']> =>
            publisher.client.anchor({
                id: `artifact:${name}:${version}`,
                kind: 'artifact',
                digest: file.digest,
                size: file.size,
                name: `video-analytics-${version}.tar`,
                mediaType: 'application/x-tar',
                source: { type: 'app', id: name },
                attributes: { artifactType: 'container-image', artifactName: name, version, vendor: 'ACME Vision' },
            });

        // Without the role, a plain member of the provider may not publish.
        await admin.client.setRoles(publisher.commonName, rolesBefore.filter((r) => r !== 'publisher'));
        await expect(publish('1.0.0', { digest, size })).rejects.toBeInstanceOf(AccessDeniedError);
        expect(await loadImage(edgeNode, name, '1.0.0', image)).toBe('refused: not_published');

        // The org admin grants the role; only an admin may (the member cannot grant it to itself).
        await expect(publisher.client.setRoles(publisher.commonName, ['publisher'])).rejects.toBeInstanceOf(AccessDeniedError);
        const grant = await admin.client.setRoles(publisher.commonName, [...rolesBefore, 'publisher']);
        expect(grant.result.roles).toContain('publisher');
        const published = await publish('1.0.0', { digest, size });
        expect(published.result).toMatchObject({ kind: 'artifact', submitterMspId: 'CloudOrgMSP', status: 'active' });

        // The edge node loads the published image, and refuses a tampered copy of it.
        expect(await loadImage(edgeNode, name, '1.0.0', image)).toBe('loaded');
        const tampered = join(folder, 'video-analytics-1.0.0-tampered.tar');
        copyFileSync(image, tampered);
        appendFileSync(tampered, 'backdoor');
        expect(await loadImage(edgeNode, name, '1.0.0', tampered)).toBe('refused: mismatch');
        expect(await loadImage(edgeNode, name, '1.0.1', image)).toBe('refused: not_published');

        // A vulnerability is found: the publisher revokes the version; the edge node refuses it from now on.
        await expect(edgeNode.client.revoke(published.result.id, 'not yours to revoke')).rejects.toBeInstanceOf(AccessDeniedError);
        const revoked = await publisher.client.revoke(published.result.id, 'CVE-2026-12345: remote code execution');
        expect(revoked.result.revocation).toMatchObject({ reason: 'CVE-2026-12345: remote code execution', revokedByMspId: 'CloudOrgMSP' });
        expect(await loadImage(edgeNode, name, '1.0.0', image)).toBe('refused: revoked');
        await expect(publish('1.0.0', { digest, size })).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });

        // The fixed version is published and loads.
        const fixed = join(folder, 'video-analytics-1.0.1.tar');
        writeFileSync(fixed, randomBytes(1024 * 1024));
        await publish('1.0.1', await hashFile(fixed));
        expect(await loadImage(edgeNode, name, '1.0.1', fixed)).toBe('loaded');
        expect(await loadImage(edgeNode, name, '1.0.0', image)).toBe('refused: revoked');
    });
});
