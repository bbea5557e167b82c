import { randomBytes } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { identities, MemoryLedger, type TestIdentity } from '../../common/testing/memory-ledger';
import { expectRefusedUnchanged } from '../../common/testing/refusal';
// RFC 6962 straight from its definitions (independent of the code under test).
import { mth, path, sha256 } from '../../schemas/src/testing/rfc6962-reference';
import { EvidenceContract } from './evidence-contract';

const contract = new EvidenceContract();
const hex = (text: string): string => sha256(Buffer.from(text)).toString('hex');

let ledger: MemoryLedger;
const submit = (who: TestIdentity, fn: (ctx: Context) => Promise<string>): Promise<unknown> =>
    ledger.submit(who, fn).then((json) => JSON.parse(json) as unknown);
const evaluate = (fn: (ctx: Context) => Promise<string>, who: TestIdentity = identities.cloudUser): Promise<unknown> =>
    ledger.evaluate(who, fn).then((json) => JSON.parse(json) as unknown);
const anchor = (who: TestIdentity, body: object): Promise<unknown> => submit(who, (ctx) => contract.Anchor(ctx, JSON.stringify(body)));
const expectRejected = (promise: Promise<unknown>, pattern: RegExp): Promise<void> => expectRefusedUnchanged(ledger, promise, pattern);

beforeEach(() => {
    ledger = new MemoryLedger();
});

describe('batches (E4)', () => {
    const digests = Array.from({ length: 7 }, (_, i) => sha256(Buffer.from(`segment-${String(i)}`)));
    const root = mth(digests).toString('hex');
    const metadata = { batchId: 'cam-7/batch-1', source: { type: 'app', id: 'video-service' }, kind: 'video-segment', tags: ['site-a'] };
    const anchorBatch = (who: TestIdentity = identities.edgeUser, m: object = metadata, r = root, count = '7'): Promise<unknown> =>
        submit(who, (ctx) => contract.AnchorBatch(ctx, r, count, JSON.stringify(m)));
    const verify = (index: number, proof: Buffer[], digest = digests[index] as Buffer, batchId = metadata.batchId): Promise<unknown> =>
        evaluate((ctx) => contract.VerifyInclusion(ctx, batchId, digest.toString('hex'), String(index), JSON.stringify(proof.map((p) => p.toString('hex')))));

    it('anchors a root and checks every inclusion proof on chain', async () => {
        await expect(anchorBatch()).resolves.toMatchObject({ id: metadata.batchId, root, count: 7, treeAlgorithm: 'rfc6962-sha256', kind: 'video-segment' });
        expect(ledger.events).toEqual([expect.objectContaining({ name: 'BatchAnchored', payload: expect.objectContaining({ batchId: metadata.batchId, root, count: 7 }) })]);
        for (let i = 0; i < digests.length; i += 1) {
            await expect(verify(i, path(i, digests))).resolves.toMatchObject({ outcome: 'match', computedRoot: root });
        }
        await expect(verify(2, path(2, digests), sha256(Buffer.from('altered')))).resolves.toMatchObject({ outcome: 'mismatch' });
        await expect(verify(3, path(2, digests))).resolves.toMatchObject({ outcome: 'mismatch' });
        await expect(verify(9, path(2, digests), digests[2])).resolves.toMatchObject({ outcome: 'mismatch', computedRoot: '' });
        await expect(verify(0, path(0, digests), digests[0], 'unknown')).resolves.toMatchObject({ outcome: 'not_found' });
    });

    it('defaults the batch id to the transaction id and finds batches by query', async () => {
        const { batchId: _unused, ...rest } = metadata;
        const batch = (await anchorBatch(identities.edgeUser, rest)) as { id: string };
        expect(batch.id).toBe(ledger.events[0]?.txId);
        const page = (await evaluate((ctx) => contract.QueryBatches(ctx, JSON.stringify({ by: 'source', source: rest.source })))) as { records: { id: string }[] };
        expect(page.records.map((r) => r.id)).toEqual([batch.id]);
        await expect(evaluate((ctx) => contract.ReadBatch(ctx, batch.id))).resolves.toMatchObject({ root });
    });

    it.each([
        ['a root that is not a digest', () => anchorBatch(identities.edgeUser, metadata, 'abc'), /^INVALID_ARGUMENT: root/],
        ['a zero count', () => anchorBatch(identities.edgeUser, metadata, root, '0'), /^INVALID_ARGUMENT: count/],
        ['a count that is not an integer', () => anchorBatch(identities.edgeUser, metadata, root, '7.5'), /^INVALID_ARGUMENT: count/],
        ['a batch of personal documents', () => anchorBatch(identities.edgeUser, { ...metadata, kind: 'personal-document' }), /^INVALID_ARGUMENT: personal/],
        ['metadata without a source', () => anchorBatch(identities.edgeUser, { batchId: 'b' }), /^INVALID_ARGUMENT: source is required/],
    ])('rejects %s and writes nothing', async (_label, run, pattern) => {
        await expectRejected(run(), pattern);
    });

    it('refuses a duplicate batch id and malformed proofs', async () => {
        await anchorBatch();
        await expectRejected(anchorBatch(), /^ALREADY_EXISTS: batch cam-7\/batch-1/);
        await expect(evaluate((ctx) => contract.VerifyInclusion(ctx, metadata.batchId, root, '0', '["zz"]'))).rejects.toThrow(/^INVALID_ARGUMENT: proof\[0\]/);
        await expect(evaluate((ctx) => contract.VerifyInclusion(ctx, metadata.batchId, root, '-1', '[]'))).rejects.toThrow(/^INVALID_ARGUMENT: leafIndex/);
        await expect(evaluate((ctx) => contract.VerifyInclusion(ctx, metadata.batchId, root, '0', JSON.stringify(Array(65).fill(root))))).rejects.toThrow(
            /^INVALID_ARGUMENT: proof must be a JSON array of at most 64/,
        );
        await expect(evaluate((ctx) => contract.ReadBatch(ctx, 'nope'))).rejects.toThrow(/^NOT_FOUND: /);
    });
});

