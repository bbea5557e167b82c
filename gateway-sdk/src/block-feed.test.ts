import type { Network } from '@hyperledger/fabric-gateway';
import { firstBlockFrom } from './block-feed';

/**
 * A peer's deliver service as fabric-gateway shows it: a request for a block more than one ahead of the
 * ledger fails at once with a NOT_FOUND status; otherwise blocks arrive from the start block on.
 */
function peerAt(heights: number[]): { network: Network; requests: bigint[]; closed: number } {
    const state = { requests: [] as bigint[], closed: 0 };
    const network = {
        getName: () => 'edgetrust',
        getFilteredBlockEvents: ({ startBlock }: { startBlock: bigint }) => {
            state.requests.push(startBlock);
            const height = BigInt(heights.shift() ?? 0);
            return Promise.resolve({
                close: () => {
                    state.closed += 1;
                },
                // eslint-disable-next-line @typescript-eslint/require-await
                [Symbol.asyncIterator]: async function* () {
                    if (startBlock > height) {
                        throw new Error('Unexpected status response: 404');
                    }
                    yield { getNumber: () => Number(startBlock) };
                },
            });
        },
    } as unknown as Network;
    return Object.assign(state, { network });
}

describe('firstBlockFrom', () => {
    it('answers at once when the peer has the block', async () => {
        const peer = peerAt([10]);
        await expect(firstBlockFrom(peer.network, 7n, new AbortController().signal)).resolves.toBe(7n);
        expect(peer.requests).toEqual([7n]);
        expect(peer.closed).toBeGreaterThan(0);
    });

    it('asks again while the peer is two or more blocks behind', async () => {
        const peer = peerAt([3, 4, 8]);
        await expect(firstBlockFrom(peer.network, 6n, new AbortController().signal)).resolves.toBe(6n);
        expect(peer.requests).toEqual([6n, 6n, 6n]);
    });

    it('stops asking when aborted', async () => {
        const peer = peerAt([]);
        const controller = new AbortController();
        const waiting = firstBlockFrom(peer.network, 6n, controller.signal);
        setTimeout(() => controller.abort(), 60);
        await expect(waiting).rejects.toThrow();
        const asked = peer.requests.length;
        await new Promise((resolve) => setTimeout(resolve, 250));
        expect(peer.requests.length).toBe(asked);
    });

    it('passes on any other failure', async () => {
        const network = { getFilteredBlockEvents: () => Promise.reject(new Error('14 UNAVAILABLE: connection refused')) } as unknown as Network;
        await expect(firstBlockFrom(network, 1n, new AbortController().signal)).rejects.toThrow('UNAVAILABLE');
    });
});
