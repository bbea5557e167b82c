import type { Context } from 'fabric-contract-api';
import { createRequire } from 'node:module';

/*
 * Many keys in one message to the peer. Every getState / putState of fabric-shim is a round trip to the
 * peer: a gRPC message each way, protobuf coding, and the shim's logging on both. A transaction that writes
 * a record with its index entries pays that per key, which is most of its cost. Fabric 3.1 peers also take
 * a whole batch of writes in one WRITE_BATCH_STATE message and a list of reads in one GET_STATE_MULTIPLE
 * (what the Go shim's StartWriteBatch and GetMultipleStates send); the peer applies them one key at a time
 * exactly as separate calls, so the read and write sets, and thus the transaction, are the same.
 * fabric-shim 2.5 for Node has no API for them, so these helpers send the messages through the shim's own
 * message queue. They fall back to one call per key wherever that is not possible: a stub that is not
 * fabric-shim's (the in-memory ledger of the unit tests), or EDGETRUST_STATE_BATCHING=off in the
 * chaincode server's environment (for peers older than Fabric 3.1).
 */

/** One key and the value to write under it. */
export type StateWrite = readonly [key: string, value: Uint8Array];

// protos.ChaincodeMessage.Type and protos.WriteRecord.Type (fabric-protos, peer/chaincode_shim.proto).
const WRITE_BATCH_STATE = 24;
const GET_STATE_MULTIPLE = 25;
const WRITE_RECORD_PUT_STATE = 9;
const LENGTH_DELIMITED = 2;
const VARINT = 0;

interface ShimMessage {
    setType(type: number): void;
    setPayload(payload: Uint8Array): void;
    setTxid(txid: string): void;
    setChannelId(channelId: string): void;
}

/** The part of fabric-shim's handler these helpers use: its per-transaction message queue to the peer. */
interface ShimHandler {
    _askPeerAndListen(message: ShimMessage, method: string): Promise<unknown>;
}

let messageClass: (new () => ShimMessage) | null | undefined;

/** fabric-shim's own ChaincodeMessage class: its gRPC stream accepts no other. */
function shimMessageClass(): (new () => ShimMessage) | undefined {
    if (messageClass === undefined) {
        try {
            const fromShim = createRequire(require.resolve('fabric-shim'));
            const protos = fromShim('@hyperledger/fabric-protos') as { peer?: { ChaincodeMessage?: new () => ShimMessage } };
            messageClass = protos.peer?.ChaincodeMessage ?? null;
        } catch {
            messageClass = null;
        }
    }
    return messageClass ?? undefined;
}

/** Sends one message of this transaction to the peer, or undefined when batching is not possible here. */
function peerLink(ctx: Context): ((type: number, payload: Uint8Array, method: string) => Promise<unknown>) | undefined {
    const handler = (ctx.stub as unknown as { handler?: Partial<ShimHandler> }).handler;
    const Message = shimMessageClass();
    if (process.env.EDGETRUST_STATE_BATCHING === 'off' || typeof handler?._askPeerAndListen !== 'function' || Message === undefined) {
        return undefined;
    }
    const ask = handler._askPeerAndListen.bind(handler);
    return (type, payload, method) => {
        const message = new Message();
        message.setType(type);
        message.setPayload(payload);
        message.setTxid(ctx.stub.getTxID());
        message.setChannelId(ctx.stub.getChannelID());
        return ask(message, method);
    };
}

/**
 * Writes several keys, in order, in one message to the peer where it can (else one putState each).
 * @param writes - Keys and values; values must not be empty (an empty value is no write in Fabric).
 */
export async function putStates(ctx: Context, writes: readonly StateWrite[]): Promise<void> {
    const send = writes.length > 1 ? peerLink(ctx) : undefined;
    if (send === undefined) {
        for (const [key, value] of writes) {
            await ctx.stub.putState(key, value);
        }
        return;
    }
    await send(WRITE_BATCH_STATE, encodeWriteBatch(writes), 'WriteBatchState');
}

/**
 * Reads several keys in one message to the peer where it can (else one getState each).
 * @returns One value per key, in order; an empty array for a missing key, as getState returns.
 */
