import type { CallOptions } from '@grpc/grpc-js';
import { CommitError, type Contract, type Gateway, type Network, type Proposal, type ProposalOptions, type Status, type SubmittedTransaction, type Transaction } from '@hyperledger/fabric-gateway';
import { endorsingMspIdsOf } from './committed-transaction';
import { awaitRequiredBlock, type BlockFeed, type ConsistencySession, type TrackedPeer, type WaitPlan } from './consistency';
import { isDeadlineExceeded, type PeerRoute, PeerRoutes } from './failover';

/**
 * A transaction the orderer accepted can still be lost: a Raft leader that dies before its block is replicated loses
 * the transactions it was batching, and their commit status would never come. After this long without a status the
 * same signed envelope is submitted again (its transaction id commits at most once), so such a loss costs seconds,
 * not the whole commit status deadline. Normal commits on this network take well under a second.
 */
export const DEFAULT_RESUBMIT_AFTER_MS = 2000;
const DEFAULT_COMMIT_STATUS_TIMEOUT_MS = 60_000;

/** What the consistent wrappers need from their connection. */
export interface ConsistencyContext {
    session: ConsistencySession;
    /** The peer the connection's gateway runs on (the first of `routes` when there are several). */
    gatewayPeer: TrackedPeer;
    /** The peers of the connection's organisation it fails over between (default: `gatewayPeer` alone). */
    routes?: PeerRoutes;
    /** False: no read-your-writes waits (the connection was opened with `consistency: false`); failover still applies. */
    readYourWrites?: boolean;
    /**
     * How long a commit status wait lasts before the same signed transaction is submitted again (default
     * {@link DEFAULT_RESUBMIT_AFTER_MS}); the whole wait still ends at the caller's deadline (default 60 s).
     */
    resubmitAfterMs?: number;
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
 * The connection's gateway with read-your-writes and failover: contracts obtained through it record the block of
 * every transaction they submit, wait before each evaluate and endorsement until the peers involved have the
 * session's required block, and move to the organisation's next peer when the current one fails (see failover.ts).
 * Everything else is the fabric-gateway object of the current peer.
 */
export function consistentGateway(gateway: Gateway, context: ConsistencyContext): Gateway {
    const routes = context.routes ?? PeerRoutes.single(context.gatewayPeer, gateway);
    const scoped: RoutedContext = { ...context, routes };
    const networks = new Map<string, Network>();
    return overriding(gateway, () => routes.current.gateway, {
        getNetwork: (channel: string): Network => {
            let network = networks.get(channel);
            if (!network) {
                network = consistentNetwork(channel, scoped);
                networks.set(channel, network);
            }
            return network;
        },
    });
}

type RoutedContext = ConsistencyContext & { routes: PeerRoutes };

function consistentNetwork(channel: string, context: RoutedContext): Network {
    const current = (): Network => context.routes.current.gateway.getNetwork(channel);
    return overriding(current(), current, {
        getContract: (chaincodeName: string, contractName?: string): Contract => new ConsistentContract(chaincodeName, contractName, channel, context),
    });
}

/**
 * A proxy answering `overrides` itself and every other property from `target()` (the current peer's object, read
 * at each access), with methods bound to it.
 */
function overriding<T extends object>(shape: T, target: () => T, overrides: Partial<T>): T {
    return new Proxy(shape, {
        get(_shape, property): unknown {
            if (Object.prototype.hasOwnProperty.call(overrides, property)) {
                return (overrides as Record<string | symbol, unknown>)[property];
            }
            const object = target();
            const value = Reflect.get(object, property, object) as unknown;
            // fabric-gateway's classes keep their state in private fields, which only the real object can read.
            return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
        },
    });
}

/**
 * Contract with read-your-writes and failover. Every fabric-gateway call path (evaluateTransaction, evaluate,
 * submit, submitTransaction, submitAsync, newProposal) goes through {@link newProposal}, as in fabric-gateway's own
 * Contract.
 */
export class ConsistentContract implements Contract {
    readonly #chaincodeName: string;
    readonly #contractName: string | undefined;
    readonly #channel: string;
    readonly #context: RoutedContext;

