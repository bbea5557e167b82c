import { BillingWorld, people } from '../testing/billing-fixture';
import { setClock } from './peer-clock';
import { UsageRecord, UsageSession } from '../../schemas/src';

/*
 * Issue 9 finding 4: no party records billing on its own. A session, a metered stop and a CT
 * operation only take effect once the counterparty organisation accepts them in its own
 * transaction (or, for a session start, signed the compute task with its registered key).
 */
const start = (overrides: Record<string, unknown> = {}): string => JSON.stringify({ sessionId: 's-1', resourceId: 'gpu-1', appId: 'game-1', ...overrides });
const op = (overrides: Record<string, unknown> = {}): string =>
    JSON.stringify({ operationId: 'op-1', resourceId: 'upf-traffic', tenantMspId: 'CloudOrgMSP', appId: 'video-app', bytes: 9_000_000_000_000, ...overrides });

describe('attack: billing without the counterparty (issue 9 finding 4)', () => {
    let world: BillingWorld;

    beforeEach(async () => {
        world = new BillingWorld();
        await world.setUp();
    });

    afterAll(() => setClock());

    it('an operator alone cannot start a session for a tenant: it stays proposed until the tenant accepts', async () => {
        const proposed = await world.submit<UsageSession>(people.edgeUser, (ctx) => world.billing.StartSession(ctx, start({ tenantMspId: 'CloudOrgMSP' })));
        expect(proposed).toMatchObject({ status: 'proposed', awaitingMspId: 'CloudOrgMSP' });
        // The proposer cannot accept its own proposal, nor stop (and so bill) a session never accepted.
        await world.expectRejected(people.edgeUser, (ctx) => world.billing.AcceptSession(ctx, 's-1'), /^ACCESS_DENIED: /);
        world.ledger.advance(3_600_000);
        await world.expectRejected(people.edgeUser, (ctx) => world.billing.StopSession(ctx, 's-1', ''), /^INVALID_STATE: .*proposed/);
        expect(world.stateOf<UsageRecord>('billing.usage')).toHaveLength(0);
        // The tenant accepts: billing starts at its acceptance, not at the operator's proposal.
        const active = await world.submit<UsageSession>(people.cloudUser, (ctx) => world.billing.AcceptSession(ctx, 's-1'));
        expect(active).toMatchObject({ status: 'active', acceptedByMspId: 'CloudOrgMSP', startedAt: new Date(world.ledger.now).toISOString() });
        const { usage } = await world.submit<{ usage: UsageRecord }>(people.edgeUser, (ctx) => world.billing.StopSession(ctx, 's-1', ''));
        expect(usage.quantity).toBe(1);
    });

    it('a tenant alone cannot start a session on an operator resource either', async () => {
        const proposed = await world.submit<UsageSession>(people.cloudUser, (ctx) => world.billing.StartSession(ctx, start()));
        expect(proposed).toMatchObject({ status: 'proposed', awaitingMspId: 'EdgeOrgMSP' });
        await world.expectRejected(people.cloudUser2, (ctx) => world.billing.AcceptSession(ctx, 's-1'), /^ACCESS_DENIED: /);
        await world.expectRejected(people.stranger, (ctx) => world.billing.AcceptSession(ctx, 's-1'), /^NOT_FOUND: /);
        await world.submit(people.edgeUser, (ctx) => world.billing.AcceptSession(ctx, 's-1'));
        await world.expectRejected(people.edgeUser, (ctx) => world.billing.AcceptSession(ctx, 's-1'), /^INVALID_STATE: /);
    });

    it('the counterparty may decline a proposed session, which refunds a budget held for it', async () => {
        const payment = { accountId: 'alice', budget: 700, deadline: new Date(world.ledger.now + 3_600_000).toISOString() };
        await world.submit(people.cloudUser, (ctx) => world.billing.StartSession(ctx, start({ payment })));
        expect(await world.evaluate(people.cloudUser, (ctx) => world.token.GetAccount(ctx, 'alice'))).toMatchObject({ balance: 9300 });
        const declined = await world.submit<{ session: UsageSession }>(people.edgeUser, (ctx) => world.billing.DeclineSession(ctx, 's-1'));
        expect(declined.session).toMatchObject({ status: 'declined' });
        expect(await world.evaluate(people.cloudUser, (ctx) => world.token.GetAccount(ctx, 'alice'))).toMatchObject({ balance: 10000 });
        await world.expectRejected(people.cloudUser, (ctx) => world.billing.AcceptSession(ctx, 's-1'), /^INVALID_STATE: /);
    });

    it('a tenant alone cannot declare the calls of a per-call session: 0 calls wait for the operator', async () => {
        await world.startSession(start({ resourceId: 'qos-api' }));
        const stopping = await world.submit<{ session: UsageSession; usage?: UsageRecord }>(people.cloudUser, (ctx) => world.billing.StopSession(ctx, 's-1', JSON.stringify({ calls: 0 })));
        expect(stopping.session).toMatchObject({ status: 'stopping', awaitingMspId: 'EdgeOrgMSP', stopProposal: { quantity: 0, proposedByMspId: 'CloudOrgMSP' } });
        expect(stopping.usage).toBeUndefined();
        expect(world.stateOf<UsageRecord>('billing.usage')).toHaveLength(0);
        await world.expectRejected(people.cloudUser, (ctx) => world.billing.ConfirmStop(ctx, 's-1'), /^ACCESS_DENIED: /);
        // The operator counters with its own reading; now the tenant must confirm or counter.
        const countered = await world.submit<{ session: UsageSession }>(people.edgeUser, (ctx) => world.billing.StopSession(ctx, 's-1', JSON.stringify({ calls: 40 })));
        expect(countered.session).toMatchObject({ status: 'stopping', awaitingMspId: 'CloudOrgMSP', stopProposal: { quantity: 40 } });
        const closed = await world.submit<{ session: UsageSession; usage: UsageRecord }>(people.cloudUser, (ctx) => world.billing.ConfirmStop(ctx, 's-1'));
        expect(closed.session).toMatchObject({ status: 'closed', usageRecordId: 'session:s-1' });
        expect(closed.usage).toMatchObject({ quantity: 40, amount: 1000 });
    });

    it('an operator alone cannot record a CT operation of any size: the tenant accepts or declines it', async () => {
        const proposed = await world.submit(people.edgeUser, (ctx) => world.billing.RecordCtOperation(ctx, op()));
        expect(proposed).toMatchObject({ operationId: 'op-1', status: 'proposed', awaitingMspId: 'CloudOrgMSP', quantity: 9_000_000_000_000 });
        expect(world.stateOf<UsageRecord>('billing.usage')).toHaveLength(0);
        await world.expectRejected(people.edgeUser, (ctx) => world.billing.AcceptCtOperation(ctx, 'op-1'), /^ACCESS_DENIED: /);
        await world.submit(people.cloudUser, (ctx) => world.billing.DeclineCtOperation(ctx, 'op-1'));
        await world.expectRejected(people.cloudUser, (ctx) => world.billing.AcceptCtOperation(ctx, 'op-1'), /^INVALID_STATE: /);
        expect(world.stateOf<UsageRecord>('billing.usage')).toHaveLength(0);
        await world.submit(people.edgeUser, (ctx) => world.billing.RecordCtOperation(ctx, op({ operationId: 'op-2', bytes: 1_000_000_000 })));
        const record = await world.submit<UsageRecord>(people.cloudUser, (ctx) => world.billing.AcceptCtOperation(ctx, 'op-2'));
        expect(record).toMatchObject({ recordId: 'ct:op-2', amount: 300, settlement: 'invoice' });
    });

    it('a compute task signed by an account of another organisation is no consent of the tenant', async () => {
        const { generateKeyPairSync, sign } = await import('node:crypto');
        const { taskSigningBytes } = await import('./usage-session');
        const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        // The operator opens its own funded account with its own key, then signs a task naming the tenant.
        await world.submit(people.edgeUser, (ctx) => world.token.OpenAccount(ctx, JSON.stringify({ accountId: 'edge-own', taskKey: keys.publicKey.export({ type: 'spki', format: 'pem' }) })));
        await world.submit(people.edgeUser, (ctx) => world.token.Mint(ctx, 'edge-own', '100'));
        const task = { sessionId: 's-9', resourceId: 'gpu-1', tenantMspId: 'CloudOrgMSP', appId: 'game-1', planVersion: 1, accountId: 'edge-own', budget: 50, deadline: new Date(world.ledger.now + 3_600_000).toISOString() };
        const signature = sign('sha256', taskSigningBytes(task), keys.privateKey).toString('base64');
        const request = JSON.stringify({ sessionId: 's-9', resourceId: 'gpu-1', appId: 'game-1', tenantMspId: 'CloudOrgMSP', planVersion: 1, payment: { accountId: 'edge-own', budget: 50, deadline: task.deadline }, signature });
        await world.expectRejected(people.edgeUser, (ctx) => world.billing.StartSession(ctx, request), /^ACCESS_DENIED: .*edge-own/);
    });
});

