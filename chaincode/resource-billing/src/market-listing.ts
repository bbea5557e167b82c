import { createHash, createPublicKey } from 'node:crypto';
import { accessDenied, alreadyExists, type Caller, caller, invalidArgument, invalidState, LedgerState, notFound, optionalText, parseArgument, parsePageSize, readIndexPage, requireCount, requireIdentifier, requireOneOf, requireText, timestampToleranceMillis, toJSON, txTime, txTimeMillis } from '../../common/src';
import { parseCountArgument, requireAttributes, requireBase64, requireInstant, requireObject, requireP256PublicKey } from './billing-inputs';
import { ACCESS_ALGORITHM, type AccessEnvelope, type CreateListingRequest, LISTING_KINDS, type MarketListing, type MarketPurchase, MAX_PURCHASE_UNITS, MAX_UNIT_PRICE, type ProviderRating, type ProviderReputation, type PurchaseRequest } from '../../schemas/src';
import { Key } from './keys';
import { addAmounts, meteredAmount } from './price-plan';
import { holdInEscrow, releaseEscrow, requireOrganisationAccount } from './token-ledger';
import { billingError, BillingErrorCode } from './billing-errors';
import { callerIsAuditor } from './role-grant';
import type { Context } from 'fabric-contract-api';
import { escrowIdOf } from './token-account';

/** A provider's public id: sha256 hex of "mspId\nX.509 id", so listings need not expose certificates. */
export function providerIdOf(who: Caller): string {
    return createHash('sha256').update(`${who.mspId}\n${who.id}`).digest('hex');
}

export function validateListing(value: unknown): CreateListingRequest & { config: Record<string, string> } {
    const request = requireObject<CreateListingRequest>(value, 'request');
    const description = optionalText(request.description, 'description', 2048);
    return {
        listingId: requireIdentifier(request.listingId, 'listingId'),
        kind: requireOneOf(request.kind, 'kind', LISTING_KINDS),
        title: requireText(request.title, 'title'),
        ...(description === undefined ? {} : { description }),
        config: requireAttributes(request.config, 'config'),
        unit: requireIdentifier(request.unit, 'unit', 32),
        unitPrice: requireCount(request.unitPrice, 'unitPrice', { min: 1, max: MAX_UNIT_PRICE }),
        payeeAccountId: requireIdentifier(request.payeeAccountId, 'payeeAccountId'),
    };
}

export function validatePurchase(value: unknown): Omit<PurchaseRequest, 'deadline'> & { deadlineMillis: number } {
    const request = requireObject<PurchaseRequest>(value, 'request');
    return {
        purchaseId: requireIdentifier(request.purchaseId, 'purchaseId'),
        listingId: requireIdentifier(request.listingId, 'listingId'),
        buyerAccountId: requireIdentifier(request.buyerAccountId, 'buyerAccountId'),
        units: requireCount(request.units, 'units', { min: 1, max: MAX_PURCHASE_UNITS }),
        deadlineMillis: requireInstant(request.deadline, 'deadline'),
        encryptionKey: requireP256PublicKey(request.encryptionKey, 'encryptionKey'),
    };
}

export function validateEnvelope(value: unknown): AccessEnvelope {
    const envelope = requireObject<AccessEnvelope>(value, 'envelope');
    if (envelope.algorithm !== ACCESS_ALGORITHM) {
        throw invalidArgument(`envelope.algorithm must be ${ACCESS_ALGORITHM}`);
    }
    const ephemeralPublicKey = requireBase64(envelope.ephemeralPublicKey, 'envelope.ephemeralPublicKey', { minBytes: 32, maxBytes: 256 });
    try {
        const key = createPublicKey({ key: Buffer.from(ephemeralPublicKey, 'base64'), format: 'der', type: 'spki' });
        if (key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
            throw new Error('not P-256');
        }
    } catch {
        throw invalidArgument('envelope.ephemeralPublicKey must be a P-256 public key (SPKI DER, base64)');
    }
    return {
        algorithm: ACCESS_ALGORITHM,
        ephemeralPublicKey,
        iv: requireBase64(envelope.iv, 'envelope.iv', { minBytes: 12, maxBytes: 12 }),
        ciphertext: requireBase64(envelope.ciphertext, 'envelope.ciphertext', { minBytes: 1, maxBytes: 16_384 }),
        tag: requireBase64(envelope.tag, 'envelope.tag', { minBytes: 16, maxBytes: 16 }),
    };
}

export function requireRating(value: string): number {
    if (!/^[1-5]$/.test(value)) {
        throw invalidArgument('rating must be a whole number from 1 to 5');
    }
    return Number(value);
}

