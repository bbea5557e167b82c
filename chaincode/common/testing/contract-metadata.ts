import { JSONSerializer } from 'fabric-contract-api';

interface ContractMetadata {
    contracts: Record<string, { transactions: { name: string; tag?: string[] }[] }>;
}

type ChaincodeFromContractType = new (
    contracts: unknown[],
    serializers: unknown,
    metadata: object,
    title: string,
    version: string,
) => { metadata: ContractMetadata };

/**
 * Builds a chaincode's metadata exactly as fabric-chaincode-node does when the server starts,
 * including its JSON-schema check, so a bad @Property type fails a unit test instead of the deploy
 * (the server exits with "can't resolve reference ..." before the peer can reach it).
 */
export function contractMetadata(contracts: unknown[], title: string): ContractMetadata {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal module of fabric-shim, untyped
    const ChaincodeFromContract = require('fabric-shim/lib/contract-spi/chaincodefromcontract') as ChaincodeFromContractType;
    const serializers = { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } };
    return new ChaincodeFromContract(contracts, serializers, {}, title, '0.0.0').metadata;
}

/** Names of the submit and evaluate transactions of one contract, sorted. */
export function transactionNames(metadata: ContractMetadata, contract: string): { submit: string[]; evaluate: string[] } {
    const transactions = metadata.contracts[contract]?.transactions ?? [];
    const names = (tag: string): string[] => transactions.filter((t) => t.tag?.includes(tag)).map((t) => t.name).sort();
    return { submit: names('SUBMIT'), evaluate: names('EVALUATE') };
}
