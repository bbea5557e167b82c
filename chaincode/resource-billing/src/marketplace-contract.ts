import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import {
    accessDenied,
    alreadyExists,
    type Caller,
    caller,
    invalidArgument,
    invalidState,
    notFound,
    parseArgument,
    readIndexPage,
    requireIdentifier,
    toJSON,
    timestampToleranceMillis,
    txTime,
    txTimeMillis,
} from '../../common/src';
import { parseCountArgument } from './billing-inputs';
import { billingError, BillingErrorCode } from './billing-errors';
import { LedgerState } from '../../common/src';
import {
    LISTING_BY_KIND_INDEX,
    LISTING_KEY,
    LISTING_KINDS,
    type MarketListing,
    type MarketPurchase,
    type ProviderRating,
    type ProviderReputation,
    PURCHASE_KEY,
    providerIdOf,
    RATING_KEY,
    REPUTATION_KEY,
    requireRating,
    validateEnvelope,
    validateListing,
    validatePurchase,
} from './market-listing';
import { addAmounts, meteredAmount } from './price-plan';
import { callerIsAuditor } from './role-grant';
import { escrowIdOf } from './token-account';
import { holdInEscrow, readOwnAccount, releaseEscrow } from './token-ledger';

/**
 * The shared-resource marketplace (B7): owners list resources, buyers search and pay into escrow,
 * the owner delivers access information encrypted for the buyer (the chain only holds ciphertext),
 * records the units used and is paid for them, the rest is refunded, and the buyer rates the provider.
 */
@Info({ title: 'MarketplaceContract', description: 'Shared-resource listings, purchases with escrow, ratings' })
export class MarketplaceContract extends Contract {
    constructor() {
        super('marketplace');
    }

    /** Lists a resource; any identity, paid into a token account it owns. */
    @Transaction()
    @Returns('string')
    async CreateListing(ctx: Context, requestJson: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const request = validateListing(parseArgument(requestJson, 'request'));
        await readOwnAccount(state, request.payeeAccountId);
        const key = state.key(LISTING_KEY, request.listingId);
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
        state.putIndex(state.key(LISTING_BY_KIND_INDEX, listing.kind, listing.listingId));
        await state.commit('ListingCreated', { listingId: listing.listingId, kind: listing.kind, unitPrice: listing.unitPrice, providerId: listing.providerId });
        return toJSON(listing);
    }

    /** Takes a listing off the market; its owner only. Purchases already made continue. */
    @Transaction()
    @Returns('string')
    async WithdrawListing(ctx: Context, listingId: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const listing = await this.#readListing(state, requireIdentifier(listingId, 'listingId'));
        if (!sameIdentity(caller(ctx), listing.ownerMspId, listing.ownerId)) {
            throw accessDenied(`listing ${listing.listingId} belongs to someone else`);
        }
        if (listing.status !== 'active') {
            throw invalidState(`listing ${listing.listingId} is already withdrawn`);
        }
        const withdrawn: MarketListing = { ...listing, status: 'withdrawn' };
        state.put(state.key(LISTING_KEY, listing.listingId), withdrawn);
        state.delete(state.key(LISTING_BY_KIND_INDEX, listing.kind, listing.listingId));
        await state.commit('ListingWithdrawn', { listingId: listing.listingId });
        return toJSON(withdrawn);
    }

