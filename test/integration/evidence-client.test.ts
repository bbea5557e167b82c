import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
    AccessDeniedError,
    AlreadyExistsError,
    type AnchorRequest,
    EdgeTrustError,
    type EvidenceClient,
    type EvidenceReceipt,
    InvalidArgumentError,
    InvalidStateError,
    NotFoundError,
} from '../../gateway-sdk/src';
import { type EvidenceActor, evidenceAs, eventsOf, sha256 } from '../support/evidence';
import { closeConnections, uniqueId } from '../support/network';

jest.setTimeout(90_000);

let counter = 0;
/** An id no other test or run uses. */
function fresh(prefix: string): string {
    counter += 1;
    return `${uniqueId(prefix)}-${String(counter)}`;
}

/** A plain record anchored by digest. */
function request(id: string, content: string, extra: Partial<AnchorRequest> = {}): AnchorRequest {
    return { id, digest: sha256(content), name: `${id}.bin`, size: Buffer.byteLength(content), mediaType: 'application/octet-stream', source: { type: 'device', id: 'it-camera' }, ...extra };
}

describe('EvidenceClient against the real network', () => {
    let edge: EvidenceActor;
    let edgeAdmin: EvidenceActor;
    let cloud: EvidenceActor;
    let cloudAdmin: EvidenceActor;

    beforeAll(async () => {
        [edge, edgeAdmin, cloud, cloudAdmin] = await Promise.all([evidenceAs('EdgeOrg'), evidenceAs('EdgeOrg', 'Admin'), evidenceAs('CloudOrg'), evidenceAs('CloudOrg', 'Admin')]);
    });
    afterAll(closeConnections);

    describe('records (E1, E2, E3, E7)', () => {
        it('anchors a typed record and verifies it by digest: match, mismatch and not found, with when and by whom', async () => {
            const id = fresh('it-video');
            const segment = `segment 1 of ${id}`;
            const anchored = await edge.client.anchor({
                ...request(id, segment),
                kind: 'video-segment',
                mediaType: 'video/mp4',
                tags: ['it-video'],
                attributes: { cameraId: 'cam-7', startTime: '2026-01-01T10:00:00Z', endTime: '2026-01-01T10:01:00Z', sequence: 1, codec: 'h264' },
            });
            expect(anchored.result).toMatchObject({ id, kind: 'video-segment', status: 'active', submitterMspId: 'EdgeOrgMSP', txId: anchored.transactionId, digestScheme: 'sha256' });
            expect(anchored.result.attributes).toEqual({ cameraId: 'cam-7', startTime: '2026-01-01T10:00:00.000Z', endTime: '2026-01-01T10:01:00.000Z', sequence: 1, codec: 'h264' });
            expect(anchored.blockNumber).toBeGreaterThan(0n);

            await expect(cloud.client.read(id)).resolves.toEqual(anchored.result);
            const match = await cloud.client.verify(id, sha256(segment));
            expect(match).toMatchObject({ outcome: 'match', comparedBy: 'digest', anchoredAt: anchored.result.anchoredAt, anchoredByMspId: 'EdgeOrgMSP', anchoredById: anchored.result.submitterId });
            await expect(cloud.client.verify(id, sha256(`${segment}, edited`))).resolves.toMatchObject({ outcome: 'mismatch', record: { digest: sha256(segment) } });
            await expect(cloud.client.verify('', sha256(segment))).resolves.toMatchObject({ outcome: 'match', record: { id } });
            await expect(cloud.client.verify('', sha256(`never anchored ${id}`))).resolves.toEqual({ outcome: 'not_found', digest: sha256(`never anchored ${id}`), comparedBy: 'digest' });
            await expect(cloud.client.verifyContent(id, Buffer.from(segment))).resolves.toMatchObject({ outcome: 'match', comparedBy: 'digest' });
        });

        it('stores small standardized data whole and compares the data itself (E2)', async () => {
            const id = fresh('it-reading');
            const data = JSON.stringify({ sensor: 't-1', celsius: 21.5 });
            const { result } = await edge.client.anchor({ id, name: 'reading', source: { type: 'device', id: 't-1' }, payload: { encoding: 'utf8', data } });
            expect(result).toMatchObject({ digest: sha256(data), size: Buffer.byteLength(data), payload: { encoding: 'utf8', data } });
            await expect(cloud.client.verifyContent(id, Buffer.from(data))).resolves.toMatchObject({ outcome: 'match', comparedBy: 'content' });
            await expect(cloud.client.verifyContent(id, Buffer.from(data.replace('21.5', '12.5')))).resolves.toMatchObject({ outcome: 'mismatch', comparedBy: 'content' });
        });

        it('hashes a file by streaming, anchors it and verifies the file later', async () => {
            const folder = mkdtempSync(join(tmpdir(), 'edgetrust-it-'));
            const file = join(folder, 'clip.mp4');
            writeFileSync(file, Buffer.alloc(5 * 1024 * 1024 + 7, 0x5a));
            const progress: number[] = [];
            const id = fresh('it-file');
            const anchored = await edge.client.anchorFile(file, { id, name: 'clip.mp4', mediaType: 'video/mp4', source: { type: 'device', id: 'cam-8' } }, (p) => progress.push(p.bytesHashed));
            expect(anchored.file.size).toBe(5 * 1024 * 1024 + 7);
            expect(anchored.result).toMatchObject({ size: anchored.file.size, digest: anchored.file.digest });
            expect(progress.at(-1)).toBe(anchored.file.size);
            expect(progress.length).toBeGreaterThan(1);
            await expect(cloud.client.verifyFile(id, file)).resolves.toMatchObject({ outcome: 'match' });
            rmSync(folder, { recursive: true, force: true });
        });

        it('revokes a record, keeps its history newest first, and lets only the submitter side revoke', async () => {
            const id = fresh('it-revoke');
            const anchored = await edge.client.anchor(request(id, `alarm log ${id}`));
            await expect(cloud.client.revoke(id, 'not mine')).rejects.toBeInstanceOf(AccessDeniedError);
            const revoked = await edgeAdmin.client.revoke(id, 'camera clock was wrong');
            expect(revoked.result).toMatchObject({ status: 'revoked', revocation: { reason: 'camera clock was wrong', revokedByMspId: 'EdgeOrgMSP', txId: revoked.transactionId } });
            await expect(edge.client.revoke(id, 'again')).rejects.toBeInstanceOf(InvalidStateError);

            const history = await cloud.client.history(id);
            expect(history.map((h) => [h.txId, h.record?.status])).toEqual([
                [revoked.transactionId, 'revoked'],
                [anchored.transactionId, 'active'],
            ]);
            await expect(cloud.client.verify(id, sha256(`alarm log ${id}`))).resolves.toMatchObject({ outcome: 'match', status: 'revoked' });
        });

        it('emits exactly one event per state change, named after what changed (E12)', async () => {
            const id = fresh('it-events');
            const anchored = await edge.client.anchor(request(id, 'event source'));
            const revoked = await edge.client.revoke(id, 'test');
            const events = await eventsOf(edge.network, anchored.blockNumber, [anchored.transactionId, revoked.transactionId]);
            expect(events.get(anchored.transactionId)).toMatchObject({ name: 'EvidenceAnchored', payload: { id, hasPayload: false } });
            expect(events.get(revoked.transactionId)).toMatchObject({ name: 'EvidenceRevoked', payload: { id, status: 'revoked', revocation: { reason: 'test' } } });
        });
    });

    describe('queries (E6)', () => {
        const tag = fresh('it-q').replace(/-/g, '_').slice(0, 60);
        const source = { type: 'app' as const, id: fresh('it-q-source') };
        let ids: string[];
        let startedAt: string;

        beforeAll(async () => {
            startedAt = new Date(Date.now() - 60_000).toISOString();
            ids = Array.from({ length: 5 }, (_, i) => `${tag}-${String(i)}`);
            // Concurrent submits: distinct keys, so no read conflicts.
            await Promise.all(ids.map((id, i) => (i % 2 === 0 ? edge : cloud).client.anchor(request(id, id, { source, tags: [tag], kind: 'generic' }))));
        });

        it('pages through a tag with bookmarks: every record once, none twice', async () => {
            const pages: string[][] = [];
            let bookmark = '';
            do {
                const page = await cloud.client.query({ by: 'tag', tag, pageSize: 2, bookmark });
                expect(page.fetchedRecordsCount).toBe(page.records.length);
                pages.push(page.records.map((r) => r.id));
                bookmark = page.bookmark;
            } while (bookmark !== '' && pages.length < 10);
            expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
            expect(pages.flat().sort()).toEqual([...ids].sort());

            const all: string[] = [];
            for await (const record of edge.client.queryAll({ by: 'source', source, pageSize: 3 })) {
                all.push(record.id);
            }
            expect(all.sort()).toEqual([...ids].sort());
        });

        it('finds records by submitter organisation, by submitter and by time range', async () => {
            const mine = await edge.client.read(ids[0]!);
            const bySubmitter: string[] = [];
            for await (const r of cloud.client.queryAll({ by: 'submitter', mspId: 'CloudOrgMSP', submitterId: (await cloud.client.read(ids[1]!)).submitterId, from: startedAt, pageSize: 50 })) {
                bySubmitter.push(r.id);
            }
            expect(bySubmitter).toEqual(expect.arrayContaining([ids[1], ids[3]]));
            expect(bySubmitter).not.toContain(ids[0]);

            const byOrg: string[] = [];
            for await (const r of cloud.client.queryAll({ by: 'org', mspId: 'EdgeOrgMSP', from: mine.anchoredAt, to: mine.anchoredAt, pageSize: 50 })) {
                byOrg.push(r.id);
            }
            expect(byOrg).toContain(ids[0]);
            const byTime: string[] = [];
            for await (const r of cloud.client.queryAll({ by: 'time', from: mine.anchoredAt, to: mine.anchoredAt, pageSize: 50 })) {
                byTime.push(r.id);
            }
            expect(byTime).toContain(ids[0]);
            await expect(cloud.client.query({ by: 'time', from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' })).rejects.toBeInstanceOf(InvalidArgumentError);
        });
    });

    describe('personal records in the owner organisation\'s private collection (E8)', () => {
        it('keeps the document and its digest private to the owner; only a salted hash is public', async () => {
            const id = fresh('it-personal');
            const document = Buffer.from(`passport scan of subject ${id}`);
            const anchored = await edge.client.anchorPersonal(
                { id, name: 'passport.pdf', size: document.length, mediaType: 'application/pdf', source: { type: 'org', id: 'kyc-desk' }, attributes: { documentType: 'passport', subjectRef: 'subject-42' } },
                { content: document, storeContent: true },
                [edge.mspId],
            );
            expect(anchored.result).toMatchObject({ id, kind: 'personal-document', digestScheme: 'salted-sha256', privateCollection: 'EdgeOrgMSPPrivateEvidence' });
            expect(anchored.result.digest).toBe(sha256(Buffer.concat([Buffer.from(anchored.salt, 'base64'), Buffer.from(sha256(document), 'hex')])));
            expect(JSON.stringify(await cloud.client.read(id))).not.toContain(sha256(document));

            // On the owner's peer: the submitter reads the private side and checks a document against it.
            const personal = await edge.client.readPrivate(id);
            expect(personal).toMatchObject({ id, ownerMspId: 'EdgeOrgMSP', salt: anchored.salt, contentDigest: sha256(document), content: document.toString('base64'), txId: anchored.transactionId });
            await expect(edge.client.verifyPersonal(id, document)).resolves.toMatchObject({ outcome: 'match', comparedBy: 'private-digest' });
            await expect(edge.client.verifyPersonal(id, Buffer.from('forged scan'))).resolves.toMatchObject({ outcome: 'mismatch' });
            await expect(edgeAdmin.client.readPrivate(id)).resolves.toMatchObject({ contentDigest: sha256(document) });

            // Another organisation, even its admin, may not read it.
            await expect(cloud.client.readPrivate(id)).rejects.toMatchObject({ name: 'AccessDeniedError', code: 'ACCESS_DENIED' });
            await expect(cloudAdmin.client.verifyPersonal(id, document)).rejects.toBeInstanceOf(AccessDeniedError);
        });

        it('refuses a personal document through the public Anchor, and writes nothing', async () => {
            const id = fresh('it-personal-public');
            await expect(edge.client.anchor({ ...request(id, 'id card'), kind: 'personal-document', attributes: { documentType: 'id-card' } })).rejects.toBeInstanceOf(InvalidArgumentError);
            await expect(edge.client.read(id)).rejects.toBeInstanceOf(NotFoundError);
        });
    });

    describe('batches (E4)', () => {
        it('anchors one root per batch and gives every item a receipt that verifies offline and on chain', async () => {
            const source = { type: 'app' as const, id: fresh('it-batcher') };
            const batcher = edge.client.createBatcher({ metadata: { name: 'it batch', source, tags: ['it-batch'] }, maxItems: 3, maxDelayMs: 200 });
            const digests = Array.from({ length: 7 }, (_, i) => sha256(`${source.id} item ${String(i)}`));
            const receipts: EvidenceReceipt[] = await Promise.all(digests.map((d) => batcher.add(d)));
            await batcher.close();

            expect(new Set(receipts.map((r) => r.batchId)).size).toBe(3);
            expect(receipts.map((r) => r.treeSize)).toEqual([3, 3, 3, 3, 3, 3, 1]);
            // Each receipt names the tree and the ledger its root is on, so a verifier elsewhere knows what to ask.
            expect(receipts.every((r) => r.algorithm === 'rfc6962-sha256' && r.channel === 'edgetrust' && r.chaincode === 'evidence')).toBe(true);
            for (const [i, receipt] of receipts.entries()) {
                const check = await cloud.client.verifyReceipt(receipt, digests[i]);
                expect(check).toMatchObject({ valid: true, onChain: { outcome: 'match', batch: { root: receipt.root, count: receipt.treeSize } } });
            }
            const altered = await cloud.client.verifyReceipt(receipts[4]!, sha256('altered'));
            expect(altered).toMatchObject({ valid: false, offline: { problem: 'digest-mismatch' }, onChain: { outcome: 'mismatch' } });

            const batch = await cloud.client.readBatch(receipts[0]!.batchId);
            expect(batch).toMatchObject({ id: receipts[0]!.transactionId, count: 3, treeAlgorithm: 'rfc6962-sha256', source, submitterMspId: 'EdgeOrgMSP' });
            const page = await cloud.client.queryBatches({ by: 'source', source, pageSize: 10 });
            expect(page.records.map((b) => b.id).sort()).toEqual([...new Set(receipts.map((r) => r.batchId))].sort());
            await expect(cloud.client.verifyInclusion(fresh('no-batch'), digests[0]!, 0, [])).resolves.toMatchObject({ outcome: 'not_found' });
        });

        it('refuses a malformed root or count and writes no batch', async () => {
            const batchId = fresh('it-bad-batch');
            await expect(edge.client.anchorBatch('ABC', 3, { batchId, source: { type: 'app', id: 'x' } })).rejects.toBeInstanceOf(InvalidArgumentError);
            await expect(edge.client.anchorBatch(sha256('r'), 0, { batchId, source: { type: 'app', id: 'x' } })).rejects.toBeInstanceOf(InvalidArgumentError);
            await expect(edge.client.readBatch(batchId)).rejects.toBeInstanceOf(NotFoundError);
        });
    });

    describe('process traces (E9)', () => {
        it('links steps of two organisations and walks them both ways; a missing predecessor is refused', async () => {
            const traceId = fresh('it-trace');
            const step = (actor: EvidenceActor, name: string, predecessorId?: string): ReturnType<EvidenceClient['anchor']> =>
                actor.client.anchor({
                    ...request(`${traceId}/${name}`, `${traceId} ${name}`),
                    kind: 'process-step',
                    attributes: { traceId, step: name, party: `${name} party`, ...(predecessorId ? { predecessorId } : {}) },
                });
            const first = await step(edge, 'picked');
            const second = await step(cloud, 'packed', first.result.id);
            const events = await eventsOf(edge.network, first.blockNumber, [second.transactionId]);
            expect(events.get(second.transactionId)).toMatchObject({ name: 'ProcessStepRecorded', payload: { id: second.result.id, attributes: { predecessorId: first.result.id } } });

            await expect(cloud.client.traceBackward(second.result.id)).resolves.toMatchObject({ traceId, complete: true, steps: [{ id: first.result.id }, { id: second.result.id }] });
            await expect(edge.client.traceForward(first.result.id)).resolves.toMatchObject({ traceId, complete: true, steps: [{ id: first.result.id }, { id: second.result.id }] });

            const orphan = step(edge, 'shipped', `${traceId}/never`);
            await expect(orphan).rejects.toBeInstanceOf(EdgeTrustError);
            await expect(orphan).rejects.toMatchObject({ code: 'PREDECESSOR_NOT_FOUND' });
            await expect(edge.client.read(`${traceId}/shipped`)).rejects.toBeInstanceOf(NotFoundError);
        });
    });

    describe('artifacts (E10)', () => {
        it('approves the published digest only, refuses a non-publisher, and refuses a revoked version', async () => {
            const name = fresh('it-app');
            const image = 'image bytes v1';
            const publish = (actor: EvidenceActor, version: string): ReturnType<EvidenceClient['anchor']> =>
                actor.client.anchor({ ...request(`${name}:${version}`, image), kind: 'artifact', attributes: { artifactType: 'container-image', artifactName: name, version } });
            // The bootstrap rule: an organisation's admins hold every role; plain members need the publisher role.
            expect((await edge.client.readRoles('EdgeOrgMSP', edge.commonName)).roles).not.toContain('publisher');
            await expect(publish(edge, '1.0')).rejects.toMatchObject({ name: 'AccessDeniedError', code: 'ACCESS_DENIED' });
            await expect(edge.client.checkArtifact(name, '1.0', sha256(image))).resolves.toMatchObject({ verdict: 'not_published', loadAllowed: false });

            const published = await publish(edgeAdmin, '1.0');
            await expect(publish(edgeAdmin, '1.0')).rejects.toBeInstanceOf(AlreadyExistsError);
            await expect(cloud.client.checkArtifact(name, '1.0', sha256(image))).resolves.toMatchObject({ verdict: 'approved', loadAllowed: true, record: { id: published.result.id } });
            await expect(cloud.client.checkArtifact(name, '1.0', sha256('tampered image'))).resolves.toMatchObject({ verdict: 'mismatch', loadAllowed: false });
            await edgeAdmin.client.revoke(published.result.id, 'CVE-2026-0001');
            await expect(cloud.client.checkArtifact(name, '1.0', sha256(image))).resolves.toMatchObject({ verdict: 'revoked', loadAllowed: false });
        });
    });

    describe('data-set transfers between edge nodes (E11)', () => {
        it('records each named recipient\'s acknowledgement, and a mismatch is visible', async () => {
            const id = fresh('it-transfer');
            const dataSet = `${id} data set`;
            await edge.client.anchor({
                ...request(id, dataSet),
                kind: 'data-set-transfer',
                attributes: { dataSetId: `${id}-ds`, itemCount: 12, recipients: [{ mspId: 'CloudOrgMSP' }, { mspId: 'EdgeOrgMSP', name: edgeAdmin.commonName }] },
            });
            await expect(edge.client.acknowledgeTransfer(id, sha256(dataSet))).rejects.toBeInstanceOf(AccessDeniedError);
            const good = await cloud.client.acknowledgeTransfer(id, sha256(dataSet));
            expect(good.result).toMatchObject({ outcome: 'match', recipient: { mspId: 'CloudOrgMSP' }, acknowledgedByMspId: 'CloudOrgMSP' });
            await expect(cloudAdmin.client.acknowledgeTransfer(id, sha256(dataSet))).rejects.toBeInstanceOf(AlreadyExistsError);
            const bad = await edgeAdmin.client.acknowledgeTransfer(id, sha256('truncated copy'));
            expect(bad.result).toMatchObject({ outcome: 'mismatch', expectedDigest: sha256(dataSet), receivedDigest: sha256('truncated copy') });

            const status = await edge.client.readTransfer(id);
            expect(status).toMatchObject({ pending: [], mismatches: 1 });
            expect(status.acknowledgements.map((a) => a.outcome).sort()).toEqual(['match', 'mismatch']);
        });
    });

    describe('roles and organisation policy', () => {
        it('lets an organisation\'s admins, and only them, grant roles and set the policy of their own organisation', async () => {
            const member = `${fresh('member')}@edge.edgetrust.local`;
            const granted = await edgeAdmin.client.setRoles(member, ['revoker', 'submitter', 'revoker']);
            expect(granted.result).toMatchObject({ mspId: 'EdgeOrgMSP', commonName: member, roles: ['revoker', 'submitter'] });
            await expect(cloud.client.readRoles('EdgeOrgMSP', member)).resolves.toMatchObject({ roles: ['revoker', 'submitter'] });
            await edgeAdmin.client.setRoles(member, []);
            await expect(cloud.client.readRoles('EdgeOrgMSP', member)).resolves.toMatchObject({ roles: [] });

            await expect(edge.client.setRoles(member, ['publisher'])).rejects.toBeInstanceOf(AccessDeniedError);
            await expect(cloud.client.readRoles('EdgeOrgMSP', member)).resolves.toMatchObject({ roles: [] });
            await expect(edgeAdmin.client.setRoles(member, ['superuser' as 'publisher'])).rejects.toBeInstanceOf(InvalidArgumentError);

            // Setting the default policy again changes nothing for other tests, and records who set it.
            const policy = await cloudAdmin.client.setOrgPolicy('any-member');
            expect(policy.result).toMatchObject({ mspId: 'CloudOrgMSP', anchoring: 'any-member' });
            await expect(edge.client.readOrgPolicy('CloudOrgMSP')).resolves.toMatchObject({ anchoring: 'any-member', updatedById: policy.result.updatedById });
            await expect(cloud.client.setOrgPolicy('submitter-role')).rejects.toBeInstanceOf(AccessDeniedError);
            await expect(edge.client.readOrgPolicy('CloudOrgMSP')).resolves.toMatchObject({ anchoring: 'any-member' });
        });
    });

    describe('rejected input arrives as a typed error and writes nothing', () => {
        it.each([
            ['a short digest', { digest: 'abc123' }, InvalidArgumentError, 'INVALID_ARGUMENT'],
            ['an upper-case digest', { digest: sha256('x').toUpperCase() }, InvalidArgumentError, 'INVALID_ARGUMENT'],
            ['an unknown kind', { kind: 'hologram' as 'generic' }, InvalidArgumentError, 'INVALID_ARGUMENT'],
            ['an oversize name', { name: 'n'.repeat(5000) }, InvalidArgumentError, 'INVALID_ARGUMENT'],
            ['attributes of another kind', { kind: 'alarm' as const, attributes: { cameraId: 'c' } as never }, InvalidArgumentError, 'INVALID_ARGUMENT'],
            ['an oversize payload', { digest: undefined, size: undefined, payload: { encoding: 'utf8' as const, data: 'p'.repeat(5000) } }, EdgeTrustError, 'PAYLOAD_TOO_LARGE'],
            ['a payload that is not the digest', { payload: { encoding: 'utf8' as const, data: 'other' } }, EdgeTrustError, 'DIGEST_MISMATCH'],
        ])('%s', async (_label, change, ErrorClass, code) => {
            const id = fresh('it-bad');
            const rejected = edge.client.anchor({ ...request(id, `content of ${id}`), ...change });
            await expect(rejected).rejects.toBeInstanceOf(ErrorClass);
            await expect(rejected).rejects.toMatchObject({ code, transactionId: expect.any(String) as string });
            await expect(cloud.client.read(id)).rejects.toMatchObject({ name: 'NotFoundError', code: 'NOT_FOUND' });
            await expect(cloud.client.verify('', sha256(`content of ${id}`))).resolves.toMatchObject({ outcome: 'not_found' });
        });

        it('a duplicate id is refused and the first record stays as it was', async () => {
            const id = fresh('it-dup');
            const first = await edge.client.anchor(request(id, `original ${id}`));
            const duplicate = cloud.client.anchor(request(id, `impostor ${id}`));
            await expect(duplicate).rejects.toBeInstanceOf(AlreadyExistsError);
            await expect(duplicate).rejects.toMatchObject({ name: 'AlreadyExistsError', code: 'ALREADY_EXISTS' });
            await expect(cloud.client.read(id)).resolves.toEqual(first.result);
            await expect(cloud.client.history(id)).resolves.toHaveLength(1);
            await expect(cloud.client.verify('', sha256(`impostor ${id}`))).resolves.toMatchObject({ outcome: 'not_found' });
        });

        it('reads of what does not exist are NotFoundError, revoking it too', async () => {
            const id = fresh('it-missing');
            await expect(cloud.client.read(id)).rejects.toBeInstanceOf(NotFoundError);
            await expect(cloud.client.history(id)).rejects.toBeInstanceOf(NotFoundError);
            await expect(edge.client.revoke(id, 'x')).rejects.toBeInstanceOf(NotFoundError);
            await expect(cloud.client.traceBackward(id)).rejects.toBeInstanceOf(NotFoundError);
            await expect(cloud.client.read('bad id with spaces')).rejects.toBeInstanceOf(InvalidArgumentError);
            await expect(edge.client.revoke(fresh('x'), '')).rejects.toBeInstanceOf(InvalidArgumentError);
        });
    });
});
