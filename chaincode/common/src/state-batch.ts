import type { Context } from 'fabric-contract-api';
import { createRequire } from 'node:module';

/*
 * Many keys in one message to the peer. Every getState / putState of fabric-shim is a round trip to the
 * peer: a gRPC message each way, protobuf coding, and the shim's logging on both. A transaction that writes
 * a record with its index entries pays that per key, which is most of its cost. Fabric 3.1 peers also take
 * a whole batch of writes in one WRITE_BATCH_STATE message and a list of reads in one GET_STATE_MULTIPLE
 * (what the Go shim's StartWriteBatch and GetMultipleStates send); the peer applies them one key at a time
 * exactly as separate calls, so the read and write sets, and thus the transaction, are the same.
 *
 * Only a peer that says so gets them. A Fabric 3.0 peer answers either message with "cannot handle message
 * … in ready state" and ends the chaincode's stream, so, as the Go shim does, these helpers go by what the
 * peer advertised when the stream opened: Fabric 3.1's READY carries ChaincodeAdditionalParams
 * (UseWriteBatch, MaxSizeWriteBatch, UseGetMultipleKeys, MaxSizeGetMultipleKeys; the peer's core.yaml
 * chaincode.runtimeParams), older peers send an empty READY. Batches are split at the advertised maximum.
 * fabric-shim 2.5 for Node reads neither the READY payload nor has an API for the messages, so
 * `negotiateStateBatches` records READY from the shim's stream and the helpers send through the shim's own
 * per-transaction message queue. One call per key wherever the peer did not advertise a kind of batch, the
 * stub is not fabric-shim's (the in-memory ledger of the unit tests), or EDGETRUST_STATE_BATCHING=off is in
 * the chaincode server's environment.
 */

/** One key and the value to write under it; null deletes the key. */
export type StateWrite = readonly [key: string, value: Uint8Array | null];

/** A write that puts a value (no deletion). */
export type StatePut = readonly [key: string, value: Uint8Array];

/** What the peer at the other end of a chaincode stream accepts per message; 0 = that batch not advertised. */
export interface PeerBatchLimits {
    /** Most records in one WRITE_BATCH_STATE. */
    readonly writeBatch: number;
    /** Most keys in one GET_STATE_MULTIPLE. */
    readonly getMultipleKeys: number;
}

/** No batches: a peer before Fabric 3.1, or one whose READY was not seen. */
export const NO_BATCHES: PeerBatchLimits = Object.freeze({ writeBatch: 0, getMultipleKeys: 0 });

/** The peer turns a configured maximum of 0 into 1000; a READY that says "use" with 0 gets the Go shim's floor. */
const DEFAULT_MAXIMUM = 100;

// protos.ChaincodeMessage.Type and protos.WriteRecord.Type (fabric-protos, peer/chaincode_shim.proto).
const READY = 4;
const WRITE_BATCH_STATE = 24;
const GET_STATE_MULTIPLE = 25;
const WRITE_RECORD_PUT_STATE = 9;
const WRITE_RECORD_DEL_STATE = 10;
const WRITE_RECORD_PUT_STATE_METADATA = 21;
/** The metadata key of a key-level endorsement policy (fabric-shim's stub.validationParameterMetakey). */
const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';
const LENGTH_DELIMITED = 2;
const VARINT = 0;

interface ShimMessage {
    setType(type: number): void;
    setPayload(payload: Uint8Array): void;
    setTxid(txid: string): void;
    setChannelId(channelId: string): void;
}

/** A message as fabric-shim's stream delivers it. */
interface ReceivedMessage {
    getType(): number;
    getPayload_asU8(): Uint8Array;
}

/** The part of fabric-shim's handler these helpers use: its per-transaction message queue to the peer. */
interface ShimHandler {
    _askPeerAndListen(message: ShimMessage, method: string): Promise<unknown>;
}

