import { generateKeyPairSync, sign } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { BillingWorld, people } from '../testing/billing-fixture';

import { taskSigningBytes } from './usage-session';
import { type ComputeTask, Escrow, TokenAccount, type TokenCreditNote, type TokenDisclosure, type UsageSession } from '../../schemas/src';

const HOUR = 3_600_000;

function deadlineIn(world: BillingWorld, millis: number): string {
    return new Date(world.ledger.now + millis).toISOString();
}

async function balance(world: BillingWorld, accountId: string): Promise<number> {
    return (await world.evaluate<TokenAccount>(people.auditor, (ctx) => world.token.GetAccount(ctx, accountId))).balance;
}

/** minted = Σ balances + Σ unspent credit notes + Σ held escrow (as the auditor, member of every token collection, sums it), and nothing negative. */
function expectSupplyInvariant(world: BillingWorld): void {
    const minted = world.stateOf<{ minted: number }>('token.supply').reduce((sum, share) => sum + share.minted, 0);
    const accounts = world.stateOf<TokenAccount>('token.account');
    const notes = world.stateOf<TokenCreditNote>('token.credit-note');
    const held = world.stateOf<Escrow>('token.escrow').filter((e) => e.status === 'held');
    const total = accounts.reduce((sum, a) => sum + a.balance, 0) + notes.reduce((sum, n) => sum + n.amount, 0) + held.reduce((sum, e) => sum + e.amount, 0);
    expect(total).toBe(minted);
    expect(accounts.every((a) => Number.isSafeInteger(a.balance) && a.balance >= 0)).toBe(true);
}

