import { contractMetadata, DEVICE_IDENTITY_TRANSACTIONS, type FabricContractMetadata } from '../../schemas/src';

/**
 * The device identity chaincode's contract metadata, from the schema package's transaction table: what
 * `org.hyperledger.fabric:GetMetadata` returns once it is written to META-INF/metadata.json (`npm run metadata`).
 */
export function deviceIdentityMetadata(): FabricContractMetadata {
    return contractMetadata({ title: 'device-identity', version: '0.1.0' }, [
        {
            name: 'device-identity',
            title: 'DeviceIdentityContract',
            description: 'Self-signed device and app certificates on chain, app trust, equipment assets',
            transactions: DEVICE_IDENTITY_TRANSACTIONS,
        },
    ]);
}