describe('process traces (E9)', () => {
    const step = (id: string, party: string, predecessorId?: string, traceId = 'shipment-1'): object => ({
        id,
        kind: 'process-step',
        digest: hex(id),
        name: `${party} record`,
        size: 100,
        source: { type: 'org', id: party },
        attributes: { traceId, step: id.split('/')[1], party, ...(predecessorId ? { predecessorId } : {}) },
    });

    it('links steps across organisations and walks the trace both ways, with an event per step', async () => {
        await anchor(identities.cloudUser, step('shipment-1/pickup', 'shipper'));
        await anchor(identities.edgeUser, step('shipment-1/forward', 'forwarder', 'shipment-1/pickup'));
        await anchor(identities.cloudUser, step('shipment-1/customs', 'customs', 'shipment-1/forward'));
        await anchor(identities.edgeUser, step('shipment-1/carry', 'carrier', 'shipment-1/customs'));
        expect(ledger.events.map((e) => e.name)).toEqual(Array(4).fill('ProcessStepRecorded'));
        expect(ledger.events[3]?.payload).toMatchObject({ attributes: { predecessorId: 'shipment-1/customs', traceId: 'shipment-1' } });

        const ids = (walk: unknown): string[] => (walk as { steps: { id: string }[] }).steps.map((s) => s.id);
        const all = ['shipment-1/pickup', 'shipment-1/forward', 'shipment-1/customs', 'shipment-1/carry'];
        const back = await evaluate((ctx) => contract.TraceBackward(ctx, 'shipment-1/carry', '100'));
        expect(ids(back)).toEqual(all);
        expect(back).toMatchObject({ traceId: 'shipment-1', complete: true });
        const forward = await evaluate((ctx) => contract.TraceForward(ctx, 'shipment-1/pickup', '100'));
        expect(ids(forward)).toEqual(all);
        expect(forward).toMatchObject({ complete: true });
        const cut = await evaluate((ctx) => contract.TraceBackward(ctx, 'shipment-1/carry', '2'));
        expect(ids(cut)).toEqual(['shipment-1/customs', 'shipment-1/carry']);
        expect(cut).toMatchObject({ complete: false });
        await expect(evaluate((ctx) => contract.TraceForward(ctx, 'shipment-1/forward', '2'))).resolves.toMatchObject({ complete: false });
    });

    it('rejects a missing predecessor, one of another trace, and bad walks', async () => {
        await anchor(identities.cloudUser, step('shipment-1/pickup', 'shipper'));
        await expectRejected(anchor(identities.edgeUser, step('shipment-1/forward', 'forwarder', 'shipment-1/ghost')), /^PREDECESSOR_NOT_FOUND: /);
        await expectRejected(
            anchor(identities.edgeUser, step('shipment-2/forward', 'forwarder', 'shipment-1/pickup', 'shipment-2')),
            /^INVALID_ARGUMENT: predecessor shipment-1\/pickup is not a step of trace shipment-2/,
        );
        await expect(evaluate((ctx) => contract.TraceForward(ctx, 'shipment-1/pickup', '0'))).rejects.toThrow(/^INVALID_ARGUMENT: maxSteps/);
        await expect(evaluate((ctx) => contract.TraceForward(ctx, 'shipment-1/nope', '5'))).rejects.toThrow(/^NOT_FOUND: /);
        await submit(identities.cloudUser, (ctx) => contract.Revoke(ctx, 'shipment-1/pickup', 'wrong'));
        await expectRejected(anchor(identities.edgeUser, step('shipment-1/forward', 'forwarder', 'shipment-1/pickup')), /^INVALID_STATE: /);
    });
});

