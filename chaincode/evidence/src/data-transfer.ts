import type { EvidenceRecord } from './evidence-record';
import type { TransferRecipient } from './record-kinds';

/*
 * Data sync between edge nodes (E11): the sender anchors a `data-set-transfer` record naming its
 * recipients; each recipient acknowledges with the digest it actually received. Each
 * acknowledgement has its own key, so recipients acknowledging at once do not conflict (MVCC).
 */

export type TransferOutcome = 'match' | 'mismatch';

/** One recipient's acknowledgement of a data-set transfer. */
export interface TransferAcknowledgement {
    transferId: string;
    recipient: TransferRecipient;
    receivedDigest: string;
    expectedDigest: string;
    outcome: TransferOutcome;
    acknowledgedAt: string;
    acknowledgedByMspId: string;
    acknowledgedById: string;
    txId: string;
}

/** A transfer with what each recipient said so far; a mismatch is visible to every channel member. */
export interface TransferStatus {
    record: EvidenceRecord;
    acknowledgements: TransferAcknowledgement[];
    pending: TransferRecipient[];
    mismatches: number;
}

export function recipientsOf(record: EvidenceRecord): TransferRecipient[] {
    return (record.attributes.recipients ?? []) as TransferRecipient[];
}

/** The recipient entry the caller answers to: its organisation, and its CN when the entry names one. */
export function matchRecipient(record: EvidenceRecord, mspId: string, name: string): TransferRecipient | undefined {
    return recipientsOf(record).find((r) => r.mspId === mspId && (r.name === undefined || r.name === name));
}
