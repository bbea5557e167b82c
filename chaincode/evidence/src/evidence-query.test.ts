import { createHash } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { identities, MemoryLedger, type TestIdentity } from '../../common/testing/memory-ledger';
import { EvidenceContract } from './evidence-contract';

const contract = new EvidenceContract();
const HOUR = 3_600_000;

interface Page {
    records: { id: string; anchoredAt: string }[];
    bookmark: string;
    fetchedRecordsCount: number;
}

describe('queries with pagination (E6)', () => {
    let ledger: MemoryLedger;
    const query = async (q: object, who: TestIdentity = identities.cloudUser): Promise<Page> =>
        JSON.parse(await ledger.evaluate(who, (ctx: Context) => contract.Query(ctx, JSON.stringify(q)))) as Page;
    /** Follows bookmarks to the end, returning the ids in order and the number of pages. */
    const all = async (q: object): Promise<{ ids: string[]; pages: number }> => {
        const ids: string[] = [];
        let bookmark = '';
        let pages = 0;
        do {
            const page = await query({ ...q, bookmark });
            ids.push(...page.records.map((r) => r.id));
            bookmark = page.bookmark;
            pages += 1;
        } while (bookmark !== '' && pages < 50);
        return { ids, pages };
    };

    beforeEach(async () => {
        ledger = new MemoryLedger(Date.UTC(2026, 0, 1, 20));
        // Ten records, every 6 hours from 2026-01-01T20:00:01Z: they span three UTC days.
        for (let i = 0; i < 10; i += 1) {
            const who = i % 2 === 0 ? identities.edgeUser : identities.cloudUser;
            const request = {
                id: `rec-${String(i)}`,
                kind: i < 5 ? 'generic' : 'alarm',
                digest: String(i % 10).repeat(64),
                name: `record ${String(i)}`,
                size: i,
                source: { type: 'device', id: i % 3 === 0 ? 'cam-1' : 'cam-2' },
                tags: i % 4 === 0 ? ['night', 'site-a'] : ['site-a'],
                attributes: i < 5 ? {} : { deviceId: 'bbu-1', alarmType: 'LINK', severity: 'minor', raisedAt: '2026-01-01T00:00:00Z' },
            };
            await ledger.submit(who, (ctx) => contract.Anchor(ctx, JSON.stringify(request)), { timeStepMillis: i === 0 ? 1000 : 6 * HOUR });
        }
    });

    it.each([
        [{ by: 'source', source: { type: 'device', id: 'cam-1' } }, ['rec-0', 'rec-3', 'rec-6', 'rec-9']],
        [{ by: 'kind', kind: 'alarm' }, ['rec-5', 'rec-6', 'rec-7', 'rec-8', 'rec-9']],
        [{ by: 'tag', tag: 'night' }, ['rec-0', 'rec-4', 'rec-8']],
        [{ by: 'org', mspId: 'CloudOrgMSP' }, ['rec-1', 'rec-3', 'rec-5', 'rec-7', 'rec-9']],
    ])('finds records %j in time order, two at a time', async (q, expected) => {
        const { ids, pages } = await all({ ...q, pageSize: 2 });
        expect(ids).toEqual(expected);
        expect(pages).toBe(Math.ceil(expected.length / 2));
    });

    it('finds records of one submitter identity', async () => {
        const submitterId = (JSON.parse(await ledger.evaluate(identities.edgeUser, (ctx) => contract.Read(ctx, 'rec-0'))) as { submitterId: string }).submitterId;
        const { ids } = await all({ by: 'submitter', mspId: 'EdgeOrgMSP', submitterId, pageSize: 3 });
        expect(ids).toEqual(['rec-0', 'rec-2', 'rec-4', 'rec-6', 'rec-8']);
        // Another identity string of the same organisation finds none of them.
        expect((await all({ by: 'submitter', mspId: 'EdgeOrgMSP', submitterId: `${submitterId}x`, pageSize: 3 })).ids).toEqual([]);
        // The identity string is in the record only, not in an index key (its SHA-256 is).
        const keysWithIt = [...ledger.snapshot().keys()].filter((key) => key.includes(submitterId));
        expect(keysWithIt).toEqual([]);
        expect([...ledger.snapshot().keys()].filter((key) => key.includes(createHash('sha256').update(submitterId).digest('hex')))).toHaveLength(5);
    });

    it('pages through a time range that crosses UTC days', async () => {
        // rec-1 at 2026-01-02T02:00:01Z ... rec-6 at 2026-01-03T08:00:01Z
        const range = { from: '2026-01-02T02:00:01Z', to: '2026-01-03T08:00:01Z' };
        const { ids } = await all({ by: 'time', ...range, pageSize: 2 });
        expect(ids).toEqual(['rec-1', 'rec-2', 'rec-3', 'rec-4', 'rec-5', 'rec-6']);
        const tagged = await all({ by: 'tag', tag: 'site-a', ...range, pageSize: 4 });
        expect(tagged.ids).toEqual(['rec-1', 'rec-2', 'rec-3', 'rec-4', 'rec-5', 'rec-6']);
        const first = await query({ by: 'time', ...range, pageSize: 1 });
        expect(first.records.map((r) => r.id)).toEqual(['rec-1']);
        expect(first.bookmark).toMatch(/^2026-01-02\|/);
        const open = await all({ by: 'kind', kind: 'alarm', from: '2026-01-03T00:00:00Z', pageSize: 10 });
        expect(open.ids).toEqual(['rec-5', 'rec-6', 'rec-7', 'rec-8', 'rec-9']);
    });

    it.each([
        [{ by: 'colour' }, /^INVALID_ARGUMENT: by must be one of/],
        [{ by: 'time' }, /^INVALID_ARGUMENT: a query by time needs from/],
        [{ by: 'kind', kind: 'alarm', from: '2026-01-03' }, /^INVALID_ARGUMENT: from must be a UTC ISO-8601 time/],
        [{ by: 'time', from: '2026-01-03T00:00:00Z', to: '2026-01-02T00:00:00Z' }, /^INVALID_ARGUMENT: from is after to/],
        [{ by: 'time', from: '2024-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }, /^INVALID_ARGUMENT: a time range may span at most 366 days/],
        [{ by: 'time', from: '2026-01-01T00:00:00Z', bookmark: '1999-01-01|x' }, /^INVALID_ARGUMENT: bookmark does not belong to this query/],
        [{ by: 'source', source: { type: 'device' } }, /^INVALID_ARGUMENT: source.id is required/],
        [{ by: 'submitter', mspId: 'EdgeOrgMSP' }, /^INVALID_ARGUMENT: submitterId/],
        [{ by: 'tag', tag: 'night', pageSize: 0 }, /^INVALID_ARGUMENT: pageSize/],
    ])('rejects the query %j', async (q, pattern) => {
        await expect(query(q)).rejects.toThrow(pattern);
    });
});
