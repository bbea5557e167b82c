import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Identifier, MspId, OneOf, Text, UtcInstant } from '../primitives';
import { ALARM_SEVERITIES, ARTIFACT_TYPES, DOCUMENT_TYPES, type EvidenceKind, INSPECTION_METHODS, INSPECTION_RESULTS } from './enums';

/*
 * The attributes of each kind of record. The chaincode's kind table (chaincode/evidence/src/record-kinds.ts) checks
 * them, with cross-field rules such as "a segment ends after it starts"; a test keeps its fields equal to these.
 */

export const MAX_RECIPIENTS = 16;

/** A recipient of a data-set transfer: an organisation, optionally one identity in it (certificate CN). */
export const TransferRecipient = Type.Object({ mspId: MspId(), name: Type.Optional(Identifier(128, 'certificate common name')) }, { $id: 'TransferRecipient' });
export type TransferRecipient = Static<typeof TransferRecipient>;

export const GenericAttributes = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
    $id: 'GenericAttributes',
    description: 'generic: any short scalar values',
});
export const VideoSegmentAttributes = Type.Object(
    {
        cameraId: Identifier(),
        startTime: UtcInstant(),
        endTime: UtcInstant('not before startTime'),
        sequence: Type.Optional(Type.Integer({ minimum: 0 })),
        codec: Type.Optional(Text(32)),
        resolution: Type.Optional(Text(32)),
    },
    { $id: 'VideoSegmentAttributes', description: 'video-segment: a recorded video segment' },
);
export const IotReadingBatchAttributes = Type.Object(
    {
        gatewayId: Identifier(),
        deviceIds: Type.Optional(Type.Array(Identifier(), { minItems: 1, maxItems: 64 })),
        readingCount: Type.Integer({ minimum: 1 }),
        firstReadingAt: UtcInstant(),
        lastReadingAt: UtcInstant('not before firstReadingAt'),
        unit: Type.Optional(Text(32)),
    },
    { $id: 'IotReadingBatchAttributes', description: 'iot-reading-batch: readings aggregated at an edge node' },
);
export const PersonalDocumentAttributes = Type.Object(
    { documentType: OneOf(DOCUMENT_TYPES, 'type of document'), subjectRef: Type.Optional(Identifier(128, 'a pseudonymous reference, never a name')) },
    { $id: 'PersonalDocumentAttributes', description: 'personal-document: public attributes; the document stays private' },
);
export const InspectionReportAttributes = Type.Object(
    {
        inspectorId: Identifier(),
        deviceId: Identifier(),
        method: OneOf(INSPECTION_METHODS, 'how it was inspected'),
        result: OneOf(INSPECTION_RESULTS, 'the verdict'),
        inspectedAt: UtcInstant(),
        siteId: Type.Optional(Identifier()),
    },
    { $id: 'InspectionReportAttributes', description: 'inspection-report' },
);
export const OmLogAttributes = Type.Object(
    {
        operatorId: Identifier(),
        employeeId: Identifier(),
        ipAddress: Type.String({ description: 'IPv4 or IPv6 address' }),
        operatedAt: UtcInstant(),
        gps: Type.Object({ latitude: Type.Number({ minimum: -90, maximum: 90 }), longitude: Type.Number({ minimum: -180, maximum: 180 }) }),
        action: Text(512),
        targetId: Type.Optional(Identifier()),
    },
    { $id: 'OmLogAttributes', description: 'om-log: an operation and maintenance log entry' },
);
export const AlarmAttributes = Type.Object(
    {
        deviceId: Identifier(),
        alarmType: Text(64),
        severity: OneOf(ALARM_SEVERITIES, 'severity'),
        raisedAt: UtcInstant(),
        clearedAt: Type.Optional(UtcInstant('not before raisedAt')),
    },
    { $id: 'AlarmAttributes', description: 'alarm' },
);
export const PerformanceSampleAttributes = Type.Object(
    {
        deviceId: Identifier(),
        metric: Identifier(),
        value: Type.Number(),
        unit: Text(32),
        sampledAt: UtcInstant(),
        windowMillis: Type.Optional(Type.Integer({ minimum: 1 })),
    },
    { $id: 'PerformanceSampleAttributes', description: 'performance-sample' },
);
export const ArtifactAttributes = Type.Object(
    { artifactType: OneOf(ARTIFACT_TYPES, 'what is published'), artifactName: Identifier(), version: Identifier(), vendor: Type.Optional(Text(128)) },
    { $id: 'ArtifactAttributes', description: 'artifact: an app version, patch, configuration baseline, VM or container image (publisher role)' },
);
export const DataSetTransferAttributes = Type.Object(
    {
        dataSetId: Identifier(),
        recipients: Type.Array(TransferRecipient, { minItems: 1, maxItems: MAX_RECIPIENTS, description: 'each recipient once' }),
        itemCount: Type.Optional(Type.Integer({ minimum: 0 })),
    },
    { $id: 'DataSetTransferAttributes', description: 'data-set-transfer: data sent between edge nodes (E11)' },
);
export const ProcessStepAttributes = Type.Object(
    {
        traceId: Identifier(),
        step: Identifier(),
        party: Text(128),
        predecessorId: Type.Optional(Identifier(128, "the previous step's record id; absent on the first step")),
        location: Type.Optional(Text(128)),
        occurredAt: Type.Optional(UtcInstant()),
    },
    { $id: 'ProcessStepAttributes', description: 'process-step: one step of a multi-party process trace (E9)' },
);

/** The attribute schema of each kind. */
export const KIND_ATTRIBUTES = {
    generic: GenericAttributes,
    'video-segment': VideoSegmentAttributes,
    'iot-reading-batch': IotReadingBatchAttributes,
    'personal-document': PersonalDocumentAttributes,
    'inspection-report': InspectionReportAttributes,
    'om-log': OmLogAttributes,
    alarm: AlarmAttributes,
    'performance-sample': PerformanceSampleAttributes,
    artifact: ArtifactAttributes,
    'data-set-transfer': DataSetTransferAttributes,
    'process-step': ProcessStepAttributes,
} as const satisfies Record<EvidenceKind, TSchema>;

/** The attribute type of each kind. */
export type KindAttributes = { [K in EvidenceKind]: Static<(typeof KIND_ATTRIBUTES)[K]> };
export type VideoSegmentAttributes = KindAttributes['video-segment'];
export type IotReadingBatchAttributes = KindAttributes['iot-reading-batch'];
export type PersonalDocumentAttributes = KindAttributes['personal-document'];
export type InspectionReportAttributes = KindAttributes['inspection-report'];
export type OmLogAttributes = KindAttributes['om-log'];
export type AlarmAttributes = KindAttributes['alarm'];
export type PerformanceSampleAttributes = KindAttributes['performance-sample'];
export type ArtifactAttributes = KindAttributes['artifact'];
export type DataSetTransferAttributes = KindAttributes['data-set-transfer'];
export type ProcessStepAttributes = KindAttributes['process-step'];
