import { createHash, createPublicKey } from 'node:crypto';
import { type Caller, invalidArgument, optionalText, requireCount, requireIdentifier, requireOneOf, requireText } from '../../common/src';
import { requireAttributes, requireBase64, requireInstant, requireObject, requireP256PublicKey } from './billing-inputs';
import { ACCESS_ALGORITHM, type AccessEnvelope, type CreateListingRequest, LISTING_KINDS, MAX_PURCHASE_UNITS, MAX_UNIT_PRICE, type PurchaseRequest } from '../../schemas/src';

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
