import { Type, type Static } from '@sinclair/typebox';
import { MAX_PAGE_SIZE } from '../primitives';
import { Digest, Identifier, MspId, Text, UtcInstant } from '../primitives';
import { AnchoringPolicy, EvidenceKind, QueryField, Role } from './enums';
import { GenericAttributes, KIND_ATTRIBUTES, type KindAttributes } from './kinds';
import { SignedCapture } from './capture';
import { EvidencePayload, EvidenceSource } from './records';

/*
 * Everything a client sends the evidence chaincode. JSON requests travel as one text argument each; the chaincode
 * parses them itself so that bad input is refused with a stable code.
 */

/** What to anchor. `digest` and `size` may be left out when `payload` is given (they are computed, or checked). */
export const AnchorRequest = Type.Object(
    {
        id: Identifier(128, 'unique record id'),
        kind: Type.Optional(EvidenceKind),
        digest: Type.Optional(Digest('SHA-256 of the data; required unless payload is given')),
        name: Text(512),
        size: Type.Optional(Type.Integer({ minimum: 0, description: 'bytes; required unless payload is given' })),
        mediaType: Type.Optional(Text(128, 'defaults to application/octet-stream')),
        source: EvidenceSource,
        tags: Type.Optional(Type.Array(Identifier(64), { maxItems: 16 })),
        attributes: Type.Optional(Type.Union([...Object.values(KIND_ATTRIBUTES).filter((schema) => schema !== GenericAttributes), GenericAttributes], { description: "the kind's attributes, at most 4096 characters of JSON" })),
        payload: Type.Optional(EvidencePayload),
        witnessMspId: Type.Optional(MspId('an organisation other than yours whose peer must endorse the anchoring too')),
        capture: Type.Optional(SignedCapture),
    },
    { $id: 'AnchorRequest' },
);

/** An anchor request whose attributes are those of kind K (what the SDK's `anchor` takes). */
export type AnchorRequest<K extends EvidenceKind = EvidenceKind> = Omit<Static<typeof AnchorRequest>, 'kind' | 'attributes'> & {
    kind?: K;
    attributes?: KindAttributes[K];
};

/** The metadata of a batch anchor (AnchorBatch's metadata argument). */
export const BatchMetadata = Type.Object(
    {
        batchId: Type.Optional(Identifier(128, 'defaults to the transaction id')),
        name: Type.Optional(Text(512)),
        source: EvidenceSource,
        kind: Type.Optional(EvidenceKind),
        tags: Type.Optional(Type.Array(Identifier(64), { maxItems: 16 })),
        witnessMspId: Type.Optional(MspId('an organisation other than yours whose peer must endorse the anchoring too')),
        capture: Type.Optional(SignedCapture),
    },
    { $id: 'BatchMetadata' },
);
export type BatchMetadata = Static<typeof BatchMetadata>;

/** A query by one attribute, optionally within a time range, a page at a time (Query, QueryBatches). */
export const EvidenceQuery = Type.Object(
    {
        by: QueryField,
        source: Type.Optional(EvidenceSource),
        kind: Type.Optional(EvidenceKind),
        tag: Type.Optional(Identifier(64)),
        mspId: Type.Optional(MspId()),
        submitterId: Type.Optional(Type.String()),
        from: Type.Optional(UtcInstant('inclusive; a range spans at most 366 days')),
        to: Type.Optional(UtcInstant('inclusive; defaults to the transaction time')),
        pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE })),
        bookmark: Type.Optional(Type.String()),
    },
    { $id: 'EvidenceQuery' },
);
export type EvidenceQuery = Static<typeof EvidenceQuery>;

/** SetRoles: the roles of one identity of the caller's organisation; an empty list removes them. */
export const SetRolesRequest = Type.Object({ commonName: Identifier(128, 'certificate common name'), roles: Type.Array(Role, { maxItems: 4 }) }, { $id: 'SetRolesRequest' });
export type SetRolesRequest = Static<typeof SetRolesRequest>;

/** SetOrgPolicy: the caller organisation's anchoring rule and, optionally, its supervisor (witness of everything). */
export const OrgPolicyRequest = Type.Object({ anchoring: AnchoringPolicy, supervisorMspId: Type.Optional(MspId()) }, { $id: 'OrgPolicyRequest' });
export type OrgPolicyRequest = Static<typeof OrgPolicyRequest>;

/**
 * AnchorPersonal's transient entry `personal`: sent privately, stored in the owner's collection only, with the
 * transaction's salt (transient entry `salt`). Name, source and tags can identify a person (issue 9, finding 8), so
 * they are here and not in the public record.
 */
export const PersonalInput = Type.Object(
    {
        contentDigest: Digest('SHA-256 of the document'),
        content: Type.Optional(Type.String({ description: 'the document, canonical base64, at most 64 KiB; kept privately' })),
        name: Text(512, 'the document name; kept privately'),
        source: EvidenceSource,
        tags: Type.Optional(Type.Array(Identifier(64), { maxItems: 16, description: 'kept privately' })),
    },
    { $id: 'PersonalInput' },
);

/** AnchorPersonal's argument: an AnchorRequest without what can identify a person (that is in PersonalInput). */
export const PersonalAnchorRequest = Type.Omit(AnchorRequest, ['name', 'source', 'tags', 'payload', 'capture'], { $id: 'PersonalAnchorRequest' });
export type PersonalAnchorRequest = Static<typeof PersonalAnchorRequest>;
export type PersonalInput = Static<typeof PersonalInput>;

/** An RFC 6962 audit path, leaf to root. */
export const InclusionProof = Type.Array(Digest('a sibling hash'), { maxItems: 64, $id: 'InclusionProof' });
