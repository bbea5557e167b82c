import { createHash } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import type { ChaincodeStub, Iterators, StateQueryResponse, Timestamp } from 'fabric-shim-api';
import { clientCertificatePem, shimDistinguishedName, type SubjectAttributes } from './client-certificate';
import { setClock } from '../src/peer-clock';

/**
 * An in-memory ledger for unit tests that behaves like a peer where it matters:
 * - a missing key reads as an empty Uint8Array, never undefined;
 * - a transaction reads committed state only (its own writes are invisible until commit);
 * - a transaction that throws writes nothing; one chaincode event per transaction (the last set wins);
 * - range and composite-key reads return keys in byte order, with Fabric-style bookmark pagination;
 * - history is returned newest first, as Fabric 2+ returns it.
 */

export interface TestIdentity {
    mspId: string;
    /** Common name; becomes part of the X.509-style id string. */
    name: string;
    /** NodeOU role: client, admin, peer... */
    role?: string;
    attributes?: Record<string, string>;
    /**
     * The certificate subject, when a test crafts one; by default C, ST, L, then OU=<role> and CN=<name>.
     * getIDBytes() returns a real certificate with exactly this subject, getID() renders it as fabric-shim does.
     */
    subject?: SubjectAttributes;
}

export interface ChaincodeEventRecord {
    txId: string;
    name: string;
    payload: unknown;
}

interface Modification {
    txId: string;
    timestamp: Timestamp;
    value: Uint8Array;
    isDelete: boolean;
}

const COMPOSITE_KEY_NAMESPACE = '\x00';
const MIN_UNICODE_RUNE = '\x00';
const MAX_UNICODE_RUNE = '\u{10ffff}';

