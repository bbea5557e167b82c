import { negotiateStateBatches, passTextArgumentsThrough, skipSuppressedShimLogs } from '../../common/src';
import { EvidenceContract } from './evidence-contract';

export * from './access-policy';
export * from './data-transfer';
export * from './evidence-batch';
export * from './evidence-contract';
export * from './evidence-errors';
export * from './evidence-index';
export * from './evidence-record';
export * from './personal-evidence';
export * from './record-kinds';

// Loaded once per chaincode server: a fifth of a transaction's CPU went into formatting suppressed shim logs.
skipSuppressedShimLogs();
// Batched state calls only towards peers that advertise them (Fabric 3.1 READY), see common/src/state-batch.ts.
negotiateStateBatches();
// Every argument is text the contract checks itself (META-INF/metadata.json), see common/src/text-arguments.ts.
passTextArgumentsThrough();

/** What fabric-chaincode-node loads: the contracts this chaincode serves. */
export const contracts: (typeof EvidenceContract)[] = [EvidenceContract];
