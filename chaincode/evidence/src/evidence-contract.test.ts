import { createHash } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { identities, MemoryLedger, type TestIdentity } from '../../common/testing/memory-ledger';
import { expectRefusedUnchanged } from '../../common/testing/refusal';
import { EvidenceContract } from './evidence-contract';

const contract = new EvidenceContract();
const digest = 'a'.repeat(64);
const request = {
    id: 'cam-7/2026-01-01T00:00',
    digest,
    name: 'segment-0001.mp4',
    size: 1048576,
    mediaType: 'video/mp4',
    source: { type: 'device', id: 'cam-7' },
    tags: ['video', 'site-a'],
};

describe('EvidenceContract', () => {
    let ledger: MemoryLedger;

    beforeEach(() => {
        ledger = new MemoryLedger();
    });

    it('anchors a record with the submitter and transaction time', async () => {
        const json = await ledger.submit(identities.edgeUser, (ctx) => contract.Anchor(ctx, JSON.stringify(request)));
        const record = JSON.parse(json) as Record<string, unknown>;
        expect(record).toMatchObject({ id: request.id, digest, submitterMspId: 'EdgeOrgMSP', anchoredAt: new Date(ledger.now).toISOString() });
        expect(ledger.events).toEqual([expect.objectContaining({ name: 'EvidenceAnchored', payload: expect.objectContaining({ id: request.id }) })]);
        const read = await ledger.evaluate(identities.cloudUser, (ctx) => contract.Read(ctx, request.id));
        expect(JSON.parse(read)).toEqual(record);
    });

    it('verifies by id and by digest alone', async () => {
        await ledger.submit(identities.edgeUser, (ctx) => contract.Anchor(ctx, JSON.stringify(request)));
        const verify = async (id: string, d: string): Promise<unknown> =>
            (JSON.parse(await ledger.evaluate(identities.cloudUser, (ctx) => contract.Verify(ctx, id, d))) as { outcome: string }).outcome;
        await expect(verify(request.id, digest)).resolves.toBe('match');
        await expect(verify(request.id, 'b'.repeat(64))).resolves.toBe('mismatch');
        await expect(verify('', digest)).resolves.toBe('match');
        await expect(verify('', 'b'.repeat(64))).resolves.toBe('not_found');
        await expect(verify('unknown', digest)).resolves.toBe('not_found');
    });

    it.each([
        ['short digest', { digest: 'abc' }, /^INVALID_ARGUMENT: digest/],
        ['upper-case digest', { digest: 'A'.repeat(64) }, /^INVALID_ARGUMENT: digest/],
        ['negative size', { size: -1 }, /^INVALID_ARGUMENT: size/],
        ['unknown source type', { source: { type: 'satellite', id: 'x' } }, /^INVALID_ARGUMENT: source.type/],
        ['id with a key separator', { id: 'a\u0000b' }, /^INVALID_ARGUMENT: id/],
        ['oversize name', { name: 'n'.repeat(513) }, /^INVALID_ARGUMENT: name/],
    ])('rejects %s with a coded error and writes nothing', async (_label, change, pattern) => {
        const before = ledger.snapshot();
        await expect(
            ledger.submit(identities.edgeUser, (ctx) => contract.Anchor(ctx, JSON.stringify({ ...request, ...change }))),
        ).rejects.toThrow(pattern);
        expect(ledger.snapshot()).toEqual(before);
    });

    it('refuses to anchor the same id twice', async () => {
        await ledger.submit(identities.edgeUser, (ctx) => contract.Anchor(ctx, JSON.stringify(request)));
        const before = ledger.snapshot();
        await expect(ledger.submit(identities.cloudUser, (ctx) => contract.Anchor(ctx, JSON.stringify(request)))).rejects.toThrow(
            /^ALREADY_EXISTS: /,
        );
        expect(ledger.snapshot()).toEqual(before);
    });

    it('says NOT_FOUND for an unknown id', async () => {
        await expect(ledger.evaluate(identities.edgeUser, (ctx) => contract.Read(ctx, 'missing'))).rejects.toThrow(/^NOT_FOUND: /);
    });
});