/** fabric-shim's ChaincodeMessageHandler: one per stream, i.e. per peer connected to this chaincode server. */
interface StreamHandler {
    _stream?: { on(event: 'data', listener: (message: ReceivedMessage) => void): unknown; off(event: 'data', listener: (message: ReceivedMessage) => void): unknown };
    chat: (this: StreamHandler, ...args: unknown[]) => unknown;
}

const NEGOTIATING = Symbol.for('edgetrust.stateBatchNegotiation');

/** What each stream's peer advertised, keyed by the shim's handler of that stream (the stub's `handler`). */
const advertised = new WeakMap<object, PeerBatchLimits>();

/**
 * Records, for each stream fabric-shim opens to a peer, the batch limits the peer advertises in READY.
 * Call once when the chaincode module loads, before the shim connects (each chaincode's index.ts does).
 * Idempotent; without it, or where fabric-shim's handler cannot be found, no batch is ever sent.
 */
export function negotiateStateBatches(): void {
    const prototype = shimHandlerPrototype();
    if (prototype === undefined || (prototype as unknown as Record<symbol, unknown>)[NEGOTIATING] === true) {
        return;
    }
    const chat = prototype.chat;
    // chat() starts the conversation (REGISTER → REGISTERED → READY); the shim's own listener drops READY's payload.
    prototype.chat = function chatRecordingReady(this: StreamHandler, ...args: unknown[]): unknown {
        const stream = this._stream;
        if (stream !== undefined) {
            const onMessage = (message: ReceivedMessage): void => {
                if (message.getType() === READY) {
                    advertised.set(this, decodePeerBatchLimits(message.getPayload_asU8()));
                    stream.off('data', onMessage);
                }
            };
            stream.on('data', onMessage);
        }
        return chat.apply(this, args);
    };
    (prototype as unknown as Record<symbol, unknown>)[NEGOTIATING] = true;
}

function shimHandlerPrototype(): StreamHandler | undefined {
    try {
        const handler = createRequire(require.resolve('fabric-shim'))('./lib/handler') as { ChaincodeMessageHandler?: { prototype?: StreamHandler } };
        const prototype = handler.ChaincodeMessageHandler?.prototype;
        return typeof prototype?.chat === 'function' ? prototype : undefined;
    } catch {
        return undefined;
    }
}

/**
 * Decodes ChaincodeAdditionalParams { bool use_write_batch = 1; uint32 max_size_write_batch = 2;
 * bool use_get_multiple_keys = 3; uint32 max_size_get_multiple_keys = 4; }, READY's payload.
 * An empty or unreadable payload advertises nothing (as in the Go shim).
 */
export function decodePeerBatchLimits(payload: Uint8Array): PeerBatchLimits {
    const fields = new Map<number, number>();
    try {
        const reader = { offset: 0 };
        while (reader.offset < payload.length) {
            const tag = readVarint(payload, reader);
            if (tag % 8 !== VARINT) {
                skipField(payload, reader, tag % 8);
                continue;
            }
            fields.set(Math.floor(tag / 8), readVarint(payload, reader));
        }
    } catch {
        return NO_BATCHES;
    }
    const limit = (use: number | undefined, maximum: number | undefined): number => (use === 1 ? maximum || DEFAULT_MAXIMUM : 0);
    return Object.freeze({ writeBatch: limit(fields.get(1), fields.get(2)), getMultipleKeys: limit(fields.get(3), fields.get(4)) });
}

