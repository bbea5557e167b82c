import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { aggregateAttestation, type ComputeOrder, ComputeExchangeClient, type ComputeTaskRecord, EvidenceClient, generateVerifierKey, signComputeOrder, signResult } from '../../gateway-sdk/src';
import { computeParty, registerResource, rejectionOf, sleep } from '../support/billing';
import { joinOrganization, type JoinedOrganization } from '../support/consortium';
import { closeConnections, connectAs, testProfile, uniqueId } from '../support/network';

// RegulatorOrg joins and leaves the running network in this file: a configuration update, a peer, approvals, twice.
jest.setTimeout(900_000);

const log = (line: string): void => {
    process.stdout.write(`[compute] ${line}\n`);
};

type Party = Awaited<ReturnType<typeof computeParty>>;
const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * Compute-power trading (CFN, issue 16): an enterprise (CloudOrg) signs an AI inference task paid in compute tokens;
 * the contract routes it to the stronger of two edge sites of the operator (EdgeOrg), whose worker runs it and
 * submits the result digest; 2 of 3 verifiers attest it with aggregated BLS signatures and the provider is paid.
 * A second task's provider misses the deadline and the requester is refunded. Input and result are anchored as
 * evidence, and the compute contract checks the citations against the evidence chaincode. RegulatorOrg then joins
 * the network (network:add-org), reads the whole trail as auditor and decides a third task's contested result.
 */