/** Lists a resource; any identity, paid into a token account it owns. */
export async function createListing(ctx: Context, requestJson: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const request = validateListing(parseArgument(requestJson, 'request'));
    await requireOrganisationAccount(state, request.payeeAccountId);
    const key = state.key(Key.Listing, request.listingId);
    if (await state.exists(key)) {
        throw alreadyExists(`listing ${request.listingId} exists already`);
    }
    const who = caller(ctx);
    const listing: MarketListing = {
        ...request,
        ownerMspId: who.mspId,
        ownerId: who.id,
        providerId: providerIdOf(who),
        status: 'active',
        createdAt: txTime(ctx),
        txId: ctx.stub.getTxID(),
    };
    state.put(key, listing);
    state.putIndex(state.key(Key.ListingByKind, listing.kind, listing.listingId));
    await state.commit('ListingCreated', { listingId: listing.listingId, kind: listing.kind, unitPrice: listing.unitPrice, providerId: listing.providerId });
    return toJSON(listing);
}

/** Takes a listing off the market; its owner only. Purchases already made continue. */
export async function withdrawListing(ctx: Context, listingId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const listing = await readListing(state, requireIdentifier(listingId, 'listingId'));
    if (!sameIdentity(caller(ctx), listing.ownerMspId, listing.ownerId)) {
        throw accessDenied(`listing ${listing.listingId} belongs to someone else`);
    }
    if (listing.status !== 'active') {
        throw invalidState(`listing ${listing.listingId} is already withdrawn`);
    }
    const withdrawn: MarketListing = { ...listing, status: 'withdrawn' };
    state.put(state.key(Key.Listing, listing.listingId), withdrawn);
    state.delete(state.key(Key.ListingByKind, listing.kind, listing.listingId));
    await state.commit('ListingWithdrawn', { listingId: listing.listingId });
    return toJSON(withdrawn);
}

/** A listing; public. */
export async function getListing(ctx: Context, listingId: string): Promise<string> {
    return toJSON(await readListing(LedgerState.query(ctx), requireIdentifier(listingId, 'listingId')));
}

/** A page of active listings of one kind, or of every kind when `kind` is empty; public. */
export async function searchListings(ctx: Context, kind: string, pageSize: string, bookmark: string): Promise<string> {
    const state = LedgerState.query(ctx);
    if (kind !== '' && !(LISTING_KINDS as readonly string[]).includes(kind)) {
        throw invalidArgument(`kind must be empty or one of ${LISTING_KINDS.join(', ')}`);
    }
    const page = await readIndexPage(ctx, Key.ListingByKind, kind === '' ? [] : [kind], parsePageSize(pageSize), bookmark, (kv) => {
        const [, id = ''] = ctx.stub.splitCompositeKey(kv.key).attributes;
        return readListing(state, id);
    });
    return toJSON(page);
}

/**
 * Buys up to `units` of a listing: their price goes into escrow from an account the buyer owns,
 * until the seller completes (paid for units used, rest refunded) or the deadline passes.
 */
export async function purchaseListing(ctx: Context, requestJson: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const request = validatePurchase(parseArgument(requestJson, 'request'));
    const who = caller(ctx);
    const listing = await readListing(state, request.listingId);
    if (listing.status !== 'active') {
        throw invalidState(`listing ${listing.listingId} is withdrawn`);
    }
    if (sameIdentity(who, listing.ownerMspId, listing.ownerId)) {
        throw invalidArgument('an owner cannot buy its own listing');
    }
    if (request.deadlineMillis <= txTimeMillis(ctx)) {
        throw invalidArgument('deadline must be in the future');
    }
    const key = state.key(Key.Purchase, request.purchaseId);
    if (await state.exists(key)) {
        throw alreadyExists(`purchase ${request.purchaseId} exists already`);
    }
    const amount = meteredAmount('call', listing.unitPrice, request.units);
    const escrow = await holdInEscrow(
        state,
        {
            purpose: 'purchase',
            referenceId: request.purchaseId,
            payerAccountId: request.buyerAccountId,
            payeeAccountId: listing.payeeAccountId,
            amount,
            deadlineMillis: request.deadlineMillis,
        },
        txTime(ctx),
    );
    const purchase: MarketPurchase = {
        purchaseId: request.purchaseId,
        listingId: listing.listingId,
        sellerMspId: listing.ownerMspId,
        sellerId: listing.ownerId,
        providerId: listing.providerId,
        buyerMspId: who.mspId,
        buyerId: who.id,
        buyerAccountId: request.buyerAccountId,
        payeeAccountId: listing.payeeAccountId,
        encryptionKey: request.encryptionKey,
        unitPrice: listing.unitPrice,
        units: request.units,
        escrowId: escrowIdOf('purchase', request.purchaseId),
        deadline: escrow.deadline,
        status: 'paid',
        createdAt: txTime(ctx),
        txId: ctx.stub.getTxID(),
    };
    state.put(key, purchase);
    await state.commit('ListingPurchased', { purchaseId: purchase.purchaseId, listingId: purchase.listingId, escrowId: purchase.escrowId, amount });
    return toJSON(purchase);
}