/** The limits of the peer this transaction came from, as negotiated; none where batches cannot be sent. */
export function peerBatchLimits(ctx: Context): PeerBatchLimits {
    const handler = (ctx.stub as unknown as { handler?: object }).handler;
    if (process.env.EDGETRUST_STATE_BATCHING === 'off' || handler === undefined) {
        return NO_BATCHES;
    }
    return advertised.get(handler) ?? NO_BATCHES;
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

/** Sends one message of this transaction to the peer, or undefined when that is not possible here. */
function peerLink(ctx: Context): ((type: number, payload: Uint8Array, method: string) => Promise<unknown>) | undefined {
    const handler = (ctx.stub as unknown as { handler?: Partial<ShimHandler> }).handler;
    const Message = shimMessageClass();
    if (typeof handler?._askPeerAndListen !== 'function' || Message === undefined) {
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

/** Consecutive slices of at most `size` items. */
function chunks<T>(items: readonly T[], size: number): T[][] {
    const out: T[][] = [];
    for (let start = 0; start < items.length; start += size) {
        out.push(items.slice(start, start + size));
    }
    return out;
}

/**
 * Writes (or, for a null value, deletes) several keys, in order: in WRITE_BATCH_STATE messages of at most
 * the peer's advertised size where it advertised them, else one putState / deleteState each.
 * @param writes - Keys and values; a value must not be empty (an empty value is no write in Fabric).
 */
export async function putStates(ctx: Context, writes: readonly StateWrite[]): Promise<void> {
    const { writeBatch } = peerBatchLimits(ctx);
    const send = writes.length > 1 && writeBatch > 0 ? peerLink(ctx) : undefined;
    if (send === undefined) {
        for (const [key, value] of writes) {
            await (value === null ? ctx.stub.deleteState(key) : ctx.stub.putState(key, value));
        }
        return;
    }
    for (const batch of chunks(writes, writeBatch)) {
        await send(WRITE_BATCH_STATE, encodeWriteBatch(batch), 'WriteBatchState');
    }
}

/**
 * Sets the key-level endorsement policy (validation parameter) of several keys, in order: as PUT_STATE_METADATA
 * records in WRITE_BATCH_STATE messages where the peer advertised write batches (Fabric 3.1 applies them as
 * separate PUT_STATE_METADATA calls), else one setStateValidationParameter each.
 * @param policies - Keys and their policies in Fabric's encoding (e.g. fabric-shim's KeyEndorsementPolicy.getPolicy()).
 */
export async function setStateValidationParameters(ctx: Context, policies: readonly (readonly [key: string, policy: Uint8Array])[]): Promise<void> {
    const { writeBatch } = peerBatchLimits(ctx);
    const send = policies.length > 1 && writeBatch > 0 ? peerLink(ctx) : undefined;
    if (send === undefined) {
        for (const [key, policy] of policies) {
            await ctx.stub.setStateValidationParameter(key, policy);
        }
        return;
    }
    for (const batch of chunks(policies, writeBatch)) {
        await send(WRITE_BATCH_STATE, encodeValidationParameterBatch(batch), 'WriteBatchState');
    }
}

/**
 * Writes several keys and gives each the same key-level endorsement policy, in as few WRITE_BATCH_STATE messages as the
 * peer's maximum allows (one for an anchor, not one for the values and another for the policies): the peer applies each
 * record by its type (Fabric's HandleWriteBatch), so values and policies share a batch; all values come before all
 * policies. Where the peer advertised no batches, putStates' and setStateValidationParameters' per-key calls.
 * @param writes - Keys and values; no deletions (a deleted key keeps no policy).
 */
export async function putStatesWithPolicy(ctx: Context, writes: readonly StatePut[], policy: Uint8Array): Promise<void> {
    const { writeBatch } = peerBatchLimits(ctx);
    const send = writeBatch > 0 ? peerLink(ctx) : undefined;
    const policies = writes.map(([key]) => [key, policy] as const);
    if (send === undefined) {
        await putStates(ctx, writes);
        await setStateValidationParameters(ctx, policies);
        return;
    }
    const records: ({ write: StateWrite } | { policy: readonly [string, Uint8Array] })[] = [
        ...writes.map((write) => ({ write })),
        ...policies.map((p) => ({ policy: p })),
    ];
    for (const batch of chunks(records, writeBatch)) {
        // Both encoders write `repeated WriteRecord rec = 1`, so their concatenation is one WriteBatchState.
        const values = batch.flatMap((r) => ('write' in r ? [r.write] : []));
        const metadata = batch.flatMap((r) => ('policy' in r ? [r.policy] : []));
        await send(WRITE_BATCH_STATE, Buffer.concat([encodeWriteBatch(values), encodeValidationParameterBatch(metadata)]), 'WriteBatchState');
    }
}

/**
 * Reads several keys: in GET_STATE_MULTIPLE messages of at most the peer's advertised size where it
 * advertised them, else one getState each.
 * @returns One value per key, in order; an empty array for a missing key, as getState returns.
 */
export async function getStates(ctx: Context, keys: readonly string[]): Promise<Uint8Array[]> {
    const { getMultipleKeys } = peerBatchLimits(ctx);
    const send = keys.length > 1 && getMultipleKeys > 0 ? peerLink(ctx) : undefined;
    const values: Uint8Array[] = [];
    if (send === undefined) {
        for (const key of keys) {
            values.push(await ctx.stub.getState(key));
        }
        return values;
    }
    for (const batch of chunks(keys, getMultipleKeys)) {
        const response = await send(GET_STATE_MULTIPLE, encodeGetStateMultiple(batch), 'GetStateMultiple');
        const answered = decodeRepeatedBytes(response instanceof Uint8Array ? response : new Uint8Array(), 1);
        if (answered.length !== batch.length) {
            throw new Error(`GET_STATE_MULTIPLE answered ${String(answered.length)} values for ${String(batch.length)} keys`);
        }
        values.push(...answered);
    }
    return values;
}

// A few lines of protobuf suffice for these messages:
//   WriteBatchState { repeated WriteRecord rec = 1; }
//   WriteRecord { string key = 1; bytes value = 2; string collection = 3; StateMetadata metadata = 4; Type type = 5; }
//   GetStateMultiple { repeated string keys = 1; string collection = 2; }   (collection '' = public state)
//   GetStateMultipleResult { repeated bytes values = 1; }

/** Encodes WriteBatchState with one PUT_STATE record per write (DEL_STATE for a null value). */
export function encodeWriteBatch(writes: readonly StateWrite[]): Uint8Array {
    const out = new ProtoWriter();
    for (const [key, value] of writes) {
        const record = new ProtoWriter();
        record.bytes(1, Buffer.from(key, 'utf8'));
        if (value !== null) {
            record.bytes(2, value);
        }
        record.varint(5, value === null ? WRITE_RECORD_DEL_STATE : WRITE_RECORD_PUT_STATE);
        out.bytes(1, record.finish());
    }
    return out.finish();
}

/** Encodes WriteBatchState with one PUT_STATE_METADATA record (metakey VALIDATION_PARAMETER) per key. */
export function encodeValidationParameterBatch(policies: readonly (readonly [key: string, policy: Uint8Array])[]): Uint8Array {
    const out = new ProtoWriter();
    for (const [key, policy] of policies) {
        // StateMetadata { string metakey = 1; bytes value = 2; }
        const metadata = new ProtoWriter();
        metadata.bytes(1, Buffer.from(VALIDATION_PARAMETER, 'utf8'));
        metadata.bytes(2, policy);
        const record = new ProtoWriter();
        record.bytes(1, Buffer.from(key, 'utf8'));
        record.bytes(4, metadata.finish());
        record.varint(5, WRITE_RECORD_PUT_STATE_METADATA);
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

function skipField(bytes: Uint8Array, reader: { offset: number }, wireType: number): void {
    if (wireType === LENGTH_DELIMITED) {
        reader.offset += readVarint(bytes, reader);
    } else if (wireType === 5) {
        reader.offset += 4;
    } else if (wireType === 1) {
        reader.offset += 8;
    } else {
        throw new Error(`unexpected protobuf wire type ${String(wireType)}`);
    }
    if (reader.offset > bytes.length) {
        throw new Error('truncated protobuf message');
    }
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