describe('scenario: compute tasks routed, executed, attested and paid', () => {
    let edge: Party;
    let cloud: Party;
    let edgeEvidence: EvidenceClient;
    let cloudEvidence: EvidenceClient;
    let regulator: JoinedOrganization | undefined;
    const inputEvidenceId = uniqueId('cfn-input');
    const resultEvidenceId = uniqueId('cfn-result');
    let late: ComputeTaskRecord;
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
        const evidenceOf = async (org: string): Promise<EvidenceClient> => new EvidenceClient((await connectAs(org)).gateway.getNetwork(testProfile().channel).getContract('evidence'));
        [edgeEvidence, cloudEvidence] = [await evidenceOf('EdgeOrg'), await evidenceOf('CloudOrg')];
    });

    afterAll(async () => {
        for (const offerId of offers) {
            await edge.compute.withdrawOffer(offerId).catch(() => undefined);
        }
        closeConnections();
        await regulator?.leave();
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

    it('2. a signed AI inference task, its input anchored as evidence, is routed to the stronger site and its budget escrowed', async () => {
        await cloudEvidence.anchor({ id: inputEvidenceId, digest: sha256(input), name: 'frame-0042.rgb', size: input.length, source: { type: 'app', id: 'cfn-requester' } });
        const taskId = uniqueId('cfn-infer');
        // The citation is checked against the evidence chaincode: an input record that does not exist is refused.
        const unanchored = signComputeOrder(order(taskId, { inputEvidenceId: uniqueId('cfn-nothing') }), keys.privateKey);
        expect((await rejectionOf(cloud.compute.submitTask(unanchored))).code).toBe('CITED_EVIDENCE_NOT_FOUND');
        const submitted = await cloud.compute.submitTask(signComputeOrder(order(taskId, { preferredTier: 'edge', inputEvidenceId, verifierIds: verifiers.map((v) => v.request.verifierId), threshold: 2 }), keys.privateKey));
        inference = submitted.result;
        expect(inference).toMatchObject({ status: 'assigned', siteId: strongSite, offerId: offers[1], providerMspId: 'EdgeOrgMSP', price: 60, budget: 80 });
        expect(inference.inputEvidence).toMatchObject({ evidenceId: inputEvidenceId, digest: sha256(input), status: 'active', anchoredByMspId: 'CloudOrgMSP' });
        expect((await cloud.client.getAccount(wallet)).balance).toBe(1000 - 80);
        // A signature over another order does not pass.
        const forged = signComputeOrder(order(uniqueId('cfn-forged'), {}), keys.privateKey);
        expect((await rejectionOf(cloud.compute.submitTask({ ...forged, order: { ...forged.order, maxPricePerUnit: 41 } }))).code).toBe('SIGNATURE_INVALID');
    });

    it('3. the provider accepts, runs the inference command on the input and submits the result digest, anchored as evidence', async () => {
        await edge.compute.acceptTask(inference.order.taskId);
        expect(sha256(input)).toBe(inference.order.inputDigest);
        const output = execFileSync(process.execPath, ['-e', 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.stringify({label:s.includes("pedestrian")?"pedestrian":"none",score:0.97})))'], { input });
        // A record of another digest is not the result's evidence.
        expect((await rejectionOf(edge.compute.submitResult(inference.order.taskId, { resultDigest: sha256(output), resultEvidenceId: inputEvidenceId }))).code).toBe('CITED_EVIDENCE_MISMATCH');
        await edgeEvidence.anchor({ id: resultEvidenceId, digest: sha256(output), name: 'inference.json', size: output.length, source: { type: 'app', id: 'cfn-worker' } });
        const submitted = await edge.compute.submitResult(inference.order.taskId, { resultDigest: sha256(output), resultEvidenceId });
        inference = submitted.result;
        expect(inference.status).toBe('submitted');
        expect(inference.result).toMatchObject({
            resultDigest: sha256(output),
            inputDigest: sha256(input),
            inputEvidenceId,
            resultEvidenceId,
            resultEvidence: { evidenceId: resultEvidenceId, digest: sha256(output), anchoredByMspId: 'EdgeOrgMSP' },
        });
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
        late = (await cloud.compute.submitTask(signComputeOrder(order(taskId, { units: 1, deadline: new Date(Date.now() + 8_000).toISOString() }), keys.privateKey))).result;
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

    it('7. RegulatorOrg joins the network, reads the whole trail as auditor and decides a contested result', async () => {
        const taskId = uniqueId('cfn-contested');
        await cloud.compute.submitTask(signComputeOrder(order(taskId, { units: 1, inputEvidenceId }), keys.privateKey));
        await edge.compute.acceptTask(taskId);
        const output = Buffer.from('{"label":"none","score":0.01}');
        await edge.compute.submitResult(taskId, { resultDigest: sha256(output) });
        await cloud.compute.contestResult(taskId, 'the frame shows a pedestrian; the result says none');

        regulator = await joinOrganization('RegulatorOrg', log);
        const connection = await connectAs('RegulatorOrg');
        expect(connection.mspId).toBe('RegulatorOrgMSP');
        const network = connection.gateway.getNetwork(testProfile().channel);
        const audit = new ComputeExchangeClient(network.getContract(testProfile().chaincodes['resource-billing'] ?? 'resource-billing'));
        const evidence = new EvidenceClient(network.getContract('evidence'));

        // The whole trail: each task's steps, who took them, its escrow, and the evidence its citations name.
        const [paid, expired, contested] = [await audit.getTask(inference.order.taskId), await audit.getTask(late.order.taskId), await audit.getTask(taskId)];
        expect(paid).toEqual(await cloud.compute.getTask(inference.order.taskId));
        expect(paid.trail.map((t) => t.step)).toEqual(['submitted', 'assigned', 'accepted', 'result', 'attested']);
        expect(expired.trail.map((t) => t.step)).toEqual(['submitted', 'assigned', 'accepted', 'expired']);
        expect(contested).toMatchObject({ status: 'contested', contest: { reason: 'the frame shows a pedestrian; the result says none' } });
        expect(await evidence.read(paid.result?.resultEvidenceId ?? '')).toMatchObject({ digest: paid.result?.resultDigest, submitterMspId: 'EdgeOrgMSP', status: 'active' });
        expect(await evidence.read(paid.order.inputEvidenceId ?? '')).toMatchObject({ digest: paid.order.inputDigest, submitterMspId: 'CloudOrgMSP' });
        expect(await evidence.verify(inputEvidenceId, sha256(input))).toMatchObject({ outcome: 'match' });

        // The regulator alone decides: neither party may, and its decision settles the escrow.
        expect((await rejectionOf(edge.compute.resolveContest(taskId, 'pay-provider', 'our result is right'))).code).toBe('ACCESS_DENIED');
        const balanceBefore = (await cloud.client.getAccount(wallet)).balance;
        const decided = (await audit.resolveContest(taskId, 'refund-requester', 'the input evidence shows a pedestrian')).result;
        expect(decided).toMatchObject({ status: 'refunded', paid: 0, refunded: 40, contest: { outcome: 'refund-requester', decidedByMspId: 'RegulatorOrgMSP' } });
        expect((await cloud.client.getAccount(wallet)).balance).toBe(balanceBefore + 40);
        expect((await cloud.compute.getTask(taskId)).trail.map((t) => [t.step, t.byMspId])).toEqual([
            ['submitted', 'CloudOrgMSP'],
            ['assigned', 'CloudOrgMSP'],
            ['accepted', 'EdgeOrgMSP'],
            ['result', 'EdgeOrgMSP'],
            ['contested', 'CloudOrgMSP'],
            ['resolved', 'RegulatorOrgMSP'],
        ]);
    });
});
