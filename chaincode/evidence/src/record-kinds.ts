import { isIP } from 'node:net';
import { invalidArgument, requireCount, requireIdentifier, requireOneOf, requireText, requireTimestamp, toJSON } from '../../common/src';
import {
    ALARM_SEVERITIES,
    ARTIFACT_TYPES,
    DOCUMENT_TYPES,
    type EvidenceKind,
    INSPECTION_METHODS,
    INSPECTION_RESULTS,
    MAX_RECIPIENTS,
    type TransferRecipient,
} from '../../schemas/src';

// The kinds and their attribute shapes are the schema package's (schemas/src/evidence/kinds.ts); this table
// checks them with this chaincode's messages and cross-field rules, and a test keeps its fields equal to those.
export { EVIDENCE_KINDS, type EvidenceKind } from '../../schemas/src';

/** Kind-specific attributes, after validation: plain JSON values only. */
export type Attributes = Record<string, unknown>;

export const MAX_ATTRIBUTES_JSON = 4096;

type Check = (value: unknown, field: string) => unknown;

export interface FieldSpec {
    check: Check;
    required: boolean;
}

export interface KindSchema {
    fields: Readonly<Record<string, FieldSpec>>;
    /** Cross-field rules, run after every field passed. */
    refine?: (attributes: Attributes) => void;
    /** Whether keys outside `fields` are allowed (only the generic kind: short scalar values). */
    open?: boolean;
}


const required = (check: Check): FieldSpec => ({ check, required: true });
const optional = (check: Check): FieldSpec => ({ check, required: false });
const identifier: Check = (value, field) => requireIdentifier(value, field);
const text =
    (maxLength = 256): Check =>
    (value, field) =>
        requireText(value, field, maxLength);
const integer =
    (min = 0): Check =>
    (value, field) =>
        requireCount(value, field, { min });
const oneOf =
    (allowed: readonly string[]): Check =>
    (value, field) =>
        requireOneOf(value, field, allowed);
const timestamp: Check = requireTimestamp;

function finiteNumber(value: unknown, field: string, min = -Number.MAX_VALUE, max = Number.MAX_VALUE): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
        throw invalidArgument(`${field} must be a number from ${String(min)} to ${String(max)}`);
    }
    return value;
}

const decimal: Check = (value, field) => finiteNumber(value, field);

const ipAddress: Check = (value, field) => {
    if (typeof value !== 'string' || isIP(value) === 0) {
        throw invalidArgument(`${field} must be an IPv4 or IPv6 address`);
    }
    return value;
};

function requireObject(value: unknown, field: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw invalidArgument(`${field} must be a JSON object`);
    }
    return value as Record<string, unknown>;
}

const gps: Check = (value, field) => {
    const position = requireObject(value, field);
    return {
        latitude: finiteNumber(position.latitude, `${field}.latitude`, -90, 90),
        longitude: finiteNumber(position.longitude, `${field}.longitude`, -180, 180),
    };
};

const identifiers: Check = (value, field) => {
    if (!Array.isArray(value) || value.length === 0 || value.length > 64) {
        throw invalidArgument(`${field} must be an array of 1 to 64 identifiers`);
    }
    return value.map((item, i) => requireIdentifier(item, `${field}[${String(i)}]`));
};

function recipient(value: unknown, field: string): TransferRecipient {
    const entry = requireObject(value, field);
    const mspId = requireIdentifier(entry.mspId, `${field}.mspId`);
    const name = entry.name === undefined ? undefined : requireIdentifier(entry.name, `${field}.name`);
    return name === undefined ? { mspId } : { mspId, name };
}

const recipients: Check = (value, field) => {
    if (!Array.isArray(value) || value.length === 0 || value.length > MAX_RECIPIENTS) {
        throw invalidArgument(`${field} must name 1 to ${String(MAX_RECIPIENTS)} recipients`);
    }
    const list = value.map((item, i) => recipient(item, `${field}[${String(i)}]`));
    const slots = new Set(list.map(recipientSlot));
    if (slots.size !== list.length) {
        throw invalidArgument(`${field} names the same recipient twice`);
    }
    return list;
};

/** The key part that identifies one recipient's acknowledgement slot. */
export function recipientSlot(r: TransferRecipient): string {
    return `${r.mspId}/${r.name ?? '*'}`;
}

function notAfter(earlier: string, later: string, what: string): (a: Attributes) => void {
    return (a) => {
        const end = a[later];
        if (typeof end === 'string' && String(a[earlier]) > end) {
            throw invalidArgument(`${what}: ${later} is before ${earlier}`);
        }
    };
}

