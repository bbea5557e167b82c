import type { Context } from 'fabric-contract-api';
import { invalidArgument } from './errors';
import { marshal, unmarshal } from './json';
import { INDEX_VALUE, isEmpty, readJSON } from './ledger';
import { requireTimelyProposal } from './peer-clock';
import { putStates } from './state-batch';
import { SALT_MAX_BYTES, SALT_MIN_BYTES, SALT_TRANSIENT_KEY } from '../../schemas/src';


interface StagedWrite {
    readonly collection: string | undefined;
    readonly key: string;
    readonly value: Uint8Array | null;
}

/** Public state has no collection; one map holds both, so a key of one never shadows the same key of the other. */
function slot(key: string, collection: string | undefined): string {
    return `${collection ?? ''}\u0000${key}`;
}

/**
 * The writes of one transaction, staged until every check has passed. Reads see the staged writes
 * (Fabric's own reads do not), so a transaction can debit and credit the same account safely;
 * `commit` writes everything plus the transaction's single event, so a rejected input writes nothing.
 *
 * A key may live in a private data collection (`collection` given): it is read with getPrivateData and
 * written with putPrivateData, so only the collection's member peers hold the value and every other peer
 * and the orderer see its hash. Private values carry the transaction's salt from the transient map: the
 * public hash of a record whose fields are guessable (rates, resources, times are public) must not let
 * anyone confirm a guess. The salt is stripped again on read.
 */
export class LedgerState {
    readonly ctx: Context;
    readonly #writes = new Map<string, StagedWrite>();
    readonly #writable: boolean;

    private constructor(ctx: Context, writable: boolean) {
        this.ctx = ctx;
        this.#writable = writable;
    }

    /** For a state-changing transaction: checks the proposal timestamp first. */
    static update(ctx: Context): LedgerState {
        requireTimelyProposal(ctx);
        return new LedgerState(ctx, true);
    }

    /** For a query. */
    static query(ctx: Context): LedgerState {
        return new LedgerState(ctx, false);
    }

    key(objectType: string, ...attributes: string[]): string {
        return this.ctx.stub.createCompositeKey(objectType, attributes);
    }

    async read<T>(key: string, what: string, collection?: string): Promise<T | undefined> {
        const staged = this.#writes.get(slot(key, collection));
        if (staged !== undefined) {
            return staged.value === null ? undefined : unsalted<T>(staged.value, what, collection);
        }
        if (collection === undefined) {
            return readJSON<T>(this.ctx, key, what);
        }
        const bytes = await this.ctx.stub.getPrivateData(collection, key);
        return isEmpty(bytes) ? undefined : unsalted<T>(bytes, what, collection);
    }

    /**
     * A private record with the salt it was written with, for a record whose salt is part of what it proves (a
     * personal record's public digest is SHA-256(salt || content digest), which its owner shows later).
     */
    async readWithSalt<T extends object>(key: string, what: string, collection: string): Promise<(T & Salted) | undefined> {
        const staged = this.#writes.get(slot(key, collection));
        const bytes = staged === undefined ? await this.ctx.stub.getPrivateData(collection, key) : staged.value;
        return bytes === null || isEmpty(bytes) ? undefined : unmarshal<T & Salted>(bytes, what);
    }

    async exists(key: string, collection?: string): Promise<boolean> {
        const staged = this.#writes.get(slot(key, collection));
        if (staged !== undefined) {
            return staged.value !== null;
        }
        const bytes = collection === undefined ? await this.ctx.stub.getState(key) : await this.ctx.stub.getPrivateData(collection, key);
        return bytes.length > 0;
    }

    put(key: string, value: unknown, collection?: string): void {
        const bytes = collection === undefined ? marshal(value) : marshal({ ...(value as object), salt: this.salt() } satisfies Salted);
        this.#writes.set(slot(key, collection), { collection, key, value: bytes });
    }

    putIndex(key: string, collection?: string): void {
        this.#writes.set(slot(key, collection), { collection, key, value: INDEX_VALUE });
    }

    delete(key: string, collection?: string): void {
        this.#writes.set(slot(key, collection), { collection, key, value: null });
    }

    /** Writes everything staged (in key order, so every endorser does the same) and sets the one event. */
    async commit(eventName: string, payload: unknown): Promise<void> {
        if (!this.#writable) {
            throw new Error('a query cannot commit');
        }
        const order = (a: StagedWrite, b: StagedWrite): number => {
            const [x, y] = [slot(a.key, a.collection), slot(b.key, b.collection)];
            return x < y ? -1 : x > y ? 1 : 0;
        };
        const writes = [...this.#writes.values()].sort(order);
        // In as few messages to the peer as it accepts (state-batch.ts); the same writes as one call per key.
        await putStates(
            this.ctx,
            writes.filter((w) => w.collection === undefined).map((w) => [w.key, w.value] as const),
        );
        // Private writes one call per key: the shim applies them one at a time anyway, and few keys per transaction are private.
        for (const write of writes) {
            if (write.collection === undefined) {
                continue;
            }
            if (write.value === null) {
                await this.ctx.stub.deletePrivateData(write.collection, write.key);
            } else {
                await this.ctx.stub.putPrivateData(write.collection, write.key, write.value);
            }
        }
        this.ctx.stub.setEvent(eventName, marshal(payload));
    }

    /**
     * The transaction's salt from the transient map, base64, chosen by the client (every endorser must write the same
     * bytes, so the chaincode cannot draw it); INVALID_ARGUMENT unless it is 16 to 64 bytes.
     */
    salt(): string {
        const bytes = this.ctx.stub.getTransient().get(SALT_TRANSIENT_KEY);
        const salt = bytes === undefined ? '' : Buffer.from(bytes).toString('utf8');
        const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(salt) ? Buffer.from(salt, 'base64') : Buffer.alloc(0);
        if (decoded.length < SALT_MIN_BYTES || decoded.length > SALT_MAX_BYTES) {
            throw invalidArgument(`a private record needs a salt of ${String(SALT_MIN_BYTES)} to ${String(SALT_MAX_BYTES)} random bytes, base64, in the transient map entry "${SALT_TRANSIENT_KEY}"`);
        }
        return salt;
    }
}

/** How a private record is stored: with the transaction's salt, so that its public hash cannot confirm a guess. */
export interface Salted {
    salt: string;
}

/** A private record without its salt, which only protects the public hash and is no part of the record. */
function unsalted<T>(bytes: Uint8Array, what: string, collection: string | undefined): T {
    const value = unmarshal<T>(bytes, what);
    return collection === undefined ? value : withoutSalt(value);
}

/**
 * A private record LedgerState wrote, as read back from a private range scan (which LedgerState does not stage),
 * without its salt.
 */
export function unsaltedRecord<T>(bytes: Uint8Array, what: string): T {
    return withoutSalt(unmarshal<T>(bytes, what));
}

function withoutSalt<T>(value: T): T {
    if (value === null || typeof value !== 'object') {
        return value;
    }
    const { salt: _salt, ...rest } = value as Record<string, unknown>;
    return rest as T;
}