/** The seller releases the access information, encrypted for the buyer's key (see AccessEnvelope). */
export async function deliverAccess(ctx: Context, purchaseId: string, envelopeJson: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const envelope = validateEnvelope(parseArgument(envelopeJson, 'envelope'));
    const purchase = await readPurchase(state, requireIdentifier(purchaseId, 'purchaseId'));
    requireSeller(ctx, purchase);
    requireStatus(purchase, 'paid');
    requireBeforeDeadline(ctx, purchase);
    const delivered: MarketPurchase = { ...purchase, status: 'delivered', accessEnvelope: envelope, deliveredAt: txTime(ctx) };
    state.put(state.key(Key.Purchase, purchase.purchaseId), delivered);
    await state.commit('AccessDelivered', { purchaseId: purchase.purchaseId, listingId: purchase.listingId });
    return toJSON(delivered);
}

/** The seller records the units used; the escrow pays for them and refunds the rest. */
export async function completePurchase(ctx: Context, purchaseId: string, usedUnits: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const used = parseCountArgument(usedUnits, 'usedUnits');
    const purchase = await readPurchase(state, requireIdentifier(purchaseId, 'purchaseId'));
    requireSeller(ctx, purchase);
    requireStatus(purchase, 'delivered');
    requireBeforeDeadline(ctx, purchase);
    if (used > purchase.units) {
        throw invalidArgument(`usedUnits exceeds the ${String(purchase.units)} units bought`);
    }
    const escrow = await releaseEscrow(state, purchase.escrowId, meteredAmount('call', purchase.unitPrice, used), txTime(ctx));
    const completed: MarketPurchase = { ...purchase, status: 'completed', usedUnits: used, paid: escrow.paid, refunded: escrow.refunded, closedAt: txTime(ctx) };
    state.put(state.key(Key.Purchase, purchase.purchaseId), completed);
    await state.commit('PurchaseCompleted', { purchaseId: purchase.purchaseId, usedUnits: used, paid: escrow.paid, refunded: escrow.refunded });
    return toJSON(completed);
}

/** Refunds the whole escrow: by the buyer before delivery, or by anyone once the deadline and its grace period have passed. */
export async function refundPurchase(ctx: Context, purchaseId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const purchase = await readPurchase(state, requireIdentifier(purchaseId, 'purchaseId'));
    if (purchase.status !== 'paid' && purchase.status !== 'delivered') {
        throw invalidState(`purchase ${purchase.purchaseId} is ${purchase.status}`);
    }
    const expired = txTimeMillis(ctx) > Date.parse(purchase.deadline) + refundGraceMillis();
    const buyerCancels = purchase.status === 'paid' && sameIdentity(caller(ctx), purchase.buyerMspId, purchase.buyerId);
    if (!expired && !buyerCancels) {
        throw billingError(BillingErrorCode.DeadlineNotReached, `purchase ${purchase.purchaseId} runs until ${purchase.deadline}, refundable ${String(refundGraceMillis() / 1000)} s later`);
    }
    const escrow = await releaseEscrow(state, purchase.escrowId, 0, txTime(ctx));
    const refunded: MarketPurchase = { ...purchase, status: 'refunded', paid: 0, refunded: escrow.refunded, closedAt: txTime(ctx) };
    state.put(state.key(Key.Purchase, purchase.purchaseId), refunded);
    await state.commit('PurchaseRefunded', { purchaseId: purchase.purchaseId, refunded: escrow.refunded });
    return toJSON(refunded);
}

/**
 * The buyer rates the provider 1 to 5 after a completed purchase it paid for (issue 9 finding 7):
 * never from the provider's own organisation, once per buyer organisation and provider, and
 * weighted by what was paid, so ratings cannot be had for free or by the dozen.
 */
