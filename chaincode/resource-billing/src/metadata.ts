import { contractMetadata, type FabricContractMetadata, RESOURCE_BILLING_CONTRACTS } from '../../schemas/src';

/**
 * The resource billing chaincode's contract metadata, from the schema package's transaction tables: what
 * `org.hyperledger.fabric:GetMetadata` returns once it is written to META-INF/metadata.json (`npm run metadata`).
 */
export function resourceBillingMetadata(): FabricContractMetadata {
    return contractMetadata({ title: 'resource-billing', version: '0.1.0' }, RESOURCE_BILLING_CONTRACTS);
}
