import { Type, type Static } from '@sinclair/typebox';
import { Page } from '../page';
import { Digest, Identifier, MspId, Text, UtcInstant } from '../primitives';
import { AnchoringPolicy, ArtifactVerdict, Comparison, DigestScheme, EvidenceKind, PayloadEncoding, RecordStatus, Role, SourceType, TransferOutcome, VerifyOutcome } from './enums';
import { SourceProof, SourceVerification } from './capture';
import { TransferRecipient } from './kinds';

/*
 * Everything the evidence chaincode stores and returns. The chaincode sets every field (clients send requests.ts);
 * times are UTC ISO-8601 with milliseconds, identities are MSP id plus the X.509 identity string.
 */

/** Small data stored whole on chain (E2), at most 4 KiB. */
export const PAYLOAD_LIMIT_BYTES = 4096;

const TxId = Type.String({ description: 'the Fabric transaction id' });
const IdentityId = Type.String({ description: 'X.509 identity of the caller (subject and issuer)' });

/** Where data came from. */
export const EvidenceSource = Type.Object({ type: SourceType, id: Identifier() }, { $id: 'EvidenceSource' });
export type EvidenceSource = Static<typeof EvidenceSource>;

/** Small data stored whole on chain. */
export const EvidencePayload = Type.Object(
    { encoding: PayloadEncoding, data: Type.String({ minLength: 1, maxLength: 2 * PAYLOAD_LIMIT_BYTES, description: `at most ${String(PAYLOAD_LIMIT_BYTES)} bytes once decoded; base64 canonical` }) },
    { $id: 'EvidencePayload' },
);
export type EvidencePayload = Static<typeof EvidencePayload>;

/** Who revoked a record, when and why. */
export const EvidenceRevocation = Type.Object(
    { revokedAt: UtcInstant(), revokedByMspId: MspId(), revokedById: IdentityId, reason: Text(512), txId: TxId },
    { $id: 'EvidenceRevocation' },
);
export type EvidenceRevocation = Static<typeof EvidenceRevocation>;

/** An anchored record: the digest and metadata of a piece of edge data, which itself stays off chain. */
export const EvidenceRecord = Type.Object(
    {
        id: Identifier(),
        kind: EvidenceKind,
        digest: Digest(),
        digestScheme: DigestScheme,
        name: Text(512),
        size: Type.Integer({ minimum: 0 }),
        mediaType: Text(128),
        source: EvidenceSource,
        tags: Type.Array(Identifier(64), { maxItems: 16, description: 'sorted, each once' }),
        attributes: Type.Record(Type.String(), Type.Unknown(), { description: "the kind's attributes (components.schemas.<Kind>Attributes)" }),
        payload: Type.Optional(EvidencePayload),
        privateCollection: Type.Optional(Type.String({ description: "personal records: the owner's private data collection (E8)" })),
        status: RecordStatus,
        witnessMspId: Type.Optional(MspId('witnessed records: the organisation whose peer endorsed the anchoring too')),
        submitterMspId: MspId(),
        submitterId: IdentityId,
        anchoredAt: UtcInstant(),
        txId: TxId,
        revocation: Type.Optional(EvidenceRevocation),
        sourceProof: Type.Optional(SourceProof),
    },
    { $id: 'EvidenceRecord' },
);
export type EvidenceRecord = Static<typeof EvidenceRecord>;

/** A witnessed record's or batch's witness. */
export const EvidenceWitness = Type.Object(
    { mspId: MspId(), sealed: Type.Boolean({ description: "true only when the witness's seal is on the ledger: a peer of the witness organisation endorsed the anchoring" }) },
    { $id: 'EvidenceWitness' },
);
export type EvidenceWitness = Static<typeof EvidenceWitness>;

/** The answer of every Verify transaction: match / mismatch / not found, and when and by whom the record was anchored. */
export const EvidenceVerification = Type.Object(
    {
        outcome: VerifyOutcome,
        digest: Digest(),
        comparedBy: Comparison,
        record: Type.Optional(EvidenceRecord),
        anchoredAt: Type.Optional(UtcInstant()),
        anchoredByMspId: Type.Optional(MspId()),
        anchoredById: Type.Optional(IdentityId),
        status: Type.Optional(RecordStatus),
        witness: Type.Optional(EvidenceWitness),
        source: Type.Optional(SourceVerification),
    },
    { $id: 'EvidenceVerification' },
);
export type EvidenceVerification = Static<typeof EvidenceVerification>;

/** One version of a record from the ledger's history (E5). */
export const EvidenceHistoryEntry = Type.Object(
    { txId: TxId, timestamp: UtcInstant(), isDelete: Type.Boolean(), record: Type.Optional(EvidenceRecord) },
    { $id: 'EvidenceHistoryEntry' },
);
export type EvidenceHistoryEntry = Static<typeof EvidenceHistoryEntry>;

/** Every version of a record, newest first. */
export const EvidenceHistory = Type.Array(EvidenceHistoryEntry, { $id: 'EvidenceHistory', minItems: 1 });

