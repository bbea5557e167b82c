import { Object as DataType, Property } from 'fabric-contract-api';
import { invalidArgument, optionalText, requireIdentifier, requireOneOf } from '../../common/src';
import { DeviceIdentityErrorCode as Code, deviceIdentityError } from './device-identity-errors';
import { Principal } from './principal';

export const ASSET_STATES = ['in_stock', 'installed', 'in_use', 'lent', 'under_repair', 'replaced', 'retired'] as const;
export type AssetState = (typeof ASSET_STATES)[number];

/**
 * The legal lifecycle of a piece of telecom equipment (D7). Retired is final; replaced equipment
 * can only be refurbished into stock or retired; lent equipment comes back into stock, into use or
 * goes to repair.
 */
export const ASSET_TRANSITIONS: Readonly<Record<AssetState, readonly AssetState[]>> = {
    in_stock: ['installed', 'lent', 'retired'],
    installed: ['in_use', 'under_repair', 'in_stock', 'replaced', 'retired'],
    in_use: ['installed', 'lent', 'under_repair', 'replaced', 'retired'],
    lent: ['in_stock', 'in_use', 'under_repair'],
    under_repair: ['in_stock', 'installed', 'in_use', 'replaced', 'retired'],
    replaced: ['in_stock', 'retired'],
    retired: [],
};

/** States an asset may be registered in, so an existing inventory can be imported as it stands. */
export const INITIAL_ASSET_STATES = ['in_stock', 'installed', 'in_use'] as const satisfies readonly AssetState[];

/** A piece of equipment (base station, antenna, switch, air conditioner ...) identified by its QR/barcode tag. */
@DataType()
export class EquipmentAsset {
    @Property()
    id: string = '';

    /** The QR code or barcode id printed on the equipment; unique. */
    @Property()
    tag: string = '';

    /** Equipment type, e.g. base_station, antenna, switch, air_conditioner. */
    @Property()
    type: string = '';

    @Property()
    site: string = '';

    /** Where on the site (rack, mast, room); free text. */
    @Property()
    location: string = '';

    @Property('state', 'string')
    state: AssetState = 'in_stock';

    @Property()
    model: string = '';

    @Property()
    serialNumber: string = '';

    /** The organisation whose members manage this asset. */
    @Property()
    ownerMspId: string = '';

    /** Who holds the equipment while it is lent. */
    @Property()
    lentTo: string = '';

    /** The asset that replaced this one. */
    @Property()
    replacedBy: string = '';

    @Property()
    registeredBy: Principal = new Principal();

    @Property()
    registeredAt: string = '';

    @Property()
    updatedBy: Principal = new Principal();

    @Property()
    updatedAt: string = '';

    /** Number of history entries, the sequence of the last one. */
    @Property()
    version: number = 0;
}

/** One recorded state change: who, when and where (D7). `from` is empty for the registration. */
@DataType()
export class AssetHistoryEntry {
    @Property()
    id: string = '';

    @Property()
    seq: number = 0;

    @Property()
    from: string = '';

    @Property('to', 'string')
    to: AssetState = 'in_stock';

    @Property()
    site: string = '';

    @Property()
    location: string = '';

    @Property()
    note: string = '';

    @Property()
    lentTo: string = '';

    @Property()
    replacedBy: string = '';

    @Property()
    by: Principal = new Principal();

    @Property()
    at: string = '';

    @Property()
    txId: string = '';
}

export interface RegisterAssetRequest {
    id: string;
    tag: string;
    type: string;
    site: string;
    location?: string;
    model?: string;
    serialNumber?: string;
    state?: string;
    note?: string;
}

export interface TransitionRequest {
    to: string;
    /** A new site when the equipment moves; the current one otherwise. */
    site?: string;
    location?: string;
    note?: string;
    /** Required when lending. */
    lentTo?: string;
    /** Required when replaced: the id of the replacing asset. */
    replacedBy?: string;
}

export interface ValidRegisterAssetRequest {
    id: string;
    tag: string;
    type: string;
    site: string;
    location: string;
    model: string;
    serialNumber: string;
    state: AssetState;
    note: string;
}

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

export interface ValidTransition {
    to: AssetState;
    site: string;
    location: string;
    note: string;
    lentTo: string;
    replacedBy: string;
}

/** Validates a transition of `asset`; throws ILLEGAL_TRANSITION when its lifecycle does not allow it. */
export function validateTransition(asset: EquipmentAsset, request: Partial<TransitionRequest>): ValidTransition {
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
