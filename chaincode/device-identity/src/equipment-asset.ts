import type { Context } from 'fabric-contract-api';
import {
    alreadyExists,
    caller,
    invalidArgument,
    marshal,
    notFound,
    optionalText,
    parseArgument,
    parsePageSize,
    readIndexPage,
    requireIdentifier,
    requireOneOf,
    requireTimelyProposal,
    toJSON,
    txTime,
    unmarshal,
} from '../../common/src';
import {
    ASSET_STATES,
    ASSET_TRANSITIONS,
    type AssetHistoryEntry,
    type AssetState,
    type AssetTransitionRequest,
    type EquipmentAsset,
    INITIAL_ASSET_STATES,
    type RegisterAssetRequest,
} from '../../schemas/src';
import { assetHistoryEntry, findAsset, findAssetIdByTag, putAsset, readAsset, requireAssetOwner } from './asset-ledger';
import { DeviceIdentityErrorCode as Code, deviceIdentityError } from './device-identity-errors';
import { lastAttribute, ObjectType } from './keys';

/*
 * The equipment asset registry (D7): base stations, antennas, switches … identified by their QR/barcode tag, moved
 * along the lifecycle of ASSET_TRANSITIONS. Assets are seen and changed by members of the organisation that
 * registered them.
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

export async function registerAsset(ctx: Context, requestJson: string): Promise<string> {
    requireTimelyProposal(ctx);
    const request = validateAssetRequest(parseArgument<Partial<RegisterAssetRequest>>(requestJson, 'request'));
    if (await findAsset(ctx, request.id)) {
        throw alreadyExists(`equipment asset ${request.id} already exists`);
    }
    const taggedAs = await findAssetIdByTag(ctx, request.tag);
    if (taggedAs !== undefined) {
        throw alreadyExists(`tag ${request.tag} is already on asset ${taggedAs}`);
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
    await putAsset(ctx, asset, assetHistoryEntry(ctx, asset, '', { note, lentTo: '', replacedBy: '' }));
    ctx.stub.setEvent('AssetRegistered', marshal(assetEvent(asset, '')));
    return toJSON(asset);
}

export async function transitionAsset(ctx: Context, id: string, requestJson: string): Promise<string> {
    requireTimelyProposal(ctx);
    const request = parseArgument<Partial<AssetTransitionRequest>>(requestJson, 'request');
    const asset = await readAsset(ctx, id);
    requireAssetOwner(ctx, asset, 'TransitionAsset');
    const transition = validateTransition(asset, request);
    if (transition.replacedBy !== '') {
        await readAsset(ctx, transition.replacedBy, 'replacedBy');
    }
    const { note, ...fields } = transition;
    const { to, ...placement } = fields;
    const next: EquipmentAsset = { ...asset, ...placement, state: to, updatedBy: caller(ctx), updatedAt: txTime(ctx), version: asset.version + 1 };
    await putAsset(ctx, next, assetHistoryEntry(ctx, next, asset.state, { note, lentTo: next.lentTo, replacedBy: next.replacedBy }), asset);
    ctx.stub.setEvent('AssetTransitioned', marshal(assetEvent(next, asset.state)));
    return toJSON(next);
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
        throw notFound(`no equipment asset carries tag ${wanted}`);
    }
    const asset = await readAsset(ctx, id);
    requireAssetOwner(ctx, asset, 'ReadAssetByTag');
    return toJSON(asset);
}

export async function assetHistory(ctx: Context, id: string, pageSize: string, bookmark: string): Promise<string> {
    const asset = await readAsset(ctx, id);
    requireAssetOwner(ctx, asset, 'AssetHistory');
    const page = await readIndexPage(ctx, ObjectType.AssetHistory, [asset.id], parsePageSize(pageSize), bookmark, (kv) => unmarshal<AssetHistoryEntry>(kv.value, 'asset history entry'));
    return toJSON(page);
}

export async function listAssetsBySite(ctx: Context, site: string, state: string, pageSize: string, bookmark: string): Promise<string> {
    const attributes = [caller(ctx).mspId, requireIdentifier(site, 'site')];
    if (state !== '') {
        attributes.push(requireOneOf(state, 'state', ASSET_STATES));
    }
    return assetPage(ctx, ObjectType.AssetBySite, attributes, parsePageSize(pageSize), bookmark);
}

export async function listAssetsByState(ctx: Context, state: string, pageSize: string, bookmark: string): Promise<string> {
    const attributes = [caller(ctx).mspId, requireOneOf<AssetState>(state, 'state', ASSET_STATES)];
    return assetPage(ctx, ObjectType.AssetByState, attributes, parsePageSize(pageSize), bookmark);
}

async function assetPage(ctx: Context, objectType: string, attributes: string[], pageSize: number, bookmark: string): Promise<string> {
    const page = await readIndexPage(ctx, objectType, attributes, pageSize, bookmark, (kv) => readAsset(ctx, lastAttribute(ctx, kv.key)));
    return toJSON(page);
}

function assetEvent(asset: EquipmentAsset, from: string): Record<string, unknown> {
    const { id, tag, type, site, location, state, ownerMspId, updatedBy, updatedAt } = asset;
    return { id, tag, type, site, location, from, to: state, ownerMspId, by: updatedBy, at: updatedAt };
}