/** An anchored batch: the root and leaf count of an RFC 6962 tree (E4). */
export const EvidenceBatch = Type.Object(
    {
        id: Identifier(),
        root: Digest('RFC 6962 tree head'),
        count: Type.Integer({ minimum: 1, description: 'number of leaves' }),
        treeAlgorithm: Type.Literal('rfc6962-sha256'),
        name: Type.Optional(Text(512)),
        source: EvidenceSource,
        kind: EvidenceKind,
        tags: Type.Array(Identifier(64), { maxItems: 16 }),
        submitterMspId: MspId(),
        submitterId: IdentityId,
        anchoredAt: UtcInstant(),
        txId: TxId,
        witnessMspId: Type.Optional(MspId()),
        sourceProof: Type.Optional(SourceProof),
    },
    { $id: 'EvidenceBatch' },
);
export type EvidenceBatch = Static<typeof EvidenceBatch>;

/** The chaincode's answer to an inclusion proof. */
export const InclusionVerification = Type.Object(
    {
        outcome: VerifyOutcome,
        batchId: Type.String(),
        itemDigest: Digest(),
        leafIndex: Type.Integer({ minimum: 0 }),
        computedRoot: Type.Optional(Type.String({ description: "the root the proof leads to; empty when the proof does not fit the tree's size" })),
        batch: Type.Optional(EvidenceBatch),
        witness: Type.Optional(EvidenceWitness),
    },
    { $id: 'InclusionVerification' },
);
export type InclusionVerification = Static<typeof InclusionVerification>;

/** A walk along a process trace (E9), oldest step first; `complete` is false when maxSteps cut it short. */
export const TraceWalk = Type.Object({ traceId: Identifier(), steps: Type.Array(EvidenceRecord), complete: Type.Boolean() }, { $id: 'TraceWalk' });
export type TraceWalk = Static<typeof TraceWalk>;

/** The answer of a check before loading an artifact (E10); load only when `loadAllowed`. */
export const ArtifactCheck = Type.Object(
    { verdict: ArtifactVerdict, loadAllowed: Type.Boolean(), artifactName: Identifier(), version: Identifier(), digest: Digest(), record: Type.Optional(EvidenceRecord) },
    { $id: 'ArtifactCheck' },
);
export type ArtifactCheck = Static<typeof ArtifactCheck>;

/** One recipient's acknowledgement of a data-set transfer (E11). */
export const TransferAcknowledgement = Type.Object(
    {
        transferId: Identifier(),
        recipient: TransferRecipient,
        receivedDigest: Digest(),
        expectedDigest: Digest(),
        outcome: TransferOutcome,
        acknowledgedAt: UtcInstant(),
        acknowledgedByMspId: MspId(),
        acknowledgedById: IdentityId,
        txId: TxId,
    },
    { $id: 'TransferAcknowledgement' },
);
export type TransferAcknowledgement = Static<typeof TransferAcknowledgement>;

/** A transfer with its acknowledgements so far; a mismatch is visible to every channel member. */
export const TransferStatus = Type.Object(
    { record: EvidenceRecord, acknowledgements: Type.Array(TransferAcknowledgement), pending: Type.Array(TransferRecipient), mismatches: Type.Integer({ minimum: 0 }) },
    { $id: 'TransferStatus' },
);
export type TransferStatus = Static<typeof TransferStatus>;

/** The private side of a personal record (E8), in its owner organisation's collection under the record id. */
export const PersonalEvidence = Type.Object(
    {
        id: Identifier(),
        ownerMspId: MspId(),
        salt: Type.String({ description: 'the salt it was stored with (transient entry `salt`), base64; the public digest is SHA-256(salt || contentDigest)' }),
        contentDigest: Digest(),
        content: Type.Optional(Type.String({ description: 'the document, base64, if it was stored' })),
        name: Type.Optional(Text(512, 'the document name (records anchored since names became private)')),
        source: Type.Optional(EvidenceSource),
        tags: Type.Optional(Type.Array(Identifier(64), { maxItems: 16, description: 'sorted, each once' })),
        storedAt: UtcInstant(),
        txId: TxId,
    },
    { $id: 'PersonalEvidence' },
);
export type PersonalEvidence = Static<typeof PersonalEvidence>;

/** What PurgePersonal returns: the record whose private side was erased; its public record stays. */
export const PersonalPurge = Type.Object({ id: Identifier(), txId: TxId }, { $id: 'PersonalPurge' });
export type PersonalPurge = Static<typeof PersonalPurge>;

/** The roles one identity (by certificate common name) holds in its organisation. */
export const EvidenceRoleGrant = Type.Object(
    { mspId: MspId(), commonName: Identifier(), roles: Type.Array(Role, { description: 'sorted, each once; empty: none' }), updatedAt: Type.Optional(UtcInstant()), updatedById: Type.Optional(IdentityId) },
    { $id: 'EvidenceRoleGrant' },
);
export type EvidenceRoleGrant = Static<typeof EvidenceRoleGrant>;

/** An organisation's own rules for its members (`any-member` until its admins set one). */
export const EvidenceOrgPolicy = Type.Object(
    {
        mspId: MspId(),
        anchoring: AnchoringPolicy,
        supervisorMspId: Type.Optional(MspId('the organisation that witnesses every record and batch of this one')),
        updatedAt: Type.Optional(UtcInstant()),
        updatedById: Type.Optional(IdentityId),
    },
    { $id: 'EvidenceOrgPolicy' },
);
export type EvidenceOrgPolicy = Static<typeof EvidenceOrgPolicy>;

/** A page of Query. */
export const EvidenceRecordPage = Page(EvidenceRecord, { $id: 'EvidenceRecordPage' });
/** A page of QueryBatches. */
export const EvidenceBatchPage = Page(EvidenceBatch, { $id: 'EvidenceBatchPage' });
