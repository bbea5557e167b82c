import { contractMetadata, EVIDENCE_TRANSACTIONS, type FabricContractMetadata } from '../../schemas/src';

/**
 * The evidence chaincode's contract metadata, from the schema package's transaction table: what
 * `org.hyperledger.fabric:GetMetadata` returns once it is written to META-INF/metadata.json (`npm run metadata`).
 */
export function evidenceMetadata(): FabricContractMetadata {
    return contractMetadata({ title: 'evidence', version: '0.1.0' }, [
        {
            name: 'evidence',
            title: 'EvidenceContract',
            description: 'Notarize edge data by digest, in batches or privately, and verify it later',
            transactions: EVIDENCE_TRANSACTIONS,
        },
    ]);
}
