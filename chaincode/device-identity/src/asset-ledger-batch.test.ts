import { peer as protos } from '@hyperledger/fabric-protos';
import { negotiateStateBatches } from '../../common/src';
import { FakePeer, readyPayload, settled } from '../../common/testing/shim-peer';
import { putAsset } from './asset-ledger';
import type { AssetHistoryEntry, EquipmentAsset } from '../../schemas/src';

// Device identity's writes reach the peer through common/src/state-batch.ts: one message where the peer advertised batches.
const Type = protos.ChaincodeMessage.Type;
const FABRIC_31 = readyPayload({ useWriteBatch: true, maxSizeWriteBatch: 1000, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 1000 });

const registered = { id: 'cam-1', tag: 'tag-1', site: 'edge-site-a', state: 'in_stock', ownerMspId: 'EdgeOrgMSP' } as EquipmentAsset;
const moved = { ...registered, site: 'edge-site-b', state: 'installed' } as EquipmentAsset;

describe('device identity writes and the peer they go to', () => {
    beforeAll(() => negotiateStateBatches());

    it('register and move an asset with one WRITE_BATCH_STATE each on a Fabric 3.1 peer, one call per key on a Fabric 3.0 peer, same end state', async () => {
        const batched = new FakePeer(FABRIC_31);
        const plain = new FakePeer(new Uint8Array(), { fabric30: true });
        await settled();
        for (const peer of [batched, plain]) {
            await putAsset(peer.context('tx-1'), registered, { seq: 1 } as AssetHistoryEntry);
            await putAsset(peer.context('tx-2'), moved, { seq: 2 } as AssetHistoryEntry, registered);
        }
        // Values only: key-level endorsement policies, where set, travel in messages of their own.
        expect(batched.valueWrites.map((m) => [m.type, m.keys.length])).toEqual([
            [Type.WRITE_BATCH_STATE, 5],
            [Type.WRITE_BATCH_STATE, 6],
        ]);
        expect(plain.valueWrites.map((m) => m.type)).toEqual([...Array<number>(5).fill(Type.PUT_STATE), Type.PUT_STATE, Type.DEL_STATE, Type.DEL_STATE, ...Array<number>(3).fill(Type.PUT_STATE)]);
        expect([...batched.state]).toEqual([...plain.state]);
        expect([...batched.policies]).toEqual([...plain.policies]);
    });
});
