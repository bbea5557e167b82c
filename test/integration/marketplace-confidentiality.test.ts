import { BillingClient, generateAccessKeyPair } from '../../gateway-sdk/src';
import { billingParties, billingParty, minutesFromNow, rejectionOf } from '../support/billing';
import { withIssuedClient } from '../support/crafted-client';
import { closeConnections, connectAs, testProfile, uniqueId } from '../support/network';

jest.setTimeout(180_000);

/** Every block from `first` to the newest, fetched with qscc GetBlockByNumber as any channel member's client can. */
async function blocksFrom(first: bigint): Promise<Buffer> {
    const member = await connectAs('CloudOrg');
    const qscc = member.gateway.getNetwork(testProfile().channel).getContract('qscc');
    const blocks: Buffer[] = [];
    for (let n = first; ; n++) {
        try {
            blocks.push(Buffer.from(await qscc.evaluateTransaction('GetBlockByNumber', testProfile().channel, String(n))));
        } catch {
            break;
        }
    }
    return Buffer.concat(blocks);
}

function expectNoneFound(chain: Buffer, secrets: string[]): void {
    for (const secret of secrets) {
        expect({ secret, found: chain.includes(secret) }).toEqual({ secret, found: false });
    }
}

/**
 * Confidentiality of marketplace purchases (issue 9 finding 8, docs/security/confidentiality.md): a purchase and its
 * escrow are private data of the seller's and buyer's pair collection (billing_EdgeOrgMSP_CloudOrgMSP), its request
 * and the units used travel in the transient map, results and events carry ids only. The blocks every member and the
 * orderer hold then carry no buyer, units, amount or key of a purchase; a rating carries its value and weight (public
 * by purpose) and a salted commitment to the purchase instead of the buyer.
 */
describe('marketplace purchases in the blocks every member and the orderer hold', () => {
    afterAll(() => {
        closeConnections();
    });

    it('carry neither the buyer, the units, the amount nor the access key of a purchase; the rating names no buyer', async () => {
        const { edge: issuer, cloud: buyer } = await billingParties();
        // A seller identity of its own, so that its provider id is fresh (CloudOrg rates a provider once) on any run.
        const name = 'Seller';
        const profile = withIssuedClient(testProfile(), 'EdgeOrg', name, [['C', 'US'], ['ST', 'California'], ['OU', 'client'], ['CN', `${uniqueId('seller')}.edgeorg`]]);
        const sellerConnection = await connectAs('EdgeOrg', { profile, user: name });
        const seller = { mspId: sellerConnection.mspId, client: new BillingClient(sellerConnection.gateway.getNetwork(testProfile().channel).getContract(testProfile().chaincodes['resource-billing'] ?? 'resource-billing')) };
        const [unitPrice, units, usedUnits] = [211, 37, 29];
        const payee = uniqueId('conf-market-payee');
        const wallet = uniqueId('conf-market-wallet');
        await seller.client.openAccount(payee);
        await buyer.client.openAccount(wallet);
        const listing = (await seller.client.createListing({ listingId: uniqueId('conf-listing'), kind: 'gpu', title: 'confidential GPU hours', config: {}, unit: 'hour', unitPrice, payeeAccountId: payee })).result;
        // Every block from here on is searched: the purchase, delivery, completion and rating all come later.
        const before = await issuer.client.mint(wallet, 100_000);

        const keys = generateAccessKeyPair();
        const purchaseId = uniqueId('conf-purchase');
        const bought = await buyer.client.purchaseListing({ purchaseId, listingId: listing.listingId, buyerAccountId: wallet, units, deadline: minutesFromNow(30), encryptionKey: keys.publicKeyPem });
        // The client reads the record back, so applications see the purchase as before.
        expect(bought.result).toMatchObject({ purchaseId, units, unitPrice, status: 'paid', buyerAccountId: wallet, buyerMspId: buyer.mspId });
        expect(await buyer.client.getEscrow(bought.result.escrowId)).toMatchObject({ status: 'held', amount: unitPrice * units });
        await seller.client.deliverAccess(purchaseId, 'gpu://edge-site-a/conf');
        const completed = (await seller.client.completePurchase(purchaseId, usedUnits)).result;
        expect(completed).toMatchObject({ status: 'completed', usedUnits, paid: unitPrice * usedUnits, refunded: unitPrice * (units - usedUnits) });
        expect((await buyer.client.readAccess(purchaseId, keys.privateKeyPem)).toString('utf8')).toBe('gpu://edge-site-a/conf');

        // Within the pair, an identity that is neither buyer, seller nor auditor reads nothing of it either.
        const colleague = await billingParty('CloudOrg', 'Admin');
        expect((await rejectionOf(colleague.client.getPurchase(purchaseId))).code).toBe('ACCESS_DENIED');
        expect((await rejectionOf(colleague.client.getEscrow(bought.result.escrowId))).code).toBe('ACCESS_DENIED');

        const beforeRating = await blocksFrom(before.blockNumber);
        // The ids are there (they route the transactions), so the search does look at the right blocks.
        expect(beforeRating.includes(purchaseId)).toBe(true);
        expect(beforeRating.includes(`billing_${seller.mspId}_${buyer.mspId}`)).toBe(true);
        const pemLine = keys.publicKeyPem.split('\n')[1] ?? keys.publicKeyPem;
        const secrets = ['"buyerMspId"', '"buyerId"', '"buyerAccountId"', `"units":${String(units)}`, `"amount":${String(unitPrice * units)}`, `"usedUnits"`, `"refunded":${String(unitPrice * (units - usedUnits))}`, pemLine];
        // Before the rating, what was paid is secret too (a rating makes it public as the rating's weight, its purpose).
        expectNoneFound(beforeRating, [...secrets, `"paid":${String(unitPrice * usedUnits)}`]);

        const reputation = (await buyer.client.ratePurchase(purchaseId, 4)).result;
        expect(reputation.providerId).toBe(listing.providerId);
        const rated = await buyer.client.getPurchase(purchaseId);
        expect(rated).toMatchObject({ rating: 4, ratingCommitment: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown });
        const chain = await blocksFrom(before.blockNumber);
        // The public rating is there, with its commitment; the buyer is not.
        expect(chain.includes(rated.ratingCommitment ?? 'no commitment')).toBe(true);
        expect(chain.includes('market.provider-rating')).toBe(true);
        // Nor does any key: not the rating's, nor a read of an older rating by the buyer's organisation.
        expectNoneFound(chain, [...secrets, `${listing.providerId}\u0000${buyer.mspId}`]);
    });
});
