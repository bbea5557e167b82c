import { createHash } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import {
    INDEX_VALUE,
    invalidArgument,
    parseArgument,
    readIndexPage,
    requireIdentifier,
    requireOneOf,
    requirePageSize,
    requireTimestamp,
    type StatePut,
    txTime,
} from '../../common/src';
import { EVIDENCE_KINDS, type EvidenceQuery, type Page, QUERY_FIELDS, type QueryField, SOURCE_TYPES } from '../../schemas/src';
import { type IndexFamily, queryIndexName } from './keys';

export type { EvidenceQuery } from '../../schemas/src';
export type { IndexFamily } from './keys';

// Every attribute a client may query by (E6) has a composite-key index (keys.ts, queryIndexName).


/** What every indexed item carries. */
export interface Indexable {
    id: string;
    kind: string;
    source: { type: string; id: string };
    tags: string[];
    submitterMspId: string;
    submitterId: string;
    anchoredAt: string;
}

/** A page of ids in index order; the bookmark is opaque to clients. */
export interface IdPage {
    ids: string[];
    bookmark: string;
}

const MAX_RANGE_DAYS = 366;
const DAY_MILLIS = 86_400_000;
const DEFAULT_PAGE_SIZE = 100;

function valuesOf(item: Indexable, field: Exclude<QueryField, 'tag'>): string[] {
    switch (field) {
        case 'source':
            return [item.source.type, item.source.id];
        case 'kind':
            return [item.kind];
        case 'org':
            return [item.submitterMspId];
        case 'submitter':
            return [item.submitterMspId, submitterIndexValue(item.submitterId)];
        case 'time':
            return [];
    }
}

/**
 * A submitter's identity string in an index key: its SHA-256. The string (x509::<subject>::<issuer>, ~170 characters)
 * would otherwise go into every anchor's transaction twice more (the key and its key-level policy write); the record
 * keeps it whole, and a query by submitter hashes the queried string the same way.
 */
function submitterIndexValue(submitterId: string): string {
    return createHash('sha256').update(submitterId, 'utf8').digest('hex');
}

/** The query-index keys of one item: written once, when the item is anchored. */
export function queryIndexKeys(ctx: Context, family: IndexFamily, item: Indexable): string[] {
    const tail = [item.anchoredAt.slice(0, 10), item.anchoredAt, item.id];
    const fields = ['source', 'kind', 'org', 'submitter', 'time'] as const;
    const keys = fields.map((field) => ctx.stub.createCompositeKey(queryIndexName(family, field), [...valuesOf(item, field), ...tail]));
    for (const tag of item.tags) {
        keys.push(ctx.stub.createCompositeKey(queryIndexName(family, 'tag'), [tag, ...tail]));
    }
    return keys;
}

/** The query-index entries of one item, to write together with the item itself. */
export function queryIndexWrites(ctx: Context, family: IndexFamily, item: Indexable): StatePut[] {
    return queryIndexKeys(ctx, family, item).map((key): StatePut => [key, INDEX_VALUE]);
}

function queryValues(query: Partial<EvidenceQuery>, by: QueryField): string[] {
    switch (by) {
        case 'source': {
            const source = query.source ?? { type: undefined, id: undefined };
            return [requireOneOf(source.type, 'source.type', SOURCE_TYPES), requireIdentifier(source.id, 'source.id')];
        }
        case 'kind':
            return [requireOneOf(query.kind, 'kind', EVIDENCE_KINDS)];
        case 'tag':
            return [requireIdentifier(query.tag, 'tag', 64)];
        case 'org':
            return [requireIdentifier(query.mspId, 'mspId')];
        case 'submitter':
            return [requireIdentifier(query.mspId, 'mspId'), submitterIndexValue(requireSubmitterId(query.submitterId))];
        case 'time':
            return [];
    }
}

function requireSubmitterId(value: unknown): string {
    if (typeof value !== 'string' || value.length === 0 || value.length > 1024 || value.includes('\u0000')) {
        throw invalidArgument('submitterId must be the identity string of a submitter');
    }
    return value;
}

/** Inclusive time bounds, or undefined when the query has none (then no day buckets are needed). */
function timeRange(ctx: Context, query: Partial<EvidenceQuery>): { from: string; to: string } | undefined {
    if (query.from === undefined && query.to === undefined) {
        if (query.by === 'time') {
            throw invalidArgument('a query by time needs from (and optionally to)');
        }
        return undefined;
    }
    const from = requireTimestamp(query.from, 'from');
    const to = query.to === undefined ? txTime(ctx) : requireTimestamp(query.to, 'to');
    if (from > to) {
        throw invalidArgument('from is after to');
    }
    if (Date.parse(to) - Date.parse(from) > MAX_RANGE_DAYS * DAY_MILLIS) {
        throw invalidArgument(`a time range may span at most ${String(MAX_RANGE_DAYS)} days`);
    }
    return { from, to };
}

