import { Context, Contract, Info, Transaction } from 'fabric-contract-api';
import { marshal, negotiateStateBatches, requireIdentifier, skipSuppressedShimLogs, txTime } from '../../common/src';

/**
 * The benchmark baseline: the least a useful transaction can do (one putState of a small JSON value).
 * Deployed only by the benchmarks, so that each chaincode's throughput is measured against it in one run.
 */
@Info({ title: 'BaselineContract', description: 'One putState per transaction, for benchmark ratios' })
export class BaselineContract extends Contract {
    constructor() {
        super('baseline');
    }

    @Transaction()
    async Put(ctx: Context, id: string, value: string): Promise<void> {
        await ctx.stub.putState(`baseline~${requireIdentifier(id, 'id')}`, marshal({ id, value, at: txTime(ctx) }));
    }
}

// The same runtime setting as the chaincodes it is compared with, so benchmark ratios compare their work alone.
skipSuppressedShimLogs();
// Batched state calls only towards peers that advertise them (Fabric 3.1 READY), see common/src/state-batch.ts.
negotiateStateBatches();

export const contracts: (typeof BaselineContract)[] = [BaselineContract];
