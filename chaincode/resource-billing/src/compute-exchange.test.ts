import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { bls12_381 } from '@noble/curves/bls12-381';
import { BillingWorld, people } from '../testing/billing-fixture';
import { ATTESTATION_DST, attestationMessage, COMPUTE_EXCHANGE_CONTRACT, firstViolation, type ComputeOffer, type ComputeOrder, computeOrderText, type ComputeProviderStats, type ComputeTaskRecord, type Escrow, PROOF_OF_POSSESSION_DST, type TokenAccount } from '../../schemas/src';

const HOUR = 3_600_000;
const bls = bls12_381.longSignatures;
const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A BLS verifier key from a fixed seed, so runs are reproducible. */
function verifierKey(seed: number): { secret: Uint8Array; publicKey: string; pop: string } {
    // A fixed 32-byte secret below the group order (top bits cleared), so runs are reproducible.
    const secret = createHash('sha256').update(`verifier ${String(seed)}`).digest();
    secret[0] = (secret[0] ?? 0) & 0x3f;
    const publicKey = bls.getPublicKey(secret).toHex(true);
    const pop = bls.Signature.toHex(bls.sign(bls.hash(Buffer.from(publicKey, 'hex'), PROOF_OF_POSSESSION_DST), secret));
    return { secret, publicKey, pop };
}

function attest(secrets: Uint8Array[], taskId: string, resultDigest: string): string {
    const message = bls.hash(new TextEncoder().encode(attestationMessage(taskId, resultDigest)), ATTESTATION_DST);
    return bls.Signature.toHex(bls.aggregateSignatures(secrets.map((secret) => bls.sign(message, secret))));
}

