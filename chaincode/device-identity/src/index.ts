import { negotiateStateBatches, passTextArgumentsThrough, skipSuppressedShimLogs } from '../../common/src';
import { DeviceIdentityContract } from './device-identity-contract';

export { DeviceIdentityContract } from './device-identity-contract';
export * from './certificate-check';
export * from './device-identity-errors';

// Loaded once per chaincode server: formatting shim debug lines that are then dropped costs much of a transaction's CPU.
skipSuppressedShimLogs();
// Batched state calls only towards peers that advertise them (Fabric 3.1 READY), see common/src/state-batch.ts.
negotiateStateBatches();
// Every argument is text the contract checks itself (META-INF/metadata.json), see common/src/text-arguments.ts.
passTextArgumentsThrough();

/** What fabric-chaincode-node loads: the contracts this chaincode serves. */
export const contracts: (typeof DeviceIdentityContract)[] = [DeviceIdentityContract];