    constructor(chaincodeName: string, contractName: string | undefined, channel: string, context: RoutedContext) {
        this.#chaincodeName = chaincodeName;
        this.#contractName = contractName;
        this.#channel = channel;
        this.#context = context;
    }

    getChaincodeName(): string {
        return this.#chaincodeName;
    }

    getContractName(): string | undefined {
        return this.#contractName;
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
        const { routes } = this.#context;
        const make = (route: PeerRoute): Proposal => route.gateway.getNetwork(this.#channel).getContract(this.#chaincodeName, this.#contractName).newProposal(transactionName, options);
        return new ConsistentProposal(make, routes.current, {
            channel: this.#channel,
            chaincode: this.#chaincodeName,
            endorsingOrganizations: options?.endorsingOrganizations ?? [],
            context: this.#context,
        });
    }
}

interface ProposalScope {
    channel: string;
    chaincode: string;
    endorsingOrganizations: readonly string[];
    context: RoutedContext;
}

/**
 * A proposal made on the current peer; if that peer fails before answering, a new proposal (new transaction id) is
 * made on the next peer: a proposal records nothing, and an endorsement the client has not signed cannot be ordered.
 */
class ConsistentProposal implements Proposal {
    readonly #make: (route: PeerRoute) => Proposal;
    readonly #scope: ProposalScope;
    #route: PeerRoute;
    #inner: Proposal;

    constructor(make: (route: PeerRoute) => Proposal, route: PeerRoute, scope: ProposalScope) {
        this.#make = make;
        this.#scope = scope;
        this.#route = route;
        this.#inner = make(route);
    }

    getBytes(): Uint8Array {
        return this.#inner.getBytes();
    }

    getDigest(): Uint8Array {
        return this.#inner.getDigest();
    }

    /** The id of the latest proposal made (a new one after a failover); the endorsed Transaction's id is the one that counts. */
    getTransactionId(): string {
        return this.#inner.getTransactionId();
    }

    evaluate(options?: CallOptions): Promise<Uint8Array> {
        return this.#scope.context.routes.run(async (route) => {
            const proposal = this.#on(route);
            await this.#await(this.#scope.endorsingOrganizations, route.peer);
            return proposal.evaluate(options);
        });
    }

    endorse(options?: CallOptions): Promise<Transaction> {
        const { channel, chaincode, endorsingOrganizations, context } = this.#scope;
        return context.routes.run(async (route) => {
            const proposal = this.#on(route);
            // Under an AND policy the gateway picks other organisations' peers by their gossiped block height, which can
            // lag behind their ledgers: wait for the organisations named by the caller and those that endorsed this
            // organisation's earlier transactions of the chaincode; before the session has seen any, for every organisation.
            const learned = context.session.endorsers(channel, chaincode, context.mspId);
            await this.#await(endorsingOrganizations.length > 0 || learned ? [...endorsingOrganizations, ...(learned ?? [])] : context.organizations, route.peer);
            const transaction = await proposal.endorse(options);
            context.session.noteEndorsers(channel, chaincode, context.mspId, endorsingMspIdsOf(transaction.getBytes()));
            return new ConsistentTransaction(transaction, route, this.#scope);
        });
    }

    #on(route: PeerRoute): Proposal {
        if (route.index !== this.#route.index) {
            this.#route = route;
            this.#inner = this.#make(route);
        }
        return this.#inner;
    }

    #await(organizations: readonly string[], gatewayPeer: TrackedPeer): Promise<void> {
        const { channel, context } = this.#scope;
        if (context.readYourWrites === false) {
            return Promise.resolve();
        }
        const others = [...new Set(organizations)].filter((mspId) => mspId !== context.mspId);
        const plan: WaitPlan = { channel, gatewayPeer, otherPeers: others.flatMap((mspId) => context.peersOf(mspId)) };
        return awaitRequiredBlock(context.session, plan, context.feed, context.timeoutMs);
    }
}

