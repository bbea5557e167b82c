import type { Context } from 'fabric-contract-api';
import { accessDenied, caller, INDEX_VALUE, marshal, notFound, putStates, readJSON, requireIdentifier, requireOwnersForChanges, type StateWrite, txTime } from '../../common/src';
import type { AssetHistoryEntry, EquipmentAsset } from '../../schemas/src';
import { key, lastAttribute, ObjectType, sequenceKey } from './keys';

// Ledger reads and writes of equipment assets, their tag/site/state indexes and history.

export function assetKey(ctx: Context, id: string): string {
    return key(ctx, ObjectType.Asset, id);
}

export async function findAsset(ctx: Context, id: string): Promise<EquipmentAsset | undefined> {
    return readJSON<EquipmentAsset>(ctx, assetKey(ctx, id), 'equipment asset');
}

export async function readAsset(ctx: Context, id: string, field = 'id'): Promise<EquipmentAsset> {
    const assetId = requireIdentifier(id, field);
    const asset = await findAsset(ctx, assetId);
    if (!asset) {
        throw notFound(`equipment asset ${assetId} does not exist`);
    }
    return asset;
}

export async function findAssetIdByTag(ctx: Context, tag: string): Promise<string | undefined> {
    const iterator = await ctx.stub.getStateByPartialCompositeKey(ObjectType.AssetByTag, [tag]);
    try {
        const first = await iterator.next();
        return first.done ? undefined : lastAttribute(ctx, first.value.key);
    } finally {
        await iterator.close();
    }
}

/** Assets are managed and seen by the members of the organisation that registered them. */
export function requireAssetOwner(ctx: Context, asset: EquipmentAsset, action: string): void {
    const who = caller(ctx);
    if (who.mspId !== asset.ownerMspId) {
        throw accessDenied(`${action} of asset ${asset.id} is for members of ${asset.ownerMspId}, not ${who.mspId}`);
    }
}

/** Writes the asset, moves its site/state index entries when they changed, and appends the history entry. */
export async function putAsset(ctx: Context, asset: EquipmentAsset, entry: AssetHistoryEntry, previous?: EquipmentAsset): Promise<void> {
    const writes: StateWrite[] = [[assetKey(ctx, asset.id), marshal(asset)]];
    if (!previous) {
        writes.push([key(ctx, ObjectType.AssetByTag, asset.tag, asset.id), INDEX_VALUE]);
    }
    if (!previous || previous.site !== asset.site || previous.state !== asset.state) {
        if (previous) {
            writes.push([siteIndexKey(ctx, previous), null], [stateIndexKey(ctx, previous), null]);
        }
        writes.push([siteIndexKey(ctx, asset), INDEX_VALUE], [stateIndexKey(ctx, asset), INDEX_VALUE]);
    }
    writes.push([key(ctx, ObjectType.AssetHistory, asset.id, sequenceKey(entry.seq)), marshal(entry)]);
    // One message to the peer where it accepts batches (common/src/state-batch.ts), else these calls in order.
    await putStates(ctx, writes);
    // Every key written here belongs to the owner organisation: only its peers may change or delete it later.
    const owned = [assetKey(ctx, asset.id), siteIndexKey(ctx, asset), stateIndexKey(ctx, asset), key(ctx, ObjectType.AssetHistory, asset.id, sequenceKey(entry.seq))];
    if (!previous) {
        owned.push(key(ctx, ObjectType.AssetByTag, asset.tag, asset.id));
    }
    await requireOwnersForChanges(ctx, owned, [asset.ownerMspId]);
}

function siteIndexKey(ctx: Context, asset: EquipmentAsset): string {
    return key(ctx, ObjectType.AssetBySite, asset.ownerMspId, asset.site, asset.state, asset.id);
}

function stateIndexKey(ctx: Context, asset: EquipmentAsset): string {
    return key(ctx, ObjectType.AssetByState, asset.ownerMspId, asset.state, asset.id);
}

export function assetHistoryEntry(
    ctx: Context,
    asset: EquipmentAsset,
    from: AssetHistoryEntry['from'],
    details: Pick<AssetHistoryEntry, 'note' | 'lentTo' | 'replacedBy'>,
): AssetHistoryEntry {
    return {
        id: asset.id,
        seq: asset.version,
        from,
        to: asset.state,
        site: asset.site,
        location: asset.location,
        ...details,
        by: caller(ctx),
        at: txTime(ctx),
        txId: ctx.stub.getTxID(),
    };
}
