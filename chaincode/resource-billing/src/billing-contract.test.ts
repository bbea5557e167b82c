import type { Context } from 'fabric-contract-api';
import { BillingWorld, GPU, people } from '../testing/billing-fixture';
import { DEFAULT_TIMESTAMP_TOLERANCE_SECONDS, setClock } from './peer-clock';
import { RoleGrant, UsageRecord, UsageSession } from '../../schemas/src';

const start = (overrides: Record<string, unknown> = {}): string => JSON.stringify({ sessionId: 's-1', resourceId: 'gpu-1', appId: 'game-1', ...overrides });

describe('BillingContract: roles', () => {
    let world: BillingWorld;

    beforeEach(() => {
        world = new BillingWorld();
    });

    it('lets the first organisation administrator bootstrap governance, once', async () => {
        await world.expectRejected(people.edgeUser, (ctx) => world.billing.BootstrapGovernance(ctx), /^ACCESS_DENIED: /);
        const grant = await world.submit<RoleGrant>(people.edgeAdmin, (ctx) => world.billing.BootstrapGovernance(ctx));
        expect(grant).toMatchObject({ mspId: 'EdgeOrgMSP', role: 'governor', grantedByMspId: 'EdgeOrgMSP' });
        expect(world.ledger.events.at(-1)).toMatchObject({ name: 'GovernanceBootstrapped', payload: { mspId: 'EdgeOrgMSP' } });
        await world.expectRejected(people.cloudAdmin, (ctx) => world.billing.BootstrapGovernance(ctx), /^ALREADY_EXISTS: /);
    });

    it('lets only governor administrators grant and revoke roles', async () => {
        await world.setUpRoles();
        const roles = await world.evaluate<RoleGrant[]>(people.stranger, (ctx) => world.billing.ListRoles(ctx));
        expect(roles.map((r) => `${r.role}:${r.mspId}`).sort()).toEqual(
            ['auditor:AuditOrgMSP', 'ct-entity:EdgeOrgMSP', 'governor:EdgeOrgMSP', 'issuer:EdgeOrgMSP', 'operator:EdgeOrgMSP', 'tenant:CloudOrgMSP'].sort(),
        );
        await world.expectRejected(people.cloudAdmin, (ctx) => world.billing.GrantRole(ctx, 'CloudOrgMSP', 'auditor'), /^ACCESS_DENIED: /);
        await world.expectRejected(people.edgeUser, (ctx) => world.billing.GrantRole(ctx, 'CloudOrgMSP', 'auditor'), /^ACCESS_DENIED: .*OU=admin/);
        await world.expectRejected(people.edgeAdmin, (ctx) => world.billing.GrantRole(ctx, 'CloudOrgMSP', 'tenant'), /^ALREADY_EXISTS: /);
        await world.expectRejected(people.edgeAdmin, (ctx) => world.billing.RevokeRole(ctx, 'EdgeOrgMSP', 'governor'), /^INVALID_STATE: /);
        await world.expectRejected(people.edgeAdmin, (ctx) => world.billing.RevokeRole(ctx, 'OtherOrgMSP', 'tenant'), /^NOT_FOUND: /);
        await world.expectRejected(people.cloudAdmin, (ctx) => world.billing.RevokeRole(ctx, 'CloudOrgMSP', 'tenant'), /^ACCESS_DENIED: /);
        await world.submit(people.edgeAdmin, (ctx) => world.billing.RevokeRole(ctx, 'AuditOrgMSP', 'auditor'));
        expect(world.ledger.events.at(-1)).toMatchObject({ name: 'RoleRevoked', payload: { mspId: 'AuditOrgMSP', role: 'auditor' } });
        const after = await world.evaluate<RoleGrant[]>(people.stranger, (ctx) => world.billing.ListRoles(ctx));
        expect(after.some((r) => r.role === 'auditor')).toBe(false);
    });

    it.each([
        ['unknown role', 'CloudOrgMSP', 'king'],
        ['msp id with a separator', 'Cloud\u0000Org', 'tenant'],
        ['empty msp id', '', 'tenant'],
    ])('refuses a grant with %s', async (_label, mspId, role) => {
        await world.setUpRoles();
        await world.expectRejected(people.edgeAdmin, (ctx) => world.billing.GrantRole(ctx, mspId, role), /^INVALID_ARGUMENT: /);
        await world.expectRejected(people.edgeAdmin, (ctx) => world.billing.RevokeRole(ctx, mspId, role), /^INVALID_ARGUMENT: /);
    });
});

