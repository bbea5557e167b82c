import { peer as protos } from '@hyperledger/fabric-protos';
import { identities, MemoryLedger } from '../testing/memory-ledger';
import { FakePeer, readyPayload, settled } from '../testing/shim-peer';
import {
    decodePeerBatchLimits,
    decodeRepeatedBytes,
    encodeGetStateMultiple,
    encodeValidationParameterBatch,
    encodeWriteBatch,
    getStates,
    negotiateStateBatches,
    NO_BATCHES,
    peerBatchLimits,
    putStates,
    putStatesWithPolicy,
    setStateValidationParameters,
    type StateWrite,
} from './state-batch';

// fabric-protos 0.3 (the SDK's) defines the Fabric 3.1 messages; the helpers encode them by hand.
const bytes = (text: string): Uint8Array => Buffer.from(text);
const Type = protos.ChaincodeMessage.Type;

const FABRIC_31 = readyPayload({ useWriteBatch: true, maxSizeWriteBatch: 1000, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 1000 });

const writes: StateWrite[] = [
    ['evidence~rec-1', bytes('{"id":"rec-1"}')],
    ['\u0000evidence~by-tag\u0000bench\u0000rec-1\u0000', new Uint8Array([0])],
    ['ключ', bytes('unicode key')],
];

const manyWrites = (n: number): StateWrite[] => Array.from({ length: n }, (_, i): StateWrite => [`k${String(i).padStart(2, '0')}`, bytes(`v${String(i)}`)]);

