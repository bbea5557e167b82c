import { Type } from '@sinclair/typebox';
import type { TransactionTable } from '../contract-metadata';
import { Digest, Identifier, MspId, Named, SALT_TRANSIENT_KEY, SaltText, Text } from '../primitives';
import {
    ArtifactCheck,
    EvidenceBatch,
    EvidenceBatchPage,
    EvidenceHistory,
    EvidenceOrgPolicy,
    EvidenceRecord,
    EvidenceRecordPage,
    EvidenceRoleGrant,
    EvidenceVerification,
    InclusionVerification,
    PersonalEvidence,
    PersonalPurge,
    TraceWalk,
    TransferAcknowledgement,
    TransferStatus,
} from './records';
import { AnchorRequest, BatchMetadata, EvidenceQuery, InclusionProof, OrgPolicyRequest, PersonalAnchorRequest, SetRolesRequest } from './requests';

/** Verifying by content sends the content to the peer; beyond this, hash locally and verify by digest. */
export const VERIFY_CONTENT_LIMIT_BYTES = 1024 * 1024;
/** The longest trace walk one call returns. */
export const MAX_TRACE_STEPS = 1000;

// The text arguments, each named so that the contract metadata can point at its rule.
const EvidenceId = Named('EvidenceId', Identifier(128, 'record id'));
const EvidenceIdOrEmpty = Named('EvidenceIdOrEmpty', Type.String({ maxLength: 128, description: 'record id, or empty to search by digest' }));
const BatchId = Named('BatchId', Identifier(128, 'batch id'));
const DigestText = Named('DigestText', Digest());
const ContentBase64 = Named('ContentBase64', Type.String({ description: `canonical base64 of at most ${String(VERIFY_CONTENT_LIMIT_BYTES)} bytes` }));
const Reason = Named('Reason', Text(512, 'why'));
const DecimalInteger = Named('DecimalInteger', Type.String({ pattern: '^\\d{1,16}$', description: 'a non-negative decimal integer' }));
const MaxSteps = Named('MaxSteps', Type.String({ pattern: '^\\d{1,16}$', description: `1 to ${String(MAX_TRACE_STEPS)} steps` }));
const MspIdText = Named('MspIdText', MspId());
const CommonName = Named('CommonName', Identifier(128, 'certificate common name'));
const ArtifactName = Named('ArtifactName', Identifier(128, 'artifact name'));
const ArtifactVersion = Named('ArtifactVersion', Identifier(128, 'artifact version'));

const ANY_MEMBER = 'any channel member';
const ANCHORING_RIGHT = 'a member of an organisation whose policy is any-member, otherwise the submitter role; artifacts need the publisher role';

