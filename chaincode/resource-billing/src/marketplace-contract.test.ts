import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { BillingWorld, people } from '../testing/billing-fixture';

import { DEFAULT_TIMESTAMP_TOLERANCE_SECONDS } from './peer-clock';
import { ACCESS_ALGORITHM, type MarketListing, type MarketPurchase, TokenAccount } from '../../schemas/src';

const HOUR = 3_600_000;
const buyerKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const envelope = {
    algorithm: ACCESS_ALGORITHM,
    ephemeralPublicKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    iv: randomBytes(12).toString('base64'),
    ciphertext: randomBytes(48).toString('base64'),
    tag: randomBytes(16).toString('base64'),
};
const listing = { listingId: 'cam-feed-1', kind: 'device', title: 'Roadside camera feed', config: { resolution: '1080p' }, unit: 'hour', unitPrice: 150, payeeAccountId: 'edge-payee' };

describe('MarketplaceContract', () => {
    let world: BillingWorld;
    const purchase = (overrides: Record<string, unknown> = {}): string =>
        JSON.stringify({ purchaseId: 'p-1', listingId: 'cam-feed-1', buyerAccountId: 'alice', units: 4, deadline: new Date(world.ledger.now + HOUR).toISOString(), encryptionKey: buyerKey, ...overrides });

    const balance = async (accountId: string): Promise<number> =>
        (await world.evaluate<TokenAccount>(people.auditor, (ctx) => world.token.GetAccount(ctx, accountId))).balance;

    beforeEach(async () => {
        world = new BillingWorld();
        await world.setUp();
        await world.submit(people.edgeUser, (ctx) => world.market.CreateListing(ctx, JSON.stringify(listing)));
    });

    it('takes a purchase from listing to rating: escrow, encrypted access, usage, payment, reputation', async () => {
        const bought = await world.submit<MarketPurchase>(people.cloudUser, (ctx) => world.market.PurchaseListing(ctx, purchase()));
        expect(bought).toMatchObject({ status: 'paid', units: 4, unitPrice: 150, escrowId: 'purchase:p-1', sellerMspId: 'EdgeOrgMSP' });
        expect(await balance('alice')).toBe(9400);
        const delivered = await world.submit<MarketPurchase>(people.edgeUser, (ctx) => world.market.DeliverAccess(ctx, 'p-1', JSON.stringify(envelope)));
        expect(delivered).toMatchObject({ status: 'delivered', accessEnvelope: envelope });
        expect(world.ledger.events.at(-1)).toEqual(expect.objectContaining({ name: 'AccessDelivered', payload: { purchaseId: 'p-1', escrowId: 'purchase:p-1' } }));
        const completed = await world.submit<MarketPurchase>(people.edgeUser, (ctx) => world.market.CompletePurchase(ctx, 'p-1', '3'));
        expect(completed).toMatchObject({ status: 'completed', usedUnits: 3, paid: 450, refunded: 150 });
        expect([await balance('alice'), await balance('edge-payee')]).toEqual([9550, 450]);
        const reputation = await world.submit(people.cloudUser, (ctx) => world.market.RatePurchase(ctx, 'p-1', '4'));
        expect(reputation).toEqual({ providerId: bought.providerId, ratingSum: 4, ratingCount: 1, paidTotal: 450, weightedRatingSum: 1800 });
        expect(world.ledger.events.at(-1)).toMatchObject({ name: 'ProviderRated', payload: { rating: 4, ratingCount: 1 } });
        expect(await world.evaluate(people.stranger, (ctx) => world.market.GetReputation(ctx, bought.providerId))).toEqual(reputation);
        await world.expectRejected(people.cloudUser, (ctx) => world.market.RatePurchase(ctx, 'p-1', '5'), /^ALREADY_RATED: /);
        await world.expectRejected(people.edgeUser, (ctx) => world.market.RatePurchase(ctx, 'p-1', '5'), /^ACCESS_DENIED: /);
    });

    it('searches active listings by kind, page by page', async () => {
        for (const id of ['cam-feed-2', 'cam-feed-3']) {
            await world.submit(people.edgeUser, (ctx) => world.market.CreateListing(ctx, JSON.stringify({ ...listing, listingId: id })));
        }
        await world.submit(people.edgeUser, (ctx) => world.market.CreateListing(ctx, JSON.stringify({ ...listing, listingId: 'gpu-hours', kind: 'gpu' })));
        const first = await world.evaluate<{ records: MarketListing[]; bookmark: string }>(people.stranger, (ctx) => world.market.SearchListings(ctx, 'device', '2', ''));
        expect(first.records.map((l) => l.listingId)).toEqual(['cam-feed-1', 'cam-feed-2']);
        const next = await world.evaluate<{ records: MarketListing[]; bookmark: string }>(people.stranger, (ctx) => world.market.SearchListings(ctx, 'device', '2', first.bookmark));
        expect(next).toMatchObject({ records: [{ listingId: 'cam-feed-3' }], bookmark: '' });
        const all = await world.evaluate<{ records: MarketListing[] }>(people.stranger, (ctx) => world.market.SearchListings(ctx, '', '10', ''));
        expect(all.records).toHaveLength(4);
        await world.submit(people.edgeUser, (ctx) => world.market.WithdrawListing(ctx, 'cam-feed-2'));
        const after = await world.evaluate<{ records: MarketListing[] }>(people.stranger, (ctx) => world.market.SearchListings(ctx, 'device', '10', ''));
        expect(after.records.map((l) => l.listingId)).toEqual(['cam-feed-1', 'cam-feed-3']);
        await world.expectRejected(people.cloudUser, (ctx) => world.market.PurchaseListing(ctx, purchase({ listingId: 'cam-feed-2' })), /^INVALID_STATE: /);
        await world.expectRejected(people.edgeUser, (ctx) => world.market.WithdrawListing(ctx, 'cam-feed-2'), /^INVALID_STATE: /);
        await world.expectRejected(people.cloudUser, (ctx) => world.market.WithdrawListing(ctx, 'cam-feed-1'), /^ACCESS_DENIED: /);
    });

    it('refunds the buyer who cancels before delivery, or the buyer, the seller or an auditor after the deadline and its grace period', async () => {
        await world.submit(people.cloudUser, (ctx) => world.market.PurchaseListing(ctx, purchase()));
        await world.expectRejected(people.edgeUser, (ctx) => world.market.RefundPurchase(ctx, 'p-1'), /^DEADLINE_NOT_REACHED: /);
        expect(await world.submit(people.cloudUser, (ctx) => world.market.RefundPurchase(ctx, 'p-1'))).toMatchObject({ status: 'refunded', refunded: 600 });
        expect(await balance('alice')).toBe(10000);
        await world.submit(people.cloudUser, (ctx) => world.market.PurchaseListing(ctx, purchase({ purchaseId: 'p-2' })));
        await world.submit(people.edgeUser, (ctx) => world.market.DeliverAccess(ctx, 'p-2', JSON.stringify(envelope)));
        await world.expectRejected(people.cloudUser, (ctx) => world.market.RefundPurchase(ctx, 'p-2'), /^DEADLINE_NOT_REACHED: /);
        world.ledger.advance(HOUR);
        await world.expectRejected(people.edgeUser, (ctx) => world.market.CompletePurchase(ctx, 'p-2', '1'), /^DEADLINE_PASSED: /);
        await world.expectRejected(people.edgeUser, (ctx) => world.market.RefundPurchase(ctx, 'p-2'), /^DEADLINE_NOT_REACHED: /);
        world.ledger.advance(2 * DEFAULT_TIMESTAMP_TOLERANCE_SECONDS * 1000);
        // Outside the pair's collection nobody can read the purchase, and inside it only its parties and auditors act on it.
        await world.expectRejected(people.stranger, (ctx) => world.market.RefundPurchase(ctx, 'p-2'), /^NOT_FOUND: /);
        await world.expectRejected(people.cloudUser2, (ctx) => world.market.RefundPurchase(ctx, 'p-2'), /^ACCESS_DENIED: /);
        expect(await world.submit(people.edgeUser, (ctx) => world.market.RefundPurchase(ctx, 'p-2'))).toMatchObject({ status: 'refunded' });
        await world.expectRejected(people.auditor, (ctx) => world.market.RefundPurchase(ctx, 'p-2'), /^INVALID_STATE: /);
        expect(await balance('alice')).toBe(10000);
    });

    it('shows a purchase to its buyer, its seller and auditors only', async () => {
        await world.submit(people.cloudUser, (ctx) => world.market.PurchaseListing(ctx, purchase()));
        for (const reader of [people.cloudUser, people.edgeUser, people.auditor]) {
            expect(await world.evaluate(reader, (ctx) => world.market.GetPurchase(ctx, 'p-1'))).toMatchObject({ purchaseId: 'p-1' });
        }
        await expect(world.ledger.evaluate(people.cloudUser2, (ctx) => world.market.GetPurchase(ctx, 'p-1'))).rejects.toThrow(/^ACCESS_DENIED: /);
    });

    it.each<[string, (w: BillingWorld) => (ctx: Context) => Promise<unknown>, RegExp]>([
        ['a listing of an unknown kind', (w) => (ctx) => w.market.CreateListing(ctx, JSON.stringify({ ...listing, listingId: 'x', kind: 'boat' })), /^INVALID_ARGUMENT: kind/],
        ['a free listing', (w) => (ctx) => w.market.CreateListing(ctx, JSON.stringify({ ...listing, listingId: 'x', unitPrice: 0 })), /^INVALID_ARGUMENT: unitPrice/],
        ["a listing paid to another's account", (w) => (ctx) => w.market.CreateListing(ctx, JSON.stringify({ ...listing, listingId: 'x', payeeAccountId: 'edge-payee' })), /^ACCESS_DENIED: /],
        ['a duplicate listing', (w) => (ctx) => w.market.CreateListing(ctx, JSON.stringify({ ...listing, payeeAccountId: 'alice' })), /^ALREADY_EXISTS: /],
        ['an unknown listing withdrawal', (w) => (ctx) => w.market.WithdrawListing(ctx, 'none'), /^NOT_FOUND: /],
        ['a purchase of nothing', (w) => (ctx) => w.market.PurchaseListing(ctx, JSON.stringify({ purchaseId: 'p', listingId: 'cam-feed-1', buyerAccountId: 'alice', units: 0, deadline: '2027-01-01T00:00:00Z', encryptionKey: buyerKey })), /^INVALID_ARGUMENT: units/],
        ['a purchase without a P-256 key', (w) => (ctx) => w.market.PurchaseListing(ctx, JSON.stringify({ purchaseId: 'p', listingId: 'cam-feed-1', buyerAccountId: 'alice', units: 1, deadline: '2027-01-01T00:00:00Z', encryptionKey: 'key' })), /^INVALID_ARGUMENT: encryptionKey/],
        ['a purchase with a past deadline', (w) => (ctx) => w.market.PurchaseListing(ctx, JSON.stringify({ purchaseId: 'p', listingId: 'cam-feed-1', buyerAccountId: 'alice', units: 1, deadline: '2025-01-01T00:00:00Z', encryptionKey: buyerKey })), /^INVALID_ARGUMENT: deadline/],
        ['a purchase beyond the balance', (w) => (ctx) => w.market.PurchaseListing(ctx, JSON.stringify({ purchaseId: 'p', listingId: 'cam-feed-1', buyerAccountId: 'alice', units: 100, deadline: '2027-01-01T00:00:00Z', encryptionKey: buyerKey })), /^INSUFFICIENT_BALANCE: /],
        ["a purchase from another's account", (w) => (ctx) => w.market.PurchaseListing(ctx, JSON.stringify({ purchaseId: 'p', listingId: 'cam-feed-1', buyerAccountId: 'edge-payee', units: 1, deadline: '2027-01-01T00:00:00Z', encryptionKey: buyerKey })), /^ACCESS_DENIED: /],
        ['a purchase of an unknown listing', (w) => (ctx) => w.market.PurchaseListing(ctx, JSON.stringify({ purchaseId: 'p', listingId: 'none', buyerAccountId: 'alice', units: 1, deadline: '2027-01-01T00:00:00Z', encryptionKey: buyerKey })), /^NOT_FOUND: /],
        ['a delivery of an unknown purchase', (w) => (ctx) => w.market.DeliverAccess(ctx, 'none', JSON.stringify(envelope)), /^NOT_FOUND: /],
        ['a completion of an unknown purchase', (w) => (ctx) => w.market.CompletePurchase(ctx, 'none', '1'), /^NOT_FOUND: /],
        ['a refund of an unknown purchase', (w) => (ctx) => w.market.RefundPurchase(ctx, 'none'), /^NOT_FOUND: /],
        ['a rating of six', (w) => (ctx) => w.market.RatePurchase(ctx, 'none', '6'), /^INVALID_ARGUMENT: rating/],
        ['a rating of an unknown purchase', (w) => (ctx) => w.market.RatePurchase(ctx, 'none', '5'), /^NOT_FOUND: /],
    ])('refuses %s with a coded error and writes nothing', async (_label, tx, pattern) => {
        await world.expectRejected(people.cloudUser, tx(world), pattern);
    });

    it.each<[string, Record<string, unknown>, RegExp]>([
        ['another algorithm', { algorithm: 'RSA-OAEP' }, /^INVALID_ARGUMENT: envelope.algorithm/],
        ['a short iv', { iv: randomBytes(8).toString('base64') }, /^INVALID_ARGUMENT: envelope.iv/],
        ['a missing tag', { tag: undefined }, /^INVALID_ARGUMENT: envelope.tag/],
        ['an ephemeral key that is not P-256', { ephemeralPublicKey: randomBytes(65).toString('base64') }, /^INVALID_ARGUMENT: envelope.ephemeralPublicKey/],
    ])('refuses an access envelope with %s', async (_label, change, pattern) => {
        await world.submit(people.cloudUser, (ctx) => world.market.PurchaseListing(ctx, purchase()));
        await world.expectRejected(people.edgeUser, (ctx) => world.market.DeliverAccess(ctx, 'p-1', JSON.stringify({ ...envelope, ...change })), pattern);
    });

    it('keeps each step to its party and order', async () => {
        await world.expectRejected(people.edgeUser, (ctx) => world.market.PurchaseListing(ctx, purchase({ buyerAccountId: 'edge-payee' })), /^INVALID_ARGUMENT: an owner/);
        await world.submit(people.cloudUser, (ctx) => world.market.PurchaseListing(ctx, purchase()));
        await world.expectRejected(people.cloudUser, (ctx) => world.market.PurchaseListing(ctx, purchase()), /^ALREADY_EXISTS: /);
        await world.expectRejected(people.cloudUser, (ctx) => world.market.DeliverAccess(ctx, 'p-1', JSON.stringify(envelope)), /^ACCESS_DENIED: /);
        await world.expectRejected(people.edgeUser, (ctx) => world.market.CompletePurchase(ctx, 'p-1', '1'), /^INVALID_STATE: /);
        await world.expectRejected(people.cloudUser, (ctx) => world.market.RatePurchase(ctx, 'p-1', '5'), /^INVALID_STATE: /);
        await world.submit(people.edgeUser, (ctx) => world.market.DeliverAccess(ctx, 'p-1', JSON.stringify(envelope)));
        await world.expectRejected(people.edgeUser, (ctx) => world.market.DeliverAccess(ctx, 'p-1', JSON.stringify(envelope)), /^INVALID_STATE: /);
        await world.expectRejected(people.edgeUser, (ctx) => world.market.CompletePurchase(ctx, 'p-1', '5'), /^INVALID_ARGUMENT: usedUnits/);
        await world.expectRejected(people.edgeUser, (ctx) => world.market.CompletePurchase(ctx, 'p-1', 'x'), /^INVALID_ARGUMENT: usedUnits/);
        await world.expectRejected(people.cloudUser, (ctx) => world.market.CompletePurchase(ctx, 'p-1', '1'), /^ACCESS_DENIED: /);
    });

    it('answers queries with bad input by coded errors', async () => {
        await expect(world.ledger.evaluate(people.stranger, (ctx) => world.market.SearchListings(ctx, 'boat', '10', ''))).rejects.toThrow(/^INVALID_ARGUMENT: kind/);
        await expect(world.ledger.evaluate(people.stranger, (ctx) => world.market.SearchListings(ctx, 'device', '0', ''))).rejects.toThrow(/^INVALID_ARGUMENT: pageSize/);
        await expect(world.ledger.evaluate(people.stranger, (ctx) => world.market.GetListing(ctx, 'none'))).rejects.toThrow(/^NOT_FOUND: /);
        await expect(world.ledger.evaluate(people.stranger, (ctx) => world.market.GetPurchase(ctx, 'none'))).rejects.toThrow(/^NOT_FOUND: /);
        await expect(world.ledger.evaluate(people.stranger, (ctx) => world.market.GetReputation(ctx, ''))).rejects.toThrow(/^INVALID_ARGUMENT: /);
        expect(await world.evaluate(people.stranger, (ctx) => world.market.GetReputation(ctx, 'abc'))).toEqual({ providerId: 'abc', ratingSum: 0, ratingCount: 0, paidTotal: 0, weightedRatingSum: 0 });
    });
});