describe('BillingContract: catalog', () => {
    let world: BillingWorld;

    beforeEach(async () => {
        world = new BillingWorld();
        await world.setUp();
    });

    it('registers resources with version 1 of their price plan and versions later plans', async () => {
        const resource = await world.evaluate(people.stranger, (ctx) => world.billing.GetResource(ctx, 'gpu-1'));
        expect(resource).toMatchObject({ resourceId: 'gpu-1', siteId: 'site-a', operatorMspId: 'EdgeOrgMSP', planVersion: 1, payeeAccountId: 'edge-payee' });
        const v2 = await world.submit(people.edgeUser, (ctx) => world.billing.PublishPricePlan(ctx, 'gpu-1', JSON.stringify({ unit: 'second', rate: 12 })));
        expect(v2).toMatchObject({ resourceId: 'gpu-1', version: 2, unit: 'second', rate: 12 });
        expect(world.ledger.events.at(-1)).toMatchObject({ name: 'PricePlanPublished', payload: { version: 2, rate: 12 } });
        const v1 = await world.evaluate(people.cloudUser, (ctx) => world.billing.GetPricePlan(ctx, 'gpu-1', '1'));
        expect(v1).toMatchObject({ version: 1, rate: 10 });
        expect(await world.evaluate(people.cloudUser, (ctx) => world.billing.GetResource(ctx, 'gpu-1'))).toMatchObject({ planVersion: 2 });
    });

    it('lists a site resources page by page', async () => {
        const first = await world.evaluate<{ records: { resourceId: string }[]; bookmark: string }>(people.cloudUser, (ctx) =>
            world.billing.ListSiteResources(ctx, 'site-a', '2', ''),
        );
        expect(first.records.map((r) => r.resourceId)).toEqual(['gpu-1', 'qos-api']);
        const second = await world.evaluate<{ records: { resourceId: string }[]; bookmark: string }>(people.cloudUser, (ctx) =>
            world.billing.ListSiteResources(ctx, 'site-a', '2', first.bookmark),
        );
        expect(second).toMatchObject({ records: [{ resourceId: 'upf-traffic' }], bookmark: '' });
    });

    it('keeps the catalog to operators, each on its own sites', async () => {
        await world.expectRejected(people.cloudUser, (ctx) => world.billing.RegisterSite(ctx, JSON.stringify({ siteId: 'x', name: 'X', location: 'Y' })), /^ACCESS_DENIED: /);
        await world.expectRejected(people.cloudUser, (ctx) => world.billing.PublishPricePlan(ctx, 'gpu-1', JSON.stringify({ unit: 'second', rate: 1 })), /^ACCESS_DENIED: /);
        await world.submit(people.edgeAdmin, (ctx) => world.billing.GrantRole(ctx, 'OtherOrgMSP', 'operator'));
        await world.expectRejected(people.stranger, (ctx) => world.billing.RegisterResource(ctx, JSON.stringify({ ...GPU, resourceId: 'gpu-9' })), /^ACCESS_DENIED: site site-a/);
        await world.expectRejected(people.stranger, (ctx) => world.billing.PublishPricePlan(ctx, 'gpu-1', JSON.stringify({ unit: 'second', rate: 1 })), /^ACCESS_DENIED: resource/);
    });

    it.each<[string, (w: BillingWorld) => (ctx: Context) => Promise<unknown>, RegExp]>([
        ['site without a name', (w) => (ctx) => w.billing.RegisterSite(ctx, JSON.stringify({ siteId: 'b', location: 'x' })), /^INVALID_ARGUMENT: name/],
        ['duplicate site', (w) => (ctx) => w.billing.RegisterSite(ctx, JSON.stringify({ siteId: 'site-a', name: 'A', location: 'x' })), /^ALREADY_EXISTS: /],
        ['site as an array', (w) => (ctx) => w.billing.RegisterSite(ctx, '[]'), /^INVALID_ARGUMENT: request/],
        ['resource of an unknown kind', (w) => (ctx) => w.billing.RegisterResource(ctx, JSON.stringify({ ...GPU, resourceId: 'r2', kind: 'quantum' })), /^INVALID_ARGUMENT: kind/],
        ['fractional rate', (w) => (ctx) => w.billing.RegisterResource(ctx, JSON.stringify({ ...GPU, resourceId: 'r2', plan: { unit: 'second', rate: 0.5 } })), /^INVALID_ARGUMENT: plan.rate/],
        ['negative rate', (w) => (ctx) => w.billing.RegisterResource(ctx, JSON.stringify({ ...GPU, resourceId: 'r2', plan: { unit: 'second', rate: -1 } })), /^INVALID_ARGUMENT: plan.rate/],
        ['unknown meter unit', (w) => (ctx) => w.billing.RegisterResource(ctx, JSON.stringify({ ...GPU, resourceId: 'r2', plan: { unit: 'hour', rate: 1 } })), /^INVALID_ARGUMENT: plan.unit/],
        ['resource on an unknown site', (w) => (ctx) => w.billing.RegisterResource(ctx, JSON.stringify({ ...GPU, resourceId: 'r2', siteId: 'nowhere' })), /^NOT_FOUND: /],
        ['duplicate resource', (w) => (ctx) => w.billing.RegisterResource(ctx, JSON.stringify(GPU)), /^ALREADY_EXISTS: /],
        ['unknown payee account', (w) => (ctx) => w.billing.RegisterResource(ctx, JSON.stringify({ ...GPU, resourceId: 'r2', payeeAccountId: 'nobody' })), /^NOT_FOUND: /],
        ["another organisation's payee", (w) => (ctx) => w.billing.RegisterResource(ctx, JSON.stringify({ ...GPU, resourceId: 'r2', payeeAccountId: 'alice' })), /^INVALID_ARGUMENT: payee/],
        ['bad attributes', (w) => (ctx) => w.billing.RegisterResource(ctx, JSON.stringify({ ...GPU, resourceId: 'r2', attributes: { model: 7 } })), /^INVALID_ARGUMENT: attributes/],
        ['plan for an unknown resource', (w) => (ctx) => w.billing.PublishPricePlan(ctx, 'none', JSON.stringify({ unit: 'call', rate: 1 })), /^NOT_FOUND: /],
        ['plan that is not JSON', (w) => (ctx) => w.billing.PublishPricePlan(ctx, 'gpu-1', '{'), /^INVALID_ARGUMENT: plan/],
    ])('refuses %s with a coded error and writes nothing', async (_label, tx, pattern) => {
        await world.expectRejected(people.edgeUser, tx(world), pattern);
    });

    it.each<[string, (w: BillingWorld) => (ctx: Context) => Promise<string>, RegExp]>([
        ['unknown site', (w) => (ctx) => w.billing.GetSite(ctx, 'nowhere'), /^NOT_FOUND: /],
        ['unknown resource', (w) => (ctx) => w.billing.GetResource(ctx, 'none'), /^NOT_FOUND: /],
        ['plan version zero', (w) => (ctx) => w.billing.GetPricePlan(ctx, 'gpu-1', '0'), /^INVALID_ARGUMENT: /],
        ['plan version not a number', (w) => (ctx) => w.billing.GetPricePlan(ctx, 'gpu-1', 'one'), /^INVALID_ARGUMENT: /],
        ['missing plan version', (w) => (ctx) => w.billing.GetPricePlan(ctx, 'gpu-1', '7'), /^NOT_FOUND: /],
        ['page size zero', (w) => (ctx) => w.billing.ListSiteResources(ctx, 'site-a', '0', ''), /^INVALID_ARGUMENT: pageSize/],
        ['unknown session', (w) => (ctx) => w.billing.GetSession(ctx, 'none'), /^NOT_FOUND: /],
        ['unknown usage record', (w) => (ctx) => w.billing.GetUsageRecord(ctx, 'session:none'), /^NOT_FOUND: /],
    ])('answers a query with %s by a coded error', async (_label, query, pattern) => {
        await expect(world.ledger.evaluate(people.cloudUser, query(world))).rejects.toThrow(pattern);
    });
});

