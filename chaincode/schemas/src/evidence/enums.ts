import type { Static } from '@sinclair/typebox';
import { Enumeration } from '../primitives';

/** Every kind of record the evidence chaincode knows, each with its own attribute schema (kinds.ts). */
export const [EVIDENCE_KINDS, EvidenceKind] = Enumeration(
    [
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
    ],
    'kind of record; defaults to generic',
);
export type EvidenceKind = Static<typeof EvidenceKind>;

/** Where data came from: a device, an edge application or an organisation. */
export const [SOURCE_TYPES, SourceType] = Enumeration(['device', 'app', 'org'], 'what produced the data');
export type SourceType = Static<typeof SourceType>;

export const [PAYLOAD_ENCODINGS, PayloadEncoding] = Enumeration(['utf8', 'base64'], 'how payload.data is encoded');
export type PayloadEncoding = Static<typeof PayloadEncoding>;

/**
 * How a record's `digest` was made: `sha256` of the data itself, or `salted-sha256` = SHA-256(salt || SHA-256(data))
 * for personal records, whose data and salt stay in the owner's private collection.
 */
export const [DIGEST_SCHEMES, DigestScheme] = Enumeration(['sha256', 'salted-sha256'], 'how digest was made');
export type DigestScheme = Static<typeof DigestScheme>;

export const [RECORD_STATUSES, RecordStatus] = Enumeration(['active', 'revoked'], 'whether the record was revoked');
export type RecordStatus = Static<typeof RecordStatus>;

/** The three answers of every verification. */
export const [VERIFY_OUTCOMES, VerifyOutcome] = Enumeration(['match', 'mismatch', 'not_found'], 'the answer of a verification');
export type VerifyOutcome = Static<typeof VerifyOutcome>;

/** What a verification compared: the digest, the stored data itself (E2), or a personal record's private digest. */
export const [COMPARISONS, Comparison] = Enumeration(['digest', 'content', 'private-digest'], 'what was compared');
export type Comparison = Static<typeof Comparison>;

/** Verdict of a check before loading an artifact (E10). */
export const [ARTIFACT_VERDICTS, ArtifactVerdict] = Enumeration(
    ['approved', 'mismatch', 'revoked', 'not_published'],
    'approved only for a published, unrevoked version with this digest',
);
export type ArtifactVerdict = Static<typeof ArtifactVerdict>;

export const [TRANSFER_OUTCOMES, TransferOutcome] = Enumeration(['match', 'mismatch'], 'whether the received digest is the announced one');
export type TransferOutcome = Static<typeof TransferOutcome>;

/** Roles an organisation's admins grant to their own members (admins hold every role). */
export const [ROLES, Role] = Enumeration(['submitter', 'publisher', 'revoker', 'privacy-reader'], 'a role within the caller organisation');
export type Role = Static<typeof Role>;

/** Who of an organisation may anchor: every member, or holders of the submitter role. */
export const [ANCHORING_POLICIES, AnchoringPolicy] = Enumeration(['any-member', 'submitter-role'], 'who of the organisation may anchor');
export type AnchoringPolicy = Static<typeof AnchoringPolicy>;

/** The fields Query and QueryBatches look up by. */
export const [QUERY_FIELDS, QueryField] = Enumeration(['source', 'kind', 'tag', 'org', 'submitter', 'time'], 'the index to look up by');
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
