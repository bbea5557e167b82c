import type { Context } from 'fabric-contract-api';
import {
    accessDenied,
    alreadyExists,
    caller,
    invalidArgument,
    LedgerState,
    notFound,
    optionalText,
    parsePageSize,
    readTransientJSON,
    requireIdentifier,
    requireOneOf,
    toJSON,
    txTime,
} from '../../common/src';
import {
    ASSET_STATES,
    ASSET_TRANSIENT_KEY,
    ASSET_TRANSITIONS,
    type AssetReceipt,
    type AssetState,
    type AssetTransitionRequest,
    type EquipmentAsset,
    INITIAL_ASSET_STATES,
    type RegisterAssetRequest,
} from '../../schemas/src';
import { assetHistoryEntry, assetHistoryPage, assetIdOrTagTaken, assetPage, findAssetIdByTag, putAsset, readAsset, requireOwnCollection } from './asset-ledger';
import { DeviceIdentityErrorCode as Code, deviceIdentityError } from './device-identity-errors';

/*
 * The equipment asset registry (D7): base stations, antennas, switches … identified by their QR/barcode tag, moved
 * along the lifecycle of ASSET_TRANSITIONS. Assets are private data of the organisation that registered them
 * (asset-ledger.ts): their details arrive in the transient map, and results and events name only ids.
 */

/** A RegisterAssetRequest with its defaults filled in. */
export type ValidRegisterAssetRequest = Required<RegisterAssetRequest>;

export function validateAssetRequest(request: Partial<RegisterAssetRequest>): ValidRegisterAssetRequest {
    return {
        id: requireIdentifier(request.id, 'id'),
        tag: requireIdentifier(request.tag, 'tag'),
        type: requireIdentifier(request.type, 'type', 64),
        site: requireIdentifier(request.site, 'site'),
        location: optionalText(request.location, 'location') ?? '',
        model: optionalText(request.model, 'model') ?? '',
        serialNumber: optionalText(request.serialNumber, 'serialNumber') ?? '',
        state: requireOneOf(request.state ?? 'in_stock', 'state', INITIAL_ASSET_STATES),
        note: optionalText(request.note, 'note', 1024) ?? '',
    };
}

/** An AssetTransitionRequest checked against the asset, with its placement worked out. */
export type ValidTransition = Required<AssetTransitionRequest>;

/** Validates a transition of `asset`; throws ILLEGAL_TRANSITION when its lifecycle does not allow it. */
export function validateTransition(asset: EquipmentAsset, request: Partial<AssetTransitionRequest>): ValidTransition {
    const to = requireOneOf(request.to, 'to', ASSET_STATES);
    if (!ASSET_TRANSITIONS[asset.state].includes(to)) {
        const allowed = ASSET_TRANSITIONS[asset.state].join(', ') || 'nothing';
        throw deviceIdentityError(Code.IllegalTransition, `asset ${asset.id} cannot go from ${asset.state} to ${to} (allowed: ${allowed})`);
    }
    const transition = {
        to,
        site: request.site === undefined || request.site === '' ? asset.site : requireIdentifier(request.site, 'site'),
        location: optionalText(request.location, 'location') ?? (request.site === undefined ? asset.location : ''),
        note: optionalText(request.note, 'note', 1024) ?? '',
        lentTo: to === 'lent' ? requireIdentifier(request.lentTo, 'lentTo') : '',
        // A retired replaced asset keeps naming its replacement; any other state leaves it behind.
        replacedBy: to === 'replaced' ? requireIdentifier(request.replacedBy, 'replacedBy') : to === 'retired' ? asset.replacedBy : '',
    };
    if (transition.replacedBy === asset.id) {
        throw invalidArgument('replacedBy must name another asset');
    }
    return transition;
}

// ---- transactions ----

/** The request of an asset change, from its transient entry; the salt of what it writes is the transaction's. */
function readAssetRequest<T extends object>(ctx: Context, what: string): Partial<T> {
    return readTransientJSON<T>(ctx, ASSET_TRANSIENT_KEY, what);
}

function receipt(ctx: Context, id: string): string {
    const result: AssetReceipt = { id, txId: ctx.stub.getTxID() };
    return toJSON(result);
}