describe('BillingContract: sessions', () => {
    let world: BillingWorld;

    beforeEach(async () => {
        world = new BillingWorld();
        await world.setUp();
    });

    afterAll(() => setClock());

    it('starts a session with the current plan version and prices it by duration at stop', async () => {
        const session = await world.startSession<UsageSession>(start({ planVersion: 1 }));
        expect(session).toMatchObject({ sessionId: 's-1', tenantMspId: 'CloudOrgMSP', operatorMspId: 'EdgeOrgMSP', planVersion: 1, rate: 10, unit: 'second', status: 'active' });
        // Events of private records name ids only (docs/security/confidentiality.md).
        expect(world.ledger.events.at(-1)).toEqual({ txId: expect.any(String) as string, name: 'SessionStarted', payload: { sessionId: 's-1' } });
        await world.submit(people.edgeUser, (ctx) => world.billing.PublishPricePlan(ctx, 'gpu-1', JSON.stringify({ unit: 'second', rate: 99 })));
        world.ledger.advance(88_500);
        // Started at t, plan published at t+1 s, stop at t+1+88.5+1 = t+90.5 s: 91 started seconds at the session's rate 10.
        const stopped = await world.submit<{ session: UsageSession; usage: UsageRecord }>(people.edgeUser, (ctx) => world.billing.StopSession(ctx, 's-1', '{}'));
        expect(stopped.session).toMatchObject({ status: 'closed', stoppedByMspId: 'EdgeOrgMSP', usageRecordId: 'session:s-1' });
        expect(stopped.usage).toMatchObject({ quantity: 91, amount: 910, planVersion: 1, rate: 10, settlement: 'invoice', lineId: 'gpu-1|1|game-1', lineSeq: 1, period: '2026-01' });
        expect(world.ledger.events.at(-1)).toEqual({ txId: expect.any(String) as string, name: 'SessionStopped', payload: { sessionId: 's-1', usageRecordId: 'session:s-1' } });
    });

    it('refuses a repeated start or stop with a coded error and no second charge', async () => {
        await world.startSession(start());
        await world.expectRejected(people.cloudUser, (ctx) => world.billing.StartSession(ctx, start()), /^SESSION_ALREADY_STARTED: /);
        await world.submit(people.cloudUser, (ctx) => world.billing.StopSession(ctx, 's-1', ''));
        await world.expectRejected(people.cloudUser, (ctx) => world.billing.StopSession(ctx, 's-1', ''), /^SESSION_CLOSED: /);
        await world.expectRejected(people.edgeUser, (ctx) => world.billing.StopSession(ctx, 's-1', ''), /^SESSION_CLOSED: /);
        expect(world.stateOf<UsageRecord>('billing.usage')).toHaveLength(1);
    });

    it('meters per-call resources from the calls given at stop', async () => {
        await world.startSession(start({ resourceId: 'qos-api' }));
        await world.expectRejected(people.cloudUser, (ctx) => world.billing.StopSession(ctx, 's-1', '{}'), /^INVALID_ARGUMENT: meters.calls/);
        await world.submit(people.cloudUser, (ctx) => world.billing.StopSession(ctx, 's-1', JSON.stringify({ calls: 40 })));
        const { usage } = await world.submit<{ usage: UsageRecord }>(people.edgeUser, (ctx) => world.billing.ConfirmStop(ctx, 's-1'));
        expect(usage).toMatchObject({ unit: 'call', quantity: 40, amount: 1000 });
    });

    it('lets the operator start a session for a tenant, but nobody else', async () => {
        const session = await world.submit<UsageSession>(people.edgeUser, (ctx) => world.billing.StartSession(ctx, start({ tenantMspId: 'CloudOrgMSP' })));
        expect(session).toMatchObject({ tenantMspId: 'CloudOrgMSP', startedByMspId: 'EdgeOrgMSP' });
        await world.expectRejected(people.stranger, (ctx) => world.billing.StartSession(ctx, start({ sessionId: 's-2', tenantMspId: 'CloudOrgMSP' })), /^ACCESS_DENIED: /);
        await world.expectRejected(people.stranger, (ctx) => world.billing.StartSession(ctx, start({ sessionId: 's-2' })), /^INVALID_ARGUMENT: OtherOrgMSP does not hold the tenant role/);
        await world.expectRejected(people.stranger, (ctx) => world.billing.StopSession(ctx, 's-1', ''), /^NOT_FOUND: /);
    });

    it('shows sessions and usage to the parties and auditors only', async () => {
        await world.startSession(start());
        await world.submit(people.cloudUser, (ctx) => world.billing.StopSession(ctx, 's-1', ''));
        for (const reader of [people.cloudUser2, people.edgeUser, people.auditor]) {
            expect(await world.evaluate(reader, (ctx) => world.billing.GetSession(ctx, 's-1'))).toMatchObject({ sessionId: 's-1' });
            expect(await world.evaluate(reader, (ctx) => world.billing.GetUsageRecord(ctx, 'session:s-1'))).toMatchObject({ amount: 10, quantity: 1 });
        }
        await expect(world.ledger.evaluate(people.stranger, (ctx) => world.billing.GetSession(ctx, 's-1'))).rejects.toThrow(/^NOT_FOUND: /);
        await expect(world.ledger.evaluate(people.stranger, (ctx) => world.billing.GetUsageRecord(ctx, 'session:s-1'))).rejects.toThrow(/^NOT_FOUND: /);
    });

    it('refuses a proposal whose timestamp is too far from the peer clock', async () => {
        const tolerance = DEFAULT_TIMESTAMP_TOLERANCE_SECONDS * 1000;
        setClock(() => world.ledger.now + tolerance + 1);
        await world.expectRejected(people.cloudUser, (ctx) => world.billing.StartSession(ctx, start()), /^TIMESTAMP_OUT_OF_TOLERANCE: /);
        setClock(() => world.ledger.now - tolerance - 1);
        await world.expectRejected(people.cloudUser, (ctx) => world.billing.StartSession(ctx, start()), /^TIMESTAMP_OUT_OF_TOLERANCE: /);
        setClock(() => world.ledger.now + tolerance);
        await world.startSession(start());
        expect(world.ledger.events.at(-1)?.name).toBe('SessionStarted');
    });

    it.each<[string, string, RegExp]>([
        ['no appId', JSON.stringify({ sessionId: 's-9', resourceId: 'gpu-1' }), /^INVALID_ARGUMENT: appId/],
        ['a session id with a key separator', start({ sessionId: 'a\u0000b' }), /^INVALID_ARGUMENT: sessionId/],
        ['an unknown resource', start({ resourceId: 'none' }), /^NOT_FOUND: /],
        ['an outdated plan version', start({ planVersion: 2 }), /^PLAN_VERSION_MISMATCH: /],
        ['a fractional budget', start({ payment: { accountId: 'alice', budget: 1.5, deadline: '2026-02-01T00:00:00Z' } }), /^INVALID_ARGUMENT: payment.budget/],
        ['a deadline that is not a UTC instant', start({ payment: { accountId: 'alice', budget: 5, deadline: 'tomorrow' } }), /^INVALID_ARGUMENT: payment.deadline/],
        ['a past deadline', start({ payment: { accountId: 'alice', budget: 5, deadline: '2025-01-01T00:00:00Z' } }), /^INVALID_ARGUMENT: payment.deadline/],
        ['a deadline on a day that does not exist (Date would roll 2026-02-30 over to March 2)', start({ payment: { accountId: 'alice', budget: 5, deadline: '2026-02-30T00:00:00Z' } }), /^INVALID_ARGUMENT: payment.deadline must be a UTC ISO-8601 time/],
        ['a signature without payment', start({ signature: 'AAAAAAAAAAA=' }), /^INVALID_ARGUMENT: a signed compute task/],
        ['a request that is a string', '"start"', /^INVALID_ARGUMENT: request/],
    ])('refuses a start with %s', async (_label, request, pattern) => {
        await world.expectRejected(people.cloudUser, (ctx) => world.billing.StartSession(ctx, request), pattern);
    });

    it.each<[string, string, string, RegExp]>([
        ['an unknown session', 'none', '', /^NOT_FOUND: /],
        ['a bad session id', '', '', /^INVALID_ARGUMENT: sessionId/],
        ['calls on a per-second session', 's-1', JSON.stringify({ calls: 3 }), /^INVALID_ARGUMENT: /],
        ['meters that are not an object', 's-1', '[1]', /^INVALID_ARGUMENT: meters/],
    ])('refuses a stop with %s', async (_label, sessionId, meters, pattern) => {
        await world.startSession(start());
        await world.expectRejected(people.cloudUser, (ctx) => world.billing.StopSession(ctx, sessionId, meters), pattern);
    });

    it('refuses refunds of sessions without escrow', async () => {
        await world.startSession(start());
        await world.expectRejected(people.cloudUser, (ctx) => world.billing.RefundExpiredSession(ctx, 's-1'), /^INVALID_STATE: /);
        await world.expectRejected(people.stranger, (ctx) => world.billing.RefundExpiredSession(ctx, 's-1'), /^NOT_FOUND: /);
        await world.expectRejected(people.stranger, (ctx) => world.billing.RefundExpiredSession(ctx, 'none'), /^NOT_FOUND: /);
        await world.expectRejected(people.stranger, (ctx) => world.billing.RefundExpiredSession(ctx, 'a b'), /^INVALID_ARGUMENT: /);
    });
});

