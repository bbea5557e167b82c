import { Context, Contract, Info, Transaction } from 'fabric-contract-api';
import { getOffer, getProviderStats, listOffers, publishOffer, withdrawOffer } from './compute-offer';
import { acceptResult, acceptTask, attestResult, contestResult, declineTask, expireTask, getTask, getVerifier, registerVerifier, resolveContest, submitResult, submitTask } from './compute-task';

/** Compute-power trading (CFN): offers, signed tasks, results, attestation, payment. Routing only; rules in the modules. */
@Info({ title: 'ComputeExchangeContract', description: 'Compute offers, signed tasks matched to capacity, results attested by requester or k-of-n BLS verifiers, escrowed payment' })
export class ComputeExchangeContract extends Contract {
    constructor() {
        super('compute');
    }

    @Transaction()
    async PublishOffer(ctx: Context, request: string): Promise<string> {
        return publishOffer(ctx, request);
    }

    @Transaction()
    async WithdrawOffer(ctx: Context, offerId: string): Promise<string> {
        return withdrawOffer(ctx, offerId);
    }

    @Transaction(false)
    async GetOffer(ctx: Context, offerId: string): Promise<string> {
        return getOffer(ctx, offerId);
    }

    @Transaction(false)
    async ListOffers(ctx: Context, kind: string, pageSize: string, bookmark: string): Promise<string> {
        return listOffers(ctx, kind, pageSize, bookmark);
    }

    @Transaction()
    async RegisterVerifier(ctx: Context, request: string): Promise<string> {
        return registerVerifier(ctx, request);
    }

    @Transaction(false)
    async GetVerifier(ctx: Context, verifierId: string): Promise<string> {
        return getVerifier(ctx, verifierId);
    }

    @Transaction()
    async SubmitTask(ctx: Context, request: string): Promise<string> {
        return submitTask(ctx, request);
    }

    @Transaction()
    async AcceptTask(ctx: Context, taskId: string): Promise<string> {
        return acceptTask(ctx, taskId);
    }

    @Transaction()
    async DeclineTask(ctx: Context, taskId: string): Promise<string> {
        return declineTask(ctx, taskId);
    }

    @Transaction()
    async SubmitResult(ctx: Context, taskId: string, result: string): Promise<string> {
        return submitResult(ctx, taskId, result);
    }

    @Transaction()
    async AcceptResult(ctx: Context, taskId: string): Promise<string> {
        return acceptResult(ctx, taskId);
    }

    @Transaction()
    async AttestResult(ctx: Context, taskId: string, attestation: string): Promise<string> {
        return attestResult(ctx, taskId, attestation);
    }

    @Transaction()
    async ContestResult(ctx: Context, taskId: string, request: string): Promise<string> {
        return contestResult(ctx, taskId, request);
    }

    @Transaction()
    async ResolveContest(ctx: Context, taskId: string, decision: string): Promise<string> {
        return resolveContest(ctx, taskId, decision);
    }

    @Transaction()
    async ExpireTask(ctx: Context, taskId: string): Promise<string> {
        return expireTask(ctx, taskId);
    }

    @Transaction(false)
    async GetTask(ctx: Context, taskId: string): Promise<string> {
        return getTask(ctx, taskId);
    }

    @Transaction(false)
    async GetProviderStats(ctx: Context, providerMspId: string): Promise<string> {
        return getProviderStats(ctx, providerMspId);
    }
}
