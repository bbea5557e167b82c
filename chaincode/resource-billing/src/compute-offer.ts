import type { Context } from 'fabric-contract-api';
import { accessDenied, alreadyExists, caller, invalidArgument, invalidState, LedgerState, notFound, parseArgument, parsePageSize, readIndexPage, requireIdentifier, requireOneOf, toJSON, txTime } from '../../common/src';
import { type ComputeOffer, type ComputeProviderStats, RESOURCE_KINDS } from '../../schemas/src';
import { validatePublishOffer } from './compute-inputs';
import { readResource } from './edge-resource';
import { Key } from './keys';
import { accountCollection } from './token-ledger';
import { requireMspId } from './billing-inputs';
import { requireRole } from './role-grant';

/** An offer as stored: its reservations live under their own key (Key.ComputeCapacity). */
export type StoredOffer = Omit<ComputeOffer, 'reserved'>;

interface Capacity {
    reserved: number;
}

export async function readOffer(state: LedgerState, offerId: string): Promise<ComputeOffer> {
    const offer = await state.read<StoredOffer>(state.key(Key.ComputeOffer, offerId), 'compute offer');
    if (!offer) {
        throw notFound(`compute offer ${offerId} does not exist`);
    }
    return { ...offer, reserved: await readReserved(state, offerId) };
}

async function readReserved(state: LedgerState, offerId: string): Promise<number> {
    return (await state.read<Capacity>(state.key(Key.ComputeCapacity, offerId), 'offer capacity'))?.reserved ?? 0;
}

/** Adds `units` (negative to release) to an offer's reservations; never beyond its capacity, never below zero. */
export async function reserve(state: LedgerState, offerId: string, units: number): Promise<void> {
    const offer = await readOffer(state, offerId);
    const reserved = offer.reserved + units;
    if (reserved > offer.capacity || reserved < 0) {
        throw invalidState(`offer ${offerId} has ${String(offer.capacity - offer.reserved)} free units, ${String(units)} asked`);
    }
    state.put(state.key(Key.ComputeCapacity, offerId), { reserved });
}

/** Every active offer of a kind, in offer id order (the index walk every endorser does the same). */
export async function activeOffers(state: LedgerState, kind: string): Promise<ComputeOffer[]> {
    const iterator = await state.ctx.stub.getStateByPartialCompositeKey(Key.ComputeOfferByKind, [kind]);
    const ids: string[] = [];
    try {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
            ids.push(state.ctx.stub.splitCompositeKey(next.value.key).attributes[1] ?? '');
        }
    } finally {
        await iterator.close();
    }
    return Promise.all(ids.map((id) => readOffer(state, id)));
}

export async function readProviderStats(state: LedgerState, providerMspId: string): Promise<ComputeProviderStats> {
    const stats = await state.read<ComputeProviderStats>(state.key(Key.ComputeProvider, providerMspId), 'provider stats');
    return stats ?? { providerMspId, completed: 0, missed: 0, reputation: 0 };
}

/** Counts a settled task for (completed) or against (missed) a provider. */
export async function countForProvider(state: LedgerState, providerMspId: string, outcome: 'completed' | 'missed'): Promise<void> {
    const stats = await readProviderStats(state, providerMspId);
    const updated = { ...stats, [outcome]: stats[outcome] + 1 };
    state.put(state.key(Key.ComputeProvider, providerMspId), { ...updated, reputation: updated.completed - 2 * updated.missed });
}

/** Offers capacity of one of the caller organisation's catalog resources; the resource's payee account is paid. */
export async function publishOffer(ctx: Context, requestJson: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const request = validatePublishOffer(parseArgument(requestJson, 'request'));
    const who = await requireRole(state, 'operator', 'PublishOffer');
    const resource = await readResource(state, request.resourceId);
    if (resource.operatorMspId !== who.mspId) {
        throw accessDenied(`resource ${resource.resourceId} belongs to ${resource.operatorMspId}`);
    }
    if (resource.payeeAccountId === undefined) {
        throw invalidArgument(`resource ${resource.resourceId} has no payee account, so it cannot be paid in tokens`);
    }
    await accountCollection(state, resource.payeeAccountId);
    const key = state.key(Key.ComputeOffer, request.offerId);
    if (await state.exists(key)) {
        throw alreadyExists(`compute offer ${request.offerId} exists already`);
    }
    const offer: StoredOffer = {
        ...request,
        siteId: resource.siteId,
        kind: resource.kind,
        operatorMspId: who.mspId,
        payeeAccountId: resource.payeeAccountId,
        status: 'active',
        publishedAt: txTime(ctx),
        txId: ctx.stub.getTxID(),
    };
    state.put(key, offer);
    state.put(state.key(Key.ComputeCapacity, offer.offerId), { reserved: 0 });
    state.putIndex(state.key(Key.ComputeOfferByKind, offer.kind, offer.offerId));
    await state.commit('ComputeOfferPublished', { offerId: offer.offerId, siteId: offer.siteId, kind: offer.kind, operatorMspId: offer.operatorMspId });
    return toJSON({ ...offer, reserved: 0 });
}

export async function withdrawOffer(ctx: Context, offerId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const { reserved, ...offer } = await readOffer(state, requireIdentifier(offerId, 'offerId'));
    if (offer.operatorMspId !== caller(ctx).mspId) {
        throw accessDenied(`compute offer ${offer.offerId} belongs to ${offer.operatorMspId}`);
    }
    if (offer.status !== 'active') {
        throw invalidState(`compute offer ${offer.offerId} is ${offer.status}`);
    }
    const withdrawn: StoredOffer = { ...offer, status: 'withdrawn' };
    state.put(state.key(Key.ComputeOffer, offer.offerId), withdrawn);
    state.delete(state.key(Key.ComputeOfferByKind, offer.kind, offer.offerId));
    await state.commit('ComputeOfferWithdrawn', { offerId: offer.offerId });
    return toJSON({ ...withdrawn, reserved });
}

export async function getOffer(ctx: Context, offerId: string): Promise<string> {
    return toJSON(await readOffer(LedgerState.query(ctx), requireIdentifier(offerId, 'offerId')));
}

export async function listOffers(ctx: Context, kind: string, pageSize: string, bookmark: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const wanted = requireOneOf(kind, 'kind', RESOURCE_KINDS);
    const page = await readIndexPage(ctx, Key.ComputeOfferByKind, [wanted], parsePageSize(pageSize), bookmark, (kv) => readOffer(state, ctx.stub.splitCompositeKey(kv.key).attributes[1] ?? ''));
    return toJSON(page);
}

export async function getProviderStats(ctx: Context, providerMspId: string): Promise<string> {
    return toJSON(await readProviderStats(LedgerState.query(ctx), requireMspId(providerMspId, 'providerMspId')));
}
