import type { Context } from 'fabric-contract-api';
import type { ChaincodeError } from './errors';
import { unmarshal } from './json';

/*
 * A read of another chaincode on the same channel (a chaincode-to-chaincode query). Its reads join the calling
 * transaction's read set, so a change committed meanwhile to what was read (a revocation) invalidates the caller.
 * Every failure, a thrown call or a non-200 answer, is handed to the caller's `failure`, which names it with the
 * caller's own code: a missing record and an unreachable chaincode mean different things to each caller, and both
 * must fail closed.
 */

/** Why another chaincode gave no answer: the message of its refusal, or of the failed call. */
export type QueryFailure = (message: string) => ChaincodeError;

/**
 * Calls `fn` of chaincode `chaincode` on this transaction's channel with text arguments and parses its JSON answer.
 * Throws what `failure` makes of any refusal; the answer's shape is the caller's to check.
 */
export async function queryChaincode<T>(ctx: Context, chaincode: string, fn: string, args: readonly string[], failure: QueryFailure): Promise<T> {
    let response: Awaited<ReturnType<Context['stub']['invokeChaincode']>>;
    try {
        response = await ctx.stub.invokeChaincode(chaincode, [fn, ...args], ctx.stub.getChannelID());
    } catch (err) {
        throw failure(err instanceof Error ? err.message : String(err));
    }
    if (response.status !== 200) {
        throw failure(response.message ?? `status ${String(response.status)}`);
    }
    return unmarshal<T>(response.payload ?? new Uint8Array(), `${chaincode} ${fn} answer`);
}
