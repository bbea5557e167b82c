import type { Checkpoint, Network } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import type { ServerResponse } from 'node:http';
import { decodeEvent } from '@edgetrust/gateway-sdk';
import { jsonSafe } from './json-safe';
import { ServiceError } from './problem';
import type { ServiceStore, SubscriptionRow } from './store';

/** A subscription as the API shows it. */
export interface Subscription {
    name: string;
    chaincode: string;
    events: string[];
    /** The last acknowledged event's id (`<block>:<transaction id>`), if any. */
    acknowledged?: string;
    startBlock?: number;
}

function shown(row: SubscriptionRow): Subscription {
    return {
        name: row.name,
        chaincode: row.chaincode,
        events: JSON.parse(row.events) as string[],
        ...(row.ackBlock === null ? {} : { acknowledged: `${row.ackBlock}:${row.ackTransactionId ?? ''}` }),
        ...(row.startBlock === null ? {} : { startBlock: Number(row.startBlock) }),
    };
}

/** An event id as the stream writes it: `<block>:<transaction id>` (a Fabric transaction emits one chaincode event). */
export function parseEventId(id: string): { block: bigint; transactionId: string } {
    const match = /^(\d+):([0-9a-f]{64})$/.exec(id);
    if (!match) {
        throw new ServiceError('INVALID_ARGUMENT', `not an event id: ${id} (expected <block>:<transaction id>)`);
    }
    return { block: BigInt(match[1] ?? '0'), transactionId: match[2] ?? '' };
}

/**
 * Event subscriptions over Server-Sent Events. A subscription (per caller, by name) selects a chaincode's events,
 * optionally by name; its checkpoint is the last event the client acknowledged — by `POST …/ack`, or by the
 * `Last-Event-ID` header when it reconnects (the SSE standard's own resume). Delivery always resumes right after the
 * checkpoint (fabric-gateway's checkpoint: the block, then past that transaction), so a client that acknowledges what
 * it handled misses nothing and sees nothing twice, across reconnects and restarts of the service alike.
 * Hand-written SSE (a few lines on the raw response) rather than a plugin: the framing is four header lines.
 */
export class EventStreams {
    readonly #store: ServiceStore;
    readonly #live = new Map<string, () => void>();

    constructor(store: ServiceStore) {
        this.#store = store;
    }

    create(caller: string, request: { name: string; chaincode: string; events?: string[]; startBlock?: number }, currentHeight: bigint): Subscription {
        if (this.#store.subscription(caller, request.name)) {
            throw new ServiceError('ALREADY_EXISTS', `subscription ${request.name} exists`);
        }
        // Without a start block, delivery starts at the next block committed after the subscription was made — not
        // after the first connection, so nothing between the two is missed.
        const startBlock = request.startBlock === undefined ? currentHeight : BigInt(request.startBlock);
        this.#store.putSubscription({ caller, name: request.name, chaincode: request.chaincode, events: JSON.stringify(request.events ?? []), startBlock: startBlock.toString() });
        return this.get(caller, request.name);
    }

    get(caller: string, name: string): Subscription {
        return shown(this.#row(caller, name));
    }

    list(caller: string): Subscription[] {
        return this.#store.subscriptions(caller).map(shown);
    }

    delete(caller: string, name: string): void {
        this.#live.get(`${caller}/${name}`)?.();
        if (!this.#store.deleteSubscription(caller, name)) {
            throw new ServiceError('SUBSCRIPTION_NOT_FOUND', `no subscription ${name}`);
        }
    }

    /** Moves the checkpoint to an event the client received; never backwards past an earlier block. */
    acknowledge(caller: string, name: string, eventId: string): Subscription {
        const row = this.#row(caller, name);
        const { block, transactionId } = parseEventId(eventId);
        if (row.ackBlock !== null && block < BigInt(row.ackBlock)) {
            throw new ServiceError('INVALID_STATE', `event ${eventId} is before the acknowledged ${row.ackBlock}:${row.ackTransactionId ?? ''}`);
        }
        this.#store.acknowledge(caller, name, block, transactionId);
        return this.get(caller, name);
    }

    /** Streams a subscription's events to an SSE response until the client goes away or the service stops. */
    async stream(caller: string, name: string, network: Network, chaincodeName: string, lastEventId: string | undefined, response: ServerResponse): Promise<void> {
        const key = `${caller}/${name}`;
        if (this.#live.has(key)) {
            throw new ServiceError('INVALID_STATE', `subscription ${name} is being delivered on another connection`);
        }
        if (lastEventId !== undefined && lastEventId !== '') {
            this.acknowledge(caller, name, lastEventId);
        }
        const row = this.#row(caller, name);
        const wanted = new Set(JSON.parse(row.events) as string[]);
        const checkpoint: Checkpoint | undefined =
            row.ackBlock === null ? undefined : { getBlockNumber: () => BigInt(row.ackBlock ?? '0'), getTransactionId: () => row.ackTransactionId ?? undefined };
        const events = await network.getChaincodeEvents(chaincodeName, checkpoint ? { checkpoint } : { startBlock: BigInt(row.startBlock ?? '0') });
        const stop = (): void => {
            events.close();
        };
        this.#live.set(key, stop);
        response.on('close', stop);
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        response.write(': subscribed\n\n');
        const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
        try {
            for await (const event of events) {
                if (wanted.size > 0 && !wanted.has(event.eventName)) {
                    continue;
                }
                const decoded = jsonSafe(decodeEvent(event)) as Record<string, unknown>;
                response.write(`id: ${event.blockNumber.toString()}:${event.transactionId}\nevent: ${event.eventName}\ndata: ${JSON.stringify(decoded)}\n\n`);
            }
        } catch {
            // The stream ends when the client leaves (events.close()) or the peer connection fails; the client reconnects.
        } finally {
            clearInterval(heartbeat);
            this.#live.delete(key);
            response.end();
        }
    }

    /** Ends every live stream (the service is stopping). */
    closeAll(): void {
        for (const stop of this.#live.values()) {
            stop();
        }
    }

    #row(caller: string, name: string): SubscriptionRow {
        const row = this.#store.subscription(caller, name);
        if (!row) {
            throw new ServiceError('SUBSCRIPTION_NOT_FOUND', `no subscription ${name}`);
        }
        return row;
    }
}

/** The channel's height (the number of the next block) from qscc's GetChainInfo. */
export async function channelHeight(network: Network): Promise<bigint> {
    const bytes = await network.getContract('qscc').evaluateTransaction('GetChainInfo', network.getName());
    return BigInt(common.BlockchainInfo.deserializeBinary(bytes).getHeight());
}
