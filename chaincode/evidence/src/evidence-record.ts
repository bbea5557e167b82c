import { Object as DataType, Property } from 'fabric-contract-api';
import { invalidArgument, optionalText, requireCount, requireDigest, requireIdentifier, requireOneOf, requireTags, requireText } from '../../common/src';

export const EVIDENCE_KINDS = ['generic'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const SOURCE_TYPES = ['device', 'app', 'org'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

/** Where the data came from: a device, an edge application or an organisation. */
@DataType()
export class EvidenceSource {
    @Property()
    type: SourceType = 'device';

    @Property()
    id = '';
}

/** What a client asks to anchor; everything else in the record is set by the chaincode. */
export interface AnchorRequest {
    id: string;
    kind?: string;
    digest: string;
    name: string;
    size: number;
    mediaType: string;
    source: { type: string; id: string };
    tags?: string[];
}

/** A notarized piece of edge data: its digest and metadata; the data itself stays off chain. */
@DataType()
export class EvidenceRecord {
    @Property()
    id = '';

    @Property()
    kind: EvidenceKind = 'generic';

    @Property('digest', 'string')
    digest = '';

    @Property()
    name = '';

    @Property()
    size = 0;

    @Property()
    mediaType = '';

    @Property()
    source: EvidenceSource = new EvidenceSource();

    @Property('tags', 'string[]')
    tags: string[] = [];

    @Property()
    submitterMspId = '';

    @Property()
    submitterId = '';

    @Property()
    anchoredAt = '';

    @Property()
    txId = '';

    /** Validates a client's request; throws INVALID_ARGUMENT naming the first bad field. */
    static validateRequest(request: Partial<AnchorRequest>): AnchorRequest {
        const source = request.source;
        if (typeof source !== 'object' || source === null) {
            throw invalidArgument('source is required: { type, id }');
        }
        return {
            id: requireIdentifier(request.id, 'id'),
            kind: requireOneOf(request.kind ?? 'generic', 'kind', EVIDENCE_KINDS),
            digest: requireDigest(request.digest, 'digest'),
            name: requireText(request.name, 'name', 512),
            size: requireCount(request.size, 'size'),
            mediaType: optionalText(request.mediaType, 'mediaType', 128) ?? 'application/octet-stream',
            source: { type: requireOneOf(source.type, 'source.type', SOURCE_TYPES), id: requireIdentifier(source.id, 'source.id') },
            tags: requireTags(request.tags, 'tags'),
        };
    }
}
