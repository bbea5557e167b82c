import { iterateAll, type Page } from './paging';

describe('iterateAll', () => {
    it('follows bookmarks to the last page and reads a page only when the previous one is used up', async () => {
        const pages: Record<string, Page<number>> = {
            '': { records: [1, 2], bookmark: 'b1', fetchedRecordsCount: 2 },
            b1: { records: [], bookmark: 'b2', fetchedRecordsCount: 0 },
            b2: { records: [3], bookmark: '', fetchedRecordsCount: 1 },
        };
        const asked: string[] = [];
        const fetchPage = (bookmark: string): Promise<Page<number>> => {
            asked.push(bookmark);
            return Promise.resolve(pages[bookmark]!);
        };
        const items = iterateAll(fetchPage);
        await expect(items.next()).resolves.toEqual({ value: 1, done: false });
        expect(asked).toEqual(['']);
        const rest: number[] = [];
        for await (const item of items) {
            rest.push(item);
        }
        expect(rest).toEqual([2, 3]);
        expect(asked).toEqual(['', 'b1', 'b2']);
        const fromB2: number[] = [];
        for await (const item of iterateAll(fetchPage, 'b2')) {
            fromB2.push(item);
        }
        expect(fromB2).toEqual([3]);
    });
});
