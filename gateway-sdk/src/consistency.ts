import { ConsistencyTimeoutError, EdgeTrustError } from './errors';

/*
 * Read-your-writes across organisations. A submit through the Fabric gateway returns once the transaction has
 * committed on the submitter's own gateway peer; any other peer may still be behind. A session remembers the
 * highest block it saw committed on each channel, and before an evaluate or an endorsement the connection waits
 * (bounded) until the peers that will run the proposal have committed it. Why those peers suffice is in
 * gateway-sdk/README.md ("Consistency").
 */

/**
 * "Block `blockNumber` of `channel` has committed": what one application hands to another so that the other's
 * reads and endorsements see at least that block. Its string form (`channel@blockNumber`) travels anywhere.
 */
export class ConsistencyToken {
    readonly channel: string;
    readonly blockNumber: bigint;

    constructor(channel: string, blockNumber: bigint) {
        if (!CHANNEL_NAME.test(channel) || blockNumber < 0n) {
            throw new EdgeTrustError({ code: 'INVALID_ARGUMENT', message: `INVALID_ARGUMENT: not a consistency token: channel ${channel}, block ${String(blockNumber)}` });
        }
        this.channel = channel;
        this.blockNumber = blockNumber;
    }

    /** Reads the string form, `channel@blockNumber`. */
    static parse(text: string): ConsistencyToken {
        const match = TOKEN_TEXT.exec(text.trim());
        if (!match) {
            throw new EdgeTrustError({ code: 'INVALID_ARGUMENT', message: `INVALID_ARGUMENT: not a consistency token (channel@block expected): ${text}` });
        }
        return new ConsistencyToken(match[1] ?? '', BigInt(match[2] ?? ''));
    }

    /** Accepts a token, its string form, or nothing (no requirement). */
    static from(token: ConsistencyToken | string | undefined): ConsistencyToken | undefined {
        return token === undefined ? undefined : typeof token === 'string' ? ConsistencyToken.parse(token) : token;
    }

    toString(): string {
        return `${this.channel}@${String(this.blockNumber)}`;
    }

    toJSON(): string {
        return this.toString();
    }
}

// Fabric channel names: lower case letters, digits, dots and dashes, starting with a letter.
const CHANNEL_NAME = /^[a-z][a-z0-9.-]{0,248}$/;
const TOKEN_TEXT = /^([a-z][a-z0-9.-]{0,248})@(0|[1-9][0-9]{0,19})$/;

/** A peer as the consistency layer sees it: which organisation runs it, and a stable key (its endpoint). */
export interface TrackedPeer {
    /** The peer's gRPC endpoint, host:port. */
    endpoint: string;
    mspId: string;
    /** For messages, e.g. `peer0 of EdgeOrg`. */
    label: string;
}

/**
 * What one session knows: the block it requires per channel (its own writes and the tokens it was given), the
 * highest block known committed on each peer, and which organisations endorsed each chaincode's transactions.
 * Connections that share a session (the applications of one process acting for several organisations) see one
 * another's writes; applications in different processes pass {@link ConsistencyToken}s instead.
 */
export class ConsistencySession {
    readonly #required = new Map<string, bigint>();
    readonly #committed = new Map<string, bigint>();
    readonly #endorsers = new Map<string, Set<string>>();

    /** The block this session requires on a channel, if any. */
    required(channel: string): bigint | undefined {
        return this.#required.get(channel);
    }