    /** A listing; public. */
    @Transaction(false)
    @Returns('string')
    async GetListing(ctx: Context, listingId: string): Promise<string> {
        return toJSON(await this.#readListing(LedgerState.query(ctx), requireIdentifier(listingId, 'listingId')));
    }

    /** A page of active listings of one kind, or of every kind when `kind` is empty; public. */
    @Transaction(false)
    @Returns('string')
    async SearchListings(ctx: Context, kind: string, pageSize: string, bookmark: string): Promise<string> {
        const state = LedgerState.query(ctx);
        if (kind !== '' && !(LISTING_KINDS as readonly string[]).includes(kind)) {
            throw invalidArgument(`kind must be empty or one of ${LISTING_KINDS.join(', ')}`);
        }
        const page = await readIndexPage(ctx, LISTING_BY_KIND_INDEX, kind === '' ? [] : [kind], parseCountArgument(pageSize, 'pageSize'), bookmark, (kv) => {
            const [, id = ''] = ctx.stub.splitCompositeKey(kv.key).attributes;
            return this.#readListing(state, id);
        });
        return toJSON(page);
    }

    /**
     * Buys up to `units` of a listing: their price goes into escrow from an account the buyer owns,
     * until the seller completes (paid for units used, rest refunded) or the deadline passes.
     */
    @Transaction()
    @Returns('string')
    async PurchaseListing(ctx: Context, requestJson: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const request = validatePurchase(parseArgument(requestJson, 'request'));
        const who = caller(ctx);
        const listing = await this.#readListing(state, request.listingId);
        if (listing.status !== 'active') {
            throw invalidState(`listing ${listing.listingId} is withdrawn`);
        }
        if (sameIdentity(who, listing.ownerMspId, listing.ownerId)) {
            throw invalidArgument('an owner cannot buy its own listing');
        }
        if (request.deadlineMillis <= txTimeMillis(ctx)) {
            throw invalidArgument('deadline must be in the future');
        }
        const key = state.key(PURCHASE_KEY, request.purchaseId);
        if (await state.exists(key)) {
            throw alreadyExists(`purchase ${request.purchaseId} exists already`);
        }
        await readOwnAccount(state, request.buyerAccountId);
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
    @Transaction()
    @Returns('string')
    async DeliverAccess(ctx: Context, purchaseId: string, envelopeJson: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const envelope = validateEnvelope(parseArgument(envelopeJson, 'envelope'));
        const purchase = await this.#readPurchase(state, requireIdentifier(purchaseId, 'purchaseId'));
        requireSeller(ctx, purchase);
        requireStatus(purchase, 'paid');
        requireBeforeDeadline(ctx, purchase);
        const delivered: MarketPurchase = { ...purchase, status: 'delivered', accessEnvelope: envelope, deliveredAt: txTime(ctx) };
        state.put(state.key(PURCHASE_KEY, purchase.purchaseId), delivered);
        await state.commit('AccessDelivered', { purchaseId: purchase.purchaseId, listingId: purchase.listingId });
        return toJSON(delivered);
    }

    /** The seller records the units used; the escrow pays for them and refunds the rest. */
    @Transaction()
    @Returns('string')
    async CompletePurchase(ctx: Context, purchaseId: string, usedUnits: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const used = parseCountArgument(usedUnits, 'usedUnits');
        const purchase = await this.#readPurchase(state, requireIdentifier(purchaseId, 'purchaseId'));
        requireSeller(ctx, purchase);
        requireStatus(purchase, 'delivered');
        requireBeforeDeadline(ctx, purchase);
        if (used > purchase.units) {
            throw invalidArgument(`usedUnits exceeds the ${String(purchase.units)} units bought`);
        }
        const escrow = await releaseEscrow(state, purchase.escrowId, meteredAmount('call', purchase.unitPrice, used), txTime(ctx));
        const completed: MarketPurchase = { ...purchase, status: 'completed', usedUnits: used, paid: escrow.paid, refunded: escrow.refunded, closedAt: txTime(ctx) };
        state.put(state.key(PURCHASE_KEY, purchase.purchaseId), completed);
        await state.commit('PurchaseCompleted', { purchaseId: purchase.purchaseId, usedUnits: used, paid: escrow.paid, refunded: escrow.refunded });
        return toJSON(completed);
    }

    /** Refunds the whole escrow: by the buyer before delivery, or by anyone once the deadline and its grace period have passed. */
    @Transaction()
    @Returns('string')
    async RefundPurchase(ctx: Context, purchaseId: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const purchase = await this.#readPurchase(state, requireIdentifier(purchaseId, 'purchaseId'));
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
        state.put(state.key(PURCHASE_KEY, purchase.purchaseId), refunded);
        await state.commit('PurchaseRefunded', { purchaseId: purchase.purchaseId, refunded: escrow.refunded });
        return toJSON(refunded);
    }

    /**
     * The buyer rates the provider 1 to 5 after a completed purchase it paid for (issue 9 finding 7):
     * never from the provider's own organisation, once per buyer organisation and provider, and
     * weighted by what was paid, so ratings cannot be had for free or by the dozen.
     */
    @Transaction()
    @Returns('string')
    async RatePurchase(ctx: Context, purchaseId: string, rating: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const stars = requireRating(rating);
        const purchase = await this.#readPurchase(state, requireIdentifier(purchaseId, 'purchaseId'));
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
        const ratingKey = state.key(RATING_KEY, purchase.providerId, purchase.buyerMspId);
        if (purchase.rating !== undefined || (await state.exists(ratingKey))) {
            throw billingError(BillingErrorCode.AlreadyRated, `${purchase.buyerMspId} has rated provider ${purchase.providerId} already`);
        }
        const key = state.key(REPUTATION_KEY, purchase.providerId);
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
        state.put(state.key(PURCHASE_KEY, purchase.purchaseId), { ...purchase, rating: stars, ratedAt: txTime(ctx) });
        await state.commit('ProviderRated', { ...reputation, purchaseId: purchase.purchaseId, rating: stars, paid });
        return toJSON(reputation);
    }

    /** A purchase; for its buyer, its seller and auditors. */
    @Transaction(false)
    @Returns('string')
    async GetPurchase(ctx: Context, purchaseId: string): Promise<string> {
        const state = LedgerState.query(ctx);
        const purchase = await this.#readPurchase(state, requireIdentifier(purchaseId, 'purchaseId'));
        const who = caller(ctx);
        const party = sameIdentity(who, purchase.buyerMspId, purchase.buyerId) || sameIdentity(who, purchase.sellerMspId, purchase.sellerId);
        if (!party && !(await callerIsAuditor(state))) {
            throw accessDenied(`purchase ${purchase.purchaseId} concerns other parties`);
        }
        return toJSON(purchase);
    }

    /** A provider's reputation (zero ratings if it has none yet); public. */
    @Transaction(false)
    @Returns('string')
    async GetReputation(ctx: Context, providerId: string): Promise<string> {
        const state = LedgerState.query(ctx);
        const id = requireIdentifier(providerId, 'providerId');
        return toJSON(await readReputation(state, id));
    }

    async #readListing(state: LedgerState, listingId: string): Promise<MarketListing> {
        const listing = await state.read<MarketListing>(state.key(LISTING_KEY, listingId), 'listing');
        if (!listing) {
            throw notFound(`listing ${listingId} does not exist`);
        }
        return listing;
    }

    async #readPurchase(state: LedgerState, purchaseId: string): Promise<MarketPurchase> {
        const purchase = await state.read<MarketPurchase>(state.key(PURCHASE_KEY, purchaseId), 'purchase');
        if (!purchase) {
            throw notFound(`purchase ${purchaseId} does not exist`);
        }
        return purchase;
    }
}

async function readReputation(state: LedgerState, providerId: string): Promise<ProviderReputation> {
    const stored = await state.read<Partial<ProviderReputation>>(state.key(REPUTATION_KEY, providerId), 'reputation');
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
