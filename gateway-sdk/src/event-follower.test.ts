import type { ServiceError } from '@grpc/grpc-js';
import { type ChaincodeEvent, GatewayError, type Network } from '@hyperledger/fabric-gateway';
import { EdgeTrustError } from './errors';
import { followChaincodeEvents } from './event-follower';

const unavailable = (): GatewayError =>
    new GatewayError({ code: 14, details: [], cause: new Error('UNAVAILABLE') as ServiceError, message: '14 UNAVAILABLE: connection dropped' });

const event: ChaincodeEvent = { blockNumber: 5n, chaincodeName: 'evidence', eventName: 'EvidenceAnchored', payload: Buffer.from('{"id":"a"}'), transactionId: 'tx-1' };

/** A network whose event stream delivers `delivered` and then fails with `failure`. */
function networkWith(delivered: ChaincodeEvent[], failure?: Error, failOnOpen = false): Network {
    const stream = {
        close: (): void => undefined,
        async *[Symbol.asyncIterator](): AsyncGenerator<ChaincodeEvent> {
            yield* await Promise.resolve(delivered);
            if (failure !== undefined) {
                throw failure;
            }
        },
    };
    return { getChaincodeEvents: () => (failOnOpen ? Promise.reject(unavailable()) : Promise.resolve(stream)) } as unknown as Network;
}

describe('followChaincodeEvents errors', () => {
    it('turns a failure of the event stream, on opening or later, into an EdgeTrustError like every other call', async () => {
        const handled: string[] = [];
        const follow = (network: Network): Promise<void> =>
            followChaincodeEvents({ network, chaincode: 'evidence' }, (e) => {
                handled.push(e.name);
                return Promise.resolve();
            });
        await expect(follow(networkWith([event], unavailable()))).rejects.toMatchObject({ name: 'EdgeTrustError', code: 'GATEWAY_14' });
        await expect(follow(networkWith([], undefined, true))).rejects.toBeInstanceOf(EdgeTrustError);
        expect(handled).toEqual(['EvidenceAnchored']);
    });

    it('passes the handler’s own error through as it was thrown', async () => {
        const mine = new RangeError('not today');
        await expect(followChaincodeEvents({ network: networkWith([event]), chaincode: 'evidence' }, () => Promise.reject(mine))).rejects.toBe(mine);
    });
});
