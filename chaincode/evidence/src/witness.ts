import { createHash } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { invalidArgument, isEmpty, requireIdentifier, toJSON } from '../../common/src';
import type { EvidenceOrgPolicy as OrgPolicy, EvidenceWitness } from '../../schemas/src';

/*
 * Witnessed anchoring (WP 2.2.1: video kept by a branch, audited by headquarters). A witnessed record or
 * batch also writes a seal into the WitnessedEvidence private data collection, whose collection-level
 * endorsement policy (collections.json) needs peers of two different organisations. Fabric checks that
 * policy for every write to the collection, new keys included, so the transaction is valid only when a peer
 * of an organisation other than the recorder's endorsed it too: that peer ran the real chaincode, checked
 * the timestamp against its own clock, and signed the very record. The recorder alone can neither backdate
 * nor forge a sealed record. A record may *claim* a witness without a seal (a recorder's modified peer can
 * write that); only a seal whose hash matches counts, which is what Verify reports (`witness.sealed`).
 */

export const WITNESS_COLLECTION = 'WitnessedEvidence';

/** What a seal commits to: the record's identity, content digest, time and the two organisations. */
export interface WitnessSeal {
    item: 'record' | 'batch';
    id: string;
    digest: string;
    anchoredAt: string;
    submitterMspId: string;
    witnessMspId: string;
    txId: string;
}

/** What readers are told about a record's witness: `sealed` only when the seal in WitnessedEvidence matches the record. */
export type { EvidenceWitness as WitnessStatus } from '../../schemas/src';

/**
 * The witness organisation of a new record or batch: the one the request names, else the supervisor the
 * recorder's organisation set in its policy (then witnessing is the default and cannot be left out).
 */
export function witnessFor(requested: unknown, policy: OrgPolicy, submitterMspId: string): string | undefined {
    const named = requested === undefined || requested === null || requested === '' ? undefined : requireIdentifier(requested, 'witnessMspId');
    const supervisor = policy.supervisorMspId;
    if (supervisor !== undefined && named !== undefined && named !== supervisor) {
        throw invalidArgument(`${submitterMspId} records are witnessed by its supervisor ${supervisor}, not ${named}`);
    }
    const witness = named ?? supervisor;
    if (witness === submitterMspId) {
        throw invalidArgument('the witness must be an organisation other than the submitter\'s');
    }
    return witness;
}

function sealKey(item: WitnessSeal['item'], id: string): string {
    return `${item}~${id}`;
}

function sealBytes(seal: WitnessSeal): Buffer {
    return Buffer.from(toJSON(seal));
}

/** Writes the seal; the collection's endorsement policy makes the transaction need the witness's peer. */
export async function putSeal(ctx: Context, seal: WitnessSeal): Promise<void> {
    await ctx.stub.putPrivateData(WITNESS_COLLECTION, sealKey(seal.item, seal.id), sealBytes(seal));
}

/** Whether the committed seal (its hash, which every peer holds) matches what the record says. */
export async function isSealed(ctx: Context, seal: WitnessSeal): Promise<boolean> {
    const hash = await ctx.stub.getPrivateDataHash(WITNESS_COLLECTION, sealKey(seal.item, seal.id));
    return !isEmpty(hash) && Buffer.from(hash).equals(createHash('sha256').update(sealBytes(seal)).digest());
}

/** Who must endorse any later change of an anchored item: its submitter's organisation, and its witness's. */
export function ownersOf(item: { submitterMspId: string; witnessMspId?: string }): string[] {
    return item.witnessMspId === undefined ? [item.submitterMspId] : [item.submitterMspId, item.witnessMspId];
}

/** The seal a witnessed record or batch must have; undefined when it has no witness. */
export function sealOf(
    item: WitnessSeal['item'],
    anchored: { id: string; anchoredAt: string; submitterMspId: string; witnessMspId?: string; txId: string },
    digest: string,
): WitnessSeal | undefined {
    if (anchored.witnessMspId === undefined) {
        return undefined;
    }
    const { id, anchoredAt, submitterMspId, witnessMspId, txId } = anchored;
    return { item, id, digest, anchoredAt, submitterMspId, witnessMspId, txId };
}

/** A witnessed item's witness and whether its seal is on the ledger; undefined for an item without a witness. */
export async function witnessStatusOf(ctx: Context, seal: WitnessSeal | undefined): Promise<EvidenceWitness | undefined> {
    return seal === undefined ? undefined : { mspId: seal.witnessMspId, sealed: await isSealed(ctx, seal) };
}
