import type { MemoryLedger } from './memory-ledger';

/** Expects `transaction` (already started on `ledger`) to be refused with `pattern` and to leave no state and no event behind. */
export async function expectRefusedUnchanged(ledger: MemoryLedger, transaction: Promise<unknown>, pattern: RegExp): Promise<void> {
    const before = ledger.snapshot();
    const events = ledger.events.length;
    await expect(transaction).rejects.toThrow(pattern);
    expect(ledger.snapshot()).toEqual(before);
    expect(ledger.events).toHaveLength(events);
}
