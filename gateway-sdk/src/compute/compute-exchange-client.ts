import type { Contract } from '@hyperledger/fabric-gateway';
import { ContractClient, type Submitted } from '../contract-client';
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

    /** Submits a signed order (signComputeOrder); the chaincode escrows the budget and assigns an offer. */
    submitTask(request: SubmitTaskRequest): Promise<Submitted<ComputeTaskRecord>> {
        return this.submit('compute:SubmitTask', [JSON.stringify(request)]);
    }

    acceptTask(taskId: string): Promise<Submitted<ComputeTaskRecord>> {
        return this.submit('compute:AcceptTask', [taskId]);
    }

    declineTask(taskId: string): Promise<Submitted<ComputeTaskRecord>> {
        return this.submit('compute:DeclineTask', [taskId]);
    }

    submitResult(taskId: string, result: SubmitResultRequest): Promise<Submitted<ComputeTaskRecord>> {
        return this.submit('compute:SubmitResult', [taskId, JSON.stringify(result)]);
    }

    acceptResult(taskId: string): Promise<Submitted<ComputeTaskRecord>> {
        return this.submit('compute:AcceptResult', [taskId]);
    }

    /** Accepts on k of n verifiers' aggregated signatures (aggregateAttestation). */
    attestResult(taskId: string, attestation: ResultAttestation): Promise<Submitted<ComputeTaskRecord>> {
        return this.submit('compute:AttestResult', [taskId, JSON.stringify(attestation)]);
    }

    contestResult(taskId: string, reason: string): Promise<Submitted<ComputeTaskRecord>> {
        return this.submit('compute:ContestResult', [taskId, JSON.stringify({ reason })]);
    }

    resolveContest(taskId: string, outcome: ContestOutcome, reason: string): Promise<Submitted<ComputeTaskRecord>> {
        return this.submit('compute:ResolveContest', [taskId, JSON.stringify({ outcome, reason })]);
    }

    expireTask(taskId: string): Promise<Submitted<ComputeTaskRecord>> {
        return this.submit('compute:ExpireTask', [taskId]);
    }

    getTask(taskId: string): Promise<ComputeTaskRecord> {
        return this.evaluate('compute:GetTask', [taskId]);
    }

    getProviderStats(providerMspId: string): Promise<ComputeProviderStats> {
        return this.evaluate('compute:GetProviderStats', [providerMspId]);
    }
}