describe('artifacts (E10)', () => {
    const image = {
        id: 'video-analytics@2.1.0',
        kind: 'artifact',
        digest: hex('image bytes'),
        name: 'video-analytics container image',
        size: 73400320,
        source: { type: 'org', id: 'app-vendor' },
        attributes: { artifactType: 'container-image', artifactName: 'video-analytics', version: '2.1.0' },
    };
    const check = (digest = image.digest, version = '2.1.0'): Promise<unknown> =>
        evaluate((ctx) => contract.CheckArtifact(ctx, 'video-analytics', version, digest), identities.edgeUser);

    it('publishes, checks before load, revokes, and then refuses', async () => {
        await expectRejected(anchor(identities.cloudUser, image), /^ACCESS_DENIED: Publishing an artifact needs the publisher role/);
        await submit(identities.cloudAdmin, (ctx) => contract.SetRoles(ctx, JSON.stringify({ commonName: identities.cloudUser.name, roles: ['publisher'] })));
        await anchor(identities.cloudUser, image);
        expect(ledger.events.at(-1)?.name).toBe('ArtifactPublished');
        await expect(check()).resolves.toMatchObject({ verdict: 'approved', loadAllowed: true });
        await expect(check(hex('tampered'))).resolves.toMatchObject({ verdict: 'mismatch', loadAllowed: false });
        await expect(check(image.digest, '9.9.9')).resolves.toMatchObject({ verdict: 'not_published', loadAllowed: false });
        await expectRejected(anchor(identities.cloudUser, { ...image, id: 'again' }), /^ALREADY_EXISTS: artifact video-analytics version 2.1.0/);
        await submit(identities.cloudUser, (ctx) => contract.Revoke(ctx, image.id, 'CVE-2026-0001'));
        expect(ledger.events.at(-1)).toMatchObject({ name: 'ArtifactRevoked', payload: { revocation: { reason: 'CVE-2026-0001' } } });
        await expect(check()).resolves.toMatchObject({ verdict: 'revoked', loadAllowed: false });
        await expect(evaluate((ctx) => contract.CheckArtifact(ctx, 'video analytics', '1', image.digest))).rejects.toThrow(/^INVALID_ARGUMENT: artifactName/);
    });
});

