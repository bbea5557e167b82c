import { peer as protos } from '@hyperledger/fabric-protos';
import { negotiateStateBatches } from './state-batch';
import { FakePeer, readyPayload, settled } from '../testing/shim-peer';
import { LedgerState } from './ledger-state';

// Staged writes reach the peer through common/src/state-batch.ts: one message where the peer advertised batches.
const Type = protos.ChaincodeMessage.Type;
const FABRIC_31 = readyPayload({ useWriteBatch: true, maxSizeWriteBatch: 1000, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 1000 });

async function stageAndCommit(peer: FakePeer, txid: string, stage: (state: LedgerState) => void): Promise<void> {
    const state = LedgerState.update(peer.context(txid));
    stage(state);
    await state.commit('Committed', { txid });
}

describe('LedgerState.commit and the peer it talks to', () => {
    beforeAll(() => negotiateStateBatches());

    it('sends every staged put and delete, in key order, as one WRITE_BATCH_STATE to a Fabric 3.1 peer and one call each to a Fabric 3.0 peer, with the same end state', async () => {
        const batched = new FakePeer(FABRIC_31);
        const plain = new FakePeer(new Uint8Array(), { fabric30: true });
        await settled();
        for (const peer of [batched, plain]) {
            await stageAndCommit(peer, 'tx-1', (state) => {
                state.put('b-session', { id: 'b' });
                state.put('a-account', { balance: 1 });
                state.putIndex('c-index');
            });
            await stageAndCommit(peer, 'tx-2', (state) => {
                state.delete('c-index');
                state.put('a-account', { balance: 2 });
            });
        }
        expect(batched.received).toEqual([
            { type: Type.WRITE_BATCH_STATE, keys: ['a-account', 'b-session', 'c-index'] },
            { type: Type.WRITE_BATCH_STATE, keys: ['a-account', 'c-index'] },
        ]);
        expect(plain.types()).toEqual([Type.PUT_STATE, Type.PUT_STATE, Type.PUT_STATE, Type.PUT_STATE, Type.DEL_STATE]);
        expect([...batched.state]).toEqual([...plain.state]);
        expect([...batched.state.keys()].sort()).toEqual(['a-account', 'b-session']);
        expect(batched.events.get('tx-2')).toEqual(plain.events.get('tx-2'));
    });
});
