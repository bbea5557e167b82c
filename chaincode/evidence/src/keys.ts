import type { Context } from 'fabric-contract-api';
import type { QueryField } from '../../schemas/src';

/**
 * Every key the evidence chaincode writes. Records and batches live under plain prefixed keys (`evidence~<id>`,
 * `batch~<id>`: read by id, never listed); everything listed or looked up by attribute is a composite-key index,
 * since LevelDB has no rich queries. Ids are validated identifiers, so no part holds the composite-key separator.
 * Private data (personal records, witness seals, owner marks) is keyed in personal-evidence.ts, witness.ts and
 * owner-mark.ts, beside the collections they belong to.
 */
export const KeyType = {
    /** Composite: [digest, record id]. Verify with an empty id finds a record by digest. */
    DigestIndex: 'evidence~digest~id',
    /** Composite: [predecessor id, step id]. TraceForward walks a process trace to later steps. */
    SuccessorIndex: 'evidence~next',
    /** Composite: [artifact name, version]; value: the record id. CheckArtifact, and one publication per version. */
    ArtifactIndex: 'evidence~artifact',
    /** Composite: [transfer id, recipient slot]; value: the acknowledgement. One key each, so recipients do not conflict. */
    Acknowledgement: 'evidence~ack',
    /** Composite: [root, batch id]. */
    BatchRootIndex: 'batch~root',
    /** Composite: [MSP id, common name]; value: the role grant. */
    RoleGrant: 'evidence~role',
    /**
     * Composite: [device id]; value: the device's last anchored capture sequence (decimal). One key per device: two
     * captures of one device anchored concurrently conflict (MVCC) and the later one is resubmitted or refused as
     * out of order, which is what makes a replayed or reordered capture visible; different devices never conflict.
     */
    DeviceSequence: 'evidence~device-seq',
    /** Composite: [MSP id]; value: the organisation's policy. */
    OrgPolicy: 'evidence~org-policy',
} as const;

const RECORD_PREFIX = 'evidence~';
const BATCH_PREFIX = 'batch~';

export function recordKey(id: string): string {
    return RECORD_PREFIX + id;
}

export function batchKey(id: string): string {
    return BATCH_PREFIX + id;
}

export function key(ctx: Context, type: string, ...attributes: string[]): string {
    return ctx.stub.createCompositeKey(type, attributes);
}

export function artifactKey(ctx: Context, artifactName: string, version: string): string {
    return key(ctx, KeyType.ArtifactIndex, artifactName, version);
}

/** Records and batches have separate index families, so a query returns one type only. */
export type IndexFamily = 'evidence' | 'batch';

/**
 * The query index of one field (E6): `<family>~by-<field>` with attributes [...value, day, anchoredAt, id]. The
 * UTC day bucket lets a time-range query jump straight to the days in range; within a day keys sort by time,
 * because anchoredAt is a fixed-width ISO string.
 */
export function queryIndexName(family: IndexFamily, field: QueryField): string {
    return `${family}~by-${field}`;
}
