import type { Context } from 'fabric-contract-api';
import { accessDenied, caller, isEmpty, type LedgerState, notFound, requireIdentifier, requirePageSize, txTime, unsaltedRecord } from '../../common/src';
import type { AssetHistoryEntry, EquipmentAsset, Page } from '../../schemas/src';
import collections from '../collections.json';
import { key, ObjectType, sequenceKey } from './keys';

/*
 * Ledger reads and writes of equipment assets (issue 9, finding 8; docs/security/confidentiality.md). An asset, its
 * tag entry and its history live in the owner organisation's collection `<ownerMSP>Assets` (collections.json),
 * whose members alone hold the values; every other peer, the orderers and every block hold only SHA-256 of each
 * key and of each value, which LedgerState salts with the client's salt so that a guessed asset cannot be confirmed. The collection's endorsement policy (a peer of the owner) replaces the key-level
 * policies public asset keys had. There are no site or state index keys: key hashes are public, and a site and a
 * state are few enough to guess, so lists scan the organisation's assets instead.
 */

/** The tag entry: which asset of the organisation carries the tag. */
interface AssetTag {
    id: string;
}

/** Fabric allows only alphanumerics, '_' and '-' in collection names, hence <MSP>Assets as <MSP>PrivateEvidence. */
const ASSET_COLLECTION_SUFFIX = 'Assets';

/** The owner collection of an organisation. */
export function assetCollectionOf(mspId: string): string {
    return `${mspId}${ASSET_COLLECTION_SUFFIX}`;
}

/**
 * Every owner collection of the chaincode definition: collections.json, the file the deploy commits with the
 * definition, so that the chaincode asks for exactly the collections that exist.
 */
export const ASSET_COLLECTIONS: readonly string[] = collections.map((c) => c.name).filter((name) => name.endsWith(ASSET_COLLECTION_SUFFIX)).sort();

/** The caller's organisation's collection, or undefined when the definition has none for it (it joined later). */
function ownCollection(ctx: Context): string | undefined {
    const collection = assetCollectionOf(caller(ctx).mspId);
    return ASSET_COLLECTIONS.includes(collection) ? collection : undefined;
}

export function assetKey(ctx: Context, id: string): string {
    return key(ctx, ObjectType.Asset, id);
}

function tagKey(ctx: Context, tag: string): string {
    return key(ctx, ObjectType.AssetTag, tag);
}

function historyKey(ctx: Context, id: string, seq: number): string {
    return key(ctx, ObjectType.AssetHistory, id, sequenceKey(seq));
}

/** The asset of the caller's organisation with this id, or undefined: another organisation's assets are not here. */
export async function findAsset(ctx: Context, id: string): Promise<EquipmentAsset | undefined> {
    const collection = ownCollection(ctx);
    if (collection === undefined) {
        return undefined;
    }
    const bytes = await ctx.stub.getPrivateData(collection, assetKey(ctx, id));
    return isEmpty(bytes) ? undefined : unsaltedRecord<EquipmentAsset>(bytes, 'equipment asset');
}

export async function readAsset(ctx: Context, id: string, field = 'id'): Promise<EquipmentAsset> {
    const assetId = requireIdentifier(id, field);
    const asset = await findAsset(ctx, assetId);
    if (!asset) {
        throw notFound(`equipment asset ${assetId} is not an asset of ${caller(ctx).mspId}`);
    }
    return asset;
}

/** The id of the caller's organisation's asset carrying the tag, if any. */
export async function findAssetIdByTag(ctx: Context, tag: string): Promise<string | undefined> {
    const collection = ownCollection(ctx);
    if (collection === undefined) {
        return undefined;
    }
    const bytes = await ctx.stub.getPrivateData(collection, tagKey(ctx, tag));
    return isEmpty(bytes) ? undefined : unsaltedRecord<AssetTag>(bytes, 'asset tag').id;
}

/**
 * The owner collection in which an asset id or a tag is taken, if any. Fabric gives every peer the hash of every
 * private key's value, members or not, so this answers the same on every endorser without revealing anything.
 */