export async function getStates(ctx: Context, keys: readonly string[]): Promise<Uint8Array[]> {
    const send = keys.length > 1 ? peerLink(ctx) : undefined;
    if (send === undefined) {
        const values: Uint8Array[] = [];
        for (const key of keys) {
            values.push(await ctx.stub.getState(key));
        }
        return values;
    }
    const response = await send(GET_STATE_MULTIPLE, encodeGetStateMultiple(keys), 'GetStateMultiple');
    const values = decodeRepeatedBytes(response instanceof Uint8Array ? response : new Uint8Array(), 1);
    if (values.length !== keys.length) {
        throw new Error(`GET_STATE_MULTIPLE answered ${String(values.length)} values for ${String(keys.length)} keys`);
    }
    return values;
}

// A few lines of protobuf suffice for these three messages:
//   WriteBatchState { repeated WriteRecord rec = 1; }
//   WriteRecord { string key = 1; bytes value = 2; string collection = 3; StateMetadata metadata = 4; Type type = 5; }
//   GetStateMultiple { repeated string keys = 1; string collection = 2; }   (collection '' = public state)
//   GetStateMultipleResult { repeated bytes values = 1; }

/** Encodes WriteBatchState with one PUT_STATE record per write. */
export function encodeWriteBatch(writes: readonly StateWrite[]): Uint8Array {
    const out = new ProtoWriter();
    for (const [key, value] of writes) {
        const record = new ProtoWriter();
        record.bytes(1, Buffer.from(key, 'utf8'));
        record.bytes(2, value);
        record.varint(5, WRITE_RECORD_PUT_STATE);
        out.bytes(1, record.finish());
    }
    return out.finish();
}

/** Encodes GetStateMultiple for public state. */
export function encodeGetStateMultiple(keys: readonly string[]): Uint8Array {
    const out = new ProtoWriter();
    for (const key of keys) {
        out.bytes(1, Buffer.from(key, 'utf8'));
    }
    return out.finish();
}

/** The values of one repeated bytes field (GetStateMultipleResult.values); other fields are skipped. */
export function decodeRepeatedBytes(message: Uint8Array, field: number): Uint8Array[] {
    const values: Uint8Array[] = [];
    const reader = { offset: 0 };
    while (reader.offset < message.length) {
        const tag = readVarint(message, reader);
        const wireType = tag % 8;
        if (wireType === LENGTH_DELIMITED) {
            const length = readVarint(message, reader);
            const end = reader.offset + length;
            if (end > message.length) {
                throw new Error('truncated protobuf message');
            }
            if (Math.floor(tag / 8) === field) {
                values.push(message.subarray(reader.offset, end));
            }
            reader.offset = end;
        } else if (wireType === VARINT) {
            readVarint(message, reader);
        } else {
            throw new Error(`unexpected protobuf wire type ${String(wireType)}`);
        }
    }
    return values;
}

function readVarint(bytes: Uint8Array, reader: { offset: number }): number {
    let value = 0;
    for (let shift = 1; ; shift *= 128) {
        const byte = bytes[reader.offset];
        if (byte === undefined || shift > 2 ** 49) {
            throw new Error('truncated protobuf varint');
        }
        reader.offset += 1;
        value += (byte % 128) * shift;
        if (byte < 128) {
            return value;
        }
    }
}

class ProtoWriter {
    readonly #parts: Uint8Array[] = [];

    bytes(field: number, value: Uint8Array): void {
        this.#parts.push(varintBytes(field * 8 + LENGTH_DELIMITED), varintBytes(value.length), value);
    }

    varint(field: number, value: number): void {
        this.#parts.push(varintBytes(field * 8 + VARINT), varintBytes(value));
    }

    finish(): Uint8Array {
        return Buffer.concat(this.#parts);
    }
}

function varintBytes(value: number): Uint8Array {
    const bytes: number[] = [];
    let rest = value;
    while (rest >= 128) {
        bytes.push((rest % 128) + 128);
        rest = Math.floor(rest / 128);
    }
    bytes.push(rest);
    return Uint8Array.from(bytes);
}
