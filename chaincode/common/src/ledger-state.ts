import type { Context } from 'fabric-contract-api';
import { marshal, unmarshal } from './json';
import { INDEX_VALUE, readJSON } from './ledger';
import { requireTimelyProposal } from './peer-clock';
import { putStates } from './state-batch';

/**
 * The writes of one transaction, staged until every check has passed. Reads see the staged writes
 * (Fabric's own reads do not), so a transaction can debit and credit the same account safely;
 * `commit` writes everything plus the transaction's single event, so a rejected input writes nothing.
 */
export class LedgerState {
    readonly ctx: Context;
    readonly #writes = new Map<string, Uint8Array | null>();
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

    async read<T>(key: string, what: string): Promise<T | undefined> {
        const staged = this.#writes.get(key);
        if (staged !== undefined) {
            return staged === null ? undefined : unmarshal<T>(staged, what);
        }
        return readJSON<T>(this.ctx, key, what);
    }

    async exists(key: string): Promise<boolean> {
        const staged = this.#writes.get(key);
        if (staged !== undefined) {
            return staged !== null;
        }
        return (await this.ctx.stub.getState(key)).length > 0;
    }

    put(key: string, value: unknown): void {
        this.#writes.set(key, marshal(value));
    }

    putIndex(key: string): void {
        this.#writes.set(key, INDEX_VALUE);
    }

    delete(key: string): void {
        this.#writes.set(key, null);
    }

    /** Writes everything staged (in key order, so every endorser does the same) and sets the one event. */
    async commit(eventName: string, payload: unknown): Promise<void> {
        if (!this.#writable) {
            throw new Error('a query cannot commit');
        }
        // In as few messages to the peer as it accepts (state-batch.ts); the same writes as one call per key.
        await putStates(this.ctx, [...this.#writes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
        this.ctx.stub.setEvent(eventName, marshal(payload));
    }
}
