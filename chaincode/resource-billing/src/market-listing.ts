import { createHash, createPublicKey } from 'node:crypto';
import { type Caller, invalidArgument, optionalText, requireCount, requireIdentifier, requireOneOf, requireText } from '../../common/src';
import { requireAttributes, requireBase64, requireInstant, requireObject, requireP256PublicKey } from './billing-inputs';

export const LISTING_KINDS = ['device', 'compute', 'storage', 'gpu', 'fpga', 'network', 'data'] as const;
export type ListingKind = (typeof LISTING_KINDS)[number];

/** A shared resource offered by its owner (B7); the access information is never listed, only delivered. */
export interface MarketListing {
    listingId: string;
    kind: ListingKind;
    title: string;
    description?: string;
    config: Record<string, string>;
    /** What one unit is (hour, call, GB, dataset...). */
    unit: string;
    /** Tokens per unit. */
    unitPrice: number;
    payeeAccountId: string;
    ownerMspId: string;
    ownerId: string;
    providerId: string;
    status: 'active' | 'withdrawn';
    createdAt: string;
    txId: string;
}

export interface CreateListingRequest {
    listingId: string;
    kind: ListingKind;
    title: string;
    description?: string;
    config?: Record<string, string>;
    unit: string;
    unitPrice: number;
    payeeAccountId: string;
}

/**
 * Access information encrypted for one buyer: ECDH P-256 between an ephemeral key and the buyer's
 * key, HKDF-SHA256 (info "edgetrust/marketplace/access/v1", salt = purchaseId) to an AES-256-GCM key,
 * with the purchaseId as additional data. The chain stores only this envelope.
 */
export interface AccessEnvelope {
    algorithm: typeof ACCESS_ALGORITHM;
    ephemeralPublicKey: string;
    iv: string;
    ciphertext: string;
    tag: string;
}

export const ACCESS_ALGORITHM = 'ECDH-ES-P256+HKDF-SHA256+A256GCM';

export type PurchaseStatus = 'paid' | 'delivered' | 'completed' | 'refunded';

/** One buyer's purchase of a listing, from escrow to rating. */
export interface MarketPurchase {
    purchaseId: string;
    listingId: string;
    sellerMspId: string;
    sellerId: string;
    providerId: string;
    buyerMspId: string;
    buyerId: string;
    buyerAccountId: string;
    payeeAccountId: string;
    /** Buyer's P-256 public key (SPKI PEM) the access information is encrypted for. */
    encryptionKey: string;
    unitPrice: number;
    units: number;
    escrowId: string;
    deadline: string;
    status: PurchaseStatus;
    accessEnvelope?: AccessEnvelope;
    deliveredAt?: string;
    usedUnits?: number;
    paid?: number;
    refunded?: number;
    closedAt?: string;
    rating?: number;
    ratedAt?: string;
    createdAt: string;
    txId: string;
}

export interface PurchaseRequest {
    purchaseId: string;
    listingId: string;
    buyerAccountId: string;
    units: number;
    deadline: string;
    encryptionKey: string;
}

/**
 * A provider's reputation from paid purchases only (issue 9 finding 7): one 1–5 rating per buyer
 * organisation, each weighted by the tokens that buyer paid; the weighted average is
 * weightedRatingSum / paidTotal, the plain one ratingSum / ratingCount.
 */
export interface ProviderReputation {
    providerId: string;
    ratingCount: number;
    ratingSum: number;
    paidTotal: number;
    weightedRatingSum: number;
}

/** The one rating a buyer organisation gave a provider. */
export interface ProviderRating {
    providerId: string;
    buyerMspId: string;
    purchaseId: string;
    rating: number;
    paid: number;
    ratedAt: string;
    txId: string;
}

export const LISTING_KEY = 'market.listing';
export const LISTING_BY_KIND_INDEX = 'market.listing-by-kind';
export const PURCHASE_KEY = 'market.purchase';
export const REPUTATION_KEY = 'market.reputation';
export const RATING_KEY = 'market.rating';

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
        unitPrice: requireCount(request.unitPrice, 'unitPrice', { min: 1, max: 1_000_000_000_000 }),
        payeeAccountId: requireIdentifier(request.payeeAccountId, 'payeeAccountId'),
    };
}

export function validatePurchase(value: unknown): Omit<PurchaseRequest, 'deadline'> & { deadlineMillis: number } {
    const request = requireObject<PurchaseRequest>(value, 'request');
    return {
        purchaseId: requireIdentifier(request.purchaseId, 'purchaseId'),
        listingId: requireIdentifier(request.listingId, 'listingId'),
        buyerAccountId: requireIdentifier(request.buyerAccountId, 'buyerAccountId'),
        units: requireCount(request.units, 'units', { min: 1, max: 1_000_000_000 }),
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
