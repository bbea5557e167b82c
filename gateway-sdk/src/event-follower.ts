import { checkpointers, type ChaincodeEvent, type Checkpointer, type Network } from '@hyperledger/fabric-gateway';

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
 * restart hands it over again) or the connection fails. Fabric-gateway's file checkpointer does the bookkeeping.
 */
export async function followChaincodeEvents<T = unknown>(options: Readonly<FollowOptions>, handle: (event: EdgeTrustEvent<T>) => Promise<void>): Promise<void> {
    const checkpointer: Checkpointer = options.checkpointFile ? await checkpointers.file(options.checkpointFile) : checkpointers.inMemory();
    const events = await options.network.getChaincodeEvents(options.chaincode, { checkpoint: checkpointer, startBlock: options.startBlock });
    const stop = (): void => {
        events.close();
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    try {
        for await (const event of events) {
            if (options.signal?.aborted) {
                break;
            }
            await handle(decodeEvent<T>(event));
            await checkpointer.checkpointChaincodeEvent(event);
        }
    } catch (err) {
        if (!options.signal?.aborted) {
            throw err;
        }
    } finally {
        options.signal?.removeEventListener('abort', stop);
        events.close();
    }
}