function daysBetween(from: string, to: string): string[] {
    const days: string[] = [];
    for (let t = Date.parse(from.slice(0, 10)); t <= Date.parse(to.slice(0, 10)); t += DAY_MILLIS) {
        days.push(new Date(t).toISOString().slice(0, 10));
    }
    return days;
}

/** A query after validation. */
export interface ParsedQuery {
    by: QueryField;
    values: string[];
    range: { from: string; to: string } | undefined;
    pageSize: number;
    bookmark: string;
}

/** Parses a query; throws INVALID_ARGUMENT naming the first bad field. */
export function parseQuery(ctx: Context, query: Partial<EvidenceQuery>): ParsedQuery {
    const by = requireOneOf(query.by, 'by', QUERY_FIELDS);
    return {
        by,
        values: queryValues(query, by),
        range: timeRange(ctx, query),
        pageSize: requirePageSize(query.pageSize ?? DEFAULT_PAGE_SIZE),
        bookmark: typeof query.bookmark === 'string' ? query.bookmark : '',
    };
}

function idOf(ctx: Context, key: string): { anchoredAt: string; id: string } {
    const attributes = ctx.stub.splitCompositeKey(key).attributes;
    return { anchoredAt: attributes[attributes.length - 2] ?? '', id: attributes[attributes.length - 1] ?? '' };
}

/** Reads one page of ids matching a query, in time order within each value. */
export async function readQueryPage(ctx: Context, family: IndexFamily, query: ParsedQuery): Promise<IdPage> {
    const index = queryIndexName(family, query.by);
    if (!query.range) {
        const page = await readIndexPage(ctx, index, query.values, query.pageSize, query.bookmark, (kv) => idOf(ctx, kv.key).id);
        return { ids: page.records, bookmark: page.bookmark };
    }
    return readTimeRangePage(ctx, index, query.values, query.range, query.pageSize, query.bookmark);
}

/** Our bookmark for time ranges: the day being read, then Fabric's own bookmark within that day. */
function parseRangeBookmark(bookmark: string, days: string[]): { day: number; inner: string } {
    if (bookmark === '') {
        return { day: 0, inner: '' };
    }
    const separator = bookmark.indexOf('|');
    const day = days.indexOf(bookmark.slice(0, separator));
    if (separator < 0 || day < 0) {
        throw invalidArgument('bookmark does not belong to this query');
    }
    return { day, inner: bookmark.slice(separator + 1) };
}

async function readTimeRangePage(
    ctx: Context,
    index: string,
    values: string[],
    range: { from: string; to: string },
    pageSize: number,
    bookmark: string,
): Promise<IdPage> {
    const days = daysBetween(range.from, range.to);
    let { day, inner } = parseRangeBookmark(bookmark, days);
    const ids: string[] = [];
    // Bounded work per call: a page may come back short, with a bookmark to go on from.
    for (let reads = 0; day < days.length && ids.length < pageSize && reads < MAX_RANGE_DAYS + 8; reads += 1) {
        const page = await readIndexPage(ctx, index, [...values, days[day] ?? ''], pageSize - ids.length, inner, (kv) => idOf(ctx, kv.key));
        const pastEnd = page.records.some((entry) => entry.anchoredAt > range.to);
        ids.push(...page.records.filter((e) => e.anchoredAt >= range.from && e.anchoredAt <= range.to).map((e) => e.id));
        if (pastEnd) {
            day = days.length;
        } else if (page.bookmark === '') {
            day += 1;
            inner = '';
        } else {
            inner = page.bookmark;
        }
    }
    return { ids, bookmark: day < days.length ? `${days[day] ?? ''}|${inner}` : '' };
}

/** Query / QueryBatches: a page of items; index entries naming no item (planted by somebody else's peer) are skipped. */
export async function queryPage<T>(ctx: Context, family: IndexFamily, queryJson: string, read: (id: string) => Promise<T | undefined>): Promise<Page<T>> {
    const query = parseQuery(ctx, parseArgument<Partial<EvidenceQuery>>(queryJson, 'query'));
    const page = await readQueryPage(ctx, family, query);
    const records: T[] = [];
    for (const id of page.ids) {
        const item = await read(id);
        if (item !== undefined) {
            records.push(item);
        }
    }
    return { records, bookmark: page.bookmark, fetchedRecordsCount: records.length };
}
