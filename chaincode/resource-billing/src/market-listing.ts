import { createHash, createPublicKey } from 'node:crypto';
import { accessDenied, alreadyExists, type Caller, caller, collect, invalidArgument, invalidState, LedgerState, notFound, optionalText, parseArgument, parsePageSize, readIndexPage, requireCount, requireIdentifier, requireOneOf, requireText, timestampToleranceMillis, toJSON, txTime, txTimeMillis } from '../../common/src';
import { requireAttributes, requireBase64, requireInstant, requireObject, requireP256PublicKey } from './billing-inputs';
import { ACCESS_ALGORITHM, type AccessEnvelope, type CompletePurchaseRequest, type CreateListingRequest, LISTING_KINDS, type MarketListing, type MarketPurchase, MAX_PURCHASE_UNITS, MAX_UNIT_PRICE, type ProviderRating, type ProviderReputation, type PurchaseIds, type PurchaseRequest } from '../../schemas/src';
import { Key } from './keys';
import { addAmounts, meteredAmount } from './price-plan';
import { holdInEscrow, readEscrow, releaseEscrow, requireOrganisationAccount } from './token-ledger';
import { billingError, BillingErrorCode } from './billing-errors';
import { callerIsAuditor, hasRole, requirePairReader, requirePartyOrAuditor } from './role-grant';
import { pairCollection, putRoute, readRoute, requireSameId, transientRequest } from './billing-collection';
import type { Parties } from './counterparty';
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

