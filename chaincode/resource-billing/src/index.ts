import { negotiateStateBatches, passTextArgumentsThrough, skipSuppressedShimLogs } from '../../common/src';
import { BillingContract } from './billing-contract';
import { ComputeExchangeContract } from './compute-exchange-contract';
import { MarketplaceContract } from './marketplace-contract';
import { SettlementContract } from './settlement-contract';
import { TokenContract } from './token-contract';

export { BillingContract } from './billing-contract';
export { ComputeExchangeContract } from './compute-exchange-contract';
export { MarketplaceContract } from './marketplace-contract';
export { SettlementContract } from './settlement-contract';
export { TokenContract } from './token-contract';
export * from './billing-dispute';
export * from './billing-errors';
export * from './ct-operation';
export * from './edge-resource';
export * from './invoice';
export * from './market-listing';
export * from './price-plan';
export * from './role-grant';
export * from './token-account';
export * from './usage-record';
export * from './usage-session';
export { DEFAULT_TIMESTAMP_TOLERANCE_SECONDS, TOLERANCE_ENV } from './peer-clock';

/**
 * What fabric-chaincode-node loads. BillingContract comes first, so it is also the default contract;
 * clients name every transaction with its contract prefix (`billing:StartSession`, `token:Mint`...).
 */
// Loaded once per chaincode server: formatting shim debug lines that are then dropped costs much of a transaction's CPU.
skipSuppressedShimLogs();
// Batched state calls only towards peers that advertise them (Fabric 3.1 READY), see common/src/state-batch.ts.
negotiateStateBatches();
// Every parameter is declared plain text (META-INF/metadata.json): skip fabric-contract-api's per-call schema check of it.
passTextArgumentsThrough();

export const contracts: (typeof BillingContract | typeof SettlementContract | typeof TokenContract | typeof MarketplaceContract | typeof ComputeExchangeContract)[] = [
    BillingContract,
    SettlementContract,
    TokenContract,
    MarketplaceContract,
    ComputeExchangeContract,
];