describe('TokenContract', () => {
    let world: BillingWorld;

    beforeEach(async () => {
        world = new BillingWorld();
        await world.setUp();
    });

    it('mints for issuers only and transfers from the owner only', async () => {
        await world.expectRejected(people.cloudUser, (ctx) => world.token.Mint(ctx, 'alice', '5'), /^ACCESS_DENIED: .*issuer/);
        await world.submit(people.cloudUser2, (ctx) => world.token.OpenAccount(ctx, JSON.stringify({ accountId: 'bob' })));
        const source = await world.submit<TokenAccount>(people.cloudUser, (ctx) => world.token.Transfer(ctx, 'alice', 'bob', '2500'));
        expect(source.balance).toBe(7500);
        // The event names the accounts, never the amount or a balance.
        expect(world.ledger.events.at(-1)).toEqual({ txId: expect.any(String) as string, name: 'TokensTransferred', payload: { accountId: 'alice', toAccountId: 'bob' } });
        expect(await balance(world, 'bob')).toBe(2500);
        await world.expectRejected(people.cloudUser2, (ctx) => world.token.Transfer(ctx, 'alice', 'bob', '1'), /^ACCESS_DENIED: /);
        await world.expectRejected(people.cloudUser2, (ctx) => world.token.Transfer(ctx, 'bob', 'alice', '2501'), /^INSUFFICIENT_BALANCE: /);
        expect(await world.evaluate(people.stranger, (ctx) => world.token.GetSupply(ctx))).toEqual({ minted: 10000 });
        expectSupplyInvariant(world);
    });

    it('gives a mint the same result and event whatever other accounts were minted, so endorsers a block apart agree', async () => {
        const mintIntoBob = async (otherMintFirst: boolean): Promise<{ result: unknown; event: unknown; supply: unknown }> => {
            const fresh = new BillingWorld();
            await fresh.setUp();
            await fresh.submit(people.cloudUser2, (ctx) => fresh.token.OpenAccount(ctx, JSON.stringify({ accountId: 'bob' })));
            if (otherMintFirst) {
                await fresh.submit(people.edgeUser, (ctx) => fresh.token.Mint(ctx, 'alice', '5'));
            }
            const result = await fresh.submit(people.edgeUser, (ctx) => fresh.token.Mint(ctx, 'bob', '7'));
            return { result, event: fresh.ledger.events.at(-1)?.payload, supply: await fresh.evaluate(people.stranger, (ctx) => fresh.token.GetSupply(ctx)) };
        };
        const [alone, afterOther] = [await mintIntoBob(false), await mintIntoBob(true)];
        expect(afterOther.event).toEqual(alone.event);
        expect(afterOther.result).toEqual({ accountId: 'bob', amount: 7 });
        expect(alone.result).toEqual({ accountId: 'bob', amount: 7 });
        expect(alone.supply).toEqual({ minted: 10000 + 7 });
        expect(afterOther.supply).toEqual({ minted: 10000 + 5 + 7 });
    });

    it('shows an account to its owner and auditors only, not even to the issuer', async () => {
        expect(await world.evaluate(people.cloudUser, (ctx) => world.token.GetAccount(ctx, 'alice'))).toMatchObject({ balance: 10000 });
        expect(await world.evaluate(people.auditor, (ctx) => world.token.GetAccount(ctx, 'alice'))).toMatchObject({ balance: 10000 });
        await expect(world.ledger.evaluate(people.edgeUser, (ctx) => world.token.GetAccount(ctx, 'alice'))).rejects.toThrow(/^ACCESS_DENIED: /);
        await expect(world.ledger.evaluate(people.cloudUser2, (ctx) => world.token.GetAccount(ctx, 'alice'))).rejects.toThrow(/^ACCESS_DENIED: /);
        await expect(world.ledger.evaluate(people.cloudUser2, (ctx) => world.token.GetDisclosure(ctx, 'alice'))).rejects.toThrow(/^ACCESS_DENIED: /);
        await expect(world.ledger.evaluate(people.auditor, (ctx) => world.token.GetDisclosure(ctx, 'alice'))).rejects.toThrow(/^ACCESS_DENIED: /);
        await expect(world.ledger.evaluate(people.cloudUser2, (ctx) => world.token.GetAccount(ctx, 'nobody'))).rejects.toThrow(/^NOT_FOUND: /);
        await expect(world.ledger.evaluate(people.cloudUser2, (ctx) => world.token.GetAccount(ctx, ''))).rejects.toThrow(/^INVALID_ARGUMENT: accountId/);
        await expect(world.ledger.evaluate(people.cloudUser2, (ctx) => world.token.GetEscrow(ctx, 'session:none'))).rejects.toThrow(/^NOT_FOUND: /);
        await expect(world.ledger.evaluate(people.cloudUser2, (ctx) => world.token.GetEscrow(ctx, 'a b'))).rejects.toThrow(/^INVALID_ARGUMENT: escrowId/);
    });

    it.each<[string, (w: BillingWorld) => (ctx: Context) => Promise<unknown>, RegExp]>([
        ['an account id with a separator', (w) => (ctx) => w.token.OpenAccount(ctx, JSON.stringify({ accountId: 'a\u0000' })), /^INVALID_ARGUMENT: accountId/],
        ['a duplicate account', (w) => (ctx) => w.token.OpenAccount(ctx, JSON.stringify({ accountId: 'alice' })), /^ALREADY_EXISTS: /],
        ['an RSA task key', (w) => (ctx) => w.token.OpenAccount(ctx, JSON.stringify({ accountId: 'c', taskKey: rsaPublicKey() })), /^INVALID_ARGUMENT: taskKey/],
        ['a task key that is not PEM', (w) => (ctx) => w.token.SetTaskKey(ctx, 'alice', 'hello'), /^INVALID_ARGUMENT: publicKeyPem/],
        ["a key on someone else's account", (w) => (ctx) => w.token.SetTaskKey(ctx, 'edge-payee', p256().publicPem), /^ACCESS_DENIED: /],
        ['a zero mint', (w) => (ctx) => w.token.Mint(ctx, 'alice', '0'), /^INVALID_ARGUMENT: amount/],
        ['a negative mint', (w) => (ctx) => w.token.Mint(ctx, 'alice', '-5'), /^INVALID_ARGUMENT: amount/],
        ['a fractional transfer', (w) => (ctx) => w.token.Transfer(ctx, 'alice', 'edge-payee', '1.5'), /^INVALID_ARGUMENT: amount/],
        ['a transfer to oneself', (w) => (ctx) => w.token.Transfer(ctx, 'alice', 'alice', '1'), /^INVALID_ARGUMENT: /],
        ['a transfer to nobody', (w) => (ctx) => w.token.Transfer(ctx, 'alice', 'nobody', '1'), /^NOT_FOUND: /],
        ['an overdraft', (w) => (ctx) => w.token.Transfer(ctx, 'alice', 'edge-payee', '10001'), /^INSUFFICIENT_BALANCE: /],
    ])('refuses %s with a coded error and writes nothing', async (_label, tx, pattern) => {
        await world.expectRejected(people.cloudUser, tx(world), pattern);
    });

    describe('accounts in the owner organisation\'s collection (docs/security/confidentiality.md)', () => {
        const disclose = (d: TokenDisclosure) => new Map([['account', Buffer.from(JSON.stringify(d))]]);
        const stored = (): TokenDisclosure => JSON.parse(world.disclosureOf('alice') ?? '') as TokenDisclosure;
        const tamper = (base64: string, change: (record: Record<string, unknown>) => void): string => {
            const record = JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as Record<string, unknown>;
            change(record);
            return Buffer.from(JSON.stringify(record)).toString('base64');
        };

        it('keeps balances, owners and task keys out of public state; the public route names the owner organisation only', () => {
            const publicState = [...world.ledger.snapshot()].map(([key, value]) => `${key} ${Buffer.from(value, 'base64').toString('utf8')}`).join('\n');
            expect(publicState).not.toContain('"balance"');
            expect(publicState).not.toContain('taskKey');
            expect(publicState).not.toContain(people.cloudUser.name);
            expect(publicState).toContain('{"ownerMspId":"CloudOrgMSP"}');
            expect([...(world.ledger.privateSnapshot().get('tokens_CloudOrgMSP')?.keys() ?? [])].some((key) => key.includes('alice'))).toBe(true);
            // The mint appended a note; the account itself still holds 0 until its owner's next debit folds the note in.
            expect(world.stateOf<TokenAccount>('token.account').find((a) => a.accountId === 'alice')?.balance).toBe(0);
            expect(world.stateOf<TokenCreditNote>('token.credit-note')).toEqual([expect.objectContaining({ accountId: 'alice', amount: 10000, index: 0 })]);
        });

        it('gives the owner its disclosure: the stored bytes, which match the public hashes', async () => {
            const disclosure = await world.evaluate<TokenDisclosure>(people.cloudUser, (ctx) => world.token.GetDisclosure(ctx, 'alice'));
            expect(disclosure).toEqual(stored());
            expect(disclosure.notes).toHaveLength(1);
        });

        it('credits blind and debits from the disclosure: neither reads the collection, so a non-member endorser writes the same', async () => {
            await world.submit(people.cloudUser2, (ctx) => world.token.OpenAccount(ctx, JSON.stringify({ accountId: 'bob' })));
            const reads: string[] = [];
            const blind = (tx: (ctx: Context) => Promise<string>) => (ctx: Context) => {
                const stub = ctx.stub as { getPrivateData: (collection: string, key: string) => Promise<Uint8Array> };
                const original = stub.getPrivateData.bind(stub);
                stub.getPrivateData = (collection, key) => (reads.push(`${collection} ${key}`), original(collection, key));
                return tx(ctx);
            };
            await world.ledger.submit(people.edgeUser, blind((ctx) => world.token.Mint(ctx, 'bob', '5')), { transient: new Map([['salt', Buffer.from('c2FsdHNhbHRzYWx0c2FsdHNhbHQ=')]]) });
            await world.ledger.submit(people.cloudUser, blind((ctx) => world.token.Transfer(ctx, 'alice', 'bob', '5')), { transient: new Map([['salt', Buffer.from('c2FsdHNhbHRzYWx0c2FsdHNhbHQ=')], ['account', Buffer.from(world.disclosureOf('alice') ?? '')]]) });
            expect(reads).toEqual([]);
            expect(await balance(world, 'bob')).toBe(10);
        });

        it.each<[string, (d: TokenDisclosure) => TokenDisclosure]>([
            ['a raised balance', (d) => ({ ...d, account: tamper(d.account, (a) => (a.balance = 999_999)) })],
            ['another owner', (d) => ({ ...d, account: tamper(d.account, (a) => (a.ownerId = people.cloudUser2.name)) })],
            ['a raised note', (d) => ({ ...d, notes: d.notes.map((n) => tamper(n, (note) => (note.amount = 20_000))) })],
            ['an invented note', (d) => ({ ...d, notes: [...d.notes, tamper(d.notes[0] ?? '', (note) => (note.txId = 'made-up'))] })],
            ['a note of another account', (d) => ({ ...d, notes: d.notes.map((n) => tamper(n, (note) => (note.accountId = 'edge-payee'))) })],
            ['one note twice', (d) => ({ ...d, notes: [...d.notes, ...d.notes] })],
        ])('refuses a forged disclosure (%s) with DISCLOSURE_MISMATCH and writes nothing', async (_label, forge) => {
            await world.expectRejected(people.cloudUser, (ctx) => world.token.Transfer(ctx, 'alice', 'edge-payee', '15000'), /^DISCLOSURE_MISMATCH: /, { transient: disclose(forge(stored())) });
        });

        it('refuses a debit without a disclosure, or disclosing another account, with INVALID_ARGUMENT', async () => {
            await world.expectRejected(people.cloudUser, (ctx) => world.tokenContract.Transfer(ctx, 'alice', 'edge-payee', '1'), /^INVALID_ARGUMENT: .*transient map entry "account"/);
            const other = JSON.parse(world.disclosureOf('edge-payee') ?? '') as TokenDisclosure;
            await world.expectRejected(people.cloudUser, (ctx) => world.token.Transfer(ctx, 'alice', 'edge-payee', '1'), /^INVALID_ARGUMENT: /, { transient: disclose(other) });
        });

        it('folds a note once: the disclosure it was folded from no longer matches', async () => {
            const before = stored();
            await world.submit(people.cloudUser, (ctx) => world.token.Transfer(ctx, 'alice', 'edge-payee', '100'));
            expect(world.stateOf<TokenCreditNote>('token.credit-note').filter((n) => n.accountId === 'alice')).toEqual([]);
            expect(world.stateOf<TokenAccount>('token.account').find((a) => a.accountId === 'alice')?.balance).toBe(9900);
            await world.expectRejected(people.cloudUser, (ctx) => world.token.Transfer(ctx, 'alice', 'edge-payee', '100'), /^DISCLOSURE_MISMATCH: /, { transient: disclose(before) });
            // The old account bytes with no notes do not match either: the account was rewritten.
            await world.expectRejected(people.cloudUser, (ctx) => world.token.Transfer(ctx, 'alice', 'edge-payee', '100'), /^DISCLOSURE_MISMATCH: /, { transient: disclose({ ...before, notes: [] }) });
            expect(await balance(world, 'alice')).toBe(9900);
            expect(await balance(world, 'edge-payee')).toBe(100);
            expectSupplyInvariant(world);
        });
    });

    it('refuses mints to unknown accounts and overflowing supply', async () => {
        await world.expectRejected(people.edgeUser, (ctx) => world.token.Mint(ctx, 'nobody', '1'), /^NOT_FOUND: /);
        await world.expectRejected(people.edgeUser, (ctx) => world.token.Mint(ctx, 'alice', String(Number.MAX_SAFE_INTEGER)), /^AMOUNT_OVERFLOW: /);
    });

    describe('session escrow', () => {
        const paid = (w: BillingWorld, overrides: Record<string, unknown> = {}): string =>
            JSON.stringify({ sessionId: 's-1', resourceId: 'gpu-1', appId: 'game-1', payment: { accountId: 'alice', budget: 1000, deadline: deadlineIn(w, HOUR) }, ...overrides });

        it('holds the budget at start, pays the cost and refunds the rest at stop', async () => {
            const session = await world.startSession<UsageSession>(paid(world));
            expect(session.payment).toMatchObject({ accountId: 'alice', budget: 1000, escrowId: 'session:s-1', signedTask: false });
            expect(await balance(world, 'alice')).toBe(9000);
            expect(await world.evaluate(people.cloudUser, (ctx) => world.token.GetEscrow(ctx, 'session:s-1'))).toMatchObject({ status: 'held', amount: 1000 });
            expectSupplyInvariant(world);
            // Each evaluate above moved the clock 1 s and the stop moves it 1 s: 30 s in all.
            world.ledger.advance(27_000);
            const { usage } = await world.submit<{ usage: { amount: number; charged: number; settlement: string } }>(people.edgeUser, (ctx) => world.billing.StopSession(ctx, 's-1', ''));
            expect(usage).toMatchObject({ amount: 300, charged: 300, settlement: 'token' });
            expect(await balance(world, 'alice')).toBe(9700);
            expect(await balance(world, 'edge-payee')).toBe(300);
            expect(await world.evaluate(people.edgeUser, (ctx) => world.token.GetEscrow(ctx, 'session:s-1'))).toMatchObject({ status: 'released', paid: 300, refunded: 700 });
            await expect(world.ledger.evaluate(people.stranger, (ctx) => world.token.GetEscrow(ctx, 'session:s-1'))).rejects.toThrow(/^ACCESS_DENIED: /);
            expectSupplyInvariant(world);
        });

        it('never charges more than the budget', async () => {
            await world.startSession(paid(world));
            world.ledger.advance(500_000);
            const { usage } = await world.submit<{ usage: { amount: number; charged: number } }>(people.cloudUser, (ctx) => world.billing.StopSession(ctx, 's-1', ''));
            expect(usage).toMatchObject({ amount: 5010, charged: 1000 });
            expect(await balance(world, 'edge-payee')).toBe(1000);
            expectSupplyInvariant(world);
        });

        it('lets a party or an auditor settle after the deadline, and only then: time up to the deadline is paid, a proposal refunded', async () => {
            await world.startSession(paid(world));
            await world.submit(people.cloudUser, (ctx) => world.billing.StartSession(ctx, paid(world, { sessionId: 's-2', payment: { accountId: 'alice', budget: 500, deadline: deadlineIn(world, HOUR) } })));
            await world.expectRejected(people.auditor, (ctx) => world.billing.RefundExpiredSession(ctx, 's-1'), /^DEADLINE_NOT_REACHED: /);
            world.ledger.advance(HOUR);
            await world.expectRejected(people.edgeUser, (ctx) => world.billing.StopSession(ctx, 's-1', ''), /^DEADLINE_PASSED: /);
            // Outside the pair's collection, nobody can even read the session (docs/security/confidentiality.md).
            await world.expectRejected(people.stranger, (ctx) => world.billing.RefundExpiredSession(ctx, 's-1'), /^NOT_FOUND: /);
            const { session, escrow } = await world.submit<{ session: UsageSession; escrow: { paid: number; refunded: number } }>(people.auditor, (ctx) => world.billing.RefundExpiredSession(ctx, 's-1'));
            expect(session).toMatchObject({ status: 'expired', usageRecordId: 'session:s-1' });
            // Nearly an hour at 10 a second is far more than the budget: the whole budget pays the operator.
            expect(escrow).toMatchObject({ paid: 1000, refunded: 0 });
            // The event names ids only: the amounts are private to the pair.
            expect(world.ledger.events.at(-1)).toMatchObject({ name: 'SessionExpired', payload: { sessionId: 's-1', escrowId: 'session:s-1', usageRecordId: 'session:s-1' } });
            expect(Object.keys(world.ledger.events.at(-1)?.payload as object).sort()).toEqual(['escrowId', 'sessionId', 'usageRecordId']);
            // The never-accepted proposal bills nothing: its budget goes back.
            const refund = await world.submit<{ escrow: { paid: number; refunded: number } }>(people.cloudUser, (ctx) => world.billing.RefundExpiredSession(ctx, 's-2'));
            expect(refund.escrow).toMatchObject({ paid: 0, refunded: 500 });
            expect([await balance(world, 'alice'), await balance(world, 'edge-payee')]).toEqual([9000, 1000]);
            await world.expectRejected(people.cloudUser, (ctx) => world.billing.RefundExpiredSession(ctx, 's-1'), /^SESSION_CLOSED: /);
            expectSupplyInvariant(world);
        });

        it('refuses budgets the payer cannot cover, accounts of others and resources without a payee', async () => {
            await world.expectRejected(people.cloudUser, (ctx) => world.billing.StartSession(ctx, paid(world, { payment: { accountId: 'alice', budget: 10001, deadline: deadlineIn(world, HOUR) } })), /^INSUFFICIENT_BALANCE: /);
            await world.expectRejected(people.cloudUser2, (ctx) => world.billing.StartSession(ctx, paid(world)), /^ACCESS_DENIED: /);
            await world.expectRejected(people.cloudUser, (ctx) => world.billing.StartSession(ctx, paid(world, { resourceId: 'qos-api' })), /^INVALID_STATE: .*payee/);
            await world.expectRejected(people.cloudUser, (ctx) => world.billing.StartSession(ctx, paid(world, { payment: { accountId: 'nobody', budget: 1, deadline: deadlineIn(world, HOUR) } })), /^NOT_FOUND: /);
        });
    });

    describe('signed compute tasks', () => {
        const keys = p256();
        const task = (w: BillingWorld, overrides: Partial<ComputeTask> = {}): ComputeTask => ({
            sessionId: 't-1',
            resourceId: 'gpu-1',
            tenantMspId: 'CloudOrgMSP',
            appId: 'render-1',
            planVersion: 1,
            accountId: 'alice',
            budget: 400,
            deadline: deadlineIn(w, HOUR),
            ...overrides,
        });
        const request = (t: ComputeTask, signature: string): string =>
            JSON.stringify({ sessionId: t.sessionId, resourceId: t.resourceId, tenantMspId: t.tenantMspId, appId: t.appId, planVersion: t.planVersion, payment: { accountId: t.accountId, budget: t.budget, deadline: t.deadline }, signature });
        const signed = (t: ComputeTask): string => request(t, sign('sha256', taskSigningBytes(t), keys.privateKey).toString('base64'));

        beforeEach(async () => {
            await world.submit(people.cloudUser, (ctx) => world.token.SetTaskKey(ctx, 'alice', keys.publicPem));
        });

        it('signs exactly the documented canonical JSON', () => {
            // Pinned identically in the SDK's compute-task tests (computeTaskBytes).
            const pinned: ComputeTask = { sessionId: 's-1', resourceId: 'gpu-1', tenantMspId: 'CloudOrgMSP', appId: 'game-1', planVersion: 1, accountId: 'alice', budget: 500, deadline: '2026-01-01T01:00:00.000Z' };
            expect(taskSigningBytes(pinned).toString('utf8')).toBe(
                '{"accountId":"alice","appId":"game-1","budget":500,"deadline":"2026-01-01T01:00:00.000Z","planVersion":1,"resourceId":"gpu-1","sessionId":"s-1","tenantMspId":"CloudOrgMSP"}',
            );
        });

        it('takes the escrow from the signer account when the operator submits the signed task', async () => {
            const t = task(world);
            const session = await world.submit<UsageSession>(people.edgeUser, (ctx) => world.billing.StartSession(ctx, signed(t)));
            expect(session.payment).toMatchObject({ accountId: 'alice', budget: 400, signedTask: true });
            expect(await balance(world, 'alice')).toBe(9600);
            await world.expectRejected(people.edgeUser, (ctx) => world.billing.StartSession(ctx, signed(t)), /^SESSION_ALREADY_STARTED: /);
        });

        it('refuses tampered tasks, foreign keys and accounts without a key', async () => {
            const t = task(world);
            const signature = sign('sha256', taskSigningBytes(t), keys.privateKey).toString('base64');
            await world.expectRejected(people.edgeUser, (ctx) => world.billing.StartSession(ctx, request({ ...t, budget: 4000 }, signature)), /^SIGNATURE_INVALID: /);
            const other = p256();
            await world.expectRejected(people.edgeUser, (ctx) => world.billing.StartSession(ctx, request(t, sign('sha256', taskSigningBytes(t), other.privateKey).toString('base64'))), /^SIGNATURE_INVALID: /);
            await world.expectRejected(people.edgeUser, (ctx) => world.billing.StartSession(ctx, request(t, 'AAAAAAAAAAAAAAAA')), /^SIGNATURE_INVALID: /);
            await world.expectRejected(people.edgeUser, (ctx) => world.billing.StartSession(ctx, request(t, 'not base64!')), /^INVALID_ARGUMENT: signature/);
            await world.submit(people.cloudUser, (ctx) => world.token.OpenAccount(ctx, JSON.stringify({ accountId: 'keyless' })));
            await world.submit(people.edgeUser, (ctx) => world.token.Mint(ctx, 'keyless', '500'));
            await world.expectRejected(people.edgeUser, (ctx) => world.billing.StartSession(ctx, signed(task(world, { accountId: 'keyless' }))), /^INVALID_STATE: .*task key/);
            await world.expectRejected(people.edgeUser, (ctx) => world.billing.StartSession(ctx, signed(task(world, { planVersion: 2 }))), /^PLAN_VERSION_MISMATCH: /);
        });
    });

    it('keeps minted = balances + unspent notes + escrow under a random workload (seeded)', async () => {
        const random = mulberry32(20260101);
        const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
        const owners = { alice: people.cloudUser, bob: people.cloudUser2, 'edge-payee': people.edgeUser } as const;
        await world.submit(people.cloudUser2, (ctx) => world.token.OpenAccount(ctx, JSON.stringify({ accountId: 'bob' })));
        const accounts = Object.keys(owners) as (keyof typeof owners)[];
        const active: { id: string; who: (typeof owners)[keyof typeof owners] }[] = [];
        let accepted = 0;
        let refused = 0;
        for (let step = 0; step < 300; step++) {
            const kind = pick(['mint', 'transfer', 'transfer', 'start', 'stop', 'expire'] as const);
            const amount = String(1 + Math.floor(random() * 4000));
            const from = pick(accounts);
            const to = pick(accounts);
            try {
                if (kind === 'mint') {
                    await world.submit(people.edgeUser, (ctx) => world.token.Mint(ctx, from, amount));
                } else if (kind === 'transfer') {
                    await world.submit(owners[from], (ctx) => world.token.Transfer(ctx, from, to, amount));
                } else if (kind === 'start') {
                    const id = `r-${String(step)}`;
                    const payment = { accountId: from, budget: Number(amount), deadline: deadlineIn(world, Math.floor(random() * 120_000)) };
                    await world.submit(owners[from], (ctx) => world.billing.StartSession(ctx, JSON.stringify({ sessionId: id, resourceId: 'gpu-1', appId: 'a', tenantMspId: 'CloudOrgMSP', payment })));
                    const counterparty = owners[from].mspId === 'EdgeOrgMSP' ? people.cloudUser : people.edgeUser;
                    await world.submit(counterparty, (ctx) => world.billing.AcceptSession(ctx, id));
                    active.push({ id, who: owners[from] });
                } else if (kind === 'stop' && active.length > 0) {
                    await world.submit(people.edgeUser, (ctx) => world.billing.StopSession(ctx, pick(active).id, ''));
                } else if (kind === 'expire' && active.length > 0) {
                    await world.submit(people.auditor, (ctx) => world.billing.RefundExpiredSession(ctx, pick(active).id));
                }
                accepted += 1;
            } catch (err) {
                expect(String(err)).toMatch(/(INSUFFICIENT_BALANCE|INVALID_ARGUMENT|ACCESS_DENIED|SESSION_CLOSED|DEADLINE_PASSED|DEADLINE_NOT_REACHED|INVALID_STATE): /);
                refused += 1;
            }
            world.ledger.advance(Math.floor(random() * 20_000));
            expectSupplyInvariant(world);
        }
        expect(accepted).toBeGreaterThan(100);
        expect(refused).toBeGreaterThan(10);
        expect(world.stateOf<Escrow>('token.escrow').filter((e) => e.status !== 'held').length).toBeGreaterThan(5);
    });
});

function p256(): { publicPem: string; privateKey: ReturnType<typeof generateKeyPairSync>['privateKey'] } {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return { publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey };
}

function rsaPublicKey(): string {
    return generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** A small seeded PRNG, so the random workload is the same on every run. */
function mulberry32(seed: number): () => number {
    let state = seed;
    return () => {
        state = (state + 0x6d2b79f5) | 0;
        let t = Math.imul(state ^ (state >>> 15), 1 | state);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
}
