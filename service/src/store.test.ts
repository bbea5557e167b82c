import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceStore } from './store';

function storeFile(): string {
    return join(mkdtempSync(join(tmpdir(), 'edgetrust-store-')), 'service.sqlite');
}

const row = (id: string): Parameters<ServiceStore['insertSubmission']>[0] => ({ id, caller: 'edgeorg-user1', idempotencyKey: `key-${id}`, fingerprint: `fp-${id}`, operation: 'anchor' });

describe('the service store', () => {
    it('keeps an endorsed transaction through a restart, and forgets it once done', async () => {
        const file = storeFile();
        const store = new ServiceStore(file);
        store.insertSubmission(row('a'));
        store.insertSubmission(row('b'));
        await Promise.all([store.markPrepared('a', 'tx-a', Buffer.from('endorsed a')), store.markPrepared('b', 'tx-b', Buffer.from('endorsed b'))]);
        store.markDone('b', 200, '{}');
        store.close();
        const reopened = new ServiceStore(file);
        expect(reopened.submissionsIn('prepared').map((r) => [r.id, r.transactionId, r.prepared?.toString()])).toEqual([['a', 'tx-a', 'endorsed a']]);
        expect(reopened.submissionById('b')?.state).toBe('done');
        reopened.close();
    });

    it('puts back a prepared submission the store itself lost (a power cut after the journal was synced)', async () => {
        const file = storeFile();
        const store = new ServiceStore(file);
        store.insertSubmission(row('lost'));
        store.insertSubmission(row('pending'));
        await store.markPrepared('lost', 'tx-lost', Buffer.from('endorsed lost'));
        await store.markPrepared('pending', 'tx-pending', Buffer.from('endorsed pending'));
        store.close();
        // What an unsynced store may look like after the power cut: one row gone, one back at pending.
        const db = new Database(file);
        db.prepare("DELETE FROM submissions WHERE id = 'lost'").run();
        db.prepare("UPDATE submissions SET state = 'pending', transaction_id = NULL, prepared = NULL WHERE id = 'pending'").run();
        db.close();
        const reopened = new ServiceStore(file);
        const prepared = reopened.submissionsIn('prepared').sort((x, y) => x.id.localeCompare(y.id));
        expect(prepared.map((r) => ({ id: r.id, key: r.idempotencyKey, fingerprint: r.fingerprint, tx: r.transactionId, bytes: r.prepared?.toString() }))).toEqual([
            { id: 'lost', key: 'key-lost', fingerprint: 'fp-lost', tx: 'tx-lost', bytes: 'endorsed lost' },
            { id: 'pending', key: 'key-pending', fingerprint: 'fp-pending', tx: 'tx-pending', bytes: 'endorsed pending' },
        ]);
        expect(reopened.submissionByKey('edgeorg-user1', 'key-lost')?.id).toBe('lost');
        reopened.close();
    });

    it('refuses to wait on a closed store', async () => {
        const store = new ServiceStore(storeFile());
        store.insertSubmission(row('c'));
        const prepared = store.markPrepared('c', 'tx-c', Buffer.from('x'));
        store.close();
        await expect(prepared).rejects.toThrow();
    });
});
