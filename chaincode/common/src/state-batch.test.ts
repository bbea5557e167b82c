import { peer as protos } from '@hyperledger/fabric-protos';
import type { Context } from 'fabric-contract-api';
import { identities, MemoryLedger } from '../testing/memory-ledger';
import { decodeRepeatedBytes, encodeGetStateMultiple, encodeWriteBatch, getStates, putStates, type StateWrite } from './state-batch';

// fabric-protos (0.3, the SDK's) defines the Fabric 3.1 messages; the helpers encode them by hand.
const bytes = (text: string): Uint8Array => Buffer.from(text);

interface SentMessage {
    getType(): number;
    getTxid(): string;
    getChannelId(): string;
    getPayload_asU8(): Uint8Array;
    serializeBinary(): Uint8Array;
}

/** A stub shaped like fabric-shim's: its handler queues messages to the peer; `answer` plays the peer. */
function shimContext(answer: (message: SentMessage) => Uint8Array): { ctx: Context; sent: SentMessage[]; plainCalls: string[] } {
    const sent: SentMessage[] = [];
    const plainCalls: string[] = [];
    const stub = {
        handler: {
            _askPeerAndListen: (message: SentMessage) => {
                sent.push(message);
                return Promise.resolve(Buffer.from(answer(message)));
            },
        },
        getTxID: () => 'tx-1',
        getChannelID: () => 'edgetrust',
        putState: (key: string) => {
            plainCalls.push(`put ${key}`);
            return Promise.resolve();
        },
        getState: (key: string) => {
            plainCalls.push(`get ${key}`);
            return Promise.resolve(new Uint8Array());
        },
    };
    return { ctx: { stub } as unknown as Context, sent, plainCalls };
}

const writes: StateWrite[] = [
    ['evidence~rec-1', bytes('{"id":"rec-1"}')],
    ['\u0000evidence~by-tag\u0000bench\u0000rec-1\u0000', new Uint8Array([0])],
    ['ключ', bytes('unicode key')],
];

describe('state batches', () => {
    it('encode WriteBatchState and GetStateMultiple exactly as protobuf does', () => {
        const batch = protos.WriteBatchState.deserializeBinary(encodeWriteBatch(writes));
        expect(batch.getRecList().map((r) => [r.getKey(), Buffer.from(r.getValue_asU8()).toString('hex'), r.getType(), r.getCollection()])).toEqual(
            writes.map(([key, value]) => [key, Buffer.from(value).toString('hex'), protos.WriteRecord.Type.PUT_STATE, '']),
        );
        const reference = new protos.WriteBatchState();
        reference.setRecList(
            writes.map(([key, value]) => {
                const record = new protos.WriteRecord();
                record.setKey(key);
                record.setValue(value);
                record.setType(protos.WriteRecord.Type.PUT_STATE);
                return record;
            }),
        );
        expect(Buffer.from(encodeWriteBatch(writes))).toEqual(Buffer.from(reference.serializeBinary()));
        expect(protos.GetStateMultiple.deserializeBinary(encodeGetStateMultiple(['a', 'ключ'])).getKeysList()).toEqual(['a', 'ключ']);
    });

    it('decode GetStateMultipleResult, empty values included, and refuse truncated messages', () => {
        const result = new protos.GetStateMultipleResult();
        result.setValuesList([bytes('x'.repeat(300)), new Uint8Array(), bytes('z')]);
        const values = decodeRepeatedBytes(result.serializeBinary(), 1);
        expect(values.map((v) => Buffer.from(v).toString())).toEqual(['x'.repeat(300), '', 'z']);
        expect(() => decodeRepeatedBytes(result.serializeBinary().subarray(0, 10), 1)).toThrow(/truncated/);
    });

    it('send many writes as one WRITE_BATCH_STATE message of the transaction, through the shim', async () => {
        const { ctx, sent, plainCalls } = shimContext(() => new Uint8Array());
        await putStates(ctx, writes);
        expect(sent).toHaveLength(1);
        const [message] = sent as [SentMessage];
        expect([message.getType(), message.getTxid(), message.getChannelId()]).toEqual([protos.ChaincodeMessage.Type.WRITE_BATCH_STATE, 'tx-1', 'edgetrust']);
        expect(protos.WriteBatchState.deserializeBinary(message.getPayload_asU8()).getRecList().map((r) => r.getKey())).toEqual(writes.map(([key]) => key));
        // The shim's gRPC stream serializes only its own message class.
        expect(protos.ChaincodeMessage.deserializeBinary(message.serializeBinary()).getType()).toBe(protos.ChaincodeMessage.Type.WRITE_BATCH_STATE);
        expect(plainCalls).toEqual([]);
    });

    it('read many keys with one GET_STATE_MULTIPLE message, one value per key', async () => {
        const stored = new Map([['b', bytes('B')]]);
        const { ctx, sent } = shimContext((message) => {
            const keys = protos.GetStateMultiple.deserializeBinary(message.getPayload_asU8()).getKeysList();
            const result = new protos.GetStateMultipleResult();
            result.setValuesList(keys.map((key) => stored.get(key) ?? new Uint8Array()));
            return result.serializeBinary();
        });
        const values = await getStates(ctx, ['a', 'b', 'c']);
        expect(values.map((v) => Buffer.from(v).toString())).toEqual(['', 'B', '']);
        expect(sent.map((m) => m.getType())).toEqual([protos.ChaincodeMessage.Type.GET_STATE_MULTIPLE]);
    });

    it('fail the transaction when the peer answers a different number of values', async () => {
        const { ctx } = shimContext(() => new Uint8Array());
        await expect(getStates(ctx, ['a', 'b'])).rejects.toThrow(/answered 0 values for 2 keys/);
    });

    it('use one call per key for a single key, or when EDGETRUST_STATE_BATCHING=off', async () => {
        const single = shimContext(() => new Uint8Array());
        await putStates(single.ctx, writes.slice(0, 1));
        await getStates(single.ctx, ['k']);
        expect([single.sent.length, single.plainCalls]).toEqual([0, ['put evidence~rec-1', 'get k']]);

        process.env.EDGETRUST_STATE_BATCHING = 'off';
        try {
            const off = shimContext(() => new Uint8Array());
            await putStates(off.ctx, writes.slice(0, 2));
            expect([off.sent.length, off.plainCalls.length]).toEqual([0, 2]);
        } finally {
            delete process.env.EDGETRUST_STATE_BATCHING;
        }
    });

    it('fall back to getState / putState on a stub that is not fabric-shim\'s, with the same result', async () => {
        const ledger = new MemoryLedger();
        await ledger.submit(identities.edgeUser, (ctx) => putStates(ctx, writes));
        expect([...ledger.snapshot().keys()].sort()).toEqual(writes.map(([key]) => key).sort());
        const values = await ledger.evaluate(identities.edgeUser, (ctx) => getStates(ctx, ['ключ', 'missing']));
        expect(values.map((v) => Buffer.from(v).toString())).toEqual(['unicode key', '']);
    });
});
