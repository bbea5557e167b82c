import { checkpointers, type ChaincodeEvent, type Checkpointer, type Network } from '@hyperledger/fabric-gateway';
import { toEdgeTrustError } from './errors';

/** A chaincode event with its JSON payload decoded (EdgeTrust chaincodes always emit JSON). */
export interface EdgeTrustEvent<T = unknown> {
    name: string;
    payload: T;
    transactionId: string;
    blockNumber: bigint;
    chaincodeName: string;
}

/** Options for {@link followChaincodeEvents}. */
export interface FollowOptions {
    network: Network;
    chaincode: string;
    /**
     * File that remembers the last event handled. A follower restarted with the same file resumes right after
     * it: no event is missed and none is handed over twice. Without it the follower keeps its place in memory only.
     */
    checkpointFile?: string;
    /** Block to start from when there is no checkpoint yet (default: the next block committed). */
    startBlock?: bigint;
    /** Stops following when aborted. */
    signal?: AbortSignal;
}

const utf8 = new TextDecoder();

export function decodeEvent<T>(event: ChaincodeEvent): EdgeTrustEvent<T> {
    const text = utf8.decode(event.payload);
    return {
        name: event.eventName,
        payload: (text === '' ? undefined : JSON.parse(text)) as T,
        transactionId: event.transactionId,
        blockNumber: event.blockNumber,
        chaincodeName: event.chaincodeName,
    };
}

/**
 * Hands every event of a chaincode to `handle`, in ledger order, checkpointing each one only after `handle`
 * resolved. Resolves when `signal` aborts; rejects if `handle` throws (that event is not checkpointed, so a
 * restart hands it over again, with the handler's error) or the connection fails (with an {@link EdgeTrustError}, as
 * every other SDK call). Fabric-gateway's file checkpointer does the bookkeeping.
 */
export async function followChaincodeEvents<T = unknown>(options: Readonly<FollowOptions>, handle: (event: EdgeTrustEvent<T>) => Promise<void>): Promise<void> {
    const checkpointer: Checkpointer = options.checkpointFile ? await checkpointers.file(options.checkpointFile) : checkpointers.inMemory();
    const events = await options.network.getChaincodeEvents(options.chaincode, { checkpoint: checkpointer, startBlock: options.startBlock }).catch((err: unknown) => {
        throw toEdgeTrustError(err);
    });
    const stop = (): void => {
        events.close();
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    try {
        for await (const event of events) {
            if (options.signal?.aborted) {
                break;
            }
            try {
                await handle(decodeEvent<T>(event));
            } catch (err) {
                throw new HandlerFailure(err);
            }
            await checkpointer.checkpointChaincodeEvent(event);
        }
    } catch (err) {
        if (!options.signal?.aborted) {
            // The handler's own error as it threw it; a failure of the event stream as the SDK's typed errors.
            throw err instanceof HandlerFailure ? err.cause : toEdgeTrustError(err);
        }
    } finally {
        options.signal?.removeEventListener('abort', stop);
        events.close();
    }
}

/** Carries an error of the caller's handler past the conversion of stream errors. */
class HandlerFailure extends Error {
    constructor(cause: unknown) {
        super('the event handler failed', { cause });
        this.name = 'HandlerFailure';
    }
}
