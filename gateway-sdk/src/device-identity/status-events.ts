import type { ChaincodeEventsOptions, Network } from '@hyperledger/fabric-gateway';
import type { CertificateStatusCache } from './certificate-status-cache';
import { toEdgeTrustError } from '../errors';

/** A running subscription of {@link followStatusEvents}. */
export interface StatusEventSubscription {
    /** Stops following; the cache is cleared, since it no longer hears of revocations. */
    close(): void;
    /** Settles when the event stream ends, for whatever reason. */
    done: Promise<void>;
}

/**
 * Feeds the device identity chaincode's events into a status cache, so that a suspension,
 * revocation or rotation invalidates the cached answer at once instead of after its TTL. When the
 * stream ends or fails the cache is cleared: missed events must not leave stale trust behind.
 * @param network - The channel, or anything with fabric-gateway's `getChaincodeEvents`.
 * @param chaincodeName - The device identity chaincode's name, e.g. `device-identity`.
 * @param cache - The cache to keep honest.
 * @param options - Where to start reading, e.g. `{ startBlock }` or a checkpointer.
 */
export async function followStatusEvents(
    network: Pick<Network, 'getChaincodeEvents'>,
    chaincodeName: string,
    cache: CertificateStatusCache,
    options: Readonly<ChaincodeEventsOptions> = {},
): Promise<StatusEventSubscription> {
    const events = await network.getChaincodeEvents(chaincodeName, options).catch((err: unknown) => {
        throw toEdgeTrustError(err);
    });
    const done = (async (): Promise<void> => {
        try {
            for await (const event of events) {
                cache.handleEvent(event.eventName, event.payload);
            }
        } catch {
            // A closed or broken stream ends the subscription; the finally block makes it safe.
        } finally {
            cache.clear();
        }
    })();
    return {
        close: (): void => {
            events.close();
            cache.clear();
        },
        done,
    };
}
