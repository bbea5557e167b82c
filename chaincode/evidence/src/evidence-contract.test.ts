import { identities, MemoryLedger } from '../../common/testing/memory-ledger';
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
