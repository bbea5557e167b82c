import type { CallOptions } from '@grpc/grpc-js';
import { CommitError, type Contract, type Gateway, type Network, type Proposal, type ProposalOptions, type Status, type SubmittedTransaction, type Transaction } from '@hyperledger/fabric-gateway';
import { endorsingMspIdsOf } from './committed-transaction';
import { awaitRequiredBlock, type BlockFeed, type ConsistencySession, type TrackedPeer, type WaitPlan } from './consistency';

/** What the consistent wrappers need from their connection. */
export interface ConsistencyContext {
    session: ConsistencySession;
    /** The peer the connection's gateway runs on. */
    gatewayPeer: TrackedPeer;
    /** The organisation of the connection's user (and of its gateway peer). */
    mspId: string;
    /** Every peer of an organisation, by MSP id, as the connection profile lists them. */
    peersOf(mspId: string): TrackedPeer[];
    /** The MSP ids of every organisation in the connection profile. */
    organizations: readonly string[];
    feed: BlockFeed;
    timeoutMs: number;
}

/**
 * The connection's gateway with read-your-writes: contracts obtained through it record the block of every
 * transaction they submit, and wait before each evaluate and endorsement until the peers involved have the
 * session's required block. Everything else is the fabric-gateway object itself.
 */
export function consistentGateway(gateway: Gateway, context: ConsistencyContext): Gateway {
    const networks = new Map<string, Network>();
    return overriding(gateway, {
        getNetwork: (channel: string): Network => {
            let network = networks.get(channel);
            if (!network) {
                network = consistentNetwork(gateway.getNetwork(channel), context);
                networks.set(channel, network);
            }
            return network;
        },
    });
}

function consistentNetwork(network: Network, context: ConsistencyContext): Network {
    return overriding(network, {
        getContract: (chaincodeName: string, contractName?: string): Contract =>
            new ConsistentContract(network.getContract(chaincodeName, contractName), network.getName(), context),
    });
}

/** A proxy answering `overrides` itself and every other property from `target`, with methods bound to it. */
function overriding<T extends object>(target: T, overrides: Partial<T>): T {
    return new Proxy(target, {
        get(object, property): unknown {
            if (Object.prototype.hasOwnProperty.call(overrides, property)) {
                return (overrides as Record<string | symbol, unknown>)[property];
            }
            const value = Reflect.get(object, property, object) as unknown;
            // fabric-gateway's classes keep their state in private fields, which only the real object can read.
            return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
        },
    });
}

/**
 * Contract with read-your-writes. Every fabric-gateway call path (evaluateTransaction, evaluate, submit,
 * submitTransaction, submitAsync, newProposal) goes through {@link newProposal}, as in fabric-gateway's own Contract.
 */
export class ConsistentContract implements Contract {
    readonly #inner: Contract;
    readonly #channel: string;
    readonly #context: ConsistencyContext;

    constructor(inner: Contract, channel: string, context: ConsistencyContext) {
        this.#inner = inner;
        this.#channel = channel;
        this.#context = context;
    }

    getChaincodeName(): string {
        return this.#inner.getChaincodeName();
    }

    getContractName(): string | undefined {
        return this.#inner.getContractName();
    }

    evaluateTransaction(name: string, ...args: Array<string | Uint8Array>): Promise<Uint8Array> {
        return this.evaluate(name, { arguments: args });
    }

    submitTransaction(name: string, ...args: Array<string | Uint8Array>): Promise<Uint8Array> {
        return this.submit(name, { arguments: args });
    }

    evaluate(transactionName: string, options?: ProposalOptions): Promise<Uint8Array> {
        return this.newProposal(transactionName, options).evaluate();
    }

    async submit(transactionName: string, options?: ProposalOptions): Promise<Uint8Array> {
        const submitted = await this.submitAsync(transactionName, options);
        const status = await submitted.getStatus();
        if (!status.successful) {
            throw new CommitError({ code: status.code, transactionId: status.transactionId, message: `Transaction ${status.transactionId} failed to commit with status code ${String(status.code)}` });
        }
        return submitted.getResult();
    }

    async submitAsync(transactionName: string, options?: ProposalOptions): Promise<SubmittedTransaction> {
        const transaction = await this.newProposal(transactionName, options).endorse();
        return transaction.submit();
    }