describe('data-set transfers (E11)', () => {
    const transfer = {
        id: 'sync/ds-1/1',
        kind: 'data-set-transfer',
        digest: hex('data set'),
        name: 'map tiles',
        size: 1000,
        source: { type: 'device', id: 'edge-node-a' },
        attributes: { dataSetId: 'ds-1', recipients: [{ mspId: 'EdgeOrgMSP', name: 'node-b' }, { mspId: 'CloudOrgMSP' }] },
    };
    const nodeB = { mspId: 'EdgeOrgMSP', name: 'node-b' };
    const acknowledge = (who: TestIdentity, digest: string): Promise<unknown> =>
        submit(who, (ctx) => contract.AcknowledgeTransfer(ctx, transfer.id, digest));

    it('records what each named recipient received; a mismatch is visible', async () => {
        await anchor(identities.edgeUser, transfer);
        expect(ledger.events.at(-1)?.name).toBe('DataTransferAnnounced');
        await expect(acknowledge(nodeB, transfer.digest)).resolves.toMatchObject({ outcome: 'match', recipient: { mspId: 'EdgeOrgMSP', name: 'node-b' } });
        await expect(acknowledge(identities.cloudUser, hex('corrupted'))).resolves.toMatchObject({ outcome: 'mismatch', expectedDigest: transfer.digest });
        expect(ledger.events.at(-1)).toMatchObject({ name: 'TransferAcknowledged', payload: { outcome: 'mismatch' } });
        await expect(evaluate((ctx) => contract.ReadTransfer(ctx, transfer.id))).resolves.toMatchObject({
            pending: [],
            mismatches: 1,
            acknowledgements: [expect.objectContaining({ outcome: 'mismatch' }), expect.objectContaining({ outcome: 'match' })],
        });
    });

    it('refuses callers that are not named, a second acknowledgement and bad digests', async () => {
        await anchor(identities.edgeUser, transfer);
        await expectRejected(acknowledge(identities.edgeUser, transfer.digest), /^ACCESS_DENIED: /);
        await acknowledge(identities.cloudUser, transfer.digest);
        await expectRejected(acknowledge(identities.cloudAdmin, transfer.digest), /^ALREADY_EXISTS: recipient CloudOrgMSP\/\*/);
        await expectRejected(acknowledge(nodeB, 'F'.repeat(64)), /^INVALID_ARGUMENT: receivedDigest/);
        await expect(evaluate((ctx) => contract.ReadTransfer(ctx, transfer.id))).resolves.toMatchObject({ pending: [nodeB], mismatches: 0 });
        await anchor(identities.edgeUser, { ...transfer, id: 'plain', kind: 'generic', attributes: {} });
        await expectRejected(submit(nodeB, (ctx) => contract.AcknowledgeTransfer(ctx, 'plain', transfer.digest)), /^INVALID_ARGUMENT: evidence plain is a generic/);
        await submit(identities.edgeUser, (ctx) => contract.Revoke(ctx, transfer.id, 'cancelled'));
        await expectRejected(acknowledge(nodeB, transfer.digest), /^INVALID_STATE: /);
    });
});

