import { generateKeyPairSync } from 'node:crypto';
import { accessEnvelopeOfShape, BillingWorld, people } from '../testing/billing-fixture';
import { type MarketPurchase, type ProviderReputation } from '../../schemas/src';

/*
 * Issue 9 finding 7: a rating must cost something. Only paid purchases are rated, weighted by what
 * was paid; one rating per buyer organisation and provider; never by the provider's own organisation.
 */
const HOUR = 3_600_000;
const buyerKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const envelope = accessEnvelopeOfShape();
/** A second tenant organisation: its purchases from EdgeOrg go to the pair collection billing_EdgeOrgMSP_SecondTenantMSP. */
const secondTenant = { mspId: 'SecondTenantMSP', name: 'User1@second.edgetrust.local' };
const listing = { listingId: 'cam-1', kind: 'device', title: 'Roadside camera feed', unit: 'hour', unitPrice: 150, payeeAccountId: 'edge-payee' };

describe('attack: ratings without payment (issue 9 finding 7)', () => {
    let world: BillingWorld;

    beforeEach(async () => {
        world = new BillingWorld();
        await world.setUp();
        await world.submit(people.edgeUser, (ctx) => world.market.CreateListing(ctx, JSON.stringify(listing)));
        // A second EdgeOrg identity with its own funded account: the seller's colleague.
        await world.submit(people.edgeAdmin, (ctx) => world.token.OpenAccount(ctx, JSON.stringify({ accountId: 'edge-colleague' })));
        await world.submit(people.edgeUser, (ctx) => world.token.Mint(ctx, 'edge-colleague', '10000'));
    });

    async function buyAndComplete(buyer: typeof people.cloudUser, accountId: string, purchaseId: string, usedUnits: number): Promise<MarketPurchase> {
        const request = { purchaseId, listingId: 'cam-1', buyerAccountId: accountId, units: 4, deadline: new Date(world.ledger.now + HOUR).toISOString(), encryptionKey: buyerKey };
        await world.submit(buyer, (ctx) => world.market.PurchaseListing(ctx, JSON.stringify(request)));
        await world.submit(people.edgeUser, (ctx) => world.market.DeliverAccess(ctx, purchaseId, envelope));
        return world.submit<MarketPurchase>(people.edgeUser, (ctx) => world.market.CompletePurchase(ctx, purchaseId, String(usedUnits)));
    }

    it("the seller's own organisation cannot rate it: it cannot even buy from it (no pair collection), so it never pays for a rating", async () => {
        for (const units of [0, 2]) {
            const request = { purchaseId: `self-${String(units)}`, listingId: 'cam-1', buyerAccountId: 'edge-colleague', units: 4, deadline: new Date(world.ledger.now + HOUR).toISOString(), encryptionKey: buyerKey };
            await world.expectRejected(people.edgeAdmin, (ctx) => world.market.PurchaseListing(ctx, JSON.stringify(request)), /^NO_PAIR_COLLECTION: /);
            await world.expectRejected(people.edgeAdmin, (ctx) => world.market.RatePurchase(ctx, request.purchaseId, '5'), /^NOT_FOUND: /);
        }
    });

    it('a purchase completed with 0 units used, and so paid 0, cannot be rated', async () => {
        await buyAndComplete(people.cloudUser, 'alice', 'p-free', 0);
        await world.expectRejected(people.cloudUser, (ctx) => world.market.RatePurchase(ctx, 'p-free', '1'), /^INVALID_STATE: .*paid nothing/);
    });

    it('one rating per buyer organisation and provider, weighted by what was paid', async () => {
        const first = await buyAndComplete(people.cloudUser, 'alice', 'p-1', 1);
        const reputation = await world.submit<ProviderReputation>(people.cloudUser, (ctx) => world.market.RatePurchase(ctx, 'p-1', '2'));
        expect(reputation).toEqual({ providerId: first.providerId, ratingCount: 1, ratingSum: 2, paidTotal: 150, weightedRatingSum: 300 });
        await buyAndComplete(people.cloudUser, 'alice', 'p-2', 4);
        await world.expectRejected(people.cloudUser, (ctx) => world.market.RatePurchase(ctx, 'p-2', '5'), /^ALREADY_RATED: /);
        // Another identity of the same buyer organisation is the same rater.
        await world.submit(people.cloudUser2, (ctx) => world.token.OpenAccount(ctx, JSON.stringify({ accountId: 'bob' })));
        await world.submit(people.edgeUser, (ctx) => world.token.Mint(ctx, 'bob', '1000'));
        await buyAndComplete(people.cloudUser2, 'bob', 'p-3', 4);
        await world.expectRejected(people.cloudUser2, (ctx) => world.market.RatePurchase(ctx, 'p-3', '5'), /^ALREADY_RATED: /);
        // A second tenant organisation that buys and pays is a new rater; its 600 paid weighs four times the 150.
        await world.submit(people.edgeAdmin, (ctx) => world.billing.GrantRole(ctx, secondTenant.mspId, 'tenant'));
        await world.submit(secondTenant, (ctx) => world.token.OpenAccount(ctx, JSON.stringify({ accountId: 'second' })));
        await world.submit(people.edgeUser, (ctx) => world.token.Mint(ctx, 'second', '1000'));
        await buyAndComplete(secondTenant, 'second', 'p-4', 4);
        const after = await world.submit<ProviderReputation>(secondTenant, (ctx) => world.market.RatePurchase(ctx, 'p-4', '5'));
        expect(after).toEqual({ providerId: first.providerId, ratingCount: 2, ratingSum: 7, paidTotal: 750, weightedRatingSum: 3300 });
    });
});
