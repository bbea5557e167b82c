/*
 * Models mirroring the evidence chaincode's JSON (chaincode/evidence/src). Times are UTC ISO-8601 strings.
 */

/** Every kind of record the chaincode knows, each with its own attribute schema. */
export type EvidenceKind =
    | 'generic'
    | 'video-segment'
    | 'iot-reading-batch'
    | 'personal-document'
    | 'inspection-report'
    | 'om-log'
    | 'alarm'
    | 'performance-sample'
    | 'artifact'
    | 'data-set-transfer'
    | 'process-step';

/** Where data came from. */
export interface EvidenceSource {
    type: 'device' | 'app' | 'org';
    id: string;
}

/** Attributes of a recorded video segment. */
export interface VideoSegmentAttributes {
    cameraId: string;
    startTime: string;
    endTime: string;
    sequence?: number;
    codec?: string;
    resolution?: string;
}

/** Attributes of a batch of IoT readings aggregated at an edge node. */
export interface IotReadingBatchAttributes {
    gatewayId: string;
    deviceIds?: string[];
    readingCount: number;
    firstReadingAt: string;
    lastReadingAt: string;
    unit?: string;
}

/** Public attributes of a personal document (the document itself stays private). */
export interface PersonalDocumentAttributes {
    documentType: 'id-card' | 'passport' | 'contract' | 'medical' | 'certificate' | 'other';
    /** A pseudonymous reference, never a name. */
    subjectRef?: string;
}

/** Attributes of an inspection report. */
export interface InspectionReportAttributes {
    inspectorId: string;
    deviceId: string;
    method: 'manual' | 'automatic';
    result: 'pass' | 'fail' | 'attention';
    inspectedAt: string;
    siteId?: string;
}

/** Attributes of an operation and maintenance log entry. */
export interface OmLogAttributes {
    operatorId: string;
    employeeId: string;
    ipAddress: string;
    operatedAt: string;
    gps: { latitude: number; longitude: number };
    action: string;
    targetId?: string;
}

/** Attributes of an alarm. */
export interface AlarmAttributes {
    deviceId: string;
    alarmType: string;
    severity: 'critical' | 'major' | 'minor' | 'warning' | 'cleared';
    raisedAt: string;
    clearedAt?: string;
}

/** Attributes of a performance sample. */
export interface PerformanceSampleAttributes {
    deviceId: string;
    metric: string;
    value: number;
    unit: string;
    sampledAt: string;
    windowMillis?: number;
}

/** Attributes of a published artifact: app version, patch, config baseline, VM or container image. */
export interface ArtifactAttributes {
    artifactType: 'app' | 'patch' | 'config-baseline' | 'vm-image' | 'container-image';
    artifactName: string;
    version: string;
    vendor?: string;
}

/** A recipient of a data-set transfer: an organisation, optionally one identity in it (certificate CN). */
export interface TransferRecipient {
    mspId: string;
    name?: string;
}

/** Attributes of a data-set transfer between edge nodes. */
export interface DataSetTransferAttributes {
    dataSetId: string;
    recipients: TransferRecipient[];
    itemCount?: number;
}

/** Attributes of one step of a multi-party process trace. */
export interface ProcessStepAttributes {
    traceId: string;
    step: string;
    party: string;
    /** The previous step's record id; absent on the first step. */
    predecessorId?: string;
    location?: string;
    occurredAt?: string;
}

/** The attribute type of each kind. */
export interface KindAttributes {
    generic: Record<string, string | number | boolean>;
    'video-segment': VideoSegmentAttributes;
    'iot-reading-batch': IotReadingBatchAttributes;
    'personal-document': PersonalDocumentAttributes;
    'inspection-report': InspectionReportAttributes;
    'om-log': OmLogAttributes;
    alarm: AlarmAttributes;
    'performance-sample': PerformanceSampleAttributes;
    artifact: ArtifactAttributes;
    'data-set-transfer': DataSetTransferAttributes;
    'process-step': ProcessStepAttributes;
}

/** Small data stored whole on chain (at most 4 KiB). */
export interface EvidencePayload {
    encoding: 'utf8' | 'base64';
    data: string;
}

/** What to anchor. `digest` and `size` may be left out when `payload` is given. */
export interface AnchorRequest<K extends EvidenceKind = EvidenceKind> {
    id: string;
    kind?: K;
    digest?: string;
    name: string;
    size?: number;
    mediaType?: string;
    source: EvidenceSource;
    tags?: string[];
    attributes?: KindAttributes[K];
    payload?: EvidencePayload;
    /** An organisation other than yours whose peer must endorse the anchoring too (witnessed anchoring). */
    witnessMspId?: string;
}

/** A witnessed record's or batch's witness, as Verify and VerifyInclusion report it. */
export interface EvidenceWitness {
    mspId: string;
    /** True only when the witness's seal is on the ledger: a peer of the witness organisation endorsed the anchoring. */
    sealed: boolean;
}

/** Who revoked a record, when and why. */
export interface EvidenceRevocation {
    revokedAt: string;
    revokedByMspId: string;
    revokedById: string;
    reason: string;
    txId: string;
}

/** An anchored record. */
export interface EvidenceRecord {
    id: string;
    kind: EvidenceKind;
    digest: string;
    digestScheme: 'sha256' | 'salted-sha256';
    name: string;
    size: number;
    mediaType: string;
    source: EvidenceSource;
    tags: string[];
    attributes: Record<string, unknown>;
    payload?: EvidencePayload;
    privateCollection?: string;
    status: 'active' | 'revoked';
    /** Witnessed records only: the organisation whose peer endorsed the anchoring too (see EvidenceVerification.witness). */
    witnessMspId?: string;
    submitterMspId: string;
    submitterId: string;
    anchoredAt: string;
    txId: string;
    revocation?: EvidenceRevocation;
}