async function takenIn(ctx: Context, privateKey: string): Promise<string | undefined> {
    for (const collection of ASSET_COLLECTIONS) {
        if (!isEmpty(await ctx.stub.getPrivateDataHash(collection, privateKey))) {
            return collection;
        }
    }
    return undefined;
}

/** Where the id and the tag of a new asset are already taken, in any organisation; undefined when both are free. */
export async function assetIdOrTagTaken(ctx: Context, id: string, tag: string): Promise<string | undefined> {
    const idTaken = await takenIn(ctx, assetKey(ctx, id));
    if (idTaken !== undefined) {
        return `equipment asset ${id} already exists (${idTaken})`;
    }
    const own = await findAssetIdByTag(ctx, tag);
    if (own !== undefined) {
        return `tag ${tag} is already on asset ${own}`;
    }
    const tagTaken = await takenIn(ctx, tagKey(ctx, tag));
    return tagTaken === undefined ? undefined : `tag ${tag} is already on an asset (${tagTaken})`;
}

/** The collection an asset of the caller's organisation is written to; refused when the definition has none. */
export function requireOwnCollection(ctx: Context): string {
    const collection = ownCollection(ctx);
    if (collection === undefined) {
        throw accessDenied(`the chaincode definition has no asset collection for ${caller(ctx).mspId} (${assetCollectionOf(caller(ctx).mspId)})`);
    }
    return collection;
}

/**
 * Stages the asset and its history entry (and the tag entry for a new asset) in the owner's collection; the
 * transaction's commit salts and writes them.
 */
export function putAsset(state: LedgerState, asset: EquipmentAsset, entry: AssetHistoryEntry, isNew: boolean): void {
    const { ctx } = state;
    const collection = requireOwnCollection(ctx);
    state.put(assetKey(ctx, asset.id), asset, collection);
    state.put(historyKey(ctx, asset.id, entry.seq), entry, collection);
    if (isNew) {
        state.put(tagKey(ctx, asset.tag), { id: asset.id } satisfies AssetTag, collection);
    }
}

/**
 * A page of the caller's organisation's private records under a key prefix, in key order, keeping those `keep`
 * accepts. The bookmark is the key of the next record. Fabric has no paginated private-data query, so the page is
 * cut here from one partial-key scan; an organisation's assets are few enough for that.
 */
async function privatePage<S, R>(ctx: Context, objectType: string, attributes: string[], pageSize: number, bookmark: string, what: string, keep: (record: S) => R | undefined): Promise<Page<R>> {
    const size = requirePageSize(pageSize);
    const collection = ownCollection(ctx);
    const records: R[] = [];
    let next = '';
    if (collection !== undefined) {
        // Iterated with for-await, which fabric-shim 2.5.8 supports for private queries: awaiting one resolves to
        // { iterator, metadata } on a real peer (no close()), and its partial-composite-key variant wraps it twice.
        // Leaving the loop early closes the iterator.
        const prefix = ctx.stub.createCompositeKey(objectType, attributes);
        for await (const item of ctx.stub.getPrivateDataByRange(collection, prefix, `${prefix}\u{10FFFF}`)) {
            if (item.key < bookmark) {
                continue;
            }
            const record = keep(unsaltedRecord<S>(item.value, what));
            if (record === undefined) {
                continue;
            }
            if (records.length === size) {
                next = item.key;
                break;
            }
            records.push(record);
        }
    }
    return { records, bookmark: next, fetchedRecordsCount: records.length };
}

export function assetHistoryPage(ctx: Context, id: string, pageSize: number, bookmark: string): Promise<Page<AssetHistoryEntry>> {
    return privatePage<AssetHistoryEntry, AssetHistoryEntry>(ctx, ObjectType.AssetHistory, [id], pageSize, bookmark, 'asset history entry', (entry) => entry);
}

/** A page of the caller's organisation's assets that `matches` accepts. */
export function assetPage(ctx: Context, matches: (asset: EquipmentAsset) => boolean, pageSize: number, bookmark: string): Promise<Page<EquipmentAsset>> {
    return privatePage<EquipmentAsset, EquipmentAsset>(ctx, ObjectType.Asset, [], pageSize, bookmark, 'equipment asset', (asset) => (matches(asset) ? asset : undefined));
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
