import { setTimeout as sleep } from 'node:timers/promises';
import type { Network } from '@hyperledger/fabric-gateway';

/**
 * Waits for the peer behind `network` to deliver its first block at or after `startBlock`; aborted by `signal`.
 * Fabric's deliver service holds a request for the block it will commit next until it commits it, but answers
 * NOT_FOUND at once for a block further ahead: then the peer is at least two blocks behind, and the request is
 * repeated (25 ms, doubling up to 200 ms) until it is the next block or committed.
 */
export async function firstBlockFrom(network: Network, startBlock: bigint, signal: AbortSignal): Promise<bigint> {
    for (let pause = 25; ; pause = Math.min(pause * 2, 200)) {
        signal.throwIfAborted();
        try {
            const block = await nextBlockFrom(network, startBlock, signal);
            if (block !== undefined) {
                return block;
            }
        } catch (err) {
            if (signal.aborted || !(err instanceof Error && NOT_YET.test(err.message))) {
                throw err;
            }
        }
        // Through timers/promises: its abort listener goes when the pause ends (one added per pause and kept would
        // pile up on a long wait's signal).
        await sleep(pause, undefined, { signal }).catch(() => undefined);
    }
}

// fabric-gateway's text for a deliver status response; 404 is common.Status.NOT_FOUND.
const NOT_YET = /Unexpected status response: 404\b/;

async function nextBlockFrom(network: Network, startBlock: bigint, signal: AbortSignal): Promise<bigint | undefined> {
    const events = await network.getFilteredBlockEvents({ startBlock });
    const stop = (): void => events.close();
    signal.addEventListener('abort', stop, { once: true });
    try {
        for await (const block of events) {
            return BigInt(block.getNumber());
        }
        return undefined;
    } finally {
        signal.removeEventListener('abort', stop);
        events.close();
    }
}
