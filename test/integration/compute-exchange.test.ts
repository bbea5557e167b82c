import { generateKeyPairSync, createHash } from 'node:crypto';
import { type ComputeOrder, EdgeTrustError, signComputeOrder, TransactionConflictError } from '../../gateway-sdk/src';
import { computeParty, isEndorsementMismatch, registerResource } from '../support/billing';
import { closeConnections, uniqueId } from '../support/network';

jest.setTimeout(180_000);

/**
 * The compute exchange's capacity on the real network: the one capacity key per offer makes two concurrent
 * tasks for an offer's last unit end with one assignment; the other is invalidated at commit (MVCC) or refused.
 */
describe('ComputeExchangeClient on the real network: capacity', () => {
    afterAll(closeConnections);

    it('assigns one of two concurrent tasks for the last unit of an offer, and never oversubscribes it', async () => {
        const [edge, cloud] = [await computeParty('EdgeOrg'), await computeParty('CloudOrg')];
        const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
        const [payee, wallet] = [uniqueId('cx-payee'), uniqueId('cx-wallet')];
        await edge.client.openAccount(payee);
        await cloud.client.openAccount(wallet, keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
        await edge.client.mint(wallet, 100);
        const resource = await registerResource(edge.client, 'cx-fpga', { kind: 'fpga', name: 'FPGA slot', payeeAccountId: payee, plan: { unit: 'second', rate: 1 } });
        const offerId = uniqueId('cx-offer');
        await edge.compute.publishOffer({ offerId, resourceId: resource.resourceId, capacity: 1, pricePerUnit: 7, tier: 'edge', latencyClass: 'low' });

        const order = (taskId: string): ComputeOrder => ({
            taskId, accountId: wallet, kind: 'fpga', units: 1, maxPricePerUnit: 7, preferredSiteId: resource.siteId,
            deadline: new Date(Date.now() + 600_000).toISOString(), inputDigest: createHash('sha256').update(taskId).digest('hex'),
        });
        const ids = [uniqueId('cx-a'), uniqueId('cx-b')];
        const outcomes = await Promise.allSettled(ids.map((id) => cloud.compute.submitTask(signComputeOrder(order(id), keys.privateKey))));
        const winners = outcomes.filter((o) => o.status === 'fulfilled');
        const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as unknown);
        const assignedHere = winners.filter((o) => o.value.result.offerId === offerId);
        expect(assignedHere).toHaveLength(1);
        for (const loss of losers) {
            expect(loss).toBeInstanceOf(EdgeTrustError);
            const code = isEndorsementMismatch(loss) ? 'ENDORSEMENT_MISMATCH' : (loss as EdgeTrustError).code;
            // DISCLOSURE_MISMATCH: the wallet the loser disclosed had been debited by the winner meanwhile (nothing written).
            expect(['MVCC_READ_CONFLICT', 'PHANTOM_READ_CONFLICT', 'NO_MATCHING_OFFER', 'ENDORSEMENT_MISMATCH', 'DISCLOSURE_MISMATCH']).toContain(code);
            expect(loss instanceof TransactionConflictError).toBe(code === 'MVCC_READ_CONFLICT' || code === 'PHANTOM_READ_CONFLICT');
        }
        const offer = await cloud.compute.getOffer(offerId);
        expect([offer.capacity, offer.reserved]).toEqual([1, 1]);
        // Only the assigned task took tokens: 100 − 7 (one escrow of 1 unit × 7).
        expect((await cloud.client.getAccount(wallet)).balance).toBe(100 - 7 * winners.length);
        process.stdout.write(`concurrent tasks for the last unit: ${outcomes.map((o) => (o.status === 'fulfilled' ? 'assigned' : (o.reason as EdgeTrustError).code)).join(', ')}\n`);
        await edge.compute.withdrawOffer(offerId);
    });
});