describe('ComputeExchangeContract', () => {
    let world: BillingWorld;
    const taskKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const verifiers = [1, 2, 3].map(verifierKey);

    function order(taskId: string, extra: Partial<ComputeOrder> = {}): ComputeOrder {
        return { taskId, accountId: 'alice', kind: 'gpu', units: 2, maxPricePerUnit: 50, deadline: new Date(world.ledger.now + HOUR).toISOString(), inputDigest: digest(`input ${taskId}`), ...extra };
    }

    function signed(o: ComputeOrder): string {
        return JSON.stringify({ order: o, signature: sign('sha256', Buffer.from(computeOrderText(o)), { key: taskKeys.privateKey, dsaEncoding: 'der' }).toString('base64') });
    }

    async function submitTask(o: ComputeOrder): Promise<ComputeTaskRecord> {
        return world.submit<ComputeTaskRecord>(people.cloudUser, (ctx) => world.compute.SubmitTask(ctx, signed(o)));
    }

    async function balance(accountId: string): Promise<number> {
        return (await world.evaluate<TokenAccount>(people.auditor, (ctx) => world.token.GetAccount(ctx, accountId))).balance;
    }

    function expectSupplyInvariant(): void {
        const minted = world.stateOf<{ minted: number }>('token.supply').reduce((sum, share) => sum + share.minted, 0);
        const held = world.stateOf<Escrow>('token.escrow').filter((e) => e.status === 'held');
        const notes = world.stateOf<{ amount: number }>('token.credit-note').reduce((sum, n) => sum + n.amount, 0);
        const total = world.stateOf<TokenAccount>('token.account').reduce((sum, a) => sum + a.balance, 0) + notes + held.reduce((sum, e) => sum + e.amount, 0);
        expect(total).toBe(minted);
    }

    async function run(taskId: string, resultDigest = digest(`result ${taskId}`)): Promise<void> {
        await world.submit(people.edgeUser, (ctx) => world.compute.AcceptTask(ctx, taskId));
        await world.submit(people.edgeUser, (ctx) => world.compute.SubmitResult(ctx, taskId, JSON.stringify({ resultDigest })));
    }

    beforeEach(async () => {
        world = new BillingWorld();
        await world.setUp();
        const publicKeyPem = taskKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
        await world.submit(people.cloudUser, (ctx) => world.token.SetTaskKey(ctx, 'alice', publicKeyPem));
        await world.submit(people.edgeUser, (ctx) => world.billing.RegisterSite(ctx, JSON.stringify({ siteId: 'site-b', name: 'Site B', location: 'Shenzhen MEC 2' })));
        await world.submit(people.edgeUser, (ctx) => world.billing.RegisterResource(ctx, JSON.stringify({ resourceId: 'gpu-b', siteId: 'site-b', kind: 'gpu', name: 'H100', payeeAccountId: 'edge-payee', plan: { unit: 'second', rate: 10 } })));
        await world.submit(people.edgeUser, (ctx) => world.compute.PublishOffer(ctx, JSON.stringify({ offerId: 'small', resourceId: 'gpu-1', capacity: 4, pricePerUnit: 10, tier: 'far-edge', latencyClass: 'ultra-low' })));
        await world.submit(people.edgeUser, (ctx) => world.compute.PublishOffer(ctx, JSON.stringify({ offerId: 'strong', resourceId: 'gpu-b', capacity: 2, pricePerUnit: 30, tier: 'edge', latencyClass: 'low' })));
        for (const [i, v] of verifiers.entries()) {
            await world.submit(people.cloudUser, (ctx) => world.compute.RegisterVerifier(ctx, JSON.stringify({ verifierId: `v${String(i + 1)}`, publicKey: v.publicKey, proofOfPossession: v.pop })));
        }
    });

    it('publishes offers for operators of the resource only', async () => {
        await world.expectRejected(people.cloudUser, (ctx) => world.compute.PublishOffer(ctx, JSON.stringify({ offerId: 'x', resourceId: 'gpu-1', capacity: 1, pricePerUnit: 1, tier: 'edge', latencyClass: 'low' })), /^ACCESS_DENIED: /);
        await world.expectRejected(people.edgeUser, (ctx) => world.compute.PublishOffer(ctx, JSON.stringify({ offerId: 'small', resourceId: 'gpu-1', capacity: 1, pricePerUnit: 1, tier: 'edge', latencyClass: 'low' })), /^ALREADY_EXISTS: /);
        await world.expectRejected(people.edgeUser, (ctx) => world.compute.PublishOffer(ctx, JSON.stringify({ offerId: 'y', resourceId: 'qos-api', capacity: 1, pricePerUnit: 1, tier: 'edge', latencyClass: 'low' })), /^INVALID_ARGUMENT: .*payee/);
        const page = await world.evaluate<{ records: ComputeOffer[] }>(people.stranger, (ctx) => world.compute.ListOffers(ctx, 'gpu', '10', ''));
        expect(page.records.map((o) => [o.offerId, o.siteId, o.reserved])).toEqual([['small', 'site-a', 0], ['strong', 'site-b', 0]]);
    });

    it('matches by the rule: preferred tier before price, else the cheaper offer; reserves capacity; escrows the budget', async () => {
        const cheap = await submitTask(order('t-cheap'));
        expect([cheap.offerId, cheap.price, cheap.budget]).toEqual(['small', 20, 100]);
        const strong = await submitTask(order('t-strong', { preferredTier: 'edge' }));
        expect([strong.offerId, strong.siteId, strong.price]).toEqual(['strong', 'site-b', 60]);
        expect(await balance('alice')).toBe(10000 - 200);
        // strong is now full; a task preferring it falls back to the cheaper site, then nothing is left.
        expect((await submitTask(order('t-3', { preferredSiteId: 'site-b' }))).offerId).toBe('small');
        await world.expectRejected(people.cloudUser, (ctx) => world.compute.SubmitTask(ctx, signed(order('t-4'))), /^NO_MATCHING_OFFER: /);
        await world.expectRejected(people.cloudUser, (ctx) => world.compute.SubmitTask(ctx, signed(order('t-5', { units: 1, maxPricePerUnit: 5 }))), /^NO_MATCHING_OFFER: /);
        const offers = await world.evaluate<{ records: ComputeOffer[] }>(people.stranger, (ctx) => world.compute.ListOffers(ctx, 'gpu', '10', ''));
        expect(offers.records.map((o) => o.reserved)).toEqual([4, 2]);
        expectSupplyInvariant();
    });

    it('refuses a tampered or unsigned order and a replayed task id, writing nothing', async () => {
        const good = JSON.parse(signed(order('t-1'))) as { order: ComputeOrder; signature: string };
        await world.expectRejected(people.cloudUser, (ctx) => world.compute.SubmitTask(ctx, JSON.stringify({ ...good, order: { ...good.order, maxPricePerUnit: 51 } })), /^SIGNATURE_INVALID: /);
        await world.expectRejected(people.cloudUser, (ctx) => world.compute.SubmitTask(ctx, JSON.stringify({ ...good, extra: 1 })), /^INVALID_ARGUMENT: .*unknown field/);
        await world.submit(people.edgeUser, (ctx) => world.compute.SubmitTask(ctx, JSON.stringify(good)));
        await world.expectRejected(people.edgeUser, (ctx) => world.compute.SubmitTask(ctx, JSON.stringify(good)), /^ALREADY_EXISTS: /);
    });

    it('pays the price on the requester’s acceptance, refunds the rest and counts for the provider', async () => {
        const task = await submitTask(order('t-1', { preferredTier: 'edge' }));
        await world.expectRejected(people.cloudUser, (ctx) => world.compute.AcceptTask(ctx, task.order.taskId), /^ACCESS_DENIED: /);
        await world.expectRejected(people.edgeUser, (ctx) => world.compute.SubmitResult(ctx, 't-1', JSON.stringify({ resultDigest: digest('r') })), /^INVALID_STATE: /);
        await run('t-1');
        await world.expectRejected(people.edgeUser, (ctx) => world.compute.AcceptResult(ctx, 't-1'), /^ACCESS_DENIED: /);
        const done = await world.submit<ComputeTaskRecord>(people.cloudUser, (ctx) => world.compute.AcceptResult(ctx, 't-1'));
        expect([done.status, done.paid, done.refunded, done.acceptance?.by]).toEqual(['completed', 60, 40, 'requester']);
        expect(await balance('edge-payee')).toBe(60);
        expect(await balance('alice')).toBe(10000 - 60);
        expect((await world.evaluate<ComputeOffer>(people.stranger, (ctx) => world.compute.GetOffer(ctx, 'strong'))).reserved).toBe(0);
        expect(await world.evaluate<ComputeProviderStats>(people.stranger, (ctx) => world.compute.GetProviderStats(ctx, 'EdgeOrgMSP'))).toMatchObject({ completed: 1, missed: 0, reputation: 1 });
        expect(done.trail.map((t) => t.step)).toEqual(['submitted', 'assigned', 'accepted', 'result', 'accepted-by-requester']);
        expectSupplyInvariant();
    });

    it('accepts a result on 2 of 3 verifiers’ aggregated BLS signatures and refuses forged, short or outside attestations', async () => {
        await submitTask(order('t-1', { verifierIds: ['v1', 'v2', 'v3'], threshold: 2 }));
        const resultDigest = digest('the result');
        await run('t-1', resultDigest);
        const attempt = (verifierIds: string[], signature: string) => (ctx: Parameters<typeof world.compute.AttestResult>[0]) => world.compute.AttestResult(ctx, 't-1', JSON.stringify({ verifierIds, signature }));
        const [s1, s2, s3] = verifiers.map((v) => v.secret) as [Uint8Array, Uint8Array, Uint8Array];
        await world.expectRejected(people.stranger, attempt(['v1'], attest([s1], 't-1', resultDigest)), /^ATTESTATION_INVALID: 1 signers, 2 needed/);
        await world.expectRejected(people.stranger, attempt(['v1', 'v3'], attest([s1, s2], 't-1', resultDigest)), /^ATTESTATION_INVALID: the aggregate/);
        await world.expectRejected(people.stranger, attempt(['v1', 'v2'], attest([s1, s2], 't-1', digest('another result'))), /^ATTESTATION_INVALID: the aggregate/);
        await world.expectRejected(people.stranger, attempt(['v1', 'v9'], attest([s1, s2], 't-1', resultDigest)), /^ATTESTATION_INVALID: v9 is not a verifier/);
        const done = await world.submit<ComputeTaskRecord>(people.stranger, attempt(['v1', 'v3'], attest([s1, s3], 't-1', resultDigest)));
        expect([done.status, done.paid, done.acceptance?.by, done.acceptance?.verifierIds]).toEqual(['completed', 20, 'verifiers', ['v1', 'v3']]);
        expectSupplyInvariant();
    });

    it('refuses a verifier key without a valid proof of possession (rogue-key defence)', async () => {
        const rogue = verifierKey(9);
        await world.expectRejected(people.stranger, (ctx) => world.compute.RegisterVerifier(ctx, JSON.stringify({ verifierId: 'rogue', publicKey: rogue.publicKey, proofOfPossession: verifiers[0]?.pop })), /^PROOF_OF_POSSESSION_INVALID: /);
        await world.expectRejected(people.stranger, (ctx) => world.compute.RegisterVerifier(ctx, JSON.stringify({ verifierId: 'bad', publicKey: 'ab'.repeat(48), proofOfPossession: rogue.pop })), /^INVALID_ARGUMENT: /);
    });

    it('re-matches a declined task without the declining offer, and refunds when none is left', async () => {
        const first = await submitTask(order('t-1', { units: 2, preferredTier: 'edge' }));
        expect(first.offerId).toBe('strong');
        const again = await world.submit<ComputeTaskRecord>(people.edgeUser, (ctx) => world.compute.DeclineTask(ctx, 't-1'));
        expect([again.status, again.offerId, again.declinedOfferIds]).toEqual(['assigned', 'small', ['strong']]);
        const none = await world.submit<ComputeTaskRecord>(people.edgeUser, (ctx) => world.compute.DeclineTask(ctx, 't-1'));
        expect([none.status, none.offerId, none.refunded]).toEqual(['refunded', undefined, 100]);
        expect(world.ledger.events.at(-1)?.name).toBe('ComputeTaskUnmatched');
        expect(await balance('alice')).toBe(10000);
        const offers = await world.evaluate<{ records: ComputeOffer[] }>(people.stranger, (ctx) => world.compute.ListOffers(ctx, 'gpu', '10', ''));
        expect(offers.records.map((o) => o.reserved)).toEqual([0, 0]);
    });

    it('expires a task past its deadline (judged on the transaction time), refunds and counts a miss', async () => {
        await submitTask(order('t-1', { deadline: new Date(world.ledger.now + 60_000).toISOString() }));
        await world.submit(people.edgeUser, (ctx) => world.compute.AcceptTask(ctx, 't-1'));
        await world.expectRejected(people.stranger, (ctx) => world.compute.ExpireTask(ctx, 't-1'), /^DEADLINE_NOT_REACHED: /);
        world.ledger.advance(61_000);
        await world.expectRejected(people.edgeUser, (ctx) => world.compute.SubmitResult(ctx, 't-1', JSON.stringify({ resultDigest: digest('late') })), /^DEADLINE_PASSED: /);
        const expired = await world.submit<ComputeTaskRecord>(people.stranger, (ctx) => world.compute.ExpireTask(ctx, 't-1'));
        expect([expired.status, expired.paid, expired.refunded]).toEqual(['expired', 0, 100]);
        expect(await world.evaluate<ComputeProviderStats>(people.stranger, (ctx) => world.compute.GetProviderStats(ctx, 'EdgeOrgMSP'))).toMatchObject({ missed: 1, reputation: -2 });
        expect(await balance('alice')).toBe(10000);
        expectSupplyInvariant();
    });

    it('sends a contested result to the regulator, who alone decides; the trail is readable by it', async () => {
        await submitTask(order('t-1'));
        await run('t-1');
        await world.expectRejected(people.edgeUser, (ctx) => world.compute.ContestResult(ctx, 't-1', JSON.stringify({ reason: 'x' })), /^ACCESS_DENIED: /);
        await world.submit(people.cloudUser, (ctx) => world.compute.ContestResult(ctx, 't-1', JSON.stringify({ reason: 'the output is empty' })));
        await world.expectRejected(people.cloudUser, (ctx) => world.compute.AcceptResult(ctx, 't-1'), /^INVALID_STATE: /);
        await world.expectRejected(people.edgeAdmin, (ctx) => world.compute.ResolveContest(ctx, 't-1', JSON.stringify({ outcome: 'pay-provider', reason: 'mine' })), /^ACCESS_DENIED: /);
        await world.expectRejected(people.stranger, (ctx) => world.compute.GetTask(ctx, 't-1'), /^ACCESS_DENIED: /);
        const resolved = await world.submit<ComputeTaskRecord>(people.auditor, (ctx) => world.compute.ResolveContest(ctx, 't-1', JSON.stringify({ outcome: 'refund-requester', reason: 'empty output' })));
        expect([resolved.status, resolved.paid, resolved.refunded, resolved.contest?.decidedByMspId]).toEqual(['refunded', 0, 100, 'AuditOrgMSP']);
        const trail = await world.evaluate<ComputeTaskRecord>(people.auditor, (ctx) => world.compute.GetTask(ctx, 't-1'));
        expect(trail.trail.map((t) => t.step)).toEqual(['submitted', 'assigned', 'accepted', 'result', 'contested', 'resolved']);
        expectSupplyInvariant();
    });

    it('checks the input and result evidence in the evidence chaincode (exists, not revoked, digest matches), refusing with a code and writing nothing', async () => {
        world.anchorEvidence(people.cloudUser, 'in-1', digest('input t-1'));
        world.anchorEvidence(people.cloudUser, 'in-other', digest('another input'));
        world.anchorEvidence(people.cloudUser, 'in-revoked', digest('input t-1'));
        world.revokeEvidence(people.cloudUser, 'in-revoked');
        const refused = (o: ComputeOrder, pattern: RegExp): Promise<void> => world.expectRejected(people.cloudUser, (ctx) => world.compute.SubmitTask(ctx, signed(o)), pattern);
        await refused(order('t-1', { inputEvidenceId: 'in-missing' }), /^CITED_EVIDENCE_NOT_FOUND: the input evidence in-missing/);
        await refused(order('t-1', { inputEvidenceId: 'in-revoked' }), /^CITED_EVIDENCE_REVOKED: /);
        await refused(order('t-1', { inputEvidenceId: 'in-other' }), /^CITED_EVIDENCE_MISMATCH: the input evidence in-other anchors /);
        const task = await submitTask(order('t-1', { inputEvidenceId: 'in-1' }));
        expect(task.inputEvidence).toMatchObject({ evidenceId: 'in-1', digest: digest('input t-1'), status: 'active', anchoredByMspId: 'CloudOrgMSP', sourceProven: false });

        await world.submit(people.edgeUser, (ctx) => world.compute.AcceptTask(ctx, 't-1'));
        const resultDigest = digest('result t-1');
        world.anchorEvidence(people.edgeUser, 'out-wrong', digest('some other result'));
        world.anchorEvidence(people.edgeUser, 'out-revoked', resultDigest);
        world.revokeEvidence(people.edgeUser, 'out-revoked');
        const submit = (resultEvidenceId: string) => (ctx: Parameters<typeof world.compute.SubmitResult>[0]) => world.compute.SubmitResult(ctx, 't-1', JSON.stringify({ resultDigest, resultEvidenceId }));
        await world.expectRejected(people.edgeUser, submit('out-missing'), /^CITED_EVIDENCE_NOT_FOUND: the result evidence/);
        await world.expectRejected(people.edgeUser, submit('out-wrong'), /^CITED_EVIDENCE_MISMATCH: /);
        await world.expectRejected(people.edgeUser, submit('out-revoked'), /^CITED_EVIDENCE_REVOKED: /);
        world.anchorEvidence(people.edgeUser, 'out-1', resultDigest);
        const submitted = await world.submit<ComputeTaskRecord>(people.edgeUser, submit('out-1'));
        expect(submitted.result).toMatchObject({ resultDigest, resultEvidenceId: 'out-1', inputEvidenceId: 'in-1', inputDigest: digest('input t-1'), resultEvidence: { evidenceId: 'out-1', digest: resultDigest, anchoredByMspId: 'EdgeOrgMSP' } });
        // What was checked stays as it was when cited: a later revocation is the evidence chaincode's to tell.
        world.revokeEvidence(people.edgeUser, 'out-1');
        expect((await world.evaluate<ComputeTaskRecord>(people.auditor, (ctx) => world.compute.GetTask(ctx, 't-1'))).result?.resultEvidence?.status).toBe('active');
    });

    it('refuses evidence citations when the evidence chaincode is not on the channel (fail closed)', async () => {
        const alone = new BillingWorld({ withEvidence: false });
        await alone.setUp();
        await alone.submit(people.cloudUser, (ctx) => alone.token.SetTaskKey(ctx, 'alice', taskKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString()));
        await alone.submit(people.edgeUser, (ctx) => alone.compute.PublishOffer(ctx, JSON.stringify({ offerId: 'small', resourceId: 'gpu-1', capacity: 4, pricePerUnit: 10, tier: 'far-edge', latencyClass: 'ultra-low' })));
        await alone.expectRejected(people.cloudUser, (ctx) => alone.compute.SubmitTask(ctx, signed(order('t-1', { inputEvidenceId: 'in-1' }))), /^EVIDENCE_UNAVAILABLE: /);
        await alone.submit(people.cloudUser, (ctx) => alone.compute.SubmitTask(ctx, signed(order('t-2'))));
    });

    it('answers every transaction with what its schema in the contract metadata describes (wire shapes)', async () => {
        const checked = new Set<string>();
        const call = async <T = ComputeTaskRecord>(name: string, who: (typeof people)[keyof typeof people], run: Parameters<typeof world.ledger.submit>[1]): Promise<T> => {
            const spec = COMPUTE_EXCHANGE_CONTRACT.transactions[name];
            const text = spec?.type === 'submit' ? await world.ledger.submit(who, run) : await world.ledger.evaluate(who, run as (ctx: Parameters<typeof run>[0]) => Promise<string>);
            const value = JSON.parse(String(text)) as T;
            expect(firstViolation(spec?.returns ?? COMPUTE_EXCHANGE_CONTRACT.transactions.GetTask!.returns, value, name)).toBeUndefined();
            checked.add(name);
            return value;
        };
        const [s1, s2] = verifiers.map((v) => v.secret) as [Uint8Array, Uint8Array];
        await call('PublishOffer', people.edgeUser, (ctx) => world.compute.PublishOffer(ctx, JSON.stringify({ offerId: 'third', resourceId: 'gpu-1', capacity: 1, pricePerUnit: 99, tier: 'cloud', latencyClass: 'batch' })));
        await call('WithdrawOffer', people.edgeUser, (ctx) => world.compute.WithdrawOffer(ctx, 'third'));
        await call('GetOffer', people.stranger, (ctx) => world.compute.GetOffer(ctx, 'small'));
        await call('ListOffers', people.stranger, (ctx) => world.compute.ListOffers(ctx, 'gpu', '10', ''));
        await call('RegisterVerifier', people.stranger, (ctx) => world.compute.RegisterVerifier(ctx, JSON.stringify({ verifierId: 'v4', publicKey: verifierKey(4).publicKey, proofOfPossession: verifierKey(4).pop })));
        await call('GetVerifier', people.stranger, (ctx) => world.compute.GetVerifier(ctx, 'v4'));
        for (const id of ['w-1', 'w-2', 'w-3', 'w-4']) {
            await call('SubmitTask', people.cloudUser, (ctx) => world.compute.SubmitTask(ctx, signed(order(id, { units: 1, verifierIds: ['v1', 'v2'], threshold: 2, deadline: new Date(world.ledger.now + 120_000).toISOString() }))));
        }
        await call('DeclineTask', people.edgeUser, (ctx) => world.compute.DeclineTask(ctx, 'w-1'));
        for (const id of ['w-1', 'w-2', 'w-3']) {
            await call('AcceptTask', people.edgeUser, (ctx) => world.compute.AcceptTask(ctx, id));
            world.anchorEvidence(people.edgeUser, `ev-${id}`, digest(id));
            await call('SubmitResult', people.edgeUser, (ctx) => world.compute.SubmitResult(ctx, id, JSON.stringify({ resultDigest: digest(id), resultEvidenceId: `ev-${id}` })));
        }
        await call('AcceptResult', people.cloudUser, (ctx) => world.compute.AcceptResult(ctx, 'w-1'));
        await call('AttestResult', people.stranger, (ctx) => world.compute.AttestResult(ctx, 'w-2', JSON.stringify({ verifierIds: ['v1', 'v2'], signature: attest([s1, s2], 'w-2', digest('w-2')) })));
        await call('ContestResult', people.cloudUser, (ctx) => world.compute.ContestResult(ctx, 'w-3', JSON.stringify({ reason: 'wrong' })));
        await call('ResolveContest', people.auditor, (ctx) => world.compute.ResolveContest(ctx, 'w-3', JSON.stringify({ outcome: 'pay-provider', reason: 'correct' })));
        world.ledger.advance(121_000);
        await call('ExpireTask', people.stranger, (ctx) => world.compute.ExpireTask(ctx, 'w-4'));
        await call('GetTask', people.auditor, (ctx) => world.compute.GetTask(ctx, 'w-3'));
        await call('GetProviderStats', people.stranger, (ctx) => world.compute.GetProviderStats(ctx, 'EdgeOrgMSP'));
        expect([...checked].sort()).toEqual(Object.keys(COMPUTE_EXCHANGE_CONTRACT.transactions).sort());
        expectSupplyInvariant();
    });
});
