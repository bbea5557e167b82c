import { createHash } from 'node:crypto';
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
import {
    type AnchorRequest,
    EVIDENCE_KINDS,
    type EvidenceKind,
    type EvidencePayload,
    type EvidenceSource,
    PAYLOAD_ENCODINGS,
    PAYLOAD_LIMIT_BYTES,
    SOURCE_TYPES,
} from '../../schemas/src';
import { type Attributes, validateAttributes } from './record-kinds';

// Requests and records are the schema package's (schemas/src/evidence); this module checks anchor requests.
export type { EvidencePayload, EvidenceRecord, EvidenceRevocation as Revocation, EvidenceSource } from '../../schemas/src';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

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