    newProposal(transactionName: string, options?: ProposalOptions): Proposal {
        return new ConsistentProposal(this.#inner.newProposal(transactionName, options), {
            channel: this.#channel,
            chaincode: this.#inner.getChaincodeName(),
            endorsingOrganizations: options?.endorsingOrganizations ?? [],
            context: this.#context,
        });
    }
}

interface ProposalScope {
    channel: string;
    chaincode: string;
    endorsingOrganizations: readonly string[];
    context: ConsistencyContext;
}

class ConsistentProposal implements Proposal {
    readonly #inner: Proposal;
    readonly #scope: ProposalScope;

    constructor(inner: Proposal, scope: ProposalScope) {
        this.#inner = inner;
        this.#scope = scope;
    }

    getBytes(): Uint8Array {
        return this.#inner.getBytes();
    }

    getDigest(): Uint8Array {
        return this.#inner.getDigest();
    }

    getTransactionId(): string {
        return this.#inner.getTransactionId();
    }

    async evaluate(options?: CallOptions): Promise<Uint8Array> {
        await this.#await(this.#scope.endorsingOrganizations);
        return this.#inner.evaluate(options);
    }

    async endorse(options?: CallOptions): Promise<Transaction> {
        const { channel, chaincode, endorsingOrganizations, context } = this.#scope;
        // Under an AND policy the gateway picks other organisations' peers by their gossiped block height, which can
        // lag behind their ledgers: wait for the organisations named by the caller and those that endorsed this
        // organisation's earlier transactions of the chaincode; before the session has seen any, for every organisation.
        const learned = context.session.endorsers(channel, chaincode, context.mspId);
        await this.#await(endorsingOrganizations.length > 0 || learned ? [...endorsingOrganizations, ...(learned ?? [])] : context.organizations);
        const transaction = await this.#inner.endorse(options);
        context.session.noteEndorsers(channel, chaincode, context.mspId, endorsingMspIdsOf(transaction.getBytes()));
        return new ConsistentTransaction(transaction, this.#scope);
    }

    #await(organizations: readonly string[]): Promise<void> {
        const { channel, context } = this.#scope;
        const others = [...new Set(organizations)].filter((mspId) => mspId !== context.mspId);
        const plan: WaitPlan = { channel, gatewayPeer: context.gatewayPeer, otherPeers: others.flatMap((mspId) => context.peersOf(mspId)) };
        return awaitRequiredBlock(context.session, plan, context.feed, context.timeoutMs);
    }
}

class ConsistentTransaction implements Transaction {
    readonly #inner: Transaction;
    readonly #scope: ProposalScope;

    constructor(inner: Transaction, scope: ProposalScope) {
        this.#inner = inner;
        this.#scope = scope;
    }

    getBytes(): Uint8Array {
        return this.#inner.getBytes();
    }

    getDigest(): Uint8Array {
        return this.#inner.getDigest();
    }

    getResult(): Uint8Array {
        return this.#inner.getResult();
    }

    getTransactionId(): string {
        return this.#inner.getTransactionId();
    }

    async submit(options?: CallOptions): Promise<SubmittedTransaction> {
        return new ConsistentSubmittedTransaction(await this.#inner.submit(options), this.#scope);
    }
}

class ConsistentSubmittedTransaction implements SubmittedTransaction {
    readonly #inner: SubmittedTransaction;
    readonly #scope: ProposalScope;

    constructor(inner: SubmittedTransaction, scope: ProposalScope) {
        this.#inner = inner;
        this.#scope = scope;
    }

    getBytes(): Uint8Array {
        return this.#inner.getBytes();
    }

    getDigest(): Uint8Array {
        return this.#inner.getDigest();
    }

    getResult(): Uint8Array {
        return this.#inner.getResult();
    }

    getTransactionId(): string {
        return this.#inner.getTransactionId();
    }

    async getStatus(options?: CallOptions): Promise<Status> {
        const status = await this.#inner.getStatus(options);
        // The gateway peer answers commit status from its own ledger: it has this block, valid transaction or not.
        const { channel, context } = this.#scope;
        context.session.noteCommitted(channel, context.gatewayPeer.endpoint, status.blockNumber);
        return status;
    }
}
