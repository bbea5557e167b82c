const BOOKMARK_PREFIX = 'b64:';

/**
 * A bookmark as the command line prints it. Fabric's bookmarks are composite keys with NUL
 * separators, which no shell can pass back as an argument, so they travel base64url-encoded.
 */
export function encodeBookmark(bookmark: string): string {
    return bookmark === '' ? '' : `${BOOKMARK_PREFIX}${Buffer.from(bookmark, 'utf8').toString('base64url')}`;
}

/** The bookmark to send for a `--bookmark` argument: decoded when printed by {@link encodeBookmark}, else as given (e.g. from --json output). */
export function decodeBookmark(argument: string): string {
    return argument.startsWith(BOOKMARK_PREFIX) ? Buffer.from(argument.slice(BOOKMARK_PREFIX.length), 'base64url').toString('utf8') : argument;
}

/** The line under a page of results: how many, and how to ask for the next page. */
export function pageFooter(page: { fetchedRecordsCount: number; bookmark: string }): string {
    const count = `${String(page.fetchedRecordsCount)} found`;
    return page.bookmark === '' ? `${count}, last page` : `${count}; next page: --bookmark ${encodeBookmark(page.bookmark)}`;
}
