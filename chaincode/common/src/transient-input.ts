import type { Context } from 'fabric-contract-api';
import { invalidArgument } from './errors';
import { parseArgument } from './json';

/*
 * Confidential inputs (issue 9, finding 8). What a transaction writes to a private data collection arrives in the
 * transient map, which Fabric strips from the transaction, so it never reaches a block. The salt of those private
 * records is one more transient entry, which LedgerState reads (ledger-state.ts).
 */

/**
 * The JSON object in transient entry `name`, the input `what` names; throws INVALID_ARGUMENT when the entry is
 * missing or not a JSON object.
 */
export function readTransientJSON<T extends object>(ctx: Context, name: string, what: string): Partial<T> {
    const bytes = ctx.stub.getTransient().get(name);
    if (bytes === undefined || bytes.length === 0) {
        throw invalidArgument(`${what} goes in the transient map entry "${name}", not in the arguments`);
    }
    return parseArgument<Partial<T>>(Buffer.from(bytes).toString('utf8'), what);
}
