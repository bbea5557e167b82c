import { peer as protos } from '@hyperledger/fabric-protos';
import type { Context } from 'fabric-contract-api';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';

/*
 * For unit tests of state-call batching (common/src/state-batch.ts): fabric-shim's real handler, the one
 * the chaincode servers run, talking over a fake gRPC stream to a fake peer of a chosen Fabric version.
 * fabric-protos 0.3 (the SDK's) defines the Fabric 3.1 messages the peer side decodes.
 */

const Type = protos.ChaincodeMessage.Type;
const bytes = (text: string): Uint8Array => Buffer.from(text);

const fromShim = createRequire(require.resolve('fabric-shim'));
const ShimMessage = (fromShim('@hyperledger/fabric-protos') as { peer: { ChaincodeMessage: new () => ShimChaincodeMessage } }).peer.ChaincodeMessage;
const { ChaincodeMessageHandler } = fromShim('./lib/handler') as { ChaincodeMessageHandler: new (stream: unknown, chaincode: unknown) => ShimHandler };

interface ShimChaincodeMessage {
    getType(): number;
    setType(type: number): void;
    getPayload_asU8(): Uint8Array;
    setPayload(payload: Uint8Array): void;
    getTxid(): string;
    setTxid(txid: string): void;
    getChannelId(): string;
    setChannelId(channelId: string): void;
}

interface ShimHandler {
    chat(start: unknown): void;
    handleGetState(collection: string, key: string, channel: string, txid: string): Promise<Uint8Array>;
    handlePutState(collection: string, key: string, value: Uint8Array, channel: string, txid: string): Promise<unknown>;
    handleDeleteState(collection: string, key: string, channel: string, txid: string): Promise<unknown>;
    handlePutStateMetadata(collection: string, key: string, metakey: string, value: Uint8Array, channel: string, txid: string): Promise<unknown>;
    handleGetStateMetadata(collection: string, key: string, channel: string, txid: string): Promise<Record<string, Uint8Array>>;
}

function shimMessage(type: number, payload: Uint8Array = new Uint8Array(), txid = '', channel = ''): ShimChaincodeMessage {
    const message = new ShimMessage();
    message.setType(type);
    message.setPayload(payload);
    message.setTxid(txid);
    message.setChannelId(channel);
    return message;
}

/** READY's payload as a Fabric 3.1 peer sends it (chaincode.runtimeParams of its core.yaml). */
export function readyPayload(params: { useWriteBatch: boolean; maxSizeWriteBatch: number; useGetMultipleKeys: boolean; maxSizeGetMultipleKeys: number }): Uint8Array {
    const additional = new protos.ChaincodeAdditionalParams();
    additional.setUseWriteBatch(params.useWriteBatch);
    additional.setMaxSizeWriteBatch(params.maxSizeWriteBatch);
    additional.setUseGetMultipleKeys(params.useGetMultipleKeys);
    additional.setMaxSizeGetMultipleKeys(params.maxSizeGetMultipleKeys);
    return additional.serializeBinary();
}

/**
 * A peer on the other end of one chaincode stream. `fabric30` refuses the 3.1 batch messages as Fabric 3.0
 * does (an ERROR, and then it ends the stream); otherwise it applies them key by key, as Fabric 3.1 does.
 */
