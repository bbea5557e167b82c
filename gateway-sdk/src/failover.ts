import { Metadata, status as grpcStatus } from '@grpc/grpc-js';
import { GatewayError, type Gateway } from '@hyperledger/fabric-gateway';
import type { TrackedPeer } from './consistency';

/*
 * Failover between the peers of the connection's organisation. A connection holds one fabric-gateway Gateway per
 * peer (one gRPC client each, opened on first use) and sends every call through the current one; when a call fails
 * because that peer is unreachable it moves to the next peer, in connect() order (edge first), and the call is
 * tried there. What may be tried again is decided by the caller of {@link PeerRoutes.run}: evaluations and
 * endorsements always (an endorsed transaction the client never signed can never be ordered), a submission only as
 * the same signed envelope (its transaction id can commit at most once: a copy is invalidated as DUPLICATE_TXID),
 * and a commit status wait by the same transaction id on another peer.
 */

/** A peer the connection can use as its gateway, and how to open a Gateway to it. */
export interface PeerCandidate {
    peer: TrackedPeer;
    /** Opens the peer's Gateway (called at most once, on first use). */
    open(): Gateway;
    /**
     * True when the peer's gRPC channel is connected; asked of an earlier (preferred) peer before each call after a
     * failover, so that the connection returns to it without waiting for a call to fail or for reconnect backoff.
     */
    ready?(): boolean;
    /** Releases the peer's Gateway and gRPC client, if opened. */
    close?(): void;
}

/** The peer a call goes to and its Gateway. */
export interface PeerRoute {
    readonly index: number;
    readonly peer: TrackedPeer;
    readonly gateway: Gateway;
}

/** gRPC codes that say the peer (not the transaction) failed: it is down, restarting or cut off. */
const PEER_FAILURES: ReadonlySet<number> = new Set([grpcStatus.UNAVAILABLE, grpcStatus.DEADLINE_EXCEEDED]);

/**
 * True when the error says the gateway peer could not be reached or did not answer in time, itself or as the cause
 * of another error (a read-your-writes wait that could not reach the gateway peer's deliver service).
 */
export function isPeerFailure(err: unknown): boolean {
    for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
        if ((e instanceof GatewayError || isServiceError(e)) && PEER_FAILURES.has(e.code)) {
            return true;
        }
    }
    return false;
}

/** A gRPC error as grpc-js raises it (some fabric-gateway stream paths pass it on unwrapped). */
function isServiceError(err: Error): err is Error & { code: number } {
    const e = err as Partial<{ code: unknown; details: unknown; metadata: unknown }>;
    return typeof e.code === 'number' && typeof e.details === 'string' && e.metadata instanceof Metadata;
}

/** The peers of one organisation in the order a connection uses them, and which one it uses now. */
export class PeerRoutes {
    readonly #candidates: readonly PeerCandidate[];
    readonly #opened = new Map<number, Gateway>();
    #current: number;
    #failovers = 0;

    /** `first` is the candidate connect() reached, with its Gateway already open. */
    constructor(candidates: readonly PeerCandidate[], first: number, firstGateway: Gateway) {
        if (candidates.length === 0 || first < 0 || first >= candidates.length) {
            throw new RangeError('PeerRoutes needs at least one candidate and a valid first index');
        }
        this.#candidates = candidates;
        this.#current = first;
        this.#opened.set(first, firstGateway);
    }

    /** One peer and no failover (an explicitly chosen peer, or a test). */
    static single(peer: TrackedPeer, gateway: Gateway): PeerRoutes {
        return new PeerRoutes([{ peer, open: () => gateway }], 0, gateway);
    }

    /** The route calls take now. */
    get current(): PeerRoute {
        return this.#route(this.#current);
    }

    /** How many times the connection moved to another peer. */
    get failovers(): number {
        return this.#failovers;
    }

    /**
     * Runs `attempt` on the current peer; while it fails with a peer failure ({@link isPeerFailure}) and the
     * organisation has a peer not yet tried, moves the connection to the next one and runs `attempt` there. Other
     * errors, and the last peer's failure, are thrown as they are.
     */
    async run<T>(attempt: (route: PeerRoute) => Promise<T>): Promise<T> {
        this.#returnToPreferred();
        const start = this.#current;
        const count = this.#candidates.length;
        for (let tried = 0; ; tried++) {
            const index = (start + tried) % count;
            const route = this.#route(index);
            try {
                return await attempt(route);
            } catch (err) {
                if (!isPeerFailure(err) || tried + 1 >= count) {
                    throw err;
                }
                this.#moveFrom(index);
            }
        }
    }

    /** Closes every Gateway opened, through the candidates that opened them. */
    close(): void {
        for (const candidate of this.#candidates) {
            candidate.close?.();
        }
        this.#opened.clear();
    }

    #route(index: number): PeerRoute {
        const candidate = this.#candidates[index];
        if (!candidate) {
            throw new RangeError(`no peer candidate ${String(index)}`);
        }
        let gateway = this.#opened.get(index);
        if (!gateway) {
            gateway = candidate.open();
            this.#opened.set(index, gateway);
        }
        return { index, peer: candidate.peer, gateway };
    }

    #moveFrom(index: number): void {
        // Concurrent calls that fail on the same peer move the connection once.
        if (this.#current === index) {
            this.#current = (index + 1) % this.#candidates.length;
            this.#failovers++;
        }
    }

    #returnToPreferred(): void {
        for (let index = 0; index < this.#current; index++) {
            if (this.#candidates[index]?.ready?.()) {
                this.#current = index;
                return;
            }
        }
    }
}

/** True when a call ended at its deadline (a commit status wait that saw no commit in time). */
export function isDeadlineExceeded(err: unknown): boolean {
    return err instanceof GatewayError && err.code === DEADLINE_EXCEEDED;
}

const DEADLINE_EXCEEDED: number = grpcStatus.DEADLINE_EXCEEDED;
