import type { Context } from 'fabric-contract-api';
import type { Iterators, QueryResponseMetadata } from 'fabric-shim-api';
import { invalidArgument } from './errors';
import { unmarshal } from './json';
import { MAX_PAGE_SIZE, type Page } from '../../schemas/src';

export { MAX_PAGE_SIZE, type Page } from '../../schemas/src';

/** Transaction time as ISO-8601, identical on every endorser because the client set it in the proposal. */
export function txTime(ctx: Context): string {
    return new Date(txTimeMillis(ctx)).toISOString();
}

export function txTimeMillis(ctx: Context): number {
    const { seconds, nanos } = ctx.stub.getTxTimestamp();
    return Number(seconds.toString()) * 1000 + Math.floor(nanos / 1_000_000);
}

export function isEmpty(bytes: Uint8Array | undefined): boolean {
    return bytes === undefined || bytes.length === 0;
}

export async function readJSON<T>(ctx: Context, key: string, what: string): Promise<T | undefined> {
    const bytes = await ctx.stub.getState(key);
    return isEmpty(bytes) ? undefined : unmarshal<T>(bytes, what);
}

/**
 * A page size as it arrives in a transaction argument (text): a declared number parameter would be converted by
 * fabric-contract-api before the contract runs, and a non-number then fails with an uncoded error.
 */
export function parsePageSize(pageSize: string): number {
    if (typeof pageSize !== 'string' || !/^\d{1,4}$/.test(pageSize)) {
        throw invalidArgument(`pageSize must be an integer from 1 to ${String(MAX_PAGE_SIZE)}`);
    }
    return requirePageSize(Number(pageSize));
}

export function requirePageSize(pageSize: number): number {
    if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
        throw invalidArgument(`pageSize must be an integer from 1 to ${String(MAX_PAGE_SIZE)}`);
    }
    return pageSize;
}

/** Reads every entry of an iterator and closes it, even on error. */
export async function collect<T, R>(
    iterator: Iterators.CommonIterator<T>,
    map: (entry: T) => R | Promise<R>,
): Promise<R[]> {
    const results: R[] = [];
    try {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
            results.push(await map(next.value));
        }
    } finally {
        await iterator.close();
    }
    return results;
}

/**
 * A page of an index: LevelDB has no rich queries, so lookups by attribute walk composite-key
 * index entries (`objectType` + attributes) with Fabric's own bookmark pagination.
 */
export async function readIndexPage<R>(
    ctx: Context,
    objectType: string,
    attributes: string[],
    pageSize: number,
    bookmark: string,
    map: (kv: Iterators.KV) => R | Promise<R>,
): Promise<Page<R>> {
    const response = await ctx.stub.getStateByPartialCompositeKeyWithPagination(objectType, attributes, requirePageSize(pageSize), bookmark);
    const records = await collect(response.iterator, map);
    // An empty page's metadata (count 0, bookmark "") encodes to no bytes, and fabric-shim then leaves it out.
    const metadata = response.metadata as QueryResponseMetadata | undefined;
    return { records, bookmark: metadata?.bookmark ?? '', fetchedRecordsCount: metadata?.fetchedRecordsCount ?? records.length };
}

/** The empty value stored under index keys: the key itself carries the information. */
export const INDEX_VALUE = new Uint8Array([0]);
