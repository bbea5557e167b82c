import { EvidenceContract } from './evidence-contract';

export { EvidenceContract } from './evidence-contract';
export * from './evidence-record';

/** What fabric-chaincode-node loads: the contracts this chaincode serves. */
export const contracts: (typeof EvidenceContract)[] = [EvidenceContract];
