import { createHash } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { Page } from '../page';
import { Digest, MspId, Text } from '../primitives';
import { Period } from './requests';

/*
 * Completeness and retention of a pair's private billing records (docs/security/confidentiality.md, "What stays
 * public" and "Retention"). Every invoice-settled usage record (a session's or an accepted CT operation's) is
 * counted in a public counter of its invoice line, so that an auditor who is shown the records can tell whether it
 * was shown all of them, and check each against the public hash Fabric keeps of it.
 */

/**
 * The public name of an invoice line: SHA-256 of its line id, lower-case hex. The line id holds the app id, which is
 * private to the pair; the hash confirms a guessed app id no more than the public hash of the line's private key does.
 */
export function lineRefOf(lineId: string): string {
    return createHash('sha256').update(lineId, 'utf8').digest('hex');
}

/** A line's public completeness counter: how many usage records it holds (their lineSeq runs 1 to recordCount). */
export const LineCount = Type.Object(
    {
        lineRef: Digest('SHA-256 of the line id (lineRefOf), so the public key names no app'),
        recordCount: Type.Integer({ minimum: 1 }),
    },
    { $id: 'LineCount', additionalProperties: false },
);
export type LineCount = Static<typeof LineCount>;

/** Every line counter of a pair's period, by lineRef (GetPeriodLineCounts). */
export const LineCountList = Type.Array(LineCount, { $id: 'LineCountList' });
export type LineCountList = Static<typeof LineCountList>;

/** The usage record ids whose public hashes an auditor asks for (GetUsageRecordHashes). */
export const MAX_HASHED_RECORDS = 500;
export const UsageRecordIdList = Type.Array(Text(140, 'session:<sessionId> or ct:<operationId>'), { $id: 'UsageRecordIdList', minItems: 1, maxItems: MAX_HASHED_RECORDS });
export type UsageRecordIdList = Static<typeof UsageRecordIdList>;

/** The public hash of a usage record's stored value (Fabric's GetPrivateDataHash), empty where none is on the peer. */
export const UsageRecordHash = Type.Object(
    { recordId: Text(140), hash: Type.String({ pattern: '^(?:[0-9a-f]{64})?$', description: 'SHA-256 of the stored value, lower-case hex; empty when the peer holds none (never written, or purged)' }) },
    { $id: 'UsageRecordHash', additionalProperties: false },
);
export type UsageRecordHash = Static<typeof UsageRecordHash>;
export const UsageRecordHashList = Type.Array(UsageRecordHash, { $id: 'UsageRecordHashList' });
export type UsageRecordHashList = Static<typeof UsageRecordHashList>;

/**
 * A usage record exactly as stored in the pair's collection, salt included: its SHA-256 is the public hash, so a
 * party can hand it to an auditor who checks it without a peer in the collection.
 */
export const StoredUsageRecord = Type.Object(
    { recordId: Text(140), stored: Type.String({ description: 'the stored JSON text (a UsageRecord with its salt), byte for byte' }) },
    { $id: 'StoredUsageRecord', additionalProperties: false },
);
export type StoredUsageRecord = Static<typeof StoredUsageRecord>;
export const StoredUsageRecordPage = Page(StoredUsageRecord, { $id: 'StoredUsageRecordPage' });

/**
 * PurgeBillingRecords' result and event: the first call by one party proposes the purge, the other party's call
 * carries it out. Which periods of the pair it covers, and how many private keys it purged.
 */
export const BillingPurge = Type.Object(
    {
        status: Type.Union([Type.Literal('proposed'), Type.Literal('purged')], { description: 'proposed: awaits the other party; purged: done' }),
        proposedByMspId: MspId(),
        operatorMspId: MspId(),
        tenantMspId: MspId(),
        from: Period('the first period purged'),
        before: Period('the first period kept'),
        periods: Type.Array(Period(), { description: 'the periods whose records are (to be) purged, in order' }),
        purgedKeys: Type.Integer({ minimum: 0, description: 'private keys purged (records, lines and their index entries); 0 while proposed' }),
    },
    { $id: 'BillingPurge', additionalProperties: false },
);
export type BillingPurge = Static<typeof BillingPurge>;