describe('personal records (E8)', () => {
    const document = Buffer.from('employment contract of a person');
    const contentDigest = sha256(document).toString('hex');
    const salt = randomBytes(32).toString('base64');
    const request = { id: 'contract-77', size: document.length, attributes: { documentType: 'contract' } };
    /** What can identify the person: in the transient entry, never in the argument. */
    const identifying = { name: 'contract of Jane Roe', source: { type: 'org', id: 'hr-berlin' }, tags: ['jane-roe'] };
    /** The transient map as the SDK sends it: `personal`, and the transaction's salt in its own entry `salt`. */
    const transient = ({ salt: saltText, ...value }: { salt?: string }): Map<string, Uint8Array> =>
        new Map([['personal', Buffer.from(JSON.stringify({ ...identifying, ...value }))], ...(saltText === undefined ? [] : [['salt', Buffer.from(saltText)] as const])]);
    const anchorPersonal = (value: object, body: object = request, who: TestIdentity = identities.edgeUser): Promise<string> =>
        ledger.submit(who, (ctx) => contract.AnchorPersonal(ctx, JSON.stringify(body)), { transient: transient(value) });

    it('keeps data and salt in the owner’s collection and only a salted hash in public', async () => {
        const record = JSON.parse(await anchorPersonal({ salt, contentDigest, content: document.toString('base64') })) as Record<string, unknown>;
        const publicDigest = sha256(Buffer.from(salt, 'base64'), Buffer.from(contentDigest, 'hex')).toString('hex');
        expect(record).toMatchObject({ digest: publicDigest, digestScheme: 'salted-sha256', privateCollection: 'EdgeOrgMSPPrivateEvidence' });
        const publicState = [...ledger.snapshot().values()].map((v) => Buffer.from(v, 'base64').toString('utf8')).join('\n');
        expect(publicState).not.toContain(contentDigest);
        expect(publicState).not.toContain(salt);
        expect(JSON.stringify(ledger.events)).not.toContain(contentDigest);
        const stored = JSON.parse(Buffer.from(ledger.privateData('EdgeOrgMSPPrivateEvidence', 'contract-77') ?? []).toString('utf8')) as Record<string, unknown>;
        expect(stored).toMatchObject({ salt, contentDigest, content: document.toString('base64'), ownerMspId: 'EdgeOrgMSP', ...identifying });
        // Name, source and tags are private too (issue 9, finding 8): the public record names only the owner organisation.
        expect(record).toMatchObject({ name: 'personal-document', source: { type: 'org', id: 'EdgeOrgMSP' }, tags: [] });
        const everythingPublic = [...ledger.snapshot()].map(([key, value]) => key + Buffer.from(value, 'base64').toString('utf8')).join('\n') + JSON.stringify(ledger.events);
        for (const secret of [identifying.name, identifying.source.id, ...identifying.tags]) {
            expect(everythingPublic).not.toContain(secret);
        }
        expect(ledger.events.at(-1)?.name).toBe('PersonalEvidenceAnchored');

        await expect(evaluate((ctx) => contract.Verify(ctx, 'contract-77', publicDigest))).resolves.toMatchObject({ outcome: 'match' });
        await expect(evaluate((ctx) => contract.ReadPrivate(ctx, 'contract-77'), identities.edgeUser)).resolves.toMatchObject({ salt });
        await expect(evaluate((ctx) => contract.VerifyPersonal(ctx, 'contract-77', contentDigest), identities.edgeAdmin)).resolves.toMatchObject({
            outcome: 'match',
            comparedBy: 'private-digest',
        });
        await expect(evaluate((ctx) => contract.VerifyPersonal(ctx, 'contract-77', hex('other')), identities.edgeUser)).resolves.toMatchObject({ outcome: 'mismatch' });
    });

    it('lets only the submitter and its org’s privacy readers read private data', async () => {
        await anchorPersonal({ salt, contentDigest });
        await expect(evaluate((ctx) => contract.ReadPrivate(ctx, 'contract-77'), identities.cloudAdmin)).rejects.toThrow(/^ACCESS_DENIED: /);
        const colleague = { mspId: 'EdgeOrgMSP', name: 'User2@edge.edgetrust.local' };
        await expect(evaluate((ctx) => contract.ReadPrivate(ctx, 'contract-77'), colleague)).rejects.toThrow(/^ACCESS_DENIED: /);
        await submit(identities.edgeAdmin, (ctx) => contract.SetRoles(ctx, JSON.stringify({ commonName: colleague.name, roles: ['privacy-reader'] })));
        await expect(evaluate((ctx) => contract.ReadPrivate(ctx, 'contract-77'), colleague)).resolves.toMatchObject({ contentDigest });
    });

    it.each([
        ['no transient entry', undefined, request, /^INVALID_ARGUMENT: PersonalInput .* goes in the transient map entry "personal"/],
        ['no salt', { contentDigest }, request, /^INVALID_ARGUMENT: a private record needs a salt/],
        ['a short salt', { salt: Buffer.alloc(15).toString('base64'), contentDigest }, request, /^INVALID_ARGUMENT: a private record needs a salt of 16 to 64 random bytes/],
        ['content that is not the digest’s', { salt, contentDigest, content: Buffer.from('x').toString('base64') }, request, /^DIGEST_MISMATCH: /],
        ['a public digest that is not the salted one', { salt, contentDigest }, { ...request, digest: contentDigest }, /^DIGEST_MISMATCH: /],
        ['an on-chain payload', { salt, contentDigest }, { ...request, payload: { encoding: 'utf8', data: 'x' } }, /^INVALID_ARGUMENT: AnchorPersonal takes/],
        ['a bad document type', { salt, contentDigest }, { ...request, attributes: { documentType: 'diary' } }, /^INVALID_ARGUMENT: attributes.documentType/],
        ['a name in the argument', { salt, contentDigest }, { ...request, name: 'contract of Jane Roe' }, /^INVALID_ARGUMENT: name, source and tags of a personal record go in transient/],
        ['tags in the argument', { salt, contentDigest }, { ...request, tags: ['jane-roe'] }, /^INVALID_ARGUMENT: name, source and tags/],
        ['no name in the transient entry', { salt, contentDigest, name: undefined }, request, /^INVALID_ARGUMENT: personal.name/],
        ['no source in the transient entry', { salt, contentDigest, source: undefined }, request, /^INVALID_ARGUMENT: source/],
    ])('rejects %s and writes nothing', async (_label, value, body, pattern) => {
        const run = value === undefined ? ledger.submit(identities.edgeUser, (ctx) => contract.AnchorPersonal(ctx, JSON.stringify(body))) : anchorPersonal(value, body);
        await expectRejected(run, pattern);
        expect(ledger.privateData('EdgeOrgMSPPrivateEvidence', 'contract-77')).toBeUndefined();
    });

    it('refuses a salt inside the personal entry (there is one salt mechanism: the transient entry `salt`)', async () => {
        const personal = new Map([['personal', Buffer.from(JSON.stringify({ ...identifying, contentDigest, salt: 'ab'.repeat(32) }))]]);
        await expectRejected(ledger.submit(identities.edgeUser, (ctx) => contract.AnchorPersonal(ctx, JSON.stringify(request)), { transient: personal }), /^INVALID_ARGUMENT: a private record needs a salt/);
        expect(ledger.privateData('EdgeOrgMSPPrivateEvidence', 'contract-77')).toBeUndefined();
    });

    it('erases the private side on PurgePersonal while the public salted commitment stays', async () => {
        const record = JSON.parse(await anchorPersonal({ salt, contentDigest })) as { digest: string };
        await expectRejected(submit(identities.cloudAdmin, (ctx) => contract.PurgePersonal(ctx, 'contract-77')), /^ACCESS_DENIED: /);
        const colleague = { mspId: 'EdgeOrgMSP', name: 'User2@edge.edgetrust.local' };
        await expectRejected(submit(colleague, (ctx) => contract.PurgePersonal(ctx, 'contract-77')), /^ACCESS_DENIED: /);
        await expect(submit(identities.edgeUser, (ctx) => contract.PurgePersonal(ctx, 'contract-77'))).resolves.toEqual({ id: 'contract-77', txId: expect.any(String) });
        expect(ledger.events.at(-1)).toMatchObject({ name: 'PersonalEvidencePurged', payload: { id: 'contract-77' } });
        expect(ledger.privateData('EdgeOrgMSPPrivateEvidence', 'contract-77')).toBeUndefined();
        await expect(evaluate((ctx) => contract.ReadPrivate(ctx, 'contract-77'), identities.edgeUser)).rejects.toThrow(/^NOT_FOUND: /);
        await expect(evaluate((ctx) => contract.Verify(ctx, 'contract-77', record.digest))).resolves.toMatchObject({ outcome: 'match' });
        await expectRejected(submit(identities.edgeAdmin, (ctx) => contract.PurgePersonal(ctx, 'contract-77')), /^NOT_FOUND: .*erased already/);
    });

    it('refuses PurgePersonal of a record that is not personal', async () => {
        await submit(identities.edgeUser, (ctx) => contract.Anchor(ctx, JSON.stringify({ id: 'public-1', name: 'n', digest: hex('p'), size: 1, source: { type: 'app', id: 'svc' } })));
        await expectRejected(submit(identities.edgeUser, (ctx) => contract.PurgePersonal(ctx, 'public-1')), /^INVALID_ARGUMENT: /);
    });
});