/** Every transaction of the evidence contract: its shape, what it does and who may call it. */
export const EVIDENCE_TRANSACTIONS = {
    Anchor: {
        type: 'submit',
        description:
            'Anchors the digest (or small data, whole) and metadata of a record of any public kind (E1, E2, E7, E9, E10, E11). Witnessed when the request names witnessMspId or the organisation names a supervisor. Events: EvidenceAnchored, ProcessStepRecorded, ArtifactPublished or DataTransferAnnounced, by kind.',
        callers: ANCHORING_RIGHT,
        parameters: [['request', AnchorRequest]],
        returns: EvidenceRecord,
    },
    AnchorPersonal: {
        type: 'submit',
        description:
            "Anchors a personal document (E8): transient entry `personal` (components.schemas.PersonalInput: digest, document, name, source, tags) goes to the caller organisation's private collection with the transaction's salt (transient entry `salt`); the public record carries only SHA-256(salt || contentDigest), name `personal-document`, the owner organisation as source and no tags. digest may be left out; payload, capture, and name, source or tags in the argument are refused. Event: PersonalEvidenceAnchored.",
        callers: ANCHORING_RIGHT,
        parameters: [['request', PersonalAnchorRequest]],
        returns: EvidenceRecord,
        transient: [[SALT_TRANSIENT_KEY, SaltText]],
    },
    PurgePersonal: {
        type: 'submit',
        description:
            "Erases the private side of a personal record (right to erasure) with Fabric's PurgePrivateData: its document, salt, name, source and tags are gone from every peer, history included; the public record and its salted digest stay, unlinkable without the salt. NOT_FOUND once purged. Event: PersonalEvidencePurged.",
        callers: "its submitter, or its organisation's administrators or privacy-reader role",
        parameters: [['id', EvidenceId]],
        returns: PersonalPurge,
    },
    Read: { type: 'evaluate', description: 'The anchored record with this id.', callers: ANY_MEMBER, parameters: [['id', EvidenceId]], returns: EvidenceRecord },
    ReadPrivate: {
        type: 'evaluate',
        description: 'The private side of a personal record.',
        callers: "its submitter, or its organisation's privacy-reader role (admins)",
        parameters: [['id', EvidenceId]],
        returns: PersonalEvidence,
    },
    Verify: {
        type: 'evaluate',
        description: 'Whether a digest matches what was anchored (E3): with an id, against that record; with an empty id, match if any record carries the digest.',
        callers: ANY_MEMBER,
        parameters: [
            ['id', EvidenceIdOrEmpty],
            ['digest', DigestText],
        ],
        returns: EvidenceVerification,
    },
    VerifyContent: {
        type: 'evaluate',
        description: 'Verifies content: a record stored whole (E2) is compared byte for byte, any other by the content SHA-256. An empty id searches by digest.',
        callers: ANY_MEMBER,
        parameters: [
            ['id', EvidenceIdOrEmpty],
            ['contentBase64', ContentBase64],
        ],
        returns: EvidenceVerification,
    },
    VerifyPersonal: {
        type: 'evaluate',
        description: "Checks a document's SHA-256 against a personal record's private digest.",
        callers: "its submitter, or its organisation's privacy-reader role (admins)",
        parameters: [
            ['id', EvidenceId],
            ['contentDigest', DigestText],
        ],
        returns: EvidenceVerification,
    },
    Revoke: {
        type: 'submit',
        description: 'Marks a record revoked, with reason; revoked artifacts are refused by CheckArtifact. Event: EvidenceRevoked or ArtifactRevoked.',
        callers: 'its submitter, an admin of its organisation, or a holder of the revoker role there (publisher role too, for artifacts)',
        parameters: [
            ['id', EvidenceId],
            ['reason', Reason],
        ],
        returns: EvidenceRecord,
    },
    History: { type: 'evaluate', description: 'Every version of a record with who and when, newest first (E5).', callers: ANY_MEMBER, parameters: [['id', EvidenceId]], returns: EvidenceHistory },
    Query: {
        type: 'evaluate',
        description: 'Records by source, kind, tag, org, submitter or time range, a page at a time (E6).',
        callers: ANY_MEMBER,
        parameters: [['query', EvidenceQuery]],
        returns: EvidenceRecordPage,
    },
    AnchorBatch: {
        type: 'submit',
        description: 'Anchors the RFC 6962 root of count item digests (E4); the batch id defaults to the transaction id. Event: BatchAnchored.',
        callers: ANCHORING_RIGHT,
        parameters: [
            ['root', DigestText],
            ['count', DecimalInteger],
            ['metadata', BatchMetadata],
        ],
        returns: EvidenceBatch,
    },
    ReadBatch: { type: 'evaluate', description: 'The anchored batch with this id.', callers: ANY_MEMBER, parameters: [['batchId', BatchId]], returns: EvidenceBatch },
    VerifyInclusion: {
        type: 'evaluate',
        description: "Checks an RFC 6962 inclusion proof on chain: does the item digest at leafIndex lead to the batch's root?",
        callers: ANY_MEMBER,
        parameters: [
            ['batchId', BatchId],
            ['itemDigest', DigestText],
            ['leafIndex', DecimalInteger],
            ['proof', InclusionProof],
        ],
        returns: InclusionVerification,
    },
    QueryBatches: {
        type: 'evaluate',
        description: 'Batches by source, kind, tag, org, submitter or time range (same query as Query).',
        callers: ANY_MEMBER,
        parameters: [['query', EvidenceQuery]],
        returns: EvidenceBatchPage,
    },
    TraceBackward: {
        type: 'evaluate',
        description: 'Walks a process trace back from a step to its first step (E9).',
        callers: ANY_MEMBER,
        parameters: [
            ['id', EvidenceId],
            ['maxSteps', MaxSteps],
        ],
        returns: TraceWalk,
    },
    TraceForward: {
        type: 'evaluate',
        description: 'Walks a process trace forward from a step through every later step, breadth first (E9).',
        callers: ANY_MEMBER,
        parameters: [
            ['id', EvidenceId],
            ['maxSteps', MaxSteps],
        ],
        returns: TraceWalk,
    },
    CheckArtifact: {
        type: 'evaluate',
        description: 'Checks an artifact before it is loaded (E10): approved only when that version was published with this digest and not revoked.',
        callers: ANY_MEMBER,
        parameters: [
            ['artifactName', ArtifactName],
            ['version', ArtifactVersion],
            ['digest', DigestText],
        ],
        returns: ArtifactCheck,
    },
    AcknowledgeTransfer: {
        type: 'submit',
        description: 'A named recipient of a data-set transfer acknowledges the digest it received (E11); a mismatch is recorded as such. Event: TransferAcknowledged.',
        callers: 'only a recipient the transfer names, once',
        parameters: [
            ['id', EvidenceId],
            ['receivedDigest', DigestText],
        ],
        returns: TransferAcknowledgement,
    },
    ReadTransfer: {
        type: 'evaluate',
        description: 'A data-set transfer with its acknowledgements, pending recipients and mismatch count.',
        callers: ANY_MEMBER,
        parameters: [['id', EvidenceId]],
        returns: TransferStatus,
    },
    SetRoles: {
        type: 'submit',
        description: "Sets the roles of one identity (by certificate CN) of the caller's own organisation; an empty list removes them. Event: RolesChanged.",
        callers: 'organisation admins, for their own organisation',
        parameters: [['request', SetRolesRequest]],
        returns: EvidenceRoleGrant,
    },
    ReadRoles: {
        type: 'evaluate',
        description: 'The roles of one identity of an organisation (none when never granted).',
        callers: ANY_MEMBER,
        parameters: [
            ['mspId', MspIdText],
            ['commonName', CommonName],
        ],
        returns: EvidenceRoleGrant,
    },
    SetOrgPolicy: {
        type: 'submit',
        description: "Sets the caller's own organisation's policy; with a supervisor, every record and batch of its members is witnessed by it. Event: OrgPolicyChanged.",
        callers: 'organisation admins, for their own organisation',
        parameters: [['policy', OrgPolicyRequest]],
        returns: EvidenceOrgPolicy,
    },
    ReadOrgPolicy: {
        type: 'evaluate',
        description: "An organisation's policy (any-member until its admins set one).",
        callers: ANY_MEMBER,
        parameters: [['mspId', MspIdText]],
        returns: EvidenceOrgPolicy,
    },
} as const satisfies TransactionTable;

export type EvidenceTransactionName = keyof typeof EVIDENCE_TRANSACTIONS;