    /** Requires at least the token's block from now on (a block already required is kept if higher). */
    observe(token: ConsistencyToken | string | undefined): void {
        const parsed = ConsistencyToken.from(token);
        if (parsed) {
            raise(this.#required, parsed.channel, parsed.blockNumber);
        }
    }

    /** The token to hand to another application: the highest block this session requires on the channel. */
    token(channel: string): ConsistencyToken | undefined {
        const block = this.#required.get(channel);
        return block === undefined ? undefined : new ConsistencyToken(channel, block);
    }

    /** A transaction of this session committed in `blockNumber` on `peer` (the gateway peer that reported it). */
    noteCommitted(channel: string, peerEndpoint: string, blockNumber: bigint): void {
        raise(this.#required, channel, blockNumber);
        this.notePeerHeight(channel, peerEndpoint, blockNumber);
    }

    /** `peer` is known to have committed `blockNumber` (and so every block before it). */
    notePeerHeight(channel: string, peerEndpoint: string, blockNumber: bigint): void {
        raise(this.#committed, peerKey(channel, peerEndpoint), blockNumber);
    }

    /** The highest block known committed on the peer, or undefined when nothing is known. */
    peerHeight(channel: string, peerEndpoint: string): bigint | undefined {
        return this.#committed.get(peerKey(channel, peerEndpoint));
    }

    /**
     * The organisations whose peers endorsed a transaction of this chaincode submitted by a user of `submitterMspId`:
     * the gateway will involve them again for that submitter's next endorsement (under an OR policy only the
     * submitter's own organisation, under AND every organisation the policy names).
     */
    noteEndorsers(channel: string, chaincode: string, submitterMspId: string, mspIds: readonly string[]): void {
        const key = endorsersKey(channel, chaincode, submitterMspId);
        const known = this.#endorsers.get(key) ?? new Set<string>();
        mspIds.forEach((id) => known.add(id));
        this.#endorsers.set(key, known);
    }

    /** The organisations seen endorsing this submitter's transactions of the chaincode, or undefined before any. */
    endorsers(channel: string, chaincode: string, submitterMspId: string): string[] | undefined {
        const known = this.#endorsers.get(endorsersKey(channel, chaincode, submitterMspId));
        return known && [...known].sort();
    }
}

function endorsersKey(channel: string, chaincode: string, submitterMspId: string): string {
    return [channel, chaincode, submitterMspId].join('\u0000');
}

function peerKey(channel: string, endpoint: string): string {
    return `${channel}\u0000${endpoint}`;
}

function raise(map: Map<string, bigint>, key: string, value: bigint): void {
    const current = map.get(key);
    if (current === undefined || value > current) {
        map.set(key, value);
    }
}

/**
 * Waits until one peer has committed `blockNumber` of its channel: returns the number of the first block at
 * or above it that the peer delivered. Fabric's deliver service answers a request starting at a block not yet
 * committed by holding it until the peer commits that block, so one request is all a wait costs.
 */
export type BlockFeed = (peer: TrackedPeer, channel: string, startBlock: bigint, signal: AbortSignal) => Promise<bigint>;

/** Options of read-your-writes; `false` in ConnectOptions.consistency turns it off. */
export interface ConsistencyOptions {
    /** How long an evaluate or endorsement may wait for peers to reach the required block (default 20000 ms). */
    timeoutMs?: number;
    /** Shared by connections that should see one another's writes (default: a session of this connection alone). */
    session?: ConsistencySession;
}

export const DEFAULT_CONSISTENCY_TIMEOUT_MS = 20_000;

/** Which peers a proposal will run on, as far as the consistency wait is concerned. */
export interface WaitPlan {
    channel: string;
    /** The connection's gateway peer: must have the block (the gateway's first choice is never behind it). */
    gatewayPeer: TrackedPeer;
    /**
     * Peers of other organisations the endorsement or evaluate may go to: every one of them that answers must have
     * the block. One this application cannot reach is left out: the guarantee then rests on the gateway not
     * choosing it (it cannot endorse there either if it is down).
     */
    otherPeers: readonly TrackedPeer[];
}

/**
 * Waits until the peers of the plan have committed the session's required block on the channel. Costs nothing
 * when the session requires nothing or the peers are already known to have it; otherwise one deliver request
 * per peer that is behind, in parallel. The gateway peer must reach the block; a peer of another organisation
 * that refuses the request or cannot be reached is left out (see {@link WaitPlan.otherPeers}); one that is
 * reachable but stays behind fails the wait when the time is up.
 */
export async function awaitRequiredBlock(session: ConsistencySession, plan: WaitPlan, feed: BlockFeed, timeoutMs: number): Promise<void> {
    const required = session.required(plan.channel);
    if (required === undefined) {
        return;
    }
    const behind = [plan.gatewayPeer, ...plan.otherPeers].filter((p) => (session.peerHeight(plan.channel, p.endpoint) ?? -1n) < required);
    if (behind.length === 0) {
        return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
        const outcomes = await Promise.allSettled(
            behind.map(async (peer) => {
                const reached = await feed(peer, plan.channel, required, controller.signal);
                session.notePeerHeight(plan.channel, peer.endpoint, reached);
                return reached;
            }),
        );
        const failures = behind.flatMap((peer, i) => {
            const outcome = outcomes[i];
            return outcome?.status === 'rejected' ? [{ peer, reason: outcome.reason as unknown }] : [];
        });
        const fatal = failures.filter(({ peer }) => controller.signal.aborted || peer === plan.gatewayPeer);
        if (fatal.length > 0) {
            const timedOut = controller.signal.aborted;
            throw new ConsistencyTimeoutError({
                code: 'CONSISTENCY_TIMEOUT',
                message: `CONSISTENCY_TIMEOUT: ${fatal.map(({ peer }) => peer.label).join(', ')} did not reach block ${String(required)} of ${plan.channel} ${timedOut ? `within ${String(timeoutMs)} ms` : `(${describe(fatal[0]?.reason)})`}`,
                channel: plan.channel,
                blockNumber: required,
                peers: fatal.map(({ peer }) => peer.label),
                cause: fatal[0]?.reason,
            });
        }
    } finally {
        clearTimeout(timer);
        controller.abort();
    }
}

function describe(reason: unknown): string {
    return reason instanceof Error ? reason.message : String(reason);
}