function compareKeys(a: string, b: string): number {
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function toTimestamp(millis: number): Timestamp {
    const seconds = Math.floor(millis / 1000);
    // fabric-shim hands out a Long; a number with toString() behaves the same for our readers.
    return { seconds: seconds as unknown as Timestamp['seconds'], nanos: (millis % 1000) * 1_000_000 };
}

function iteratorOf<T>(items: T[]): Iterators.CommonIterator<T> {
    let index = 0;
    return {
        next: (): Promise<Iterators.NextResult<T>> => {
            const value = items[index++];
            return Promise.resolve(value === undefined ? { value: undefined as unknown as T, done: true } : { value, done: false });
        },
        close: () => Promise.resolve(),
    };
}

function asyncIterate<T>(items: T[]): () => AsyncGenerator<T> {
    // eslint-disable-next-line @typescript-eslint/require-await -- an in-memory iterator has nothing to wait for
    return async function* (): AsyncGenerator<T> {
        yield* items;
    };
}

function asyncQuery<T>(items: T[]): Promise<Iterators.CommonIterator<T>> & AsyncIterable<T> {
    const promise = Promise.resolve(iteratorOf(items)) as Promise<Iterators.CommonIterator<T>> & AsyncIterable<T>;
    promise[Symbol.asyncIterator] = asyncIterate(items);
    return promise;
}

function paged<T>(
    items: { key: string; item: T }[],
    pageSize: number,
    bookmark: string | undefined,
): Promise<StateQueryResponse<Iterators.CommonIterator<T>>> & AsyncIterable<T> {
    const start = bookmark ? items.findIndex(({ key }) => compareKeys(key, bookmark) >= 0) : 0;
    const from = start < 0 ? items.length : start;
    const page = items.slice(from, from + pageSize);
    const next = items[from + pageSize];
    // Like a peer: metadata with only default values (no records, no bookmark) encodes to no bytes and is left out.
    const metadata = page.length === 0 && !next ? undefined : { fetchedRecordsCount: page.length, bookmark: next ? next.key : '' };
    const response = { iterator: iteratorOf(page.map(({ item }) => item)), metadata } as StateQueryResponse<Iterators.CommonIterator<T>>;
    const promise = Promise.resolve(response) as Promise<StateQueryResponse<Iterators.CommonIterator<T>>> & AsyncIterable<T>;
    promise[Symbol.asyncIterator] = asyncIterate(page.map(({ item }) => item));
    return promise;
}

/** A chaincode another one may query: runs with the calling transaction's context and arguments after the function name. */
export type LinkedChaincode = (ctx: Context, fn: string, args: string[]) => Promise<string>;

export class MemoryLedger {
    readonly #state = new Map<string, Uint8Array>();
    readonly #history = new Map<string, Modification[]>();
    readonly #privateData = new Map<string, Map<string, Uint8Array>>();
    readonly #validationParameters = new Map<string, Uint8Array>();
    readonly events: ChaincodeEventRecord[] = [];
    /** Chaincodes a transaction may query with invokeChaincode: name → handler (run in the caller's transaction). */
    readonly #linked = new Map<string, LinkedChaincode>();
    #clockMillis: number;
    #txCounter = 0;

    constructor(startMillis = Date.UTC(2026, 0, 1)) {
        this.#clockMillis = startMillis;
        // The ledger plays the endorsing peer, so its clock is the peer's (requireTimelyProposal); tests that attack time set their own.
        setClock(() => this.#clockMillis);
    }

    /**
     * Lets transactions query chaincode `name` with invokeChaincode, as a peer does for a chaincode on the same
     * channel: the handler runs inside the calling transaction (its reads are the caller's), and a thrown error
     * becomes a status-500 response with the error's message, as fabric-contract-api answers.
     */
    linkChaincode(name: string, handler: LinkedChaincode): void {
        this.#linked.set(name, handler);
    }

    linked(name: string): LinkedChaincode | undefined {
        return this.#linked.get(name);
    }

    /** Moves the transaction clock forward; every transaction also advances it by one second. */
    advance(millis: number): void {
        this.#clockMillis += millis;
    }

    get now(): number {
        return this.#clockMillis;
    }

    /** Runs a transaction: its writes and event are committed only if `fn` resolves. */
    async submit<T>(identity: TestIdentity, fn: (ctx: Context) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
        const tx = this.#begin(identity, options);
        const result = await fn(tx.ctx);
        this.#commit(tx);
        return result;
    }

    /** Runs a query: any write it attempts is discarded, as an evaluated transaction's are. */
    async evaluate<T>(identity: TestIdentity, fn: (ctx: Context) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
        return fn(this.#begin(identity, options).ctx);
    }

    /** Committed public state, for assertions. */
    get(key: string): Uint8Array | undefined {
        return this.#state.get(key);
    }

    /** Number of committed public keys, for "nothing was written" assertions. */
    snapshot(): Map<string, string> {
        return new Map([...this.#state].map(([key, value]) => [key, Buffer.from(value).toString('base64')]));
    }

    /** Every collection's committed private data, base64 by key: for asserting that a rejection wrote nothing. */
    privateSnapshot(): Map<string, Map<string, string>> {
        return new Map([...this.#privateData].map(([collection, store]) => [collection, new Map([...store].map(([key, value]) => [key, Buffer.from(value).toString('base64')]))]));
    }

    privateData(collection: string, key: string): Uint8Array | undefined {
        return this.#privateData.get(collection)?.get(key);
    }

    #begin(identity: TestIdentity, options: TransactionOptions): Transaction {
        this.#txCounter += 1;
        this.#clockMillis += options.timeStepMillis ?? 1000;
        const txId = createHash('sha256').update(`tx-${String(this.#txCounter)}`).digest('hex');
        const tx = new Transaction(this, identity, txId, toTimestamp(this.#clockMillis), options.transient ?? new Map<string, Uint8Array>());
        return tx;
    }

    #commit(tx: Transaction): void {
        for (const [key, value] of tx.writes) {
            const list = this.#history.get(key) ?? [];
            list.push({ txId: tx.txId, timestamp: tx.timestamp, value: value ?? new Uint8Array(), isDelete: value === null });
            this.#history.set(key, list);
            if (value === null) {
                this.#state.delete(key);
            } else {
                this.#state.set(key, value);
            }
        }
        for (const [collection, writes] of tx.privateWrites) {
            const store = this.#privateData.get(collection) ?? new Map<string, Uint8Array>();
            for (const [key, value] of writes) {
                if (value === null) {
                    store.delete(key);
                } else {
                    store.set(key, value);
                }
            }
            this.#privateData.set(collection, store);
        }
        for (const [key, value] of tx.validationParameters) {
            this.#validationParameters.set(key, value);
        }
        if (tx.event) {
            this.events.push(tx.event);
        }
    }

    /** @internal committed reads for transactions */
    read(key: string): Uint8Array {
        return this.#state.get(key) ?? new Uint8Array();
    }

    /** @internal */
    readPrivate(collection: string, key: string): Uint8Array {
        return this.#privateData.get(collection)?.get(key) ?? new Uint8Array();
    }

    /** @internal committed keys of a collection in [start, end), byte order */
    privateRange(collection: string, start: string, end: string): Iterators.KV[] {
        const store = this.#privateData.get(collection) ?? new Map<string, Uint8Array>();
        return [...store.keys()]
            .filter((key) => compareKeys(key, start) >= 0 && (end === '' || compareKeys(key, end) < 0))
            .sort(compareKeys)
            .map((key) => ({ namespace: 'memory', key, value: store.get(key) ?? new Uint8Array() }));
    }

    /** @internal */
    readValidationParameter(key: string): Uint8Array {
        return this.#validationParameters.get(key) ?? new Uint8Array();
    }

    /** @internal committed keys in [start, end), byte order */
    range(start: string, end: string): Iterators.KV[] {
        return [...this.#state.keys()]
            .filter((key) => compareKeys(key, start) >= 0 && (end === '' || compareKeys(key, end) < 0))
            .sort(compareKeys)
            .map((key) => ({ namespace: 'memory', key, value: this.read(key) }));
    }

    /** @internal */
    history(key: string): Iterators.KeyModification[] {
        return [...(this.#history.get(key) ?? [])].reverse().map((m) => ({ ...m }));
    }
}

export interface TransactionOptions {
    transient?: Map<string, Uint8Array>;
    /** How far the clock moves before this transaction (default one second). */
    timeStepMillis?: number;
}

function subjectOf(identity: TestIdentity): SubjectAttributes {
    const { name, role = 'client' } = identity;
    return identity.subject ?? [['C', 'US'], ['ST', 'California'], ['L', 'San Francisco'], ['OU', role], ['CN', name]];
}

/** The id ClientIdentity.getID() gives a test identity, as the chaincode records it. */
export function identityId(identity: TestIdentity): string {
    const domain = identity.mspId.replace(/MSP$/, '').toLowerCase();
    return `x509::${shimDistinguishedName(subjectOf(identity))}::/C=US/ST=California/L=San Francisco/O=${domain}/CN=ca.${domain}`;
}

/** The channel id the in-memory ledger's stub reports. */
export const MEMORY_CHANNEL = 'memory';

class Transaction {
    readonly writes = new Map<string, Uint8Array | null>();
    readonly privateWrites = new Map<string, Map<string, Uint8Array | null>>();
    readonly validationParameters = new Map<string, Uint8Array>();
    event: ChaincodeEventRecord | undefined;
    readonly ctx: Context;

    constructor(
        readonly ledger: MemoryLedger,
        readonly identity: TestIdentity,
        readonly txId: string,
        readonly timestamp: Timestamp,
        readonly transient: Map<string, Uint8Array>,
    ) {
        this.ctx = { stub: this.#stub(), clientIdentity: this.#clientIdentity(), logging: undefined } as unknown as Context;
    }

    #clientIdentity(): Context['clientIdentity'] {
        const { mspId, attributes = {} } = this.identity;
        const subject = subjectOf(this.identity);
        const id = identityId(this.identity);
        const identity: Partial<Context['clientIdentity']> = {
            getID: () => id,
            getMSPID: () => mspId,
            getAttributeValue: (attr: string) => attributes[attr] ?? null,
            assertAttributeValue: (attr: string, value: string) => attributes[attr] === value,
            getIDBytes: () => Buffer.from(clientCertificatePem(subject)),
        };
        return identity as Context['clientIdentity'];
    }

    #stub(): ChaincodeStub {
        const ledger = this.ledger;
        const rangeKV = (start: string, end: string): Iterators.KV[] => ledger.range(start, end);
        const partial = (objectType: string, attributes: string[]): Iterators.KV[] => {
            const prefix = createCompositeKey(objectType, attributes);
            return rangeKV(prefix, prefix + MAX_UNICODE_RUNE);
        };
        const simpleRange = (start: string, end: string): Iterators.KV[] =>
            rangeKV(start === '' ? '\x01' : start, end).filter(({ key }) => !key.startsWith(COMPOSITE_KEY_NAMESPACE));
        const withKeys = (kvs: Iterators.KV[]): { key: string; item: Iterators.KV }[] => kvs.map((kv) => ({ key: kv.key, item: kv }));
        const privateWrites = (collection: string): Map<string, Uint8Array | null> => {
            const writes = this.privateWrites.get(collection) ?? new Map<string, Uint8Array | null>();
            this.privateWrites.set(collection, writes);
            return writes;
        };
        const stub: Partial<ChaincodeStub> = {
            getTxID: () => this.txId,
            getChannelID: () => MEMORY_CHANNEL,
            invokeChaincode: async (name, args, channel) => {
                const handler = ledger.linked(name);
                if (!handler || (channel !== '' && channel !== MEMORY_CHANNEL)) {
                    throw new Error(`chaincode ${name} is not on channel ${channel}`);
                }
                const [fn = '', ...rest] = args;
                try {
                    return { status: 200, message: '', payload: Buffer.from(await handler(this.ctx, fn, rest)) };
                } catch (err) {
                    return { status: 500, message: err instanceof Error ? err.message : String(err), payload: Buffer.alloc(0) };
                }
            },
            getMspID: () => this.identity.mspId,
            getTxTimestamp: () => this.timestamp,
            getDateTimestamp: () => new Date(Number(this.timestamp.seconds) * 1000 + this.timestamp.nanos / 1_000_000),
            getTransient: () => this.transient,
            getState: (key) => Promise.resolve(ledger.read(requireKey(key))),
            putState: (key, value) => {
                this.writes.set(requireKey(key), Uint8Array.from(value));
                return Promise.resolve();
            },
            deleteState: (key) => {
                this.writes.set(requireKey(key), null);
                return Promise.resolve();
            },
            setStateValidationParameter: (key, ep) => {
                this.validationParameters.set(key, ep);
                return Promise.resolve();
            },
            getStateValidationParameter: (key) => Promise.resolve(ledger.readValidationParameter(key)),
            createCompositeKey,
            splitCompositeKey,
            getStateByRange: (start, end) => asyncQuery(simpleRange(start, end)),
            getStateByRangeWithPagination: (start, end, pageSize, bookmark) =>
                paged(withKeys(simpleRange(start, end)), pageSize, bookmark),
            getStateByPartialCompositeKey: (objectType, attributes) => asyncQuery(partial(objectType, attributes)),
            getStateByPartialCompositeKeyWithPagination: (objectType, attributes, pageSize, bookmark) =>
                paged(withKeys(partial(objectType, attributes)), pageSize, bookmark),
            getHistoryForKey: (key) => asyncQuery(ledger.history(key)),
            getQueryResult: () => {
                throw new Error('ExecuteQuery not supported for leveldb');
            },
            setEvent: (name, payload) => {
                this.event = { txId: this.txId, name, payload: JSON.parse(Buffer.from(payload).toString('utf8')) as unknown };
            },
            getPrivateData: (collection, key) => Promise.resolve(ledger.readPrivate(collection, key)),
            getPrivateDataByRange: (collection, start, end) => asyncQuery(ledger.privateRange(collection, start, end)),
            getPrivateDataHash: (collection, key) => {
                const value = ledger.readPrivate(collection, key);
                return Promise.resolve(value.length === 0 ? value : createHash('sha256').update(value).digest());
            },
            putPrivateData: (collection, key, value) => {
                privateWrites(collection).set(requireKey(key), Uint8Array.from(value));
                return Promise.resolve();
            },
            deletePrivateData: (collection, key) => {
                privateWrites(collection).set(requireKey(key), null);
                return Promise.resolve();
            },
            // A purge removes the value as a delete does; the peer also drops its history, which this ledger keeps none of.
            purgePrivateData: (collection, key) => {
                privateWrites(collection).set(requireKey(key), null);
                return Promise.resolve();
            },
        };
        return stub as ChaincodeStub;
    }
}

function requireKey(key: string): string {
    if (typeof key !== 'string' || key.length === 0) {
        throw new Error('key must not be an empty string');
    }
    return key;
}

function createCompositeKey(objectType: string, attributes: string[]): string {
    // Same layout as fabric-shim: U+0000 namespace, then each part followed by U+0000.
    for (const part of [objectType, ...attributes]) {
        if (part.includes(MIN_UNICODE_RUNE) || part.includes(MAX_UNICODE_RUNE)) {
            throw new Error(`composite key part ${JSON.stringify(part)} holds a reserved character`);
        }
    }
    return COMPOSITE_KEY_NAMESPACE + objectType + MIN_UNICODE_RUNE + attributes.map((a) => a + MIN_UNICODE_RUNE).join('');
}

function splitCompositeKey(compositeKey: string): { objectType: string; attributes: string[] } {
    const parts = compositeKey.slice(1).split(MIN_UNICODE_RUNE);
    parts.pop();
    const [objectType = '', ...attributes] = parts;
    return { objectType, attributes };
}

/**
 * The test deployment names EdgeOrg as the organisation that bootstraps governance, as network/topology.json
 * does (BootstrapGovernance, InitRegistry); a test of another naming sets the variable itself.
 */
process.env.EDGETRUST_GOVERNANCE_MSP_ID ??= 'EdgeOrgMSP';

/** Common identities for tests across the three chaincodes. */
export const identities = {
    edgeUser: { mspId: 'EdgeOrgMSP', name: 'User1@edge.edgetrust.local' },
    edgeAdmin: { mspId: 'EdgeOrgMSP', name: 'Admin@edge.edgetrust.local', role: 'admin' },
    cloudUser: { mspId: 'CloudOrgMSP', name: 'User1@cloud.edgetrust.local' },
    cloudAdmin: { mspId: 'CloudOrgMSP', name: 'Admin@cloud.edgetrust.local', role: 'admin' },
} satisfies Record<string, TestIdentity>;