describe('BillingContract: CT operations', () => {
    let world: BillingWorld;
    const op = (overrides: Record<string, unknown> = {}): string =>
        JSON.stringify({ operationId: 'op-1', resourceId: 'upf-traffic', tenantMspId: 'CloudOrgMSP', appId: 'video-app', bytes: 2_500_000_001, ...overrides });

    beforeEach(async () => {
        world = new BillingWorld();
        await world.setUp();
    });

    it('records user-plane traffic per app, rounding each GB up, and capability calls', async () => {
        const traffic = await world.recordCtOperation<UsageRecord>(op());
        expect(traffic).toMatchObject({ recordId: 'ct:op-1', source: 'ct-operation', operationKind: 'user-plane', unit: 'gb', quantity: 2_500_000_001, amount: 751, appId: 'video-app' });
        expect(world.ledger.events.at(-1)).toEqual({ txId: expect.any(String) as string, name: 'CtOperationRecorded', payload: { operationId: 'op-1', recordId: 'ct:op-1' } });
        const second = await world.recordCtOperation<UsageRecord>(op({ operationId: 'op-2', bytes: 1_000_000_000 }));
        expect(second.amount).toBe(300);
        const calls = await world.recordCtOperation<UsageRecord>(op({ operationId: 'op-3', resourceId: 'qos-api', calls: 4, bytes: undefined }));
        expect(calls).toMatchObject({ unit: 'call', quantity: 4, amount: 100, operationKind: 'qos' });
    });

    it.each<[string, string, RegExp]>([
        ['both calls and bytes', op({ calls: 1 }), /^INVALID_ARGUMENT: give exactly one/],
        ['neither calls nor bytes', op({ bytes: undefined }), /^INVALID_ARGUMENT: give exactly one/],
        ['zero bytes', op({ bytes: 0 }), /^INVALID_ARGUMENT: bytes/],
        ['calls for a per-GB capability', op({ bytes: undefined, calls: 3 }), /^INVALID_ARGUMENT: capability upf-traffic is priced per gb/],
        ['a per-second resource', op({ resourceId: 'gpu-1', bytes: undefined, calls: 3 }), /^INVALID_ARGUMENT: /],
        ['a tenant without the role', op({ tenantMspId: 'OtherOrgMSP' }), /^INVALID_ARGUMENT: OtherOrgMSP/],
        ['an unknown capability', op({ resourceId: 'none' }), /^NOT_FOUND: /],
        ['no appId', op({ appId: undefined }), /^INVALID_ARGUMENT: appId/],
    ])('refuses %s', async (_label, request, pattern) => {
        await world.expectRejected(people.edgeUser, (ctx) => world.billing.RecordCtOperation(ctx, request), pattern);
    });

    it('accepts CT records from ct-entity organisations operating the capability, once per operation', async () => {
        await world.expectRejected(people.cloudUser, (ctx) => world.billing.RecordCtOperation(ctx, op()), /^ACCESS_DENIED: /);
        await world.submit(people.edgeAdmin, (ctx) => world.billing.GrantRole(ctx, 'OtherOrgMSP', 'ct-entity'));
        await world.expectRejected(people.stranger, (ctx) => world.billing.RecordCtOperation(ctx, op()), /^ACCESS_DENIED: capability/);
        await world.recordCtOperation(op());
        await world.expectRejected(people.edgeUser, (ctx) => world.billing.RecordCtOperation(ctx, op()), /^ALREADY_EXISTS: /);
    });
});

