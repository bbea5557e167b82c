import { BillingWorld, people } from '../testing/billing-fixture';
import { billingPeriod, type Invoice, periodCycle, periodEndMillis, requirePeriod } from './invoice';
import type { UsageRecord } from './usage-record';
import { DEFAULT_TIMESTAMP_TOLERANCE_SECONDS } from './peer-clock';
import type { UsageSession } from './usage-session';

// A period closes once its end plus the timestamp tolerance has passed.
const TOLERANCE = DEFAULT_TIMESTAMP_TOLERANCE_SECONDS * 1000;
const SPOT_GPU = { resourceId: 'spot-gpu', siteId: 'site-a', kind: 'gpu', name: 'Spot GPU', plan: { unit: 'second', rate: 7, cycle: 'minute' } };
const HOURLY_API = { resourceId: 'hourly-api', siteId: 'site-a', kind: 'capability-call', name: 'Hourly API', plan: { unit: 'call', rate: 3, cycle: 'hour' } };

describe('billing periods of each cycle', () => {
    const instant = Date.UTC(2026, 10, 22, 9, 15, 42, 500);

    it.each([
        ['month', '2026-11', Date.UTC(2026, 11, 1)],
        ['day', '2026-11-22', Date.UTC(2026, 10, 23)],
        ['hour', '2026-11-22T09', Date.UTC(2026, 10, 22, 10)],
        ['minute', '2026-11-22T09:15', Date.UTC(2026, 10, 22, 9, 16)],
    ] as const)('a %s period is the ISO prefix %s and ends at the next one', (cycle, period, end) => {
        expect(billingPeriod(instant, cycle)).toBe(period);
        expect(periodCycle(period)).toBe(cycle);
        expect(requirePeriod(period)).toBe(period);
        expect(periodEndMillis(period)).toBe(end);
    });

    it('rolls months and years over at their ends', () => {
        expect(periodEndMillis('2026-12')).toBe(Date.UTC(2027, 0, 1));
        expect(periodEndMillis('2026-12-31T23:59')).toBe(Date.UTC(2027, 0, 1));
        expect(billingPeriod(Date.UTC(2026, 11, 31, 23, 59, 59, 999), 'minute')).toBe('2026-12-31T23:59');
    });

    it.each(['2026-13', '2026-02-30', '2026-11-22T24', '2026-11-22T09:60', '2026-11-22T09:15:00', '2026-11-22 09', '2026-1', ''])(
        'refuses the period %j',
        (period) => {
            expect(() => requirePeriod(period)).toThrow(/^INVALID_ARGUMENT: period/);
        },
    );
});