describe('EvidenceContract: data stored whole, verification, revocation, history, roles', () => {
    let ledger: MemoryLedger;
    const reading = JSON.stringify({ deviceId: 'meter-1', kWh: 12.5 });
    const readingDigest = createHash('sha256').update(reading).digest('hex');
    const small = {
        id: 'meter-1/2026-01-01',
        name: 'daily reading',
        mediaType: 'application/json',
        source: { type: 'device', id: 'meter-1' },
        payload: { encoding: 'utf8', data: reading },
    };
    const anchor = (who: TestIdentity, body: object): Promise<string> =>
        ledger.submit(who, (ctx) => contract.Anchor(ctx, JSON.stringify(body)));
    const evaluate = async <T>(fn: (ctx: Context) => Promise<string>, who: TestIdentity = identities.cloudUser): Promise<T> =>
        JSON.parse(await ledger.evaluate(who, fn)) as T;
    const expectRejected = (promise: Promise<unknown>, pattern: RegExp): Promise<void> => expectRefusedUnchanged(ledger, promise, pattern);

    beforeEach(() => {
        ledger = new MemoryLedger();
    });

    it('stores small data whole, computing its digest and size (E2)', async () => {
        const record = JSON.parse(await anchor(identities.edgeUser, small)) as Record<string, unknown>;
        expect(record).toMatchObject({ digest: readingDigest, size: Buffer.byteLength(reading), payload: { encoding: 'utf8', data: reading } });
        const event = ledger.events[0];
        expect(event?.payload).toMatchObject({ id: small.id, hasPayload: true });
        expect(event?.payload).not.toHaveProperty('payload');
    });

    it('verifies stored data by comparing the data itself, and says when and by whom (E2, E3)', async () => {
        await anchor(identities.edgeUser, small);
        const anchoredAt = new Date(ledger.now).toISOString();
        const same = Buffer.from(reading).toString('base64');
        const other = Buffer.from(reading.replace('12.5', '13.5')).toString('base64');
        await expect(evaluate((ctx) => contract.VerifyContent(ctx, small.id, same))).resolves.toMatchObject({
            outcome: 'match',
            comparedBy: 'content',
            anchoredAt,
            anchoredByMspId: 'EdgeOrgMSP',
            anchoredById: expect.stringContaining('CN=User1@edge.edgetrust.local') as unknown,
        });
        await expect(evaluate((ctx) => contract.VerifyContent(ctx, small.id, other))).resolves.toMatchObject({ outcome: 'mismatch', comparedBy: 'content' });
        await expect(evaluate((ctx) => contract.VerifyContent(ctx, '', same))).resolves.toMatchObject({ outcome: 'match', digest: readingDigest });
        await expect(evaluate((ctx) => contract.VerifyContent(ctx, '', other))).resolves.toMatchObject({ outcome: 'not_found' });
        await expect(ledger.evaluate(identities.cloudUser, (ctx) => contract.VerifyContent(ctx, '', 'not base64!'))).rejects.toThrow(
            /^INVALID_ARGUMENT: content must be canonical base64/,
        );
    });

    it('verifies content of a digest-only record by its SHA-256', async () => {
        const content = Buffer.from('a video segment');
        await anchor(identities.edgeUser, { ...request, digest: createHash('sha256').update(content).digest('hex') });
        await expect(evaluate((ctx) => contract.VerifyContent(ctx, request.id, content.toString('base64')))).resolves.toMatchObject({
            outcome: 'match',
            comparedBy: 'digest',
        });
    });

    it.each([
        ['a payload above the cap', { payload: { encoding: 'base64', data: Buffer.alloc(4097).toString('base64') } }, /^PAYLOAD_TOO_LARGE: /],
        ['a digest that is not the payload’s', { digest: 'b'.repeat(64) }, /^DIGEST_MISMATCH: /],
        ['a size that is not the payload’s', { size: 3 }, /^INVALID_ARGUMENT: size 3 is not the payload's length/],
        ['non-canonical base64', { payload: { encoding: 'base64', data: 'abc' } }, /^INVALID_ARGUMENT: payload.data is not canonical base64/],
        ['an unknown encoding', { payload: { encoding: 'hex', data: 'ab' } }, /^INVALID_ARGUMENT: payload.encoding/],
        ['an unknown kind', { kind: 'satellite-image' }, /^INVALID_ARGUMENT: kind must be one of/],
        ['a personal document', { kind: 'personal-document', attributes: { documentType: 'contract' } }, /^INVALID_ARGUMENT: personal documents are anchored with AnchorPersonal/],
        ['attributes of another kind', { kind: 'alarm', attributes: { cameraId: 'x' } }, /^INVALID_ARGUMENT: attributes.cameraId is not an attribute of kind alarm/],
        ['a request that is not JSON', 'not json', /^INVALID_ARGUMENT: request must be a JSON object/],
    ])('rejects %s and writes nothing', async (_label, change, pattern) => {
        const body = typeof change === 'string' ? change : JSON.stringify({ ...small, ...change });
        await expectRejected(ledger.submit(identities.edgeUser, (ctx) => contract.Anchor(ctx, body)), pattern);
    });

    it('revokes a record once, keeps the answer of Verify with the new status, and shows every change in History (E5)', async () => {
        await anchor(identities.edgeUser, request);
        const revoked = JSON.parse(
            await ledger.submit(identities.edgeUser, (ctx) => contract.Revoke(ctx, request.id, 'camera clock was wrong')),
        ) as Record<string, unknown>;
        expect(revoked).toMatchObject({ status: 'revoked', revocation: { reason: 'camera clock was wrong', revokedByMspId: 'EdgeOrgMSP' } });
        expect(ledger.events.map((e) => e.name)).toEqual(['EvidenceAnchored', 'EvidenceRevoked']);
        await expect(evaluate((ctx) => contract.Verify(ctx, request.id, digest))).resolves.toMatchObject({ outcome: 'match', status: 'revoked' });
        const history = await evaluate<{ txId: string; record: { status: string } }[]>((ctx) => contract.History(ctx, request.id));
        expect(history.map((h) => h.record.status)).toEqual(['revoked', 'active']);
        expect(history[1]?.txId).toBe(ledger.events[0]?.txId);
        await expectRejected(ledger.submit(identities.edgeAdmin, (ctx) => contract.Revoke(ctx, request.id, 'again')), /^INVALID_STATE: /);
    });

    it('lets only the submitter, its org admins or its revokers revoke', async () => {
        await anchor(identities.edgeUser, request);
        const colleague = { mspId: 'EdgeOrgMSP', name: 'User2@edge.edgetrust.local' };
        await expectRejected(ledger.submit(identities.cloudAdmin, (ctx) => contract.Revoke(ctx, request.id, 'no')), /^ACCESS_DENIED: /);
        await expectRejected(ledger.submit(colleague, (ctx) => contract.Revoke(ctx, request.id, 'no')), /^ACCESS_DENIED: /);
        await ledger.submit(identities.edgeAdmin, (ctx) => contract.SetRoles(ctx, JSON.stringify({ commonName: colleague.name, roles: ['revoker'] })));
        await ledger.submit(colleague, (ctx) => contract.Revoke(ctx, request.id, 'duty of the revoker'));
        await expect(evaluate<{ status: string }>((ctx) => contract.Read(ctx, request.id))).resolves.toMatchObject({ status: 'revoked' });
    });

    it.each([
        ['Revoke of an unknown id', (ctx: Context) => contract.Revoke(ctx, 'missing', 'why'), /^NOT_FOUND: /],
        ['Revoke without a reason', (ctx: Context) => contract.Revoke(ctx, request.id, ''), /^INVALID_ARGUMENT: reason is required/],
        ['History of a bad id', (ctx: Context) => contract.History(ctx, 'a b'), /^INVALID_ARGUMENT: id/],
        ['History of an unknown id', (ctx: Context) => contract.History(ctx, 'missing'), /^NOT_FOUND: /],
        ['Verify with a bad digest', (ctx: Context) => contract.Verify(ctx, request.id, 'xyz'), /^INVALID_ARGUMENT: digest/],
    ])('%s is a coded error', async (_label, fn, pattern) => {
        await anchor(identities.edgeUser, request);
        await expectRejected(ledger.submit(identities.edgeUser, fn), pattern);
    });

    it('lets an org admin restrict anchoring to holders of the submitter role', async () => {
        await expectRejected(
            ledger.submit(identities.edgeUser, (ctx) => contract.SetOrgPolicy(ctx, JSON.stringify({ anchoring: 'submitter-role' }))),
            /^ACCESS_DENIED: /,
        );
        await ledger.submit(identities.edgeAdmin, (ctx) => contract.SetOrgPolicy(ctx, JSON.stringify({ anchoring: 'submitter-role' })));
        expect(ledger.events.at(-1)).toMatchObject({ name: 'OrgPolicyChanged', payload: { mspId: 'EdgeOrgMSP', anchoring: 'submitter-role' } });
        await expectRejected(anchor(identities.edgeUser, request), /^ACCESS_DENIED: Anchor needs the submitter role in EdgeOrgMSP/);
        await anchor(identities.cloudUser, { ...request, id: 'cloud-1' });
        await ledger.submit(identities.edgeAdmin, (ctx) =>
            contract.SetRoles(ctx, JSON.stringify({ commonName: identities.edgeUser.name, roles: ['submitter'] })),
        );
        await anchor(identities.edgeUser, request);
        await expect(evaluate((ctx) => contract.ReadRoles(ctx, 'EdgeOrgMSP', identities.edgeUser.name))).resolves.toMatchObject({
            roles: ['submitter'],
        });
        await expect(evaluate((ctx) => contract.ReadOrgPolicy(ctx, 'CloudOrgMSP'))).resolves.toEqual({ mspId: 'CloudOrgMSP', anchoring: 'any-member' });
    });

    it('removes roles with an empty list and validates role requests', async () => {
        const set = (roles: unknown): Promise<string> =>
            ledger.submit(identities.edgeAdmin, (ctx) => contract.SetRoles(ctx, JSON.stringify({ commonName: 'op-1', roles })));
        await set(['publisher', 'publisher', 'revoker']);
        await expect(evaluate((ctx) => contract.ReadRoles(ctx, 'EdgeOrgMSP', 'op-1'))).resolves.toMatchObject({ roles: ['publisher', 'revoker'] });
        await set([]);
        await expect(evaluate((ctx) => contract.ReadRoles(ctx, 'EdgeOrgMSP', 'op-1'))).resolves.toMatchObject({ roles: [] });
        await expectRejected(set(['king']), /^INVALID_ARGUMENT: roles\[0\] must be one of/);
        await expectRejected(
            ledger.submit(identities.edgeAdmin, (ctx) => contract.SetOrgPolicy(ctx, JSON.stringify({ anchoring: 'nobody' }))),
            /^INVALID_ARGUMENT: anchoring/,
        );
        await expectRejected(
            ledger.submit(identities.cloudUser, (ctx) => contract.SetRoles(ctx, JSON.stringify({ commonName: 'x', roles: ['publisher'] }))),
            /^ACCESS_DENIED: /,
        );
    });
});