export async function registerAsset(ctx: Context, id: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const assetId = requireIdentifier(id, 'id');
    const input = readAssetRequest<RegisterAssetRequest>(ctx, 'RegisterAssetRequest');
    if (input.id !== undefined && input.id !== assetId) {
        throw invalidArgument(`${ASSET_TRANSIENT_KEY}.id must be left out or be the id argument`);
    }
    const request = validateAssetRequest({ ...input, id: assetId });
    requireOwnCollection(ctx);
    const taken = await assetIdOrTagTaken(ctx, request.id, request.tag);
    if (taken !== undefined) {
        throw alreadyExists(taken);
    }
    const who = caller(ctx);
    const now = txTime(ctx);
    const { note, ...fields } = request;
    const asset: EquipmentAsset = {
        ...fields,
        ownerMspId: who.mspId,
        lentTo: '',
        replacedBy: '',
        registeredBy: who,
        registeredAt: now,
        updatedBy: who,
        updatedAt: now,
        version: 1,
    };
    putAsset(state, asset, assetHistoryEntry(ctx, asset, '', { note, lentTo: '', replacedBy: '' }), true);
    await state.commit('AssetRegistered', { id: asset.id });
    return receipt(ctx, asset.id);
}

export async function transitionAsset(ctx: Context, id: string): Promise<string> {
    const state = LedgerState.update(ctx);
    // Only the owner's peers hold the asset: anyone else finds nothing (NOT_FOUND) before the input is looked at.
    const asset = await readAsset(ctx, id);
    requireAssetOwner(ctx, asset, 'TransitionAsset');
    const transition = validateTransition(asset, readAssetRequest<AssetTransitionRequest>(ctx, 'AssetTransitionRequest'));
    if (transition.replacedBy !== '') {
        await readAsset(ctx, transition.replacedBy, 'replacedBy');
    }
    const { note, ...fields } = transition;
    const { to, ...placement } = fields;
    const next: EquipmentAsset = { ...asset, ...placement, state: to, updatedBy: caller(ctx), updatedAt: txTime(ctx), version: asset.version + 1 };
    putAsset(state, next, assetHistoryEntry(ctx, next, asset.state, { note, lentTo: next.lentTo, replacedBy: next.replacedBy }), false);
    await state.commit('AssetTransitioned', { id: next.id });
    return receipt(ctx, next.id);
}

export async function readOwnAsset(ctx: Context, id: string): Promise<string> {
    const asset = await readAsset(ctx, id);
    requireAssetOwner(ctx, asset, 'ReadAsset');
    return toJSON(asset);
}

export async function readAssetByTag(ctx: Context, tag: string): Promise<string> {
    const wanted = requireIdentifier(tag, 'tag');
    const id = await findAssetIdByTag(ctx, wanted);
    if (id === undefined) {
        throw notFound(`no equipment asset of ${caller(ctx).mspId} carries tag ${wanted}`);
    }
    const asset = await readAsset(ctx, id);
    requireAssetOwner(ctx, asset, 'ReadAssetByTag');
    return toJSON(asset);
}

export async function assetHistory(ctx: Context, id: string, pageSize: string, bookmark: string): Promise<string> {
    const asset = await readAsset(ctx, id);
    requireAssetOwner(ctx, asset, 'AssetHistory');
    return toJSON(await assetHistoryPage(ctx, asset.id, parsePageSize(pageSize), bookmark));
}

export async function listAssetsBySite(ctx: Context, site: string, state: string, pageSize: string, bookmark: string): Promise<string> {
    const wantedSite = requireIdentifier(site, 'site');
    const wantedState = state === '' ? undefined : requireOneOf<AssetState>(state, 'state', ASSET_STATES);
    const size = parsePageSize(pageSize);
    return toJSON(await assetPage(ctx, (a) => a.site === wantedSite && (wantedState === undefined || a.state === wantedState), size, bookmark));
}

export async function listAssetsByState(ctx: Context, state: string, pageSize: string, bookmark: string): Promise<string> {
    const wanted = requireOneOf<AssetState>(state, 'state', ASSET_STATES);
    const size = parsePageSize(pageSize);
    return toJSON(await assetPage(ctx, (a) => a.state === wanted, size, bookmark));
}

/** Assets are managed and seen by the members of the organisation that registered them. */
function requireAssetOwner(ctx: Context, asset: EquipmentAsset, action: string): void {
    const who = caller(ctx);
    if (who.mspId !== asset.ownerMspId) {
        throw accessDenied(`${action} of asset ${asset.id} is for members of ${asset.ownerMspId}, not ${who.mspId}`);
    }
}