/** The parts of an endorsed or submitted transaction that stay those of the transaction the gateway returned. */
abstract class EndorsedTransactionView<T extends Transaction | SubmittedTransaction> {
    protected readonly inner: T;

    protected constructor(inner: T) {
        this.inner = inner;
    }

    getBytes(): Uint8Array {
        return this.inner.getBytes();
    }

    getDigest(): Uint8Array {
        return this.inner.getDigest();
    }

    getResult(): Uint8Array {
        return this.inner.getResult();
    }

    getTransactionId(): string {
        return this.inner.getTransactionId();
    }
}

/**
 * An endorsed transaction. If its peer fails while submitting, the same signed envelope is submitted through the
 * next peer: whether or not the first peer had passed it to the orderer, its transaction id commits at most once.
 */
class ConsistentTransaction extends EndorsedTransactionView<Transaction> implements Transaction {
    readonly #route: PeerRoute;
    readonly #scope: ProposalScope;

    constructor(inner: Transaction, route: PeerRoute, scope: ProposalScope) {
        super(inner);
        this.#route = route;
        this.#scope = scope;
    }

    submit(options?: CallOptions): Promise<SubmittedTransaction> {
        return this.#scope.context.routes.run(async (route) => {
            // After a failed attempt getBytes() carries the signature, so the other peer gets the identical envelope.
            const transaction = route.index === this.#route.index ? this.inner : route.gateway.newTransaction(this.inner.getBytes());
            const submitted = await transaction.submit(options);
            return new ConsistentSubmittedTransaction(submitted, transaction.getBytes(), route, this.#scope);
        });
    }
}

/**
 * A submitted transaction whose commit status wait resumes on the next peer, by transaction id, if its peer fails,
 * and which submits the same signed envelope again while no status comes (see {@link DEFAULT_RESUBMIT_AFTER_MS}).
 */
class ConsistentSubmittedTransaction extends EndorsedTransactionView<SubmittedTransaction> implements SubmittedTransaction {
    readonly #signedTransaction: Uint8Array;
    readonly #route: PeerRoute;
    readonly #scope: ProposalScope;

    constructor(inner: SubmittedTransaction, signedTransaction: Uint8Array, route: PeerRoute, scope: ProposalScope) {
        super(inner);
        this.#signedTransaction = signedTransaction;
        this.#route = route;
        this.#scope = scope;
    }

    getStatus(options?: CallOptions): Promise<Status> {
        const { channel, context } = this.#scope;
        const deadline = options?.deadline === undefined ? Date.now() + DEFAULT_COMMIT_STATUS_TIMEOUT_MS : new Date(options.deadline).getTime();
        const resubmitAfterMs = context.resubmitAfterMs ?? DEFAULT_RESUBMIT_AFTER_MS;
        return context.routes.run(async (route) => {
            // The commit status request names the transaction id and is signed by the client: any peer of the channel answers it.
            const commit = route.index === this.#route.index ? this.inner : route.gateway.newCommit(this.inner.getBytes());
            for (;;) {
                const waitUntil = Math.min(deadline, Date.now() + resubmitAfterMs);
                try {
                    const status = await commit.getStatus({ ...options, deadline: waitUntil });
                    // The peer answers commit status from its own ledger: it has this block, valid transaction or not.
                    context.session.noteCommitted(channel, route.peer.endpoint, status.blockNumber);
                    return status;
                } catch (err) {
                    if (!isDeadlineExceeded(err) || waitUntil >= deadline) {
                        throw err;
                    }
                }
                // No status yet: the orderer may have lost it. A refusal (no orderer reachable during a Raft election)
                // changes nothing: the wait goes on and the envelope is offered again after the next interval.
                await route.gateway
                    .newTransaction(this.#signedTransaction)
                    .submit()
                    .catch(() => undefined);
            }
        });
    }
}
