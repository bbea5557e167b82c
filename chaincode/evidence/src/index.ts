import { EvidenceContract } from './evidence-contract';

export * from './access-policy';
export * from './data-transfer';
export * from './evidence-batch';
export * from './evidence-contract';
export * from './evidence-errors';
export * from './evidence-index';
export * from './evidence-record';
export * from './merkle-proof';
export * from './personal-evidence';
export * from './record-kinds';

/** What fabric-chaincode-node loads: the contracts this chaincode serves. */
export const contracts: (typeof EvidenceContract)[] = [EvidenceContract];