export class FakePeer {
    readonly state = new Map<string, string>();
    /** Key-level endorsement policies (metakey VALIDATION_PARAMETER), hex, by key. */
    readonly policies = new Map<string, string>();
    readonly received: { type: number; keys: string[] }[] = [];
    /** The messages that wrote or deleted values, with those keys only (not key-level policies). */
    readonly valueWrites: { type: number; keys: string[] }[] = [];
    readonly stream = Object.assign(new EventEmitter(), { write: (message: ShimChaincodeMessage) => this.#receive(message), end: () => undefined });
    readonly handler: ShimHandler;
    readonly #ready: Uint8Array;
    readonly #fabric30: boolean;

    #readyDelivered: () => void = () => undefined;

    constructor(ready: Uint8Array, options: { fabric30?: boolean } = {}) {
        pendingReady.add(new Promise((resolve) => (this.#readyDelivered = resolve)));
        this.#ready = ready;
        this.#fabric30 = options.fabric30 ?? false;
        this.handler = new ChaincodeMessageHandler(this.stream, { Init: (): undefined => undefined, Invoke: (): undefined => undefined });
        this.handler.chat(shimMessage(Type.REGISTER));
    }

    /** Chaincode events set by transactions on this stream, by transaction id. */
    readonly events = new Map<string, { name: string; payload: string }>();

    /**
     * A transaction context on this stream, its stub calling the shim as fabric-shim's ChaincodeStub does.
     * @param at - The transaction timestamp (default: now, so the peer clock check passes).
     */
    context(txid = 'tx-1', at = Date.now()): Context {
        const { handler, events } = this;
        const channel = 'edgetrust';
        const stub = {
            handler,
            getTxID: (): string => txid,
            getChannelID: (): string => channel,
            getTxTimestamp: (): { seconds: number; nanos: number } => ({ seconds: Math.floor(at / 1000), nanos: (at % 1000) * 1_000_000 }),
            createCompositeKey: (objectType: string, attributes: string[]): string => `\u0000${[objectType, ...attributes].join('\u0000')}\u0000`,
            setEvent: (name: string, payload: Uint8Array): void => {
                events.set(txid, { name, payload: Buffer.from(payload).toString() });
            },
            getState: (key: string): Promise<Uint8Array> => handler.handleGetState('', key, channel, txid),
            putState: (key: string, value: Uint8Array): Promise<unknown> => handler.handlePutState('', key, value, channel, txid),
            deleteState: (key: string): Promise<unknown> => handler.handleDeleteState('', key, channel, txid),
            setStateValidationParameter: (key: string, policy: Uint8Array): Promise<unknown> => handler.handlePutStateMetadata('', key, 'VALIDATION_PARAMETER', policy, channel, txid),
            getStateValidationParameter: async (key: string): Promise<Uint8Array> => (await handler.handleGetStateMetadata('', key, channel, txid)).VALIDATION_PARAMETER ?? new Uint8Array(),
        };
        return { stub } as unknown as Context;
    }

    types(): number[] {
        return this.received.map((m) => m.type);
    }

    #receive(message: ShimChaincodeMessage): void {
        const type = message.getType();
        if (type === Type.REGISTER) {
            this.#send(shimMessage(Type.REGISTERED));
            this.#send(shimMessage(Type.READY, this.#ready), this.#readyDelivered);
            return;
        }
        const payload = message.getPayload_asU8();
        let answer: Uint8Array = new Uint8Array();
        let keys: string[] = [];
        if (type === Type.PUT_STATE) {
            const put = protos.PutState.deserializeBinary(payload);
            keys = [put.getKey()];
            this.state.set(put.getKey(), Buffer.from(put.getValue_asU8()).toString());
            this.valueWrites.push({ type, keys });
        } else if (type === Type.DEL_STATE) {
            keys = [protos.DelState.deserializeBinary(payload).getKey()];
            this.state.delete(keys[0] as string);
            this.valueWrites.push({ type, keys });
        } else if (type === Type.GET_STATE) {
            keys = [protos.GetState.deserializeBinary(payload).getKey()];
            answer = bytes(this.state.get(keys[0] as string) ?? '');
        } else if (type === Type.PUT_STATE_METADATA || type === Type.GET_STATE_METADATA) {
            ({ keys, answer } = this.#metadata(type, payload));
        } else if (this.#fabric30) {
            this.received.push({ type, keys });
            this.#send(shimMessage(Type.ERROR, bytes(`cannot handle message (${String(type)}) while in ready state`), message.getTxid(), message.getChannelId()));
            return;
        } else if (type === Type.WRITE_BATCH_STATE) {
            keys = this.#applyBatch(protos.WriteBatchState.deserializeBinary(payload));
        } else if (type === Type.GET_STATE_MULTIPLE) {
            keys = protos.GetStateMultiple.deserializeBinary(payload).getKeysList();
            const result = new protos.GetStateMultipleResult();
            result.setValuesList(keys.map((key) => bytes(this.state.get(key) ?? '')));
            answer = result.serializeBinary();
        }
        this.received.push({ type, keys });
        this.#send(shimMessage(Type.RESPONSE, answer, message.getTxid(), message.getChannelId()));
    }

    #applyBatch(batch: protos.WriteBatchState): string[] {
        const values = batch.getRecList().filter((record) => record.getType() !== protos.WriteRecord.Type.PUT_STATE_METADATA);
        if (values.length > 0) {
            this.valueWrites.push({ type: Type.WRITE_BATCH_STATE, keys: values.map((record) => record.getKey()) });
        }
        for (const record of batch.getRecList()) {
            if (record.getType() === protos.WriteRecord.Type.DEL_STATE) {
                this.state.delete(record.getKey());
            } else if (record.getType() === protos.WriteRecord.Type.PUT_STATE_METADATA) {
                this.#putMetadata(record.getKey(), record.getMetadata());
            } else {
                this.state.set(record.getKey(), Buffer.from(record.getValue_asU8()).toString());
            }
        }
        return batch.getRecList().map((record) => record.getKey());
    }

    #metadata(type: number, payload: Uint8Array): { keys: string[]; answer: Uint8Array } {
        if (type === Type.PUT_STATE_METADATA) {
            const put = protos.PutStateMetadata.deserializeBinary(payload);
            this.#putMetadata(put.getKey(), put.getMetadata());
            return { keys: [put.getKey()], answer: new Uint8Array() };
        }
        const key = protos.GetStateMetadata.deserializeBinary(payload).getKey();
        const result = new protos.StateMetadataResult();
        const policy = this.policies.get(key);
        if (policy !== undefined) {
            const entry = new protos.StateMetadata();
            entry.setMetakey('VALIDATION_PARAMETER');
            entry.setValue(Buffer.from(policy, 'hex'));
            result.setEntriesList([entry]);
        }
        return { keys: [key], answer: result.serializeBinary() };
    }

    #putMetadata(key: string, metadata: protos.StateMetadata | undefined): void {
        if (metadata?.getMetakey() === 'VALIDATION_PARAMETER') {
            this.policies.set(key, Buffer.from(metadata.getValue_asU8()).toString('hex'));
        }
    }

    #send(message: ShimChaincodeMessage, delivered?: () => void): void {
        setImmediate(() => {
            this.stream.emit('data', message);
            delivered?.();
        });
    }
}

/** READY of every FakePeer made so far, delivered (emit calls the stream's listeners synchronously). */
const pendingReady = new Set<Promise<void>>();

/**
 * Waits until the shim has taken the READY of every FakePeer made so far. An event, not a pause: a fixed
 * delay came too early on a loaded machine and the helpers then saw no batch limits.
 */
export async function settled(): Promise<void> {
    const waiting = [...pendingReady];
    pendingReady.clear();
    await Promise.all(waiting);
}

