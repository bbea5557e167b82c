import { type AnchorRequest, ARTIFACT_TYPES, EVIDENCE_QUERY_FIELDS, EVIDENCE_SOURCE_TYPES, type EvidenceKind, type EvidenceQuery, type EvidenceSource } from '@edgetrust/gateway-sdk';
import { decodeBookmark } from './paging';
import { basename, extname } from 'node:path';
import { list, type ParsedCommand, positiveInteger, requiredText, text, UsageError } from './args';

/*
 * What the evidence commands make of their arguments: pure functions, so they are tested without a network.
 */

// The toolkit every group shares (args.ts); re-exported under the names the evidence commands always used.
export { list, parseCommand, type ParsedCommand, positiveInteger, requiredText, text, UsageError } from './args';


/** Options that say where data came from. */
export const SOURCE_OPTIONS = {
    'source-type': { type: 'string' },
    'source-id': { type: 'string' },
} as const;

/** The source from --source-type / --source-id; defaults to this command line as an app. */
export function sourceFrom(values: ParsedCommand['values'], fallback: EvidenceSource = { type: 'app', id: 'edgetrust-cli' }): EvidenceSource {
    const type = text(values, 'source-type') ?? fallback.type;
    if (!(EVIDENCE_SOURCE_TYPES as readonly string[]).includes(type)) {
        throw new UsageError(`--source-type must be one of ${EVIDENCE_SOURCE_TYPES.join(', ')} (got ${type})`);
    }
    return { type: type as EvidenceSource['type'], id: text(values, 'source-id') ?? fallback.id };
}