describe('plans with a short settlement cycle', () => {
    let world: BillingWorld;
    const minuteOf = (millis: number): string => billingPeriod(millis, 'minute');

    beforeEach(async () => {
        world = new BillingWorld();
        await world.setUp();
        for (const resource of [SPOT_GPU, HOURLY_API]) {
            await world.submit(people.edgeUser, (ctx) => world.billing.RegisterResource(ctx, JSON.stringify(resource)));
        }
    });

    it('keeps the cycle in the plan, and leaves monthly plans without one', async () => {
        expect(await world.evaluate(people.cloudUser, (ctx) => world.billing.GetPricePlan(ctx, 'spot-gpu', '1'))).toMatchObject({ cycle: 'minute' });
        expect(await world.evaluate(people.cloudUser, (ctx) => world.billing.GetPricePlan(ctx, 'gpu-1', '1'))).not.toHaveProperty('cycle');
    });

    it('records a session in the minute it stopped, and closes that minute only after it ended', async () => {
        world.ledger.advance(30_000);
        const session = await world.startSession<UsageSession>(JSON.stringify({ sessionId: 's-1', resourceId: 'spot-gpu', appId: 'game-1' }));
        expect(session.cycle).toBe('minute');
        const { usage } = await world.submit<{ usage: UsageRecord }>(people.cloudUser, (ctx) => world.billing.StopSession(ctx, 's-1', ''), { timeStepMillis: 10_000 });
        const period = minuteOf(world.ledger.now);
        expect(usage).toMatchObject({ period, quantity: 10, amount: 70, lineId: 'spot-gpu|1|game-1' });
        expect(usage).not.toHaveProperty('cycle');

        await world.expectRejected(people.edgeUser, (ctx) => world.settlement.CloseBillingPeriod(ctx, 'CloudOrgMSP', period), /^PERIOD_NOT_ENDED: /);
        world.ledger.advance(periodEndMillis(period) + TOLERANCE - world.ledger.now);
        const invoice = await world.submit<Invoice>(people.edgeUser, (ctx) => world.settlement.CloseBillingPeriod(ctx, 'CloudOrgMSP', period));
        expect(invoice).toMatchObject({ invoiceId: `EdgeOrgMSP|CloudOrgMSP|${period}`, period, total: 70, lines: [{ lineId: 'spot-gpu|1|game-1', recordCount: 1 }] });
    });

    it('keeps each cycle in its own invoice: a monthly close never takes minute or hour lines', async () => {
        await world.startSession(JSON.stringify({ sessionId: 's-1', resourceId: 'spot-gpu', appId: 'game-1' }));
        await world.submit(people.cloudUser, (ctx) => world.billing.StopSession(ctx, 's-1', ''));
        const call = { operationId: 'op-1', resourceId: 'hourly-api', tenantMspId: 'CloudOrgMSP', appId: 'game-1', calls: 4 };
        const record = await world.recordCtOperation<UsageRecord>(JSON.stringify(call));
        expect(record).toMatchObject({ period: billingPeriod(world.ledger.now, 'hour'), amount: 12 });
        await world.startSession(JSON.stringify({ sessionId: 's-2', resourceId: 'gpu-1', appId: 'game-1' }));
        await world.submit(people.cloudUser, (ctx) => world.billing.StopSession(ctx, 's-2', ''));

        world.ledger.advance(Date.UTC(2026, 1, 1) + TOLERANCE - world.ledger.now);
        const monthly = await world.submit<Invoice>(people.edgeUser, (ctx) => world.settlement.CloseBillingPeriod(ctx, 'CloudOrgMSP', '2026-01'));
        expect(monthly.lines.map((line) => line.lineId)).toEqual(['gpu-1|1|game-1']);
        const hourly = await world.submit<Invoice>(people.edgeUser, (ctx) => world.settlement.CloseBillingPeriod(ctx, 'CloudOrgMSP', record.period));
        expect(hourly).toMatchObject({ total: 12, lines: [{ lineId: 'hourly-api|1|game-1' }] });
    });

    it('refuses usage dated into an hour that is already invoiced', async () => {
        const call = (operationId: string): string => JSON.stringify({ operationId, resourceId: 'hourly-api', tenantMspId: 'CloudOrgMSP', appId: 'game-1', calls: 1 });
        const first = await world.recordCtOperation<UsageRecord>(call('op-1'));
        world.ledger.advance(periodEndMillis(first.period) + TOLERANCE - world.ledger.now);
        await world.submit(people.edgeUser, (ctx) => world.settlement.CloseBillingPeriod(ctx, 'CloudOrgMSP', first.period));
        await world.submit(people.edgeUser, (ctx) => world.billing.RecordCtOperation(ctx, call('op-2')), { timeStepMillis: -60_000 });
        await world.expectRejected(people.cloudUser, (ctx) => world.billing.AcceptCtOperation(ctx, 'op-2'), /^PERIOD_CLOSED: /);
    });

    it.each([
        ['an unknown cycle', { unit: 'second', rate: 1, cycle: 'week' }],
        ['a cycle that is not text', { unit: 'second', rate: 1, cycle: 7 }],
    ])('refuses a plan with %s and writes nothing', async (_label, plan) => {
        await world.expectRejected(people.edgeUser, (ctx) => world.billing.PublishPricePlan(ctx, 'gpu-1', JSON.stringify(plan)), /^INVALID_ARGUMENT: plan\.cycle/);
        const resource = { ...SPOT_GPU, resourceId: 'other-gpu', plan };
        await world.expectRejected(people.edgeUser, (ctx) => world.billing.RegisterResource(ctx, JSON.stringify(resource)), /^INVALID_ARGUMENT: plan\.cycle/);
    });
});