/** The three answers of every verification. */
export type EvidenceVerifyOutcome = 'match' | 'mismatch' | 'not_found';

/** A verification answer: the outcome, and when and by whom the record was anchored. */
export interface EvidenceVerification {
    outcome: EvidenceVerifyOutcome;
    digest: string;
    comparedBy: 'digest' | 'content' | 'private-digest';
    record?: EvidenceRecord;
    anchoredAt?: string;
    anchoredByMspId?: string;
    anchoredById?: string;
    status?: EvidenceRecord['status'];
    /** For records that name a witness: whether its seal is on the ledger. A claim without a seal is worth nothing. */
    witness?: EvidenceWitness;
}

/** One version of a record from the ledger's history, newest first. */
export interface EvidenceHistoryEntry {
    txId: string;
    timestamp: string;
    isDelete: boolean;
    record?: EvidenceRecord;
}

/** A query by one attribute, optionally within a time range, a page at a time. */
export interface EvidenceQuery {
    by: 'source' | 'kind' | 'tag' | 'org' | 'submitter' | 'time';
    source?: EvidenceSource;
    kind?: EvidenceKind;
    tag?: string;
    mspId?: string;
    submitterId?: string;
    /** Inclusive bounds; `to` defaults to now; a range spans at most 366 days. */
    from?: string;
    to?: string;
    pageSize?: number;
    bookmark?: string;
}

/** One page of results; `bookmark` is empty after the last page. */
export interface EvidencePage<T> {
    records: T[];
    bookmark: string;
    fetchedRecordsCount: number;
}

/** The metadata of a batch anchor. */
export interface BatchMetadata {
    /** Defaults to the transaction id. */
    batchId?: string;
    name?: string;
    source: EvidenceSource;
    kind?: EvidenceKind;
    tags?: string[];
    /** An organisation other than yours whose peer must endorse the anchoring too. */
    witnessMspId?: string;
}

/** An anchored batch: the root and size of an RFC 6962 tree. */
export interface EvidenceBatch {
    id: string;
    root: string;
    count: number;
    treeAlgorithm: 'rfc6962-sha256';
    name?: string;
    source: EvidenceSource;
    kind: EvidenceKind;
    tags: string[];
    submitterMspId: string;
    submitterId: string;
    anchoredAt: string;
    txId: string;
    witnessMspId?: string;
}

/** The chaincode's answer to an inclusion proof. */
export interface InclusionVerification {
    outcome: EvidenceVerifyOutcome;
    batchId: string;
    itemDigest: string;
    leafIndex: number;
    computedRoot?: string;
    batch?: EvidenceBatch;
    witness?: EvidenceWitness;
}

/** A walk along a process trace, oldest step first; `complete` is false when cut short by maxSteps. */
export interface TraceWalk {
    traceId: string;
    steps: EvidenceRecord[];
    complete: boolean;
}

/** Verdict of a check before loading an artifact. */
export type ArtifactVerdict = 'approved' | 'mismatch' | 'revoked' | 'not_published';

/** The answer of a check before load; load only when `loadAllowed`. */
export interface ArtifactCheck {
    verdict: ArtifactVerdict;
    loadAllowed: boolean;
    artifactName: string;
    version: string;
    digest: string;
    record?: EvidenceRecord;
}

/** One recipient's acknowledgement of a data-set transfer. */
export interface TransferAcknowledgement {
    transferId: string;
    recipient: TransferRecipient;
    receivedDigest: string;
    expectedDigest: string;
    outcome: 'match' | 'mismatch';
    acknowledgedAt: string;
    acknowledgedByMspId: string;
    acknowledgedById: string;
    txId: string;
}

/** A transfer with its acknowledgements so far. */
export interface TransferStatus {
    record: EvidenceRecord;
    acknowledgements: TransferAcknowledgement[];
    pending: TransferRecipient[];
    mismatches: number;
}

/** The private side of a personal record, readable by its owner organisation only. */
export interface PersonalEvidence {
    id: string;
    ownerMspId: string;
    salt: string;
    contentDigest: string;
    /** The document, base64, if it was stored. */
    content?: string;
    storedAt: string;
    txId: string;
}

/** Roles an organisation's admins grant to their own members. */
export type EvidenceRole = 'submitter' | 'publisher' | 'revoker' | 'privacy-reader';

/** The roles of one identity. */
export interface EvidenceRoleGrant {
    mspId: string;
    commonName: string;
    roles: EvidenceRole[];
    updatedAt?: string;
    updatedById?: string;
}

/** An organisation's rule for who may anchor. */
export interface EvidenceOrgPolicy {
    mspId: string;
    anchoring: 'any-member' | 'submitter-role';
    /** When set, every record and batch of this organisation's members is witnessed by this organisation. */
    supervisorMspId?: string;
    updatedAt?: string;
    updatedById?: string;
}

/** Names of the chaincode events, one per state-changing transaction. */
export const EVIDENCE_EVENTS = [
    'EvidenceAnchored',
    'ProcessStepRecorded',
    'ArtifactPublished',
    'DataTransferAnnounced',
    'PersonalEvidenceAnchored',
    'EvidenceRevoked',
    'ArtifactRevoked',
    'BatchAnchored',
    'TransferAcknowledged',
    'RolesChanged',
    'OrgPolicyChanged',
] as const;

/** A chaincode event name of the evidence chaincode. */
export type EvidenceEventName = (typeof EVIDENCE_EVENTS)[number];
