import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { aggregateAttestation, type ComputeOrder, type ComputeTaskRecord, generateVerifierKey, signComputeOrder, signResult } from '../../gateway-sdk/src';
import { computeParty, registerResource, rejectionOf, sleep } from '../support/billing';
import { closeConnections, uniqueId } from '../support/network';

jest.setTimeout(240_000);

type Party = Awaited<ReturnType<typeof computeParty>>;
const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * Compute-power trading (CFN, issue 16): an enterprise (CloudOrg) signs an AI inference task paid in compute tokens;
 * the contract routes it to the stronger of two edge sites of the operator (EdgeOrg), whose worker runs it and
 * submits the result digest; 2 of 3 verifiers attest it with aggregated BLS signatures and the provider is paid.
 * A second task's provider misses the deadline and the requester is refunded. Both trails are read back.
 */
describe('scenario: compute tasks routed, executed, attested and paid', () => {
    let edge: Party;
    let cloud: Party;
    const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const [payee, wallet] = [uniqueId('cfn-payee'), uniqueId('cfn-wallet')];
    const offers: string[] = [];
    const verifiers = ['v1', 'v2', 'v3'].map((name) => generateVerifierKey(uniqueId(`cfn-${name}`)));
    const input = Buffer.from('frame-0042: 640x480 RGB, pedestrian crossing');
    let strongSite = '';
    let inference: ComputeTaskRecord;

    const order = (taskId: string, extra: Partial<ComputeOrder>): ComputeOrder => ({
        taskId, accountId: wallet, kind: 'gpu', units: 2, maxPricePerUnit: 40, deadline: new Date(Date.now() + 600_000).toISOString(), inputDigest: sha256(input), ...extra,
    });

    beforeAll(async () => {
        [edge, cloud] = [await computeParty('EdgeOrg'), await computeParty('CloudOrg')];
    });

    afterAll(async () => {
        for (const offerId of offers) {
            await edge.compute.withdrawOffer(offerId).catch(() => undefined);
        }
        closeConnections();
    });

    it('1. two edge sites offer GPU capacity; the enterprise funds a wallet with a task key; three verifiers register', async () => {
        await edge.client.openAccount(payee);
        await cloud.client.openAccount(wallet, keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
        await edge.client.mint(wallet, 1000);
        const weak = await registerResource(edge.client, 'cfn-weak', { kind: 'gpu', name: 'T4 slice', payeeAccountId: payee, plan: { unit: 'second', rate: 1 } });
        const strong = await registerResource(edge.client, 'cfn-strong', { kind: 'gpu', name: 'H100 slice', payeeAccountId: payee, plan: { unit: 'second', rate: 3 } });
        strongSite = strong.siteId;
        for (const [resource, tier, price] of [[weak, 'far-edge', 10], [strong, 'edge', 30]] as const) {
            const offerId = uniqueId(`cfn-offer-${tier}`);
            await edge.compute.publishOffer({ offerId, resourceId: resource.resourceId, capacity: 8, pricePerUnit: price, tier, latencyClass: 'low' });
            offers.push(offerId);
        }
        for (const [i, verifier] of verifiers.entries()) {
            const owner = i === 0 ? edge : cloud;
            await owner.compute.registerVerifier(verifier.request);
        }
    });

    it('2. a signed AI inference task preferring the edge tier is routed to the stronger site and its budget escrowed', async () => {
        const taskId = uniqueId('cfn-infer');
        const submitted = await cloud.compute.submitTask(signComputeOrder(order(taskId, { preferredTier: 'edge', verifierIds: verifiers.map((v) => v.request.verifierId), threshold: 2 }), keys.privateKey));
        inference = submitted.result;
        expect(inference).toMatchObject({ status: 'assigned', siteId: strongSite, offerId: offers[1], providerMspId: 'EdgeOrgMSP', price: 60, budget: 80 });
        expect((await cloud.client.getAccount(wallet)).balance).toBe(1000 - 80);
        // A signature over another order does not pass.
        const forged = signComputeOrder(order(uniqueId('cfn-forged'), {}), keys.privateKey);
        expect((await rejectionOf(cloud.compute.submitTask({ ...forged, order: { ...forged.order, maxPricePerUnit: 41 } }))).code).toBe('SIGNATURE_INVALID');
    });

    it('3. the provider accepts, runs the inference command on the input and submits the result digest', async () => {
        await edge.compute.acceptTask(inference.order.taskId);
        expect(sha256(input)).toBe(inference.order.inputDigest);
        const output = execFileSync(process.execPath, ['-e', 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.stringify({label:s.includes("pedestrian")?"pedestrian":"none",score:0.97})))'], { input });
        const submitted = await edge.compute.submitResult(inference.order.taskId, { resultDigest: sha256(output) });
        inference = submitted.result;
        expect(inference.status).toBe('submitted');
        expect(inference.result).toMatchObject({ resultDigest: sha256(output), inputDigest: sha256(input) });
    });

    it('4. two of three verifiers attest the result with one aggregated BLS signature, and the provider is paid', async () => {
        const digest = inference.result?.resultDigest ?? '';
        const one = aggregateAttestation([{ verifierId: verifiers[0]?.request.verifierId ?? '', signature: signResult(inference.order.taskId, digest, verifiers[0]?.secretKey ?? '') }]);
        expect((await rejectionOf(edge.compute.attestResult(inference.order.taskId, one))).code).toBe('ATTESTATION_INVALID');
        const two = aggregateAttestation([0, 2].map((i) => ({ verifierId: verifiers[i]?.request.verifierId ?? '', signature: signResult(inference.order.taskId, digest, verifiers[i]?.secretKey ?? '') })));
        const payeeBefore = (await edge.client.getAccount(payee)).balance;
        const done = (await edge.compute.attestResult(inference.order.taskId, two)).result;
        expect(done).toMatchObject({ status: 'completed', paid: 60, refunded: 20, acceptance: { by: 'verifiers', verifierIds: two.verifierIds } });
        expect((await edge.client.getAccount(payee)).balance).toBe(payeeBefore + 60);
        expect((await cloud.client.getAccount(wallet)).balance).toBe(1000 - 60);
    });

    it('5. a second task whose provider misses the deadline is refunded and counted against the provider', async () => {
        const statsBefore = await cloud.compute.getProviderStats('EdgeOrgMSP');
        const taskId = uniqueId('cfn-late');
        const late = (await cloud.compute.submitTask(signComputeOrder(order(taskId, { units: 1, deadline: new Date(Date.now() + 8_000).toISOString() }), keys.privateKey))).result;
        expect(late.status).toBe('assigned');
        await edge.compute.acceptTask(taskId);
        expect((await rejectionOf(cloud.compute.expireTask(taskId))).code).toBe('DEADLINE_NOT_REACHED');
        await sleep(Math.max(0, Date.parse(late.order.deadline) - Date.now()) + 2_000);
        expect((await rejectionOf(edge.compute.submitResult(taskId, { resultDigest: sha256('too late') }))).code).toBe('DEADLINE_PASSED');
        const expired = (await cloud.compute.expireTask(taskId)).result;
        expect(expired).toMatchObject({ status: 'expired', paid: 0, refunded: 40 });
        expect((await cloud.client.getAccount(wallet)).balance).toBe(1000 - 60);
        expect(await cloud.compute.getProviderStats('EdgeOrgMSP')).toMatchObject({ missed: statsBefore.missed + 1, completed: statsBefore.completed });
    });

    it('6. the whole trail of each task is on the ledger, the same for both organisations', async () => {
        const [asRequester, asProvider] = [await cloud.compute.getTask(inference.order.taskId), await edge.compute.getTask(inference.order.taskId)];
        expect(asProvider).toEqual(asRequester);
        expect(asRequester.trail.map((t) => t.step)).toEqual(['submitted', 'assigned', 'accepted', 'result', 'attested']);
        expect(asRequester.trail.map((t) => t.byMspId)).toEqual(['CloudOrgMSP', 'CloudOrgMSP', 'EdgeOrgMSP', 'EdgeOrgMSP', 'EdgeOrgMSP']);
        const escrow = await cloud.client.getEscrow(asRequester.escrowId);
        expect(escrow).toMatchObject({ status: 'released', paid: 60, refunded: 20, payeeAccountId: payee });
    });
});
