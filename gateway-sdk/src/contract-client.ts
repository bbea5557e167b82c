import { CommitError, type Contract } from '@hyperledger/fabric-gateway';
import { toEdgeTrustError } from './errors';

/** What a submitted transaction gives back once it has committed successfully. */
export interface Submitted<T> {
    /** The chaincode's return value, parsed from JSON; undefined when it returned nothing. */
    result: T;
    transactionId: string;
    blockNumber: bigint;
}

/** Options for one submitted transaction. */
export interface SubmitOptions {
    /** Organisations whose peers must endorse; by default the gateway satisfies the chaincode's policy itself. */
    endorsingOrganizations?: string[];
    /** Private inputs, never written to the transaction itself. */
    transientData?: Record<string, Uint8Array>;
}

const utf8 = new TextDecoder();

function parseResult<T>(bytes: Uint8Array): T {
    const text = utf8.decode(bytes);
    return (text === '' ? undefined : JSON.parse(text)) as T;
}

/**
 * The shared part of every EdgeTrust chaincode client: submit and evaluate with JSON results,
 * commit status checked, and every failure converted into a typed {@link EdgeTrustError}.
 */
export abstract class ContractClient {
    readonly #contract: Contract;

    protected constructor(contract: Contract) {
        this.#contract = contract;
    }

    /** The underlying fabric-gateway contract, for events and advanced use. */
    protected get contract(): Contract {
        return this.#contract;
    }

    /** Endorses, orders and waits for the commit of a transaction; throws if it did not commit as valid. */
    protected async submit<T>(name: string, args: string[], options: SubmitOptions = {}): Promise<Submitted<T>> {
        try {
            const commit = await this.#contract.submitAsync(name, {
                arguments: args,
                endorsingOrganizations: options.endorsingOrganizations,
                transientData: options.transientData,
            });
            const status = await commit.getStatus();
            if (!status.successful) {
                throw new CommitError({
                    code: status.code,
                    transactionId: status.transactionId,
                    message: `transaction ${status.transactionId} failed to commit with status code ${String(status.code)}`,
                });
            }
            return { result: parseResult<T>(commit.getResult()), transactionId: status.transactionId, blockNumber: status.blockNumber };
        } catch (err) {
            throw toEdgeTrustError(err);
        }
    }

    /** Runs a query on one peer; nothing is written to the ledger. */
    protected async evaluate<T>(name: string, args: string[]): Promise<T> {
        try {
            return parseResult<T>(await this.#contract.evaluate(name, { arguments: args }));
        } catch (err) {
            throw toEdgeTrustError(err);
        }
    }
}
