import { createHash } from 'node:crypto';
import { Object as DataType, Property } from 'fabric-contract-api';
import {
    invalidArgument,
    optionalText,
    requireCount,
    requireDigest,
    requireIdentifier,
    requireOneOf,
    requireTags,
    requireText,
} from '../../common/src';
import { digestMismatch, payloadTooLarge } from './evidence-errors';
import { Attributes, EVIDENCE_KINDS, EvidenceKind, validateAttributes } from './record-kinds';

export { EVIDENCE_KINDS, type EvidenceKind } from './record-kinds';

export const SOURCE_TYPES = ['device', 'app', 'org'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

/** Small standardized data may be stored whole on chain (E2), up to this many bytes. */
export const PAYLOAD_LIMIT_BYTES = 4096;
export const PAYLOAD_ENCODINGS = ['utf8', 'base64'] as const;
export type PayloadEncoding = (typeof PAYLOAD_ENCODINGS)[number];

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * How `digest` was made: `sha256` of the data itself, or `salted-sha256` = SHA-256(salt || SHA-256(data))
 * for personal records, whose data and salt stay in the owner's private collection.
 */
export type DigestScheme = 'sha256' | 'salted-sha256';
export type RecordStatus = 'active' | 'revoked';

/** Where the data came from: a device, an edge application or an organisation. */
@DataType()
export class EvidenceSource {
    // A union type emits no usable design:type, so the schema type is given explicitly.
    @Property('type', 'string')
    type: SourceType = 'device';

    @Property()
    id: string = '';
}

/** Data stored whole on chain. */
export interface EvidencePayload {
    encoding: PayloadEncoding;
    data: string;
}

/** Who changed a record, when, in which transaction and why. */
export interface Revocation {
    revokedAt: string;
    revokedByMspId: string;
    revokedById: string;
    reason: string;
    txId: string;
}

/** What a client asks to anchor; everything else in the record is set by the chaincode. */
export interface AnchorRequest {
    id: string;
    kind?: string;
    /** Required unless `payload` is given (then it is computed, or checked if also given). */
    digest?: string;
    name: string;
    size?: number;
    mediaType?: string;
    source: { type: string; id: string };
    tags?: string[];
    attributes?: Record<string, unknown>;
    payload?: EvidencePayload;
    /** An organisation other than the submitter's that must endorse the anchoring too (see witness.ts). */
    witnessMspId?: string;
}

/** A request after validation: every field present and normalized. */
export interface ValidAnchorRequest {
    id: string;
    kind: EvidenceKind;
    digest: string;
    name: string;
    size: number;
    mediaType: string;
    source: EvidenceSource;
    tags: string[];
    attributes: Attributes;
    payload?: EvidencePayload;
}

/** A notarized piece of edge data: its digest and metadata; large data itself stays off chain. */
@DataType()
export class EvidenceRecord {
    @Property()
    id: string = '';

    @Property('kind', 'string')
    kind: EvidenceKind = 'generic';

    @Property()
    digest: string = '';

    @Property('digestScheme', 'string')
    digestScheme: DigestScheme = 'sha256';

    @Property()
    name: string = '';

    @Property()
    size: number = 0;

    @Property()
    mediaType: string = '';

    @Property()
    source: EvidenceSource = new EvidenceSource();

    @Property('tags', 'string[]')
    tags: string[] = [];

    /** Kind-specific fields, validated against the kind's schema. */
    attributes: Attributes = {};

    /** Present only for small data stored whole (E2). */
    payload?: EvidencePayload;

    /** Present only for personal records: the owner's private data collection (E8). */
    privateCollection?: string;

    @Property('status', 'string')
    status: RecordStatus = 'active';

    @Property()
    submitterMspId: string = '';

    @Property()
    submitterId: string = '';

    @Property()
    anchoredAt: string = '';

    @Property()
    txId: string = '';

    revocation?: Revocation;

    /** Present only for witnessed records: the organisation whose peer endorsed the anchoring too. */
    witnessMspId?: string;
}

export function sha256Hex(data: Uint8Array): string {
    return createHash('sha256').update(data).digest('hex');
}

/** Decodes a payload strictly (Buffer's base64 decoder would silently skip bad characters). */
export function decodePayload(value: unknown): { payload: EvidencePayload; bytes: Buffer } {
    if (typeof value !== 'object' || value === null) {
        throw invalidArgument('payload must be { encoding, data }');
    }
    const { encoding, data } = value as Partial<EvidencePayload>;
    const checked = requireOneOf(encoding, 'payload.encoding', PAYLOAD_ENCODINGS);
    if (typeof data !== 'string' || data.length === 0) {
        throw invalidArgument('payload.data is required');
    }
    if (data.length > PAYLOAD_LIMIT_BYTES * 2) {
        throw payloadTooLarge(`payload is larger than ${String(PAYLOAD_LIMIT_BYTES)} bytes`);
    }
    if (checked === 'base64' && !BASE64.test(data)) {
        throw invalidArgument('payload.data is not canonical base64');
    }
    const bytes = Buffer.from(data, checked);
    if (bytes.length > PAYLOAD_LIMIT_BYTES) {
        throw payloadTooLarge(`payload is ${String(bytes.length)} bytes; at most ${String(PAYLOAD_LIMIT_BYTES)} may be stored on chain`);
    }
    return { payload: { encoding: checked, data }, bytes };
}

/** A `{ type, id }` source; throws INVALID_ARGUMENT otherwise. */
export function requireSource(value: unknown): EvidenceSource {
    if (typeof value !== 'object' || value === null) {
        throw invalidArgument('source is required: { type, id }');
    }
    const source = value as { type?: unknown; id?: unknown };
    return { type: requireOneOf(source.type, 'source.type', SOURCE_TYPES), id: requireIdentifier(source.id, 'source.id') };
}

/** Digest and size, from the payload when there is one, so that the two can never disagree. */
function contentFacts(request: Partial<AnchorRequest>): { digest: string; size: number; payload?: EvidencePayload } {
    // Parsed JSON may carry null where the type says optional.
    if (request.payload == null) {
        return { digest: requireDigest(request.digest, 'digest'), size: requireCount(request.size, 'size') };
    }
    const { payload, bytes } = decodePayload(request.payload);
    const digest = sha256Hex(bytes);
    if (request.digest !== undefined && requireDigest(request.digest, 'digest') !== digest) {
        throw digestMismatch(`digest ${request.digest} is not the SHA-256 of the payload (${digest})`);
    }
    if (request.size !== undefined && requireCount(request.size, 'size') !== bytes.length) {
        throw invalidArgument(`size ${String(request.size)} is not the payload's length (${String(bytes.length)} bytes)`);
    }
    return { digest, size: bytes.length, payload };
}

/** Validates a client's request; throws a coded error naming the first bad field. */
export function validateAnchorRequest(request: Partial<AnchorRequest>): ValidAnchorRequest {
    const kind = requireOneOf(request.kind ?? 'generic', 'kind', EVIDENCE_KINDS);
    const valid: ValidAnchorRequest = {
        id: requireIdentifier(request.id, 'id'),
        kind,
        name: requireText(request.name, 'name', 512),
        mediaType: optionalText(request.mediaType, 'mediaType', 128) ?? 'application/octet-stream',
        source: requireSource(request.source),
        tags: requireTags(request.tags, 'tags'),
        attributes: validateAttributes(kind, request.attributes),
        ...contentFacts(request),
    };
    return valid;
}
