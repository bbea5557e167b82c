import type { Context } from 'fabric-contract-api';
import {
    accessDenied,
    alreadyExists,
    caller,
    callerCommonName,
    collect,
    invalidState,
    isEmpty,
    marshal,
    requireDigest,
    requireOwnersForChanges,
    requireTimelyProposal,
    txTime,
    unmarshal,
} from '../../common/src';
import type { EvidenceRecord, TransferAcknowledgement, TransferRecipient, TransferStatus } from '../../schemas/src';
import { key, KeyType } from './keys';
import { recipientSlot } from './record-kinds';
import { emit, readRecordOfKind } from './records';

/*
 * Data sync between edge nodes (E11): the sender anchors a `data-set-transfer` record naming its
 * recipients; each recipient acknowledges with the digest it actually received. Each
 * acknowledgement has its own key, so recipients acknowledging at once do not conflict (MVCC).
 */

export type { TransferAcknowledgement, TransferOutcome, TransferStatus } from '../../schemas/src';

export function recipientsOf(record: EvidenceRecord): TransferRecipient[] {
    return (record.attributes.recipients ?? []) as TransferRecipient[];
}

/** The recipient entry the caller answers to: its organisation, and its CN when the entry names one. */
export function matchRecipient(record: EvidenceRecord, mspId: string, name: string): TransferRecipient | undefined {
    return recipientsOf(record).find((r) => r.mspId === mspId && (r.name === undefined || r.name === name));
}

/** AcknowledgeTransfer: a named recipient says which digest it received; once per recipient. */
export async function acknowledgeTransfer(ctx: Context, id: string, receivedDigest: string): Promise<TransferAcknowledgement> {
    requireTimelyProposal(ctx);
    const received = requireDigest(receivedDigest, 'receivedDigest');
    const record = await readTransfer(ctx, id);
    if (record.status === 'revoked') {
        throw invalidState(`transfer ${id} was revoked`);
    }
    const who = caller(ctx);
    const recipient = matchRecipient(record, who.mspId, callerCommonName(ctx));
    if (!recipient) {
        throw accessDenied(`${who.id} of ${who.mspId} is not a recipient of transfer ${id}`);
    }
    const ackKey = key(ctx, KeyType.Acknowledgement, record.id, recipientSlot(recipient));
    if (!isEmpty(await ctx.stub.getState(ackKey))) {
        throw alreadyExists(`recipient ${recipientSlot(recipient)} has acknowledged transfer ${id} already`);
    }
    const ack: TransferAcknowledgement = {
        transferId: record.id,
        recipient,
        receivedDigest: received,
        expectedDigest: record.digest,
        outcome: received === record.digest ? 'match' : 'mismatch',
        acknowledgedAt: txTime(ctx),
        acknowledgedByMspId: who.mspId,
        acknowledgedById: who.id,
        txId: ctx.stub.getTxID(),
    };
    await ctx.stub.putState(ackKey, marshal(ack));
    await requireOwnersForChanges(ctx, [ackKey], [who.mspId]);
    emit(ctx, 'TransferAcknowledged', ack);
    return ack;
}

/** ReadTransfer: the transfer with its acknowledgements, pending recipients and mismatch count. */
export async function transferStatus(ctx: Context, id: string): Promise<TransferStatus> {
    const record = await readTransfer(ctx, id);
    const iterator = await ctx.stub.getStateByPartialCompositeKey(KeyType.Acknowledgement, [record.id]);
    const acknowledgements = await collect(iterator, (kv) => unmarshal<TransferAcknowledgement>(kv.value, 'acknowledgement'));
    const done = new Set(acknowledgements.map((a) => recipientSlot(a.recipient)));
    const pending = recipientsOf(record).filter((r) => !done.has(recipientSlot(r)));
    const mismatches = acknowledgements.filter((a) => a.outcome === 'mismatch').length;
    return { record, acknowledgements, pending, mismatches };
}

function readTransfer(ctx: Context, id: string): Promise<EvidenceRecord> {
    return readRecordOfKind(ctx, id, 'data-set-transfer', 'data-set transfer');
}
