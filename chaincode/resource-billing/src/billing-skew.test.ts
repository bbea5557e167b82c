import { BillingWorld, people } from '../testing/billing-fixture';
import { ACCESS_ALGORITHM } from './market-listing';
import { DEFAULT_TIMESTAMP_TOLERANCE_SECONDS, setClock } from './peer-clock';
import type { UsageRecord } from './usage-record';
import type { UsageSession } from './usage-session';

/*
 * Issue 9 finding 5: a client may choose its proposal timestamp within the tolerance of every
 * endorser's clock. The ledger clock of the in-memory world is the "true" time; the peer clock
 * follows it, and each attacker stamps its proposal as far as the tolerance lets it.
 */
const TOLERANCE = DEFAULT_TIMESTAMP_TOLERANCE_SECONDS * 1000;
const HOUR = 3_600_000;
const start = (overrides: Record<string, unknown> = {}): string => JSON.stringify({ sessionId: 's-1', resourceId: 'gpu-1', appId: 'game-1', ...overrides });

describe('attack: time skew inside the tolerance (issue 9 finding 5)', () => {
    let world: BillingWorld;
    let peerNow: number;

    beforeEach(async () => {
        world = new BillingWorld();
        await world.setUp();
        peerNow = world.ledger.now;
    });

    afterAll(() => setClock());

    /** The next transaction is stamped `offset` ms away from the peers' (true) clock. */
    function stampNext(offset: number): { timeStepMillis: number } {
        setClock(() => peerNow);
        const step = peerNow + offset - world.ledger.now;
        return { timeStepMillis: step };
    }

    it('the tolerance is far below the finest (one-minute) billing cycle', () => {
        expect(TOLERANCE).toBeLessThanOrEqual(15_000);
    });

    it('refuses a stop stamped before its start', async () => {
        // The session's agreed start is stamped as late as the tolerance allows (the start itself, or its acceptance).
        peerNow = world.ledger.now + 2_000;
        const proposed = await world.submit<UsageSession>(people.cloudUser, (ctx) => world.billing.StartSession(ctx, start()), stampNext(TOLERANCE));
        if (proposed.status === 'proposed') {
            peerNow += 1_000;
            await world.submit(people.edgeUser, (ctx) => world.billing.AcceptSession(ctx, 's-1'), stampNext(TOLERANCE));
        }
        // One second later the tenant stamps its stop as early as the tolerance allows: before the start.
        peerNow += 1_000;
        await world.expectRejected(people.cloudUser, (ctx) => world.billing.StopSession(ctx, 's-1', ''), /^STOP_BEFORE_START: /, stampNext(-TOLERANCE));
        expect(world.stateOf<UsageRecord>('billing.usage')).toHaveLength(0);
    });

    it('pays the operator pro rata up to the deadline when a session expires, instead of refunding everything', async () => {
        const deadline = world.ledger.now + HOUR;
        await world.submit(people.edgeUser, (ctx) => world.token.Mint(ctx, 'alice', '40000'));
        const payment = { accountId: 'alice', budget: 50_000, deadline: new Date(deadline).toISOString() };
        await world.startSession(start({ payment }));
        const { startedAt } = await world.evaluate<UsageSession>(people.cloudUser, (ctx) => world.billing.GetSession(ctx, 's-1'));
        // 55 minutes of use, then the tenant races the operator's stop with a refund stamped just past the deadline.
        peerNow = deadline - 5_000;
        const { escrow } = await world.submit<{ escrow: { paid: number; refunded: number } }>(people.cloudUser, (ctx) => world.billing.RefundExpiredSession(ctx, 's-1'), stampNext(5_001));
        const seconds = Math.ceil((deadline - Date.parse(startedAt ?? '')) / 1000);
        expect(escrow).toEqual(expect.objectContaining({ paid: seconds * 10, refunded: 50_000 - seconds * 10 }));
        expect(seconds).toBeGreaterThan(3_500);
    });

    it('refunds a purchase only after a grace period longer than the tolerance, so the seller can still complete', async () => {
        const { generateKeyPairSync } = await import('node:crypto');
        const buyerKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' });
        await world.submit(people.edgeUser, (ctx) => world.market.CreateListing(ctx, JSON.stringify({ listingId: 'l-1', kind: 'compute', title: 'GPU hour', unit: 'hour', unitPrice: 100, payeeAccountId: 'edge-payee' })));
        const deadline = world.ledger.now + HOUR;
        await world.submit(people.cloudUser, (ctx) =>
            world.market.PurchaseListing(ctx, JSON.stringify({ purchaseId: 'p-1', listingId: 'l-1', buyerAccountId: 'alice', units: 5, deadline: new Date(deadline).toISOString(), encryptionKey: buyerKey })),
        );
        await world.submit(people.edgeUser, (ctx) =>
            world.market.DeliverAccess(ctx, 'p-1', JSON.stringify({ algorithm: ACCESS_ALGORITHM, ephemeralPublicKey: (generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' })).toString('base64'), iv: Buffer.alloc(12).toString('base64'), ciphertext: 'AA==', tag: Buffer.alloc(16).toString('base64') })),
        );
        // Real time is 10 s before the deadline; the buyer stamps its refund +tolerance, past the deadline.
        peerNow = deadline - 10_000;
        await world.expectRejected(people.cloudUser, (ctx) => world.market.RefundPurchase(ctx, 'p-1'), /^DEADLINE_NOT_REACHED: /, stampNext(TOLERANCE));
        peerNow += 1_000;
        const completed = await world.submit<{ paid: number }>(people.edgeUser, (ctx) => world.market.CompletePurchase(ctx, 'p-1', '5'), stampNext(0));
        expect(completed.paid).toBe(500);
    });

    it('closes a period only after its end plus the tolerance, so honest last-minute usage is billed', async () => {
        const periodEnd = Date.UTC(2026, 1, 1);
        await world.startSession(start());
        // Real time 5 s before the period ends: the operator stamps its close at the period end.
        peerNow = periodEnd - 5_000;
        await world.expectRejected(people.edgeUser, (ctx) => world.settlement.CloseBillingPeriod(ctx, 'CloudOrgMSP', '2026-01'), /^PERIOD_NOT_ENDED: /, stampNext(5_000));
        peerNow += 1_000;
        const { usage } = await world.submit<{ usage: UsageRecord }>(people.cloudUser, (ctx) => world.billing.StopSession(ctx, 's-1', ''), stampNext(0));
        expect(usage.period).toBe('2026-01');
        peerNow = periodEnd + TOLERANCE;
        const invoice = await world.submit<{ total: number }>(people.edgeUser, (ctx) => world.settlement.CloseBillingPeriod(ctx, 'CloudOrgMSP', '2026-01'), stampNext(0));
        expect(invoice.total).toBe(usage.amount);
    });
});
