import type { Static } from '@sinclair/typebox';
import { OneOf } from '../one-of';

/** Every kind of record the evidence chaincode knows, each with its own attribute schema (kinds.ts). */
export const EVIDENCE_KINDS = [
    'generic',
    'video-segment',
    'iot-reading-batch',
    'personal-document',
    'inspection-report',
    'om-log',
    'alarm',
    'performance-sample',
    'artifact',
    'data-set-transfer',
    'process-step',
] as const;
export const EvidenceKind = OneOf(EVIDENCE_KINDS, 'kind of record; defaults to generic');
export type EvidenceKind = Static<typeof EvidenceKind>;

/** Where data came from: a device, an edge application or an organisation. */
export const SOURCE_TYPES = ['device', 'app', 'org'] as const;
export const SourceType = OneOf(SOURCE_TYPES, 'what produced the data');
export type SourceType = Static<typeof SourceType>;

export const PAYLOAD_ENCODINGS = ['utf8', 'base64'] as const;
export const PayloadEncoding = OneOf(PAYLOAD_ENCODINGS, 'how payload.data is encoded');
export type PayloadEncoding = Static<typeof PayloadEncoding>;

/**
 * How a record's `digest` was made: `sha256` of the data itself, or `salted-sha256` = SHA-256(salt || SHA-256(data))
 * for personal records, whose data and salt stay in the owner's private collection.
 */
export const DIGEST_SCHEMES = ['sha256', 'salted-sha256'] as const;
export const DigestScheme = OneOf(DIGEST_SCHEMES, 'how digest was made');
export type DigestScheme = Static<typeof DigestScheme>;

export const RECORD_STATUSES = ['active', 'revoked'] as const;
export const RecordStatus = OneOf(RECORD_STATUSES, 'whether the record was revoked');
export type RecordStatus = Static<typeof RecordStatus>;

/** The three answers of every verification. */
export const VERIFY_OUTCOMES = ['match', 'mismatch', 'not_found'] as const;
export const VerifyOutcome = OneOf(VERIFY_OUTCOMES, 'the answer of a verification');
export type VerifyOutcome = Static<typeof VerifyOutcome>;

/** What a verification compared: the digest, the stored data itself (E2), or a personal record's private digest. */
export const COMPARISONS = ['digest', 'content', 'private-digest'] as const;
export const Comparison = OneOf(COMPARISONS, 'what was compared');
export type Comparison = Static<typeof Comparison>;

/** Verdict of a check before loading an artifact (E10). */
export const ARTIFACT_VERDICTS = ['approved', 'mismatch', 'revoked', 'not_published'] as const;
export const ArtifactVerdict = OneOf(ARTIFACT_VERDICTS, 'approved only for a published, unrevoked version with this digest');
export type ArtifactVerdict = Static<typeof ArtifactVerdict>;

export const TRANSFER_OUTCOMES = ['match', 'mismatch'] as const;
export const TransferOutcome = OneOf(TRANSFER_OUTCOMES, 'whether the received digest is the announced one');
export type TransferOutcome = Static<typeof TransferOutcome>;

/** Roles an organisation's admins grant to their own members (admins hold every role). */
export const ROLES = ['submitter', 'publisher', 'revoker', 'privacy-reader'] as const;
export const Role = OneOf(ROLES, 'a role within the caller organisation');
export type Role = Static<typeof Role>;

/** Who of an organisation may anchor: every member, or holders of the submitter role. */
export const ANCHORING_POLICIES = ['any-member', 'submitter-role'] as const;
export const AnchoringPolicy = OneOf(ANCHORING_POLICIES, 'who of the organisation may anchor');
export type AnchoringPolicy = Static<typeof AnchoringPolicy>;

/** The fields Query and QueryBatches look up by. */
export const QUERY_FIELDS = ['source', 'kind', 'tag', 'org', 'submitter', 'time'] as const;
export const QueryField = OneOf(QUERY_FIELDS, 'the index to look up by');
export type QueryField = Static<typeof QueryField>;

export const ARTIFACT_TYPES = ['app', 'patch', 'config-baseline', 'vm-image', 'container-image'] as const;
export const INSPECTION_METHODS = ['manual', 'automatic'] as const;
export const INSPECTION_RESULTS = ['pass', 'fail', 'attention'] as const;
export const ALARM_SEVERITIES = ['critical', 'major', 'minor', 'warning', 'cleared'] as const;
export const DOCUMENT_TYPES = ['id-card', 'passport', 'contract', 'medical', 'certificate', 'other'] as const;

/** Names of the chaincode events, one per state-changing transaction (several for Anchor, by kind). */
export const EVIDENCE_EVENTS = [
    'EvidenceAnchored',
    'ProcessStepRecorded',
    'ArtifactPublished',
    'DataTransferAnnounced',
    'PersonalEvidenceAnchored',
    'PersonalEvidencePurged',
    'EvidenceRevoked',
    'ArtifactRevoked',
    'BatchAnchored',
    'TransferAcknowledged',
    'RolesChanged',
    'OrgPolicyChanged',
] as const;
export type EvidenceEventName = (typeof EVIDENCE_EVENTS)[number];