describe('state batches', () => {
    beforeAll(() => {
        negotiateStateBatches();
        negotiateStateBatches(); // idempotent
    });

    it('encode WriteBatchState and GetStateMultiple exactly as protobuf does', () => {
        const withDelete: StateWrite[] = [...writes, ['gone', null]];
        const batch = protos.WriteBatchState.deserializeBinary(encodeWriteBatch(withDelete));
        expect(batch.getRecList().map((r) => [r.getKey(), Buffer.from(r.getValue_asU8()).toString('hex'), r.getType(), r.getCollection()])).toEqual([
            ...writes.map(([key, value]) => [key, Buffer.from(value ?? []).toString('hex'), protos.WriteRecord.Type.PUT_STATE, '']),
            ['gone', '', protos.WriteRecord.Type.DEL_STATE, ''],
        ]);
        const reference = new protos.WriteBatchState();
        reference.setRecList(
            withDelete.map(([key, value]) => {
                const record = new protos.WriteRecord();
                record.setKey(key);
                if (value !== null) {
                    record.setValue(value);
                }
                record.setType(value === null ? protos.WriteRecord.Type.DEL_STATE : protos.WriteRecord.Type.PUT_STATE);
                return record;
            }),
        );
        expect(Buffer.from(encodeWriteBatch(withDelete))).toEqual(Buffer.from(reference.serializeBinary()));
        expect(protos.GetStateMultiple.deserializeBinary(encodeGetStateMultiple(['a', 'ключ'])).getKeysList()).toEqual(['a', 'ключ']);
    });

    it('decode GetStateMultipleResult, empty values included, and refuse truncated messages', () => {
        const result = new protos.GetStateMultipleResult();
        result.setValuesList([bytes('x'.repeat(300)), new Uint8Array(), bytes('z')]);
        const values = decodeRepeatedBytes(result.serializeBinary(), 1);
        expect(values.map((v) => Buffer.from(v).toString())).toEqual(['x'.repeat(300), '', 'z']);
        expect(() => decodeRepeatedBytes(result.serializeBinary().subarray(0, 10), 1)).toThrow(/truncated/);
    });

    it('read the limits from READY: each kind only where advertised, a zero maximum gets a floor, garbage advertises nothing', () => {
        expect(decodePeerBatchLimits(FABRIC_31)).toEqual({ writeBatch: 1000, getMultipleKeys: 1000 });
        expect(decodePeerBatchLimits(readyPayload({ useWriteBatch: true, maxSizeWriteBatch: 7, useGetMultipleKeys: false, maxSizeGetMultipleKeys: 1000 }))).toEqual({ writeBatch: 7, getMultipleKeys: 0 });
        expect(decodePeerBatchLimits(readyPayload({ useWriteBatch: false, maxSizeWriteBatch: 1000, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 0 }))).toEqual({ writeBatch: 0, getMultipleKeys: 100 });
        expect(decodePeerBatchLimits(new Uint8Array())).toEqual(NO_BATCHES);
        expect(decodePeerBatchLimits(Uint8Array.from([0x08]))).toEqual(NO_BATCHES);
    });

    it('send nothing but per-key calls to a Fabric 3.0 peer (empty READY), which would end the stream on a batch', async () => {
        const peer = new FakePeer(new Uint8Array(), { fabric30: true });
        await settled();
        const ctx = peer.context();
        expect(peerBatchLimits(ctx)).toEqual(NO_BATCHES);
        await putStates(ctx, [...writes, ['ключ', null]]);
        const values = await getStates(ctx, ['evidence~rec-1', 'ключ', 'missing']);
        expect(values.map((v) => Buffer.from(v).toString())).toEqual(['{"id":"rec-1"}', '', '']);
        expect(peer.types()).toEqual([Type.PUT_STATE, Type.PUT_STATE, Type.PUT_STATE, Type.DEL_STATE, Type.GET_STATE, Type.GET_STATE, Type.GET_STATE]);
    });

    it('send one WRITE_BATCH_STATE and one GET_STATE_MULTIPLE to a Fabric 3.1 peer, with the same end state as per-key calls', async () => {
        const batched = new FakePeer(FABRIC_31);
        const plain = new FakePeer(new Uint8Array());
        await settled();
        const sequence: StateWrite[] = [...writes, ['k', bytes('first')], ['k', null], ['later', bytes('x')]];
        for (const peer of [batched, plain]) {
            await putStates(peer.context(), sequence);
        }
        expect(batched.types()).toEqual([Type.WRITE_BATCH_STATE]);
        expect(batched.received[0]?.keys).toEqual(sequence.map(([key]) => key));
        expect([...batched.state]).toEqual([...plain.state]);

        const keys = ['ключ', 'k', 'later', 'evidence~rec-1'];
        const [fromBatch, fromPlain] = await Promise.all([getStates(batched.context('tx-2'), keys), getStates(plain.context('tx-2'), keys)]);
        expect(fromBatch.map((v) => Buffer.from(v).toString())).toEqual(['unicode key', '', 'x', '{"id":"rec-1"}']);
        expect(fromBatch).toEqual(fromPlain);
        expect(batched.types()).toEqual([Type.WRITE_BATCH_STATE, Type.GET_STATE_MULTIPLE]);
    });

    it('split at the advertised maximum, in order, and batch only the kind the peer advertised', async () => {
        const peer = new FakePeer(readyPayload({ useWriteBatch: true, maxSizeWriteBatch: 2, useGetMultipleKeys: false, maxSizeGetMultipleKeys: 1000 }));
        await settled();
        const ctx = peer.context();
        await putStates(ctx, manyWrites(5));
        expect(peer.received).toEqual([
            { type: Type.WRITE_BATCH_STATE, keys: ['k00', 'k01'] },
            { type: Type.WRITE_BATCH_STATE, keys: ['k02', 'k03'] },
            { type: Type.WRITE_BATCH_STATE, keys: ['k04'] },
        ]);
        await getStates(ctx, ['k00', 'k04']);
        expect(peer.types().slice(3)).toEqual([Type.GET_STATE, Type.GET_STATE]);

        const reads = new FakePeer(readyPayload({ useWriteBatch: false, maxSizeWriteBatch: 0, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 3 }));
        await settled();
        await putStates(reads.context(), manyWrites(7));
        const values = await getStates(reads.context('tx-2'), manyWrites(7).map(([key]) => key));
        expect(values.map((v) => Buffer.from(v).toString())).toEqual(manyWrites(7).map(([, value]) => Buffer.from(value ?? []).toString()));
        expect(reads.received.filter((m) => m.type === Type.GET_STATE_MULTIPLE).map((m) => m.keys.length)).toEqual([3, 3, 1]);
        expect(reads.types().filter((t) => t === Type.PUT_STATE)).toHaveLength(7);
    });

    it('keep each peer connection to what that peer advertised (one chaincode server, several peers)', async () => {
        const newer = new FakePeer(FABRIC_31);
        const older = new FakePeer(new Uint8Array(), { fabric30: true });
        await settled();
        await Promise.all([putStates(newer.context(), writes), putStates(older.context(), writes)]);
        expect(newer.types()).toEqual([Type.WRITE_BATCH_STATE]);
        expect(older.types()).toEqual([Type.PUT_STATE, Type.PUT_STATE, Type.PUT_STATE]);
    });

    it('fail the transaction when the peer refuses a batch or answers a different number of values', async () => {
        // A peer that advertises batches but refuses them (none does; the shim turns ERROR into a rejection).
        const refusing = new FakePeer(FABRIC_31, { fabric30: true });
        await settled();
        await expect(putStates(refusing.context(), writes)).rejects.toThrow(/cannot handle message \(24\)/);

        const short = new FakePeer(FABRIC_31);
        await settled();
        const ctx = short.context();
        const handler = (ctx.stub as unknown as { handler: { _askPeerAndListen: (m: unknown, method: string) => Promise<unknown> } }).handler;
        handler._askPeerAndListen = () => Promise.resolve(Buffer.alloc(0));
        await expect(getStates(ctx, ['a', 'b'])).rejects.toThrow(/answered 0 values for 2 keys/);
    });

    it('use one call per key for a single key, or when EDGETRUST_STATE_BATCHING=off', async () => {
        const peer = new FakePeer(FABRIC_31);
        await settled();
        await putStates(peer.context(), writes.slice(0, 1));
        await getStates(peer.context(), ['k']);
        expect(peer.types()).toEqual([Type.PUT_STATE, Type.GET_STATE]);

        process.env.EDGETRUST_STATE_BATCHING = 'off';
        try {
            await putStates(peer.context('tx-2'), writes.slice(0, 2));
            expect(peer.types().slice(2)).toEqual([Type.PUT_STATE, Type.PUT_STATE]);
        } finally {
            delete process.env.EDGETRUST_STATE_BATCHING;
        }
    });

    it('set key-level endorsement policies as PUT_STATE_METADATA records of one batch on a Fabric 3.1 peer, one call each on a 3.0 peer', async () => {
        const policies: [string, Uint8Array][] = [
            ['asset~cam-1', Uint8Array.from([1, 2, 3])],
            ['asset~history~cam-1~1', Uint8Array.from([4])],
        ];
        const reference = new protos.WriteBatchState();
        reference.setRecList(
            policies.map(([key, policy]) => {
                const metadata = new protos.StateMetadata();
                metadata.setMetakey('VALIDATION_PARAMETER');
                metadata.setValue(policy);
                const record = new protos.WriteRecord();
                record.setKey(key);
                record.setMetadata(metadata);
                record.setType(protos.WriteRecord.Type.PUT_STATE_METADATA);
                return record;
            }),
        );
        expect(Buffer.from(encodeValidationParameterBatch(policies))).toEqual(Buffer.from(reference.serializeBinary()));

        const batched = new FakePeer(FABRIC_31);
        const plain = new FakePeer(new Uint8Array(), { fabric30: true });
        await settled();
        await setStateValidationParameters(batched.context(), policies);
        await setStateValidationParameters(plain.context(), policies);
        expect(batched.received).toEqual([{ type: Type.WRITE_BATCH_STATE, keys: policies.map(([key]) => key) }]);
        expect(plain.types()).toEqual([Type.PUT_STATE_METADATA, Type.PUT_STATE_METADATA]);
        expect([...batched.policies]).toEqual([...plain.policies]);
        expect(batched.policies.get('asset~cam-1')).toBe('010203');
    });

    it('send values and their key-level policy in one WRITE_BATCH_STATE on a Fabric 3.1 peer, split only at the maximum', async () => {
        const owned = writes.filter((write): write is readonly [string, Uint8Array] => write[1] !== null);
        const policy = Uint8Array.from([7, 7]);
        const batched = new FakePeer(FABRIC_31);
        const small = new FakePeer(readyPayload({ useWriteBatch: true, maxSizeWriteBatch: 4, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 4 }));
        const plain = new FakePeer(new Uint8Array(), { fabric30: true });
        await settled();
        await putStatesWithPolicy(batched.context(), owned, policy);
        await putStatesWithPolicy(small.context(), owned, policy);
        await putStatesWithPolicy(plain.context(), owned, policy);
        // One message: every value, then every policy (the record of each key before its policy).
        expect(batched.received).toEqual([{ type: Type.WRITE_BATCH_STATE, keys: [...owned.map(([key]) => key), ...owned.map(([key]) => key)] }]);
        expect(small.types()).toEqual([Type.WRITE_BATCH_STATE, Type.WRITE_BATCH_STATE]);
        expect(plain.types()).toEqual([...owned.map(() => Type.PUT_STATE), ...owned.map(() => Type.PUT_STATE_METADATA)]);
        for (const peer of [batched, small]) {
            expect([...peer.state]).toEqual([...plain.state]);
            expect([...peer.policies]).toEqual([...plain.policies]);
        }
        expect(batched.policies.get(owned[0]?.[0] ?? '')).toBe('0707');
    });

    it('fall back to getState / putState / deleteState on a stub that is not fabric-shim\'s, with the same result', async () => {
        const ledger = new MemoryLedger();
        await ledger.submit(identities.edgeUser, (ctx) => putStates(ctx, writes));
        await ledger.submit(identities.edgeUser, (ctx) => putStates(ctx, [['ключ', null], ['new', bytes('n')]]));
        expect([...ledger.snapshot().keys()].sort()).toEqual(['new', ...writes.map(([key]) => key).filter((k) => k !== 'ключ')].sort());
        const values = await ledger.evaluate(identities.edgeUser, (ctx) => getStates(ctx, ['new', 'missing']));
        expect(values.map((v) => Buffer.from(v).toString())).toEqual(['n', '']);
    });
});
