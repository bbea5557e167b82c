import { identities, MemoryLedger } from '../testing/memory-ledger';
import { INDEX_VALUE, readIndexPage } from './ledger';

describe('readIndexPage', () => {
    const keyOf = (kv: { key: string }): string => kv.key.split('\u0000').filter(Boolean).join('/');

    it('answers an empty page when nothing matches (the peer sends no metadata then)', async () => {
        const ledger = new MemoryLedger();
        const page = await ledger.evaluate(identities.edgeUser, (ctx) => readIndexPage(ctx, 'thing~site', ['nowhere'], 10, '', keyOf));
        expect(page).toEqual({ records: [], bookmark: '', fetchedRecordsCount: 0 });
    });

    it('walks an index page by page with bookmarks, each entry once', async () => {
        const ledger = new MemoryLedger();
        await ledger.submit(identities.edgeUser, async (ctx) => {
            for (const id of ['c', 'a', 'b']) {
                await ctx.stub.putState(ctx.stub.createCompositeKey('thing~site', ['site-1', id]), INDEX_VALUE);
            }
        });
        const seen: string[] = [];
        let bookmark = '';
        do {
            const page = await ledger.evaluate(identities.edgeUser, (ctx) => readIndexPage(ctx, 'thing~site', ['site-1'], 2, bookmark, keyOf));
            seen.push(...page.records);
            bookmark = page.bookmark;
        } while (bookmark !== '');
        expect(seen).toEqual(['thing~site/site-1/a', 'thing~site/site-1/b', 'thing~site/site-1/c']);
    });
});
