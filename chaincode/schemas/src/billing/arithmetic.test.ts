import { billedSeconds, billingPeriod, chainLineDigest, computeTaskText, EMPTY_LINE_DIGEST, isRealPeriod, meteredAmount, periodEndMillis } from './arithmetic';

// Reference values: the chaincode prices with these functions and the SDK's verifyInvoice recomputes with them,
// so these literals pin what both sides compute.
describe('billing arithmetic', () => {
    it.each([
        ['second', 10, 91, 910],
        ['call', 25, 4, 100],
        ['gb', 300, 1_000_000_000, 300],
        ['gb', 300, 1_500_000_001, 451],
        ['gb', 1, 1, 1],
        ['gb', 0, 5, 0],
    ] as const)('prices %s × rate %d × %d as %d (GB rounded up)', (unit, rate, quantity, amount) => {
        expect(meteredAmount(unit, rate, quantity)).toBe(amount);
    });

    it('computes beyond the safe integer range without wrapping, so the chaincode can refuse it', () => {
        expect(Number.isSafeInteger(meteredAmount('call', 1_000_000_000_000, 1_000_000_000))).toBe(false);
        expect(meteredAmount('call', 1, Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    });

    it('bills every started second, never a negative duration', () => {
        expect(billedSeconds(0, 60_000)).toBe(60);
        expect(billedSeconds(0, 60_001)).toBe(61);
        expect(billedSeconds(5_000, 1_000)).toBe(0);
    });

    it('chains line digests: sha256(previous \\n recordId \\n quantity \\n amount)', () => {
        const first = chainLineDigest(EMPTY_LINE_DIGEST, { recordId: 'session:s-1', quantity: 60, amount: 600 });
        expect(first).toBe('fc6101a1d1243a31e02594b2c2d6bfd44d5dd0807d54adf0455c9f4fee74a4bd');
        expect(chainLineDigest(first, { recordId: 'ct:op-1', quantity: 3, amount: 75 })).toMatch(/^[0-9a-f]{64}$/);
    });

    it('names periods by cycle and refuses impossible ones', () => {
        const at = Date.UTC(2026, 10, 22, 9, 15, 30);
        expect([billingPeriod(at), billingPeriod(at, 'day'), billingPeriod(at, 'hour'), billingPeriod(at, 'minute')]).toEqual(['2026-11', '2026-11-22', '2026-11-22T09', '2026-11-22T09:15']);
        expect(periodEndMillis('2026-12')).toBe(Date.UTC(2027, 0, 1));
        expect(isRealPeriod('2026-02-28')).toBe(true);
        expect(isRealPeriod('2026-02-30')).toBe(false);
        expect(isRealPeriod('2026-11-22T24')).toBe(false);
    });

    it('signs the documented canonical JSON of exactly the eight compute-task fields', () => {
        const task = { sessionId: 's-1', resourceId: 'gpu-1', tenantMspId: 'CloudOrgMSP', appId: 'game-1', planVersion: 1, accountId: 'alice', budget: 500, deadline: '2026-01-01T01:00:00.000Z' };
        expect(computeTaskText({ ...task, extra: 'ignored' } as typeof task)).toBe(
            '{"accountId":"alice","appId":"game-1","budget":500,"deadline":"2026-01-01T01:00:00.000Z","planVersion":1,"resourceId":"gpu-1","sessionId":"s-1","tenantMspId":"CloudOrgMSP"}',
        );
    });
});