/** Parses a JSON object option such as --attributes. */
export function jsonObject(values: ParsedCommand['values'], name: string): Record<string, unknown> | undefined {
    const value = text(values, name);
    if (value === undefined) {
        return undefined;
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        throw new UsageError(`--${name} must be a JSON object`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new UsageError(`--${name} must be a JSON object`);
    }
    return parsed as Record<string, unknown>;
}

const MEDIA_TYPES: Readonly<Record<string, string>> = {
    '.mp4': 'video/mp4',
    '.mkv': 'video/x-matroska',
    '.ts': 'video/mp2t',
    '.h264': 'video/h264',
    '.json': 'application/json',
    '.csv': 'text/csv',
    '.txt': 'text/plain',
    '.log': 'text/plain',
    '.pdf': 'application/pdf',
    '.jpg': 'image/jpeg',
    '.png': 'image/png',
    '.tar': 'application/x-tar',
    '.gz': 'application/gzip',
    '.zip': 'application/zip',
};

/** A media type guessed from the file name; application/octet-stream when unknown. */
export function mediaTypeOf(path: string): string {
    return MEDIA_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** A record id from the file name and the start of its digest, in the characters ids allow. */
export function defaultRecordId(path: string, digest: string): string {
    const name = basename(path).replace(/[^A-Za-z0-9._:@/-]/g, '-').slice(0, 100);
    return `${name}-${digest.slice(0, 16)}`;
}

/** Options of `evidence anchor`. */
export const ANCHOR_OPTIONS = {
    id: { type: 'string' },
    kind: { type: 'string' },
    name: { type: 'string' },
    'media-type': { type: 'string' },
    tag: { type: 'string', multiple: true },
    attributes: { type: 'string' },
    ...SOURCE_OPTIONS,
} as const;

/** The anchor request for a hashed file, from `evidence anchor` options. */
export function anchorRequestFrom(values: ParsedCommand['values'], path: string, file: { digest: string; size: number }): AnchorRequest {
    const attributes = jsonObject(values, 'attributes');
    return {
        id: text(values, 'id') ?? defaultRecordId(path, file.digest),
        kind: (text(values, 'kind') ?? 'generic') as EvidenceKind,
        digest: file.digest,
        size: file.size,
        name: text(values, 'name') ?? basename(path),
        mediaType: text(values, 'media-type') ?? mediaTypeOf(path),
        source: sourceFrom(values, { type: 'device', id: 'edgetrust-cli' }),
        tags: list(values, 'tag'),
        ...(attributes ? { attributes: attributes as AnchorRequest['attributes'] } : {}),
    };
}

/** Options of `evidence query`. */
export const QUERY_OPTIONS = {
    by: { type: 'string' },
    kind: { type: 'string' },
    tag: { type: 'string' },
    'msp-id': { type: 'string' },
    'submitter-id': { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'page-size': { type: 'string' },
    bookmark: { type: 'string' },
    batches: { type: 'boolean' },
    ...SOURCE_OPTIONS,
} as const;

/** What each kind of query needs besides --by. */
function queryCriteria(by: EvidenceQuery['by'], values: ParsedCommand['values']): Partial<EvidenceQuery> {
    switch (by) {
        case 'source':
            return { source: { type: sourceFrom(values, { type: 'device', id: '' }).type, id: requiredText(values, 'source-id') } };
        case 'kind':
            return { kind: requiredText(values, 'kind') as EvidenceKind };
        case 'tag':
            return { tag: requiredText(values, 'tag') };
        case 'org':
            return { mspId: requiredText(values, 'msp-id') };
        case 'submitter':
            return { mspId: requiredText(values, 'msp-id'), submitterId: requiredText(values, 'submitter-id') };
        case 'time':
            return { from: requiredText(values, 'from') };
    }
}

/** The query of `evidence query`: --by and what it needs, an optional time range, page size and bookmark. */
export function queryFrom(values: ParsedCommand['values']): EvidenceQuery {
    const by = requiredText(values, 'by') as EvidenceQuery['by'];
    if (!(EVIDENCE_QUERY_FIELDS as readonly string[]).includes(by)) {
        throw new UsageError(`--by must be one of ${EVIDENCE_QUERY_FIELDS.join(', ')} (got ${by})`);
    }
    const optional = { from: text(values, 'from'), to: text(values, 'to'), pageSize: positiveInteger(values, 'page-size'), bookmark: optionalBookmark(text(values, 'bookmark')) };
    const query: EvidenceQuery = { by, ...queryCriteria(by, values) };
    for (const [key, value] of Object.entries(optional)) {
        if (value !== undefined) {
            Object.assign(query, { [key]: value });
        }
    }
    return query;
}

/** Options of `evidence artifact publish|check|revoke`. */
export const ARTIFACT_OPTIONS = {
    name: { type: 'string' },
    version: { type: 'string' },
    type: { type: 'string' },
    vendor: { type: 'string' },
    id: { type: 'string' },
    reason: { type: 'string' },
    ...SOURCE_OPTIONS,
} as const;

/** The anchor request that publishes an artifact file. */
export function artifactRequestFrom(values: ParsedCommand['values'], path: string, file: { digest: string; size: number }): AnchorRequest<'artifact'> {
    const artifactName = requiredText(values, 'name');
    const version = requiredText(values, 'version');
    const artifactType = text(values, 'type') ?? 'app';
    if (!(ARTIFACT_TYPES as readonly string[]).includes(artifactType)) {
        throw new UsageError(`--type must be one of ${ARTIFACT_TYPES.join(', ')} (got ${artifactType})`);
    }
    const vendor = text(values, 'vendor');
    return {
        id: text(values, 'id') ?? `artifact:${artifactName}:${version}`,
        kind: 'artifact',
        digest: file.digest,
        size: file.size,
        name: basename(path),
        mediaType: mediaTypeOf(path),
        source: sourceFrom(values, { type: 'app', id: artifactName }),
        tags: ['artifact'],
        attributes: { artifactType: artifactType as (typeof ARTIFACT_TYPES)[number], artifactName, version, ...(vendor ? { vendor } : {}) },
    };
}

function optionalBookmark(argument: string | undefined): string | undefined {
    return argument === undefined ? undefined : decodeBookmark(argument);
}