describe('attack: the operator resolves disputes about its own invoices (issue 9 finding 4)', () => {
    let world: BillingWorld;

    beforeEach(async () => {
        world = new BillingWorld();
        await world.setUp();
        await world.startSession(start());
        await world.submit(people.cloudUser, (ctx) => world.billing.StopSession(ctx, 's-1', ''), { timeStepMillis: 60_000 });
        world.ledger.advance(Date.UTC(2026, 1, 1, 0, 1) - world.ledger.now);
        await world.submit(people.edgeUser, (ctx) => world.settlement.CloseBillingPeriod(ctx, 'CloudOrgMSP', '2026-01'));
        await world.submit(people.cloudUser, (ctx) =>
            world.settlement.RaiseDispute(ctx, JSON.stringify({ disputeId: 'd-1', invoiceId: 'EdgeOrgMSP|CloudOrgMSP|2026-01', lineIds: ['gpu-1|1|game-1'], reason: 'GPU was down' })),
        );
    });

    it('the operator cannot reject a dispute of its own invoice; an auditor decides', async () => {
        await world.expectRejected(people.edgeUser, (ctx) => world.settlement.ResolveDispute(ctx, 'd-1', '{"outcome":"rejected","reason":"no outage logged"}'), /^ACCESS_DENIED: /);
        await world.expectRejected(people.cloudUser, (ctx) => world.settlement.ResolveDispute(ctx, 'd-1', '{"outcome":"rejected","reason":"x"}'), /^ACCESS_DENIED: /);
        const rejected = await world.submit<{ status: string; resolution: { resolvedByMspId: string } }>(people.auditor, (ctx) =>
            world.settlement.ResolveDispute(ctx, 'd-1', '{"outcome":"rejected","reason":"UPF counters match"}'),
        );
        expect(rejected).toMatchObject({ status: 'rejected', resolution: { resolvedByMspId: 'AuditOrgMSP' } });
    });

    it('the operator may still concede (credit) a dispute against itself', async () => {
        const accepted = await world.submit<{ status: string }>(people.edgeUser, (ctx) => world.settlement.ResolveDispute(ctx, 'd-1', '{"outcome":"accepted"}'));
        expect(accepted).toMatchObject({ status: 'accepted' });
    });

    it('an auditor that is a party to the invoice does not decide its dispute', async () => {
        await world.submit(people.edgeAdmin, (ctx) => world.billing.GrantRole(ctx, 'EdgeOrgMSP', 'auditor'));
        await world.expectRejected(people.edgeUser, (ctx) => world.settlement.ResolveDispute(ctx, 'd-1', '{"outcome":"rejected","reason":"x"}'), /^ACCESS_DENIED: /);
    });
});