export async function ratePurchase(ctx: Context, purchaseId: string, rating: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const stars = requireRating(rating);
    const purchase = await readPurchase(state, requireIdentifier(purchaseId, 'purchaseId'));
    if (!sameIdentity(caller(ctx), purchase.buyerMspId, purchase.buyerId)) {
        throw accessDenied(`only the buyer may rate purchase ${purchase.purchaseId}`);
    }
    if (purchase.buyerMspId === purchase.sellerMspId) {
        throw accessDenied(`${purchase.buyerMspId} may not rate a provider of its own organisation`);
    }
    requireStatus(purchase, 'completed');
    const paid = purchase.paid ?? 0;
    if (paid <= 0) {
        throw invalidState(`purchase ${purchase.purchaseId} paid nothing and cannot be rated`);
    }
    const ratingKey = state.key(Key.Rating, purchase.providerId, purchase.buyerMspId);
    if (purchase.rating !== undefined || (await state.exists(ratingKey))) {
        throw billingError(BillingErrorCode.AlreadyRated, `${purchase.buyerMspId} has rated provider ${purchase.providerId} already`);
    }
    const key = state.key(Key.Reputation, purchase.providerId);
    const previous = await readReputation(state, purchase.providerId);
    const reputation: ProviderReputation = {
        providerId: previous.providerId,
        ratingCount: previous.ratingCount + 1,
        ratingSum: previous.ratingSum + stars,
        paidTotal: addAmounts(previous.paidTotal, paid),
        weightedRatingSum: addAmounts(previous.weightedRatingSum, meteredAmount('call', paid, stars)),
    };
    const record: ProviderRating = { providerId: purchase.providerId, buyerMspId: purchase.buyerMspId, purchaseId: purchase.purchaseId, rating: stars, paid, ratedAt: txTime(ctx), txId: ctx.stub.getTxID() };
    state.put(key, reputation);
    state.put(ratingKey, record);
    state.put(state.key(Key.Purchase, purchase.purchaseId), { ...purchase, rating: stars, ratedAt: txTime(ctx) });
    await state.commit('ProviderRated', { ...reputation, purchaseId: purchase.purchaseId, rating: stars, paid });
    return toJSON(reputation);
}

/** A purchase; for its buyer, its seller and auditors. */
export async function getPurchase(ctx: Context, purchaseId: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const purchase = await readPurchase(state, requireIdentifier(purchaseId, 'purchaseId'));
    const who = caller(ctx);
    const party = sameIdentity(who, purchase.buyerMspId, purchase.buyerId) || sameIdentity(who, purchase.sellerMspId, purchase.sellerId);
    if (!party && !(await callerIsAuditor(state))) {
        throw accessDenied(`purchase ${purchase.purchaseId} concerns other parties`);
    }
    return toJSON(purchase);
}

/** A provider's reputation (zero ratings if it has none yet); public. */
export async function getReputation(ctx: Context, providerId: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const id = requireIdentifier(providerId, 'providerId');
    return toJSON(await readReputation(state, id));
}

async function readListing(state: LedgerState, listingId: string): Promise<MarketListing> {
    const listing = await state.read<MarketListing>(state.key(Key.Listing, listingId), 'listing');
    if (!listing) {
        throw notFound(`listing ${listingId} does not exist`);
    }
    return listing;
}

async function readPurchase(state: LedgerState, purchaseId: string): Promise<MarketPurchase> {
    const purchase = await state.read<MarketPurchase>(state.key(Key.Purchase, purchaseId), 'purchase');
    if (!purchase) {
        throw notFound(`purchase ${purchaseId} does not exist`);
    }
    return purchase;
}

async function readReputation(state: LedgerState, providerId: string): Promise<ProviderReputation> {
    const stored = await state.read<Partial<ProviderReputation>>(state.key(Key.Reputation, providerId), 'reputation');
    // Reputations written before ratings were weighted carry no paid weight; they count as unweighted.
    return { providerId, ratingCount: stored?.ratingCount ?? 0, ratingSum: stored?.ratingSum ?? 0, paidTotal: stored?.paidTotal ?? 0, weightedRatingSum: stored?.weightedRatingSum ?? 0 };
}

/**
 * How long after a purchase's deadline a refund waits: twice the timestamp tolerance, so that a
 * refund stamped as early as the tolerance allows still comes after the last moment at which the
 * seller's completion, stamped as late as the tolerance allows, could be endorsed (issue 9 finding 5).
 */
export function refundGraceMillis(): number {
    return 2 * timestampToleranceMillis();
}

function sameIdentity(who: Caller, mspId: string, id: string): boolean {
    return who.mspId === mspId && who.id === id;
}

function requireSeller(ctx: Context, purchase: MarketPurchase): void {
    if (!sameIdentity(caller(ctx), purchase.sellerMspId, purchase.sellerId)) {
        throw accessDenied(`only the seller may act on purchase ${purchase.purchaseId}`);
    }
}

function requireStatus(purchase: MarketPurchase, status: MarketPurchase['status']): void {
    if (purchase.status !== status) {
        throw invalidState(`purchase ${purchase.purchaseId} is ${purchase.status}, not ${status}`);
    }
}

function requireBeforeDeadline(ctx: Context, purchase: MarketPurchase): void {
    if (txTimeMillis(ctx) > Date.parse(purchase.deadline)) {
        throw billingError(BillingErrorCode.DeadlinePassed, `purchase ${purchase.purchaseId} passed its deadline ${purchase.deadline}`);
    }
}