describe('anchoring right under a submitter-role policy', () => {
    it('applies to batches and personal records as to single records', async () => {
        await submit(identities.edgeAdmin, (ctx) => contract.SetOrgPolicy(ctx, JSON.stringify({ anchoring: 'submitter-role' })));
        const metadata = JSON.stringify({ source: { type: 'app', id: 'svc' } });
        await expectRejected(submit(identities.edgeUser, (ctx) => contract.AnchorBatch(ctx, hex('root'), '3', metadata)), /^ACCESS_DENIED: AnchorBatch needs the submitter role/);
        const personal = new Map([
            ['personal', Buffer.from(JSON.stringify({ contentDigest: hex('doc'), name: 'doc', source: { type: 'org', id: 'hr' } }))],
            ['salt', Buffer.from(Buffer.alloc(16, 0xab).toString('base64'))],
        ]);
        const request = JSON.stringify({ id: 'doc', size: 3, attributes: { documentType: 'other' } });
        await expectRejected(ledger.submit(identities.edgeUser, (ctx) => contract.AnchorPersonal(ctx, request), { transient: personal }), /^ACCESS_DENIED: /);
        await expect(submit(identities.edgeAdmin, (ctx) => contract.AnchorBatch(ctx, hex('root'), '3', metadata))).resolves.toMatchObject({ count: 3 });
        await expect(submit(identities.cloudUser, (ctx) => contract.AnchorBatch(ctx, hex('root2'), '1', metadata))).resolves.toMatchObject({ count: 1 });
    });
});