export function validateCompletion(value: unknown): CompletePurchaseRequest {
    const request = requireObject<CompletePurchaseRequest>(value, 'request');
    return { usedUnits: requireCount(request.usedUnits, 'usedUnits', { max: MAX_PURCHASE_UNITS }) };
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
 * The request (units, account, deadline, key) comes from the transient map; the purchase and its escrow are private
 * data of the seller's and buyer's pair collection; the result and event carry ids only.
 */
export async function purchaseListing(ctx: Context, purchaseId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const request = validatePurchase(transientRequest(state, 'request'));
    requireSameId(purchaseId, request.purchaseId, 'purchaseId');
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
    if ((await readRoute(state, 'purchase', request.purchaseId)) !== undefined || (await state.exists(state.key(Key.Purchase, request.purchaseId)))) {
        throw alreadyExists(`purchase ${request.purchaseId} exists already`);
    }
    // The paying account must be of the buyer's organisation (its public route); the buyer's own ownership is checked
    // by the debit, against the owner's disclosure.
    await requireOrganisationAccount(state, request.buyerAccountId);
    const parties = await purchaseParties(state, listing.ownerMspId, who.mspId);
    const collection = pairCollection(parties);
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
            collection,
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
    putRoute(state, 'purchase', purchase.purchaseId, parties);
    state.put(state.key(Key.Purchase, purchase.purchaseId), purchase, collection);
    const ids: PurchaseIds = { purchaseId: purchase.purchaseId, escrowId: purchase.escrowId };
    await state.commit('ListingPurchased', ids);
    return toJSON(ids);
}

/** The seller releases the access information, encrypted for the buyer's key (see AccessEnvelope). */
export async function deliverAccess(ctx: Context, purchaseId: string, envelopeJson: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const envelope = validateEnvelope(parseArgument(envelopeJson, 'envelope'));
    const { purchase, collection } = await readPurchase(state, requireIdentifier(purchaseId, 'purchaseId'));
    requireSeller(ctx, purchase);
    requireStatus(purchase, 'paid');
    requireBeforeDeadline(ctx, purchase);
    const delivered: MarketPurchase = { ...purchase, status: 'delivered', accessEnvelope: envelope, deliveredAt: txTime(ctx) };
    state.put(state.key(Key.Purchase, purchase.purchaseId), delivered, collection);
    return commitIds(state, 'AccessDelivered', purchase);
}

/** The seller records the units used (transient map: they price the payment); the escrow pays for them and refunds the rest. */
export async function completePurchase(ctx: Context, purchaseId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const used = validateCompletion(transientRequest(state, 'request')).usedUnits;
    const { purchase, collection } = await readPurchase(state, requireIdentifier(purchaseId, 'purchaseId'));
    requireSeller(ctx, purchase);
    requireStatus(purchase, 'delivered');
    requireBeforeDeadline(ctx, purchase);
    if (used > purchase.units) {
        throw invalidArgument(`usedUnits exceeds the ${String(purchase.units)} units bought`);
    }
    const escrow = await releaseEscrow(state, purchase.escrowId, meteredAmount('call', purchase.unitPrice, used), txTime(ctx), collection);
    const completed: MarketPurchase = { ...purchase, status: 'completed', usedUnits: used, paid: escrow.paid, refunded: escrow.refunded, closedAt: txTime(ctx) };
    state.put(state.key(Key.Purchase, purchase.purchaseId), completed, collection);
    return commitIds(state, 'PurchaseCompleted', purchase);
}

/**
 * Refunds the whole escrow: by the buyer before delivery, or once the deadline and its grace period have passed by
 * the buyer, the seller or an auditor (the identities that can read the purchase back; nobody outside the pair's
 * collection could read it at all).
 */
export async function refundPurchase(ctx: Context, purchaseId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const { purchase, collection } = await readPurchase(state, requireIdentifier(purchaseId, 'purchaseId'));
    const who = caller(ctx);
    const buyer = sameIdentity(who, purchase.buyerMspId, purchase.buyerId);
    if (!buyer && !sameIdentity(who, purchase.sellerMspId, purchase.sellerId) && !(await callerIsAuditor(state))) {
        throw accessDenied(`only the buyer, the seller or an auditor may refund purchase ${purchase.purchaseId}`);
    }
    if (purchase.status !== 'paid' && purchase.status !== 'delivered') {
        throw invalidState(`purchase ${purchase.purchaseId} is ${purchase.status}`);
    }
    const expired = txTimeMillis(ctx) > Date.parse(purchase.deadline) + refundGraceMillis();
    const buyerCancels = purchase.status === 'paid' && buyer;
    if (!expired && !buyerCancels) {
        throw billingError(BillingErrorCode.DeadlineNotReached, `purchase ${purchase.purchaseId} runs until ${purchase.deadline}, refundable ${String(refundGraceMillis() / 1000)} s later`);
    }
    const escrow = await releaseEscrow(state, purchase.escrowId, 0, txTime(ctx), collection);
    const refunded: MarketPurchase = { ...purchase, status: 'refunded', paid: 0, refunded: escrow.refunded, closedAt: txTime(ctx) };
    state.put(state.key(Key.Purchase, purchase.purchaseId), refunded, collection);
    return commitIds(state, 'PurchaseRefunded', purchase);
}

/**
 * The buyer rates the provider 1 to 5 after a completed purchase it paid for (issue 9 finding 7):
 * never from the provider's own organisation, once per buyer organisation and provider, and
 * weighted by what was paid, so ratings cannot be had for free or by the dozen.
 * The value and weight are public (their purpose); the buyer is not named publicly (finding 8): the public rating
 * carries a commitment to the purchase salted with the transaction's salt, which the private purchase keeps.
 */
export async function ratePurchase(ctx: Context, purchaseId: string, rating: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const stars = requireRating(rating);
    const { purchase, collection } = await readPurchase(state, requireIdentifier(purchaseId, 'purchaseId'));
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
    const ratedKey = state.key(Key.RatedByBuyer, purchase.providerId, purchase.buyerMspId);
    if (purchase.rating !== undefined || (await state.exists(ratedKey, collection)) || (await ratedBeforeCommitments(state, purchase))) {
        throw billingError(BillingErrorCode.AlreadyRated, `${purchase.buyerMspId} has rated provider ${purchase.providerId} already`);
    }
    const previous = await readReputation(state, purchase.providerId);
    const reputation: ProviderReputation = {
        providerId: previous.providerId,
        ratingCount: previous.ratingCount + 1,
        ratingSum: previous.ratingSum + stars,
        paidTotal: addAmounts(previous.paidTotal, paid),
        weightedRatingSum: addAmounts(previous.weightedRatingSum, meteredAmount('call', paid, stars)),
    };
    // The transaction's salt (refused when missing or short), which the private purchase keeps to open the commitment.
    const salt = state.salt();
    const commitment = ratingCommitment(salt, purchase.purchaseId);
    state.put(state.key(Key.Purchase, purchase.purchaseId), { ...purchase, rating: stars, ratedAt: txTime(ctx), ratingCommitment: commitment, ratingSalt: salt }, collection);
    state.putIndex(ratedKey, collection);
    const record: ProviderRating = { providerId: purchase.providerId, commitment, rating: stars, paid, ratedAt: txTime(ctx), txId: ctx.stub.getTxID() };
    state.put(state.key(Key.Reputation, purchase.providerId), reputation);
    state.put(state.key(Key.ProviderRating, purchase.providerId, commitment), record);
    await state.commit('ProviderRated', { ...reputation, rating: stars, paid, commitment });
    return toJSON(reputation);
}

/** The public commitment of a rating to its purchase: SHA-256 of the salt's bytes followed by the purchase id, hex. */
export function ratingCommitment(saltBase64: string, purchaseId: string): string {
    return createHash('sha256').update(Buffer.from(saltBase64, 'base64')).update(purchaseId, 'utf8').digest('hex');
}

/** A purchase; for its buyer, its seller and auditors. */
export async function getPurchase(ctx: Context, purchaseId: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const { purchase } = await readPurchase(state, requireIdentifier(purchaseId, 'purchaseId'));
    const who = caller(ctx);
    const party = sameIdentity(who, purchase.buyerMspId, purchase.buyerId) || sameIdentity(who, purchase.sellerMspId, purchase.sellerId);
    if (!party && !(await callerIsAuditor(state))) {
        throw accessDenied(`purchase ${purchase.purchaseId} concerns other parties`);
    }
    return toJSON(purchase);
}

/**
 * A purchase's escrow, kept in the purchase's pair collection: only for organisations of the pair (and auditors), the
 * collection's members, and there for the purchase's buyer and seller, issuers and auditors.
 * Undefined for an escrow that is no routed purchase's (sessions' and older ones: token-ledger.ts answers those).
 */
export async function getPurchaseEscrow(ctx: Context, escrowId: string): Promise<string | undefined> {
    const state = LedgerState.query(ctx);
    const id = requireIdentifier(escrowId, 'escrowId');
    const prefix = escrowIdOf('purchase', '');
    const route = id.startsWith(prefix) ? await readRoute(state, 'purchase', id.slice(prefix.length)) : undefined;
    if (route === undefined) {
        return undefined;
    }
    await requirePartyOrAuditor(state, [route.operatorMspId, route.tenantMspId], `escrow ${id}`);
    // As the purchase: for its buyer and seller (whose accounts pay and are paid), issuers and auditors.
    const { purchase } = await readPurchase(state, id.slice(prefix.length));
    const who = caller(ctx);
    const party = sameIdentity(who, purchase.buyerMspId, purchase.buyerId) || sameIdentity(who, purchase.sellerMspId, purchase.sellerId);
    if (!party && !(await hasRole(state, who.mspId, 'issuer')) && !(await callerIsAuditor(state))) {
        throw accessDenied(`escrow ${id} concerns other accounts`);
    }
    return toJSON(await readEscrow(state, id, pairCollection(route)));
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

/**
 * A purchase and the pair collection that keeps it. The public route names the pair, whose collection only its
 * members hold, so to anyone else the purchase does not exist (NOT_FOUND, before any collection read: a non-member's
 * peer could not read it); a purchase without a route (none, or one made before purchases were private) is NOT_FOUND.
 */
async function readPurchase(state: LedgerState, purchaseId: string): Promise<{ purchase: MarketPurchase; collection: string }> {
    const route = await readRoute(state, 'purchase', purchaseId);
    if (route) {
        await requirePairReader(state, route, `purchase ${purchaseId}`);
    }
    const collection = route ? pairCollection(route) : undefined;
    const purchase = collection === undefined ? undefined : await state.read<MarketPurchase>(state.key(Key.Purchase, purchaseId), 'purchase', collection);
    if (!purchase || collection === undefined) {
        throw notFound(`purchase ${purchaseId} does not exist`);
    }
    return { purchase, collection };
}

/**
 * The pair whose collection keeps a purchase between the seller's and the buyer's organisations. The deploy generates
 * one collection per operator × tenant pair (test-network-scripts/src/collections.ts), members both organisations
 * and auditors, written only with both organisations' peers; a purchase uses that pair's collection whichever of the
 * two sells. Two organisations without one (the same organisation, two tenants, an auditor) are refused with
 * NO_PAIR_COLLECTION: a collection of one organisation would leave the other endorser of every purchase transaction
 * unable to read it, and public state would name the buyer and the amount to every channel member.
 */
async function purchaseParties(state: LedgerState, sellerMspId: string, buyerMspId: string): Promise<Parties> {
    if (sellerMspId !== buyerMspId) {
        for (const [operatorMspId, tenantMspId] of [
            [sellerMspId, buyerMspId],
            [buyerMspId, sellerMspId],
        ] as const) {
            if ((await hasRole(state, operatorMspId, 'operator')) && (await hasRole(state, tenantMspId, 'tenant'))) {
                return { operatorMspId, tenantMspId };
            }
        }
    }
    throw billingError(
        BillingErrorCode.NoPairCollection,
        `${buyerMspId} cannot buy from ${sellerMspId}: a purchase is kept in the pair collection of an operator and a tenant organisation, and these share none`,
    );
}

/** A purchase transaction's result and single event: the purchase's ids, nothing of its content. */
async function commitIds(state: LedgerState, eventName: string, purchase: MarketPurchase): Promise<string> {
    const ids: PurchaseIds = { purchaseId: purchase.purchaseId, escrowId: purchase.escrowId };
    await state.commit(eventName, ids);
    return toJSON(ids);
}

/**
 * Whether the buyer's organisation rated the provider before ratings stopped naming their buyer (public keys
 * `market.rating~<provider>~<buyerMSP>`). Read as the provider's whole range, not by the buyer's key: a public read
 * puts its key in the block's read set, and that key would name the buyer; the range names only the provider and
 * holds keys that are public already.
 */
async function ratedBeforeCommitments(state: LedgerState, purchase: MarketPurchase): Promise<boolean> {
    const raters = await collect(await state.ctx.stub.getStateByPartialCompositeKey(Key.Rating, [purchase.providerId]), (kv) => state.ctx.stub.splitCompositeKey(kv.key).attributes[1]);
    return raters.includes(purchase.buyerMspId);
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
