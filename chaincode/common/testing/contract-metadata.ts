import { JSONSerializer } from 'fabric-contract-api';

interface ContractMetadata {
    contracts: Record<string, { transactions: { name: string; tag?: string[]; parameters?: { name: string }[] }[] }>;
}

type ChaincodeFromContractType = new (
    contracts: unknown[],
    serializers: unknown,
    metadata: object,
    title: string,
    version: string,
) => { metadata: ContractMetadata };

/**
 * Builds a chaincode's metadata exactly as fabric-chaincode-node does when the server starts (from the
 * chaincode's META-INF/metadata.json when given, else from its decorators),
 * including its JSON-schema check, so a bad @Property type fails a unit test instead of the deploy
 * (the server exits with "can't resolve reference ..." before the peer can reach it).
 */
export function contractMetadata(contracts: unknown[], title: string, fileMetadata: object = {}): ContractMetadata {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal module of fabric-shim, untyped
    const ChaincodeFromContract = require('fabric-shim/lib/contract-spi/chaincodefromcontract') as ChaincodeFromContractType;
    const serializers = { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } };
    // A copy of both: fabric-shim adds its system contract to the list and fills in the metadata it is given.
    return new ChaincodeFromContract([...contracts], serializers, structuredClone(fileMetadata), title, '0.0.0').metadata;
}

/** Names of the submit and evaluate transactions of one contract, sorted. */
export function transactionNames(metadata: ContractMetadata, contract: string): { submit: string[]; evaluate: string[] } {
    const transactions = metadata.contracts[contract]?.transactions ?? [];
    const names = (tag: string): string[] => transactions.filter((t) => t.tag?.includes(tag)).map((t) => t.name).sort();
    return { submit: names('SUBMIT'), evaluate: names('EVALUATE') };
}

/** Each transaction as `Name submit|evaluate (parameter, names)`, sorted: what a metadata file and the decorated code must agree on. */
export function transactionSignatures(metadata: ContractMetadata, contract: string): string[] {
    return (metadata.contracts[contract]?.transactions ?? [])
        .map((t) => `${t.name} ${t.tag?.includes('SUBMIT') === true ? 'submit' : 'evaluate'} (${(t.parameters ?? []).map((p) => p.name).join(', ')})`)
        .sort();
}
