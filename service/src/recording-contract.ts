import type { Contract, ProposalOptions, SubmittedTransaction } from '@hyperledger/fabric-gateway';
import { AsyncLocalStorage } from 'node:async_hooks';

/** Told about a transaction once it is endorsed and before it is sent to the orderer. */
export interface SubmissionHook {
    /** Resolves once the transaction is stored; the transaction is sent only then. */
    prepared(transactionId: string, preparedTransaction: Uint8Array): Promise<void>;
}

/** The hook of the request being handled; the typed clients are shared, so it travels with the async context. */
export const submissionHooks = new AsyncLocalStorage<SubmissionHook>();

/**
 * The contract with submissions split into endorse → tell the hook (which persists the endorsed transaction) →
 * submit, as fabric-gateway's own submitAsync does but with the hook in between. A service that dies after this
 * point can submit the same transaction again (a transaction id commits at most once); before it, nothing was sent.
 */
export function recordingContract(contract: Contract): Contract {
    const submitAsync = async (name: string, options?: ProposalOptions): Promise<SubmittedTransaction> => {
        const transaction = await contract.newProposal(name, options).endorse();
        await submissionHooks.getStore()?.prepared(transaction.getTransactionId(), transaction.getBytes());
        return transaction.submit();
    };
    return new Proxy(contract, {
        get(target, property): unknown {
            if (property === 'submitAsync') {
                return submitAsync;
            }
            const value = Reflect.get(target, property, target) as unknown;
            return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
    });
}
