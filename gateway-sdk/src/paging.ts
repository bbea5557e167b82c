import type { Page } from '@edgetrust/schemas';

/** One page of any list of any chaincode; `bookmark` is empty after the last page. */
export type { Page } from '@edgetrust/schemas';

/**
 * Every item of a paginated list, following bookmarks page by page; the next page is read only when the
 * caller has taken every item of this one.
 * @param fetchPage - Reads the page that `bookmark` starts, e.g. `(bookmark) => client.listManufacturers(100, bookmark)`.
 * @param bookmark - Where to start; empty (the default) for the first page.
 * @example
 * for await (const device of iterateAll((b) => identity.listDevicesByManufacturer('acme', 200, b))) { … }
 */
export async function* iterateAll<T>(fetchPage: (bookmark: string) => Promise<Page<T>>, bookmark = ''): AsyncGenerator<T, void, undefined> {
    let next = bookmark;
    do {
        const page = await fetchPage(next);
        yield* page.records;
        next = page.bookmark;
    } while (next !== '');
}
