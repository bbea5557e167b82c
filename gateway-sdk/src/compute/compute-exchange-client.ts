import type { Contract } from '@hyperledger/fabric-gateway';
import { ContractClient, type SubmitOptions, type Submitted } from '../contract-client';
import { submitToken, type TokenCall, TokenEndorsers } from '../billing/token-transient';
import type { PageOptions, Page } from '../billing/models';
import type { ComputeOffer, ComputeProviderStats, ComputeTaskRecord, ComputeVerifier, ContestOutcome, PublishOfferRequest, RegisterVerifierRequest, ResultAttestation, SubmitResultRequest, SubmitTaskRequest } from './models';
import type { ResourceKind } from '@edgetrust/schemas';

/**
 * Typed client of the compute exchange (`compute:` contract of the resource-billing chaincode): offers, signed
 * tasks matched to capacity, results, k-of-n BLS attestation and escrowed payment (docs/compute-exchange.md).
 * Refusals keep their chaincode code: NO_MATCHING_OFFER, SIGNATURE_INVALID, ATTESTATION_INVALID,
 * PROOF_OF_POSSESSION_INVALID, DEADLINE_PASSED, DEADLINE_NOT_REACHED, INSUFFICIENT_BALANCE, and for a cited input or
 * result evidence record CITED_EVIDENCE_NOT_FOUND, CITED_EVIDENCE_REVOKED, CITED_EVIDENCE_MISMATCH, EVIDENCE_UNAVAILABLE.
 * @example
 * const requester = new ComputeExchangeClient(cloudNetwork.getContract('resource-billing'));
 * await requester.submitTask(signComputeOrder(order, taskKey));
 */
export class ComputeExchangeClient extends ContractClient {
    /** @param contract - The resource-billing chaincode's contract from fabric-gateway (no contract name). */
    // eslint-disable-next-line @typescript-eslint/no-useless-constructor -- makes ContractClient's protected constructor public
    constructor(contract: Contract) {
        super(contract);
    }

    readonly #endorsers = new TokenEndorsers((name, args) => this.evaluate(name, args));

    /** A transaction that moves tokens (billing/token-transient.ts): salted, the debited account disclosed, its endorsers named. */
    #submitToken<T>(call: TokenCall, options?: SubmitOptions): Promise<Submitted<T>> {
        return submitToken<T>((name, args, opts) => this.submit(name, args, opts), (name, args) => this.evaluate(name, args), this.#endorsers, call, options);
    }

    publishOffer(request: PublishOfferRequest): Promise<Submitted<ComputeOffer>> {
        return this.submit('compute:PublishOffer', [JSON.stringify(request)]);
    }

    withdrawOffer(offerId: string): Promise<Submitted<ComputeOffer>> {
        return this.submit('compute:WithdrawOffer', [offerId]);
    }

    getOffer(offerId: string): Promise<ComputeOffer> {
        return this.evaluate('compute:GetOffer', [offerId]);
    }

    listOffers(kind: ResourceKind, options: PageOptions = {}): Promise<Page<ComputeOffer>> {
        return this.evaluate('compute:ListOffers', [kind, String(options.pageSize ?? 100), options.bookmark ?? '']);
    }

    registerVerifier(request: RegisterVerifierRequest): Promise<Submitted<ComputeVerifier>> {
        return this.submit('compute:RegisterVerifier', [JSON.stringify(request)]);
    }

    getVerifier(verifierId: string): Promise<ComputeVerifier> {
        return this.evaluate('compute:GetVerifier', [verifierId]);
    }

    /**
     * Submits a signed order (signComputeOrder); the chaincode escrows the budget and assigns an offer. The paying
     * account is disclosed from the caller's own peer when the caller owns it; anyone else submitting the order passes
     * the owner's disclosure (BillingClient.getDisclosure) in `options.transientData.account`.
     */
    submitTask(request: SubmitTaskRequest, options?: SubmitOptions): Promise<Submitted<ComputeTaskRecord>> {
        return this.#submitToken({ name: 'compute:SubmitTask', args: [JSON.stringify(request)], debit: request.order.accountId }, options);
    }

    acceptTask(taskId: string): Promise<Submitted<ComputeTaskRecord>> {
        return this.submit('compute:AcceptTask', [taskId]);
    }

    declineTask(taskId: string): Promise<Submitted<ComputeTaskRecord>> {
        return this.#submitToken({ name: 'compute:DeclineTask', args: [taskId] });
    }

    submitResult(taskId: string, result: SubmitResultRequest): Promise<Submitted<ComputeTaskRecord>> {
        return this.#submitToken({ name: 'compute:SubmitResult', args: [taskId, JSON.stringify(result)] });
    }

    acceptResult(taskId: string): Promise<Submitted<ComputeTaskRecord>> {
        return this.#submitToken({ name: 'compute:AcceptResult', args: [taskId] });
    }

    /** Accepts on k of n verifiers' aggregated signatures (aggregateAttestation). */
    attestResult(taskId: string, attestation: ResultAttestation): Promise<Submitted<ComputeTaskRecord>> {
        return this.#submitToken({ name: 'compute:AttestResult', args: [taskId, JSON.stringify(attestation)] });
    }

    contestResult(taskId: string, reason: string): Promise<Submitted<ComputeTaskRecord>> {
        return this.submit('compute:ContestResult', [taskId, JSON.stringify({ reason })]);
    }

    resolveContest(taskId: string, outcome: ContestOutcome, reason: string): Promise<Submitted<ComputeTaskRecord>> {
        return this.#submitToken({ name: 'compute:ResolveContest', args: [taskId, JSON.stringify({ outcome, reason })] });
    }

    expireTask(taskId: string): Promise<Submitted<ComputeTaskRecord>> {
        return this.#submitToken({ name: 'compute:ExpireTask', args: [taskId] });
    }

    getTask(taskId: string): Promise<ComputeTaskRecord> {
        return this.evaluate('compute:GetTask', [taskId]);
    }

    getProviderStats(providerMspId: string): Promise<ComputeProviderStats> {
        return this.evaluate('compute:GetProviderStats', [providerMspId]);
    }
}
