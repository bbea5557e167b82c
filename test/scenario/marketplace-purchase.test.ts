import {
    type AccessKeyPair,
    decryptAccessInfo,
    generateAccessKeyPair,
    type MarketListing,
    type MarketPurchase,
    type ProviderReputation,
} from '../../gateway-sdk/src';
import { type BillingParty, billingParties, minutesFromNow, rejectionOf } from '../support/billing';
import { closeConnections, uniqueId } from '../support/network';

jest.setTimeout(120_000);

/**
 * Scenario 2 (B7, B8): the edge operator lists an FPGA slot on the marketplace; the app provider
 * finds it, pays in compute tokens held in escrow, receives the access information encrypted for
 * its own key (the chain only ever holds ciphertext), is charged for the units used and refunded
 * the rest, and rates the provider.
 */
describe('scenario: a marketplace purchase paid in tokens, from listing to rating', () => {
    let seller: BillingParty;
    let buyer: BillingParty;
    const payee = uniqueId('fpga-payee');
    const wallet = uniqueId('buyer-wallet');
    const accessInfo = `fpga://edge-site-a/slot-3?token=${uniqueId('secret')}`;
    let listing: MarketListing;
    let purchase: MarketPurchase;
    let buyerKeys: AccessKeyPair;
    let reputationBefore: ProviderReputation;

    beforeAll(async () => {
        ({ edge: seller, cloud: buyer } = await billingParties());
        buyerKeys = generateAccessKeyPair();
    });

    afterAll(closeConnections);

    it('1. accounts are opened and the issuer funds the buyer', async () => {
        await seller.client.openAccount(payee);
        await buyer.client.openAccount(wallet);
        // The issuer credits the account without reading it (it is in the buyer organisation's collection); the buyer sees the balance.
        const funded = await seller.client.mint(wallet, 5000);
        expect(funded.result).toEqual({ accountId: wallet, amount: 5000 });
        expect(await buyer.client.getAccount(wallet)).toMatchObject({ accountId: wallet, balance: 5000, ownerMspId: 'CloudOrgMSP' });
    });

    it('2. the seller lists an FPGA slot and the buyer finds it, page by page', async () => {
        const listingId = uniqueId('fpga-listing');
        listing = (
            await seller.client.createListing({
                listingId,
                kind: 'fpga',
                title: 'Video transcoding FPGA slot',
                config: { board: 'Alveo U30', site: 'edge-site-a' },
                unit: 'hour',
                unitPrice: 250,
                payeeAccountId: payee,
            })
        ).result;
        reputationBefore = await buyer.client.getReputation(listing.providerId);

        let found: MarketListing | undefined;
        let bookmark = '';
        for (let page = 0; page < 100 && !found; page++) {
            const result = await buyer.client.searchListings('fpga', { pageSize: 20, bookmark });
            expect(result.records.every((l) => l.kind === 'fpga' && l.status === 'active')).toBe(true);
            found = result.records.find((l) => l.listingId === listingId);
            bookmark = result.bookmark;
            if (bookmark === '') {
                break;
            }
        }
        expect(found).toEqual(listing);
    });

    it('3. the buyer pays 4 units into escrow', async () => {
        purchase = (
            await buyer.client.purchaseListing({
                purchaseId: uniqueId('fpga-purchase'),
                listingId: listing.listingId,
                buyerAccountId: wallet,
                units: 4,
                deadline: minutesFromNow(60),
                encryptionKey: buyerKeys.publicKeyPem,
            })
        ).result;
        expect(purchase).toMatchObject({ status: 'paid', unitPrice: 250, units: 4 });
        expect(await buyer.client.getEscrow(purchase.escrowId)).toMatchObject({ status: 'held', amount: 1000, payerAccountId: wallet, payeeAccountId: payee });
        expect((await buyer.client.getAccount(wallet)).balance).toBe(4000);
        const overdraft = await rejectionOf(
            buyer.client.purchaseListing({ purchaseId: uniqueId('too-much'), listingId: listing.listingId, buyerAccountId: wallet, units: 17, deadline: minutesFromNow(60), encryptionKey: buyerKeys.publicKeyPem }),
        );
        expect(overdraft.code).toBe('INSUFFICIENT_BALANCE');
        expect((await buyer.client.getAccount(wallet)).balance).toBe(4000);
    });

    it('4. the seller releases the access information encrypted for the buyer; only the buyer can read it', async () => {
        const delivered = (await seller.client.deliverAccess(purchase.purchaseId, accessInfo)).result;
        expect(delivered.status).toBe('delivered');
        const onChain = JSON.stringify(await seller.client.getPurchase(purchase.purchaseId));
        expect(onChain).not.toContain(accessInfo);
        expect(onChain).not.toContain(Buffer.from(accessInfo).toString('base64'));

        expect((await buyer.client.readAccess(purchase.purchaseId, buyerKeys.privateKeyPem)).toString('utf8')).toBe(accessInfo);
        // Anyone else, including the seller who encrypted it, holds a different key: authenticated decryption fails.
        const someoneElse = generateAccessKeyPair();
        expect((await rejectionOf(seller.client.readAccess(purchase.purchaseId, someoneElse.privateKeyPem))).code).toBe('ACCESS_DECRYPTION_FAILED');
        // The envelope is bound to its purchase: it cannot be replayed for another.
        const envelope = delivered.accessEnvelope;
        expect(envelope).toBeDefined();
        expect(() => decryptAccessInfo(envelope!, buyerKeys.privateKeyPem, `${purchase.purchaseId}-other`)).toThrow(/cannot decrypt/);
    });

    it('5. the seller records 3 units used: the escrow pays 750 and refunds 250', async () => {
        const completed = (await seller.client.completePurchase(purchase.purchaseId, 3)).result;
        expect(completed).toMatchObject({ status: 'completed', usedUnits: 3, paid: 750, refunded: 250 });
        expect(await seller.client.getEscrow(purchase.escrowId)).toMatchObject({ status: 'released', paid: 750, refunded: 250 });
        expect((await buyer.client.getAccount(wallet)).balance).toBe(4250);
        expect((await seller.client.getAccount(payee)).balance).toBe(750);
        expect((await rejectionOf(seller.client.completePurchase(purchase.purchaseId, 1))).code).toBe('INVALID_STATE');
    });

    it('6. only the paying buyer rates, once per organisation; the reputation grows by the rating weighted by the 750 paid', async () => {
        expect((await rejectionOf(seller.client.ratePurchase(purchase.purchaseId, 5))).code).toBe('ACCESS_DENIED');
        const rated = (await buyer.client.ratePurchase(purchase.purchaseId, 4)).result;
        // Exact, as long as no one else rates this provider at the same moment (CloudOrg rates a provider once: a fresh network).
        expect(rated).toEqual({
            providerId: listing.providerId,
            ratingSum: reputationBefore.ratingSum + 4,
            ratingCount: reputationBefore.ratingCount + 1,
            paidTotal: reputationBefore.paidTotal + 750,
            weightedRatingSum: reputationBefore.weightedRatingSum + 4 * 750,
        });
        expect(await buyer.client.getPurchase(purchase.purchaseId)).toMatchObject({ rating: 4 });
        expect((await rejectionOf(buyer.client.ratePurchase(purchase.purchaseId, 5))).code).toBe('ALREADY_RATED');
        expect(await seller.client.getReputation(listing.providerId)).toEqual(rated);
    });
});
