import { createHash, generateKeyPairSync } from 'node:crypto';
import { identityId } from '../../common/testing/memory-ledger';
import { accessEnvelopeOfShape, BillingWorld, people } from '../testing/billing-fixture';
import { ratingCommitment } from './market-listing';
import { type MarketPurchase, type ProviderRating } from '../../schemas/src';

/*
 * Issue 9 finding 8 for the marketplace (docs/security/confidentiality.md): a purchase and its escrow are private data
 * of the seller's and buyer's pair collection, its request comes from the transient map, and results and events carry
 * ids only. A rating's value and weight stay public (their purpose), but the public rating names no buyer: it carries
 * a salted commitment to the purchase instead.
 */
const HOUR = 3_600_000;
const COLLECTION = 'billing_EdgeOrgMSP_CloudOrgMSP';
const buyerKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const envelope = accessEnvelopeOfShape();
const listing = { listingId: 'cam-1', kind: 'device', title: 'Roadside camera feed', unit: 'hour', unitPrice: 137, payeeAccountId: 'edge-payee' };
const secondTenant = { mspId: 'SecondTenantMSP', name: 'User1@second.edgetrust.local' };
const salt = (): Buffer => Buffer.from(Buffer.alloc(32, 9).toString('base64'));

describe('attack: reading a marketplace purchase or a rater from what every peer holds (issue 9 finding 8)', () => {
    let world: BillingWorld;
    const request = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
        purchaseId: 'p-1',
        listingId: 'cam-1',
        buyerAccountId: 'alice',
        units: 29,
        deadline: new Date(world.ledger.now + HOUR).toISOString(),
        encryptionKey: buyerKey,
        ...overrides,
    });

    /** Public state as text, one line per key, without the token accounts (public until their own change; see the status table). */
    const publicText = (): string =>
        [...world.ledger.snapshot()]
            .filter(([key]) => !key.startsWith('\u0000token.account\u0000') && !key.startsWith('\u0000token.supply\u0000'))
            .map(([key, value]) => `${key} ${Buffer.from(value, 'base64').toString('utf8')}`)
            .join('\n');

    beforeEach(async () => {
        world = new BillingWorld();
        await world.setUp();
        await world.submit(people.edgeUser, (ctx) => world.market.CreateListing(ctx, JSON.stringify(listing)));
    });

    it('keeps the purchase and its escrow out of public state, and names no buyer in the public rating', async () => {
        const events = world.ledger.events.length;
        await world.submit(people.cloudUser, (ctx) => world.market.PurchaseListing(ctx, JSON.stringify(request())));
        await world.submit(people.edgeUser, (ctx) => world.market.DeliverAccess(ctx, 'p-1', envelope));
        const completed = await world.submit<MarketPurchase>(people.edgeUser, (ctx) => world.market.CompletePurchase(ctx, 'p-1', '23'));
        expect(completed).toMatchObject({ status: 'completed', units: 29, usedUnits: 23, paid: 23 * 137, refunded: 6 * 137 });
        await world.submit(people.cloudUser, (ctx) => world.market.RatePurchase(ctx, 'p-1', '4'));

        const text = publicText();
        for (const secret of [identityId(people.cloudUser), '"buyerMspId"', '"buyerAccountId"', '"units":29', `"amount":${String(29 * 137)}`, '"usedUnits"', '"refunded"', buyerKey.split('\n')[1] ?? buyerKey]) {
            expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
        }
        for (const objectType of ['market.purchase', 'token.escrow', 'market.rating', 'market.rated-by-buyer']) {
            expect(text).not.toContain(`\u0000${objectType}\u0000`);
        }
        // The one public mention of the purchase id is its route, naming the pair (as the collection name does anyway).
        expect(text.split('\n').filter((line) => line.includes('p-1'))).toEqual([`\u0000billing.route\u0000purchase\u0000p-1\u0000 {"operatorMspId":"EdgeOrgMSP","tenantMspId":"CloudOrgMSP"}`]);
        // The private side holds all of it, for the pair's peers.
        expect(world.stateOf<MarketPurchase>('market.purchase')).toEqual([expect.objectContaining({ purchaseId: 'p-1', buyerAccountId: 'alice', units: 29, rating: 4 })]);
        expect([...(world.ledger.privateSnapshot().get(COLLECTION)?.keys() ?? [])].some((key) => key.startsWith('\u0000token.escrow\u0000purchase:p-1'))).toBe(true);
        // Results and events name ids only; the rating's event carries its public value, weight and commitment.
        const emitted = world.ledger.events.slice(events);
        expect(emitted.slice(0, 3).map((e) => e.payload)).toEqual([0, 1, 2].map(() => ({ purchaseId: 'p-1', escrowId: 'purchase:p-1' })));
        expect(JSON.stringify(emitted)).not.toContain(identityId(people.cloudUser));
        expect(Object.keys(emitted[3]?.payload as object).sort()).toEqual(['commitment', 'paid', 'paidTotal', 'providerId', 'rating', 'ratingCount', 'ratingSum', 'weightedRatingSum']);
    });

    it('the public rating commits to its purchase: the parties open it with the salt they keep, a guess without it does not', async () => {
        await world.submit(people.cloudUser, (ctx) => world.market.PurchaseListing(ctx, JSON.stringify(request())));
        await world.submit(people.edgeUser, (ctx) => world.market.DeliverAccess(ctx, 'p-1', envelope));
        await world.submit(people.edgeUser, (ctx) => world.market.CompletePurchase(ctx, 'p-1', '2'));
        await world.submit(people.cloudUser, (ctx) => world.market.RatePurchase(ctx, 'p-1', '5'));
        const [rating] = world.stateOf<ProviderRating>('market.provider-rating');
        expect(rating).toMatchObject({ rating: 5, paid: 274 });
        expect(Object.keys(rating ?? {})).not.toContain('buyerMspId');
        const purchase = await world.evaluate<MarketPurchase>(people.auditor, (ctx) => world.market.GetPurchase(ctx, 'p-1'));
        expect(purchase.ratingCommitment).toBe(rating?.commitment);
        expect(ratingCommitment(purchase.ratingSalt ?? '', 'p-1')).toBe(rating?.commitment);
        // Someone who guesses which purchase it was cannot confirm the guess without the salt.
        expect(createHash('sha256').update('p-1').digest('hex')).not.toBe(rating?.commitment);
        expect(ratingCommitment(Buffer.alloc(32).toString('base64'), 'p-1')).not.toBe(rating?.commitment);
    });

    it('still counts a rating written before ratings stopped naming their buyer, without reading its key by the buyer', async () => {
        await world.submit(people.cloudUser, (ctx) => world.market.PurchaseListing(ctx, JSON.stringify(request())));
        await world.submit(people.edgeUser, (ctx) => world.market.DeliverAccess(ctx, 'p-1', envelope));
        const { providerId } = await world.submit<MarketPurchase>(people.edgeUser, (ctx) => world.market.CompletePurchase(ctx, 'p-1', '2'));
        // A public rating of the older shape, as earlier versions wrote it for CloudOrg.
        const old = { providerId, buyerMspId: 'CloudOrgMSP', purchaseId: 'p-old', rating: 5, paid: 10, ratedAt: '2026-01-01T00:00:00.000Z', txId: 'old' };
        await world.ledger.submit(people.edgeAdmin, (ctx) => ctx.stub.putState(ctx.stub.createCompositeKey('market.rating', [providerId, 'CloudOrgMSP']), Buffer.from(JSON.stringify(old))));
        await world.expectRejected(people.cloudUser, (ctx) => world.market.RatePurchase(ctx, 'p-1', '3'), /^ALREADY_RATED: /);
    });

    it('takes the purchase request and the units used only from the transient map, and a salt for every private write', async () => {
        const contract = world.marketContract;
        await world.expectRejected(people.cloudUser, (ctx) => contract.PurchaseListing(ctx, 'p-1'), /^INVALID_ARGUMENT: request goes in the transient map/, { transient: new Map([['salt', salt()]]) });
        const transient = new Map([['request', Buffer.from(JSON.stringify(request()))], ['salt', salt()]]);
        await world.expectRejected(people.cloudUser, (ctx) => contract.PurchaseListing(ctx, 'p-2'), /^INVALID_ARGUMENT: the purchaseId argument/, { transient });
        await world.expectRejected(people.cloudUser, (ctx) => contract.PurchaseListing(ctx, 'p-1'), /^INVALID_ARGUMENT: a private record needs a salt/, {
            transient: new Map([['request', Buffer.from(JSON.stringify(request()))], ['account', Buffer.from(world.disclosureOf('alice') ?? '')]]),
        });
        await world.submit(people.cloudUser, (ctx) => world.market.PurchaseListing(ctx, JSON.stringify(request())));
        await world.submit(people.edgeUser, (ctx) => world.market.DeliverAccess(ctx, 'p-1', envelope));
        await world.expectRejected(people.edgeUser, (ctx) => contract.CompletePurchase(ctx, 'p-1'), /^INVALID_ARGUMENT: request goes in the transient map/, { transient: new Map([['salt', salt()]]) });
        await world.expectRejected(people.edgeUser, (ctx) => world.market.CompletePurchase(ctx, 'p-1', '30'), /^INVALID_ARGUMENT: usedUnits exceeds/);
        await world.submit(people.edgeUser, (ctx) => world.market.CompletePurchase(ctx, 'p-1', '1'));
        // The SDK salts every transaction; an empty transient map is what a client without it sends.
        await world.expectRejected(people.cloudUser, (ctx) => contract.RatePurchase(ctx, 'p-1', '3'), /^INVALID_ARGUMENT: a private record needs a salt/, { transient: new Map() });
    });

    it('answers an organisation outside the pair NOT_FOUND for the purchase (ACCESS_DENIED for its escrow), before its peer would read the collection', async () => {
        await world.submit(people.cloudUser, (ctx) => world.market.PurchaseListing(ctx, JSON.stringify(request())));
        await expect(world.ledger.evaluate(people.stranger, (ctx) => world.market.GetPurchase(ctx, 'p-1'))).rejects.toThrow(/^NOT_FOUND: purchase p-1 does not exist/);
        await expect(world.ledger.evaluate(people.stranger, (ctx) => world.token.GetEscrow(ctx, 'purchase:p-1'))).rejects.toThrow(/^ACCESS_DENIED: /);
        await world.expectRejected(people.stranger, (ctx) => world.market.DeliverAccess(ctx, 'p-1', envelope), /^NOT_FOUND: /);
        // Inside the pair the escrow is for its accounts' owners, issuers and auditors, as any escrow.
        await expect(world.ledger.evaluate(people.cloudUser2, (ctx) => world.token.GetEscrow(ctx, 'purchase:p-1'))).rejects.toThrow(/^ACCESS_DENIED: /);
        for (const reader of [people.cloudUser, people.edgeUser, people.auditor]) {
            expect(await world.evaluate(reader, (ctx) => world.token.GetEscrow(ctx, 'purchase:p-1'))).toMatchObject({ status: 'held', amount: 29 * 137, payerAccountId: 'alice' });
        }
    });

    it('keeps a purchase in the one pair collection of its two organisations, whichever sells; refuses two that share none (NO_PAIR_COLLECTION)', async () => {
        // A tenant sells to the operator: the same pair's collection.
        await world.submit(people.cloudUser, (ctx) => world.market.CreateListing(ctx, JSON.stringify({ ...listing, listingId: 'cloud-cam', payeeAccountId: 'alice' })));
        await world.submit(people.edgeAdmin, (ctx) => world.token.OpenAccount(ctx, JSON.stringify({ accountId: 'edge-wallet' })));
        await world.submit(people.edgeUser, (ctx) => world.token.Mint(ctx, 'edge-wallet', '1000'));
        await world.submit(people.edgeAdmin, (ctx) => world.market.PurchaseListing(ctx, JSON.stringify(request({ purchaseId: 'p-op', listingId: 'cloud-cam', buyerAccountId: 'edge-wallet', units: 1 }))));
        expect([...(world.ledger.privateSnapshot().get(COLLECTION)?.keys() ?? [])]).toContain('\u0000market.purchase\u0000p-op\u0000');
        // The same organisation, and two tenants, share no collection: refused, nothing written.
        await world.expectRejected(people.edgeAdmin, (ctx) => world.market.PurchaseListing(ctx, JSON.stringify(request({ purchaseId: 'p-self', buyerAccountId: 'edge-wallet', units: 1 }))), /^NO_PAIR_COLLECTION: /);
        await world.submit(people.edgeAdmin, (ctx) => world.billing.GrantRole(ctx, secondTenant.mspId, 'tenant'));
        await world.submit(secondTenant, (ctx) => world.token.OpenAccount(ctx, JSON.stringify({ accountId: 'second' })));
        await world.submit(people.edgeUser, (ctx) => world.token.Mint(ctx, 'second', '1000'));
        await world.expectRejected(secondTenant, (ctx) => world.market.PurchaseListing(ctx, JSON.stringify(request({ purchaseId: 'p-tenants', listingId: 'cloud-cam', buyerAccountId: 'second', units: 1 }))), /^NO_PAIR_COLLECTION: /);
        // The second tenant buys from the operator in its own pair's collection.
        await world.submit(secondTenant, (ctx) => world.market.PurchaseListing(ctx, JSON.stringify(request({ purchaseId: 'p-second', buyerAccountId: 'second', units: 1 }))));
        expect([...(world.ledger.privateSnapshot().get('billing_EdgeOrgMSP_SecondTenantMSP')?.keys() ?? [])]).toContain('\u0000market.purchase\u0000p-second\u0000');
        await expect(world.ledger.evaluate(people.cloudUser, (ctx) => world.market.GetPurchase(ctx, 'p-second'))).rejects.toThrow(/^NOT_FOUND: /);
    });
});
