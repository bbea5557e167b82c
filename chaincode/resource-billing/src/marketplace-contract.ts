import { Context, Contract, Info, Transaction } from 'fabric-contract-api';
import { completePurchase, createListing, deliverAccess, getListing, getPurchase, getReputation, purchaseListing, ratePurchase, refundPurchase, searchListings, withdrawListing } from './market-listing';

/**
 * The shared-resource marketplace (B7): owners list resources, buyers search and pay into escrow,
 * the owner delivers access information encrypted for the buyer (the chain only holds ciphertext),
 * records the units used and is paid for them, the rest is refunded, and the buyer rates the provider.
 * Purchases and their escrow are private data of the seller's and buyer's pair collection; ratings are public and
 * name no buyer (docs/security/confidentiality.md).
 */
@Info({ title: 'MarketplaceContract', description: 'Shared-resource listings, purchases with escrow, ratings' })
export class MarketplaceContract extends Contract {
    constructor() {
        super('marketplace');
    }

    @Transaction()
    async CreateListing(ctx: Context, request: string): Promise<string> {
        return createListing(ctx, request);
    }

    @Transaction()
    async WithdrawListing(ctx: Context, listingId: string): Promise<string> {
        return withdrawListing(ctx, listingId);
    }

    @Transaction(false)
    async GetListing(ctx: Context, listingId: string): Promise<string> {
        return getListing(ctx, listingId);
    }

    @Transaction(false)
    async SearchListings(ctx: Context, kind: string, pageSize: string, bookmark: string): Promise<string> {
        return searchListings(ctx, kind, pageSize, bookmark);
    }

    @Transaction()
    async PurchaseListing(ctx: Context, purchaseId: string): Promise<string> {
        return purchaseListing(ctx, purchaseId);
    }

    @Transaction()
    async DeliverAccess(ctx: Context, purchaseId: string, envelope: string): Promise<string> {
        return deliverAccess(ctx, purchaseId, envelope);
    }

    @Transaction()
    async CompletePurchase(ctx: Context, purchaseId: string): Promise<string> {
        return completePurchase(ctx, purchaseId);
    }

    @Transaction()
    async RefundPurchase(ctx: Context, purchaseId: string): Promise<string> {
        return refundPurchase(ctx, purchaseId);
    }

    @Transaction()
    async RatePurchase(ctx: Context, purchaseId: string, rating: string): Promise<string> {
        return ratePurchase(ctx, purchaseId, rating);
    }

    @Transaction(false)
    async GetPurchase(ctx: Context, purchaseId: string): Promise<string> {
        return getPurchase(ctx, purchaseId);
    }

    @Transaction(false)
    async GetReputation(ctx: Context, providerId: string): Promise<string> {
        return getReputation(ctx, providerId);
    }
}