export const KIND_FIELDS: Readonly<Record<EvidenceKind, KindSchema>> = {
    generic: { fields: {}, open: true },
    'video-segment': {
        fields: {
            cameraId: required(identifier),
            startTime: required(timestamp),
            endTime: required(timestamp),
            sequence: optional(integer()),
            codec: optional(text(32)),
            resolution: optional(text(32)),
        },
        refine: notAfter('startTime', 'endTime', 'video segment'),
    },
    'iot-reading-batch': {
        fields: {
            gatewayId: required(identifier),
            deviceIds: optional(identifiers),
            readingCount: required(integer(1)),
            firstReadingAt: required(timestamp),
            lastReadingAt: required(timestamp),
            unit: optional(text(32)),
        },
        refine: notAfter('firstReadingAt', 'lastReadingAt', 'reading batch'),
    },
    'personal-document': {
        fields: { documentType: required(oneOf(DOCUMENT_TYPES)), subjectRef: optional(identifier) },
    },
    'inspection-report': {
        fields: {
            inspectorId: required(identifier),
            deviceId: required(identifier),
            method: required(oneOf(INSPECTION_METHODS)),
            result: required(oneOf(INSPECTION_RESULTS)),
            inspectedAt: required(timestamp),
            siteId: optional(identifier),
        },
    },
    'om-log': {
        fields: {
            operatorId: required(identifier),
            employeeId: required(identifier),
            ipAddress: required(ipAddress),
            operatedAt: required(timestamp),
            gps: required(gps),
            action: required(text(512)),
            targetId: optional(identifier),
        },
    },
    alarm: {
        fields: {
            deviceId: required(identifier),
            alarmType: required(text(64)),
            severity: required(oneOf(ALARM_SEVERITIES)),
            raisedAt: required(timestamp),
            clearedAt: optional(timestamp),
        },
        refine: notAfter('raisedAt', 'clearedAt', 'alarm'),
    },
    'performance-sample': {
        fields: {
            deviceId: required(identifier),
            metric: required(identifier),
            value: required(decimal),
            unit: required(text(32)),
            sampledAt: required(timestamp),
            windowMillis: optional(integer(1)),
        },
    },
    artifact: {
        fields: {
            artifactType: required(oneOf(ARTIFACT_TYPES)),
            artifactName: required(identifier),
            version: required(identifier),
            vendor: optional(text(128)),
        },
    },
    'data-set-transfer': {
        fields: { dataSetId: required(identifier), recipients: required(recipients), itemCount: optional(integer()) },
    },
    'process-step': {
        fields: {
            traceId: required(identifier),
            step: required(identifier),
            party: required(text(128)),
            predecessorId: optional(identifier),
            location: optional(text(128)),
            occurredAt: optional(timestamp),
        },
    },
};

function genericValue(value: unknown, field: string): unknown {
    if (typeof value === 'string') {
        return requireText(value, field);
    }
    if (typeof value === 'number') {
        return finiteNumber(value, field);
    }
    if (typeof value === 'boolean') {
        return value;
    }
    throw invalidArgument(`${field} must be a string, number or boolean`);
}

function checkKeys(attributes: Record<string, unknown>, schema: KindSchema, kind: string): void {
    for (const key of Object.keys(attributes)) {
        requireIdentifier(key, `attributes key`, 64);
        if (!schema.open && schema.fields[key] === undefined) {
            throw invalidArgument(`attributes.${key} is not an attribute of kind ${kind}`);
        }
    }
}

/** Validates the attributes of one kind; throws INVALID_ARGUMENT naming the first bad field. */
export function validateAttributes(kind: EvidenceKind, value: unknown): Attributes {
    const schema = KIND_FIELDS[kind];
    const attributes = requireObject(value ?? {}, 'attributes');
    if (toJSON(attributes).length > MAX_ATTRIBUTES_JSON) {
        throw invalidArgument(`attributes are longer than ${String(MAX_ATTRIBUTES_JSON)} characters of JSON`);
    }
    checkKeys(attributes, schema, kind);
    const result: Attributes = {};
    for (const [key, spec] of Object.entries(schema.fields)) {
        const field = attributes[key];
        if (field === undefined || field === null) {
            if (spec.required) {
                throw invalidArgument(`attributes.${key} is required for kind ${kind}`);
            }
            continue;
        }
        result[key] = spec.check(field, `attributes.${key}`);
    }
    if (schema.open) {
        for (const [key, field] of Object.entries(attributes)) {
            result[key] = genericValue(field, `attributes.${key}`);
        }
    }
    schema.refine?.(result);
    return result;
}
