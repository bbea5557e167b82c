import type { ChaincodeEvent, CloseableAsyncIterable, Network } from '@hyperledger/fabric-gateway';
import { CertificateStatusCache } from './certificate-status-cache';
import { followStatusEvents } from './status-events';

const FP = 'ab'.repeat(32);

function eventsOf(list: Pick<ChaincodeEvent, 'eventName' | 'payload'>[]): { network: Pick<Network, 'getChaincodeEvents'>; closed: () => boolean } {
    let closed = false;
    const iterable = {
        async *[Symbol.asyncIterator]() {
            for (const event of list) {
                yield await Promise.resolve(event);
            }
        },
        close: () => {
            closed = true;
        },
    } as unknown as CloseableAsyncIterable<ChaincodeEvent>;
    return { network: { getChaincodeEvents: () => Promise.resolve(iterable) }, closed: () => closed };
}

describe('followStatusEvents', () => {
    it('invalidates revoked fingerprints from the event stream and clears the cache when it ends', async () => {
        const cache = new CertificateStatusCache({ lookup: (fp) => Promise.resolve({ fingerprint: fp, status: 'active', trusted: true, checkedAt: '' }) });
        await cache.status(FP);
        const invalidate = jest.spyOn(cache, 'invalidate');
        const payload = Buffer.from(JSON.stringify({ fingerprint: FP, status: 'revoked' }));
        const { network, closed } = eventsOf([{ eventName: 'CertificateRevoked', payload }]);
        const subscription = await followStatusEvents(network, 'device-identity', cache);
        await subscription.done;
        expect(invalidate).toHaveBeenCalledWith(FP);
        expect(cache.size).toBe(0);
        subscription.close();
        expect(closed()).toBe(true);
    });
});
