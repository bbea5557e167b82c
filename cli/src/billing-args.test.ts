import {
    BillingUsageError,
    instant,
    ctOperationFrom,
    deadlineFrom,
    listingFrom,
    metersFrom,
    PAGE_OPTIONS,
    pageFrom,
    parseBillingCommand,
    RAISE_OPTIONS,
    raiseDisputeFrom,
    rating,
    RESOLVE_OPTIONS,
    resolveDisputeFrom,
    RESOURCE_OPTIONS,
    resourceRequestFrom,
    START_OPTIONS,
    startRequestFrom,
} from './billing-args';
import { resolveBillingCommand } from './billing-commands';

const fixedId = (): string => 'generated-1';

describe('billing command arguments', () => {
    it('normalises a time and refuses an impossible calendar day, as the chaincode does', () => {
        expect(instant('2026-05-01T10:00:00+02:00', '--deadline')).toBe('2026-05-01T08:00:00.000Z');
        expect(instant('2028-02-29T00:00:00Z', '--deadline')).toBe('2028-02-29T00:00:00.000Z');
        expect(() => instant('2026-02-30T00:00:00Z', '--deadline')).toThrow(BillingUsageError);
        expect(() => instant('2026-13-01T00:00:00Z', '--deadline')).toThrow(BillingUsageError);
        expect(() => instant('soon', '--deadline')).toThrow('--deadline must be an ISO-8601 time');
    });

    it('builds a resource registration with its plan, attributes and cycle', () => {
        const { values, positionals } = parseBillingCommand(
            ['gpu-1', '--site', 'site-a', '--kind', 'gpu', '--name', 'A100', '--unit', 'second', '--rate', '40', '--cycle', 'minute', '--attribute', 'model=A100', '--attribute', 'mem=10', '--json'],
            RESOURCE_OPTIONS,
            ['resourceId'],
        );
        expect(values.json).toBe(true);
        expect(resourceRequestFrom(positionals[0] ?? '', values)).toEqual({
            resourceId: 'gpu-1',
            siteId: 'site-a',
            kind: 'gpu',
            name: 'A100',
            attributes: { model: 'A100', mem: '10' },
            plan: { unit: 'second', rate: 40, cycle: 'minute' },
        });
    });

    it.each([
        [['gpu-1', '--site', 's', '--kind', 'tpu', '--name', 'n', '--unit', 'second', '--rate', '1'], /--kind must be one of/],
        [['gpu-1', '--site', 's', '--kind', 'gpu', '--name', 'n', '--unit', 'hour', '--rate', '1'], /--unit must be one of/],
        [['gpu-1', '--site', 's', '--kind', 'gpu', '--name', 'n', '--unit', 'second', '--rate', '1.5'], /--rate must be a whole number/],
        [['gpu-1', '--site', 's', '--kind', 'gpu', '--name', 'n', '--unit', 'second', '--rate', '1', '--cycle', 'week'], /--cycle must be one of/],
        [['gpu-1', '--kind', 'gpu', '--name', 'n', '--unit', 'second', '--rate', '1'], /--site is required/],
        [['gpu-1', '--site', 's', '--kind', 'gpu', '--name', 'n', '--unit', 'second', '--rate', '1', '--attribute', 'novalue'], /key=value/],
    ])('refuses a bad resource registration %j', (args, message) => {
        const { values } = parseBillingCommand(args, RESOURCE_OPTIONS, ['resourceId']);
        expect(() => resourceRequestFrom('gpu-1', values)).toThrow(message);
    });

    it('refuses unknown options and extra positionals', () => {
        expect(() => parseBillingCommand(['--colour', 'red'], START_OPTIONS, [])).toThrow(BillingUsageError);
        expect(() => parseBillingCommand(['a', 'b'], {}, ['sessionId'])).toThrow(/expected <sessionId>, got a b/);
        expect(() => parseBillingCommand([], {}, ['sessionId'])).toThrow(/got none/);
    });

    it('starts an invoice-settled session, or a token-paid one with a normalised deadline', () => {
        const plain = parseBillingCommand(['--resource', 'gpu-1', '--app', 'game'], START_OPTIONS, []).values;
        expect(startRequestFrom(plain, fixedId)).toEqual({ sessionId: 'generated-1', resourceId: 'gpu-1', appId: 'game' });
        const paid = parseBillingCommand(
            ['--session', 's-1', '--resource', 'gpu-1', '--app', 'game', '--tenant', 'CloudOrgMSP', '--plan-version', '2', '--account', 'alice', '--budget', '500', '--deadline', '2026-12-01T10:00:00+01:00'],
            START_OPTIONS,
            [],
        ).values;
        expect(startRequestFrom(paid)).toEqual({
            sessionId: 's-1',
            resourceId: 'gpu-1',
            appId: 'game',
            tenantMspId: 'CloudOrgMSP',
            planVersion: 2,
            payment: { accountId: 'alice', budget: 500, deadline: '2026-12-01T09:00:00.000Z' },
        });
        const budgetOnly = parseBillingCommand(['--resource', 'r', '--app', 'a', '--budget', '5'], START_OPTIONS, []).values;
        expect(() => startRequestFrom(budgetOnly)).toThrow(/give --account too/);
        const badDeadline = parseBillingCommand(['--resource', 'r', '--app', 'a', '--account', 'x', '--budget', '5', '--deadline', 'soon'], START_OPTIONS, []).values;
        expect(() => startRequestFrom(badDeadline)).toThrow(/--deadline must be an ISO-8601 time/);
    });

    it('takes one meter reading at most, and CT operations need one', () => {
        expect(metersFrom({ calls: '3' })).toEqual({ calls: 3 });
        expect(metersFrom({})).toEqual({});
        expect(() => metersFrom({ calls: '3', bytes: '4' })).toThrow(/not both/);
        expect(ctOperationFrom({ resource: 'upf', tenant: 'CloudOrgMSP', app: 'video', bytes: '1000' }, fixedId)).toEqual({
            operationId: 'generated-1',
            resourceId: 'upf',
            tenantMspId: 'CloudOrgMSP',
            appId: 'video',
            bytes: 1000,
        });
        expect(() => ctOperationFrom({ resource: 'upf', tenant: 'CloudOrgMSP', app: 'video' })).toThrow(/--calls or --bytes/);
    });

    it('raises a dispute over named lines and resolves it one way only', () => {
        const raise = parseBillingCommand(['inv', '--line', 'gpu|1|game', '--line', 'api|1|game', '--reason', 'lag', '--evidence', 'ev-1', '--id', 'd-1'], RAISE_OPTIONS, ['invoiceId']).values;
        expect(raiseDisputeFrom('inv', raise)).toEqual({ disputeId: 'd-1', invoiceId: 'inv', lineIds: ['gpu|1|game', 'api|1|game'], reason: 'lag', evidenceId: 'ev-1' });
        expect(() => raiseDisputeFrom('inv', { reason: 'x' })).toThrow(/at least one --line/);

        const accept = parseBillingCommand(['d-1', '--accept', '--credit', 'gpu|1|game=150'], RESOLVE_OPTIONS, ['disputeId']).values;
        expect(resolveDisputeFrom(accept)).toEqual({ outcome: 'accepted', credits: [{ lineId: 'gpu|1|game', amount: 150 }] });
        expect(resolveDisputeFrom({ accept: true })).toEqual({ outcome: 'accepted' });
        expect(resolveDisputeFrom({ reject: true, reason: 'SLA met' })).toEqual({ outcome: 'rejected', reason: 'SLA met' });
        expect(() => resolveDisputeFrom({ reject: true })).toThrow(/--reason is required/);
        expect(() => resolveDisputeFrom({ accept: true, reject: true })).toThrow(/exactly one/);
        expect(() => resolveDisputeFrom({ reject: true, reason: 'r', credit: ['a=1'] })).toThrow(/--credit goes with --accept/);
    });

    it('builds listings, deadlines, ratings and pages', () => {
        expect(listingFrom({ kind: 'fpga', title: 'U30', unit: 'hour', price: '250', payee: 'p', config: ['board=U30'] }, fixedId)).toEqual({
            listingId: 'generated-1',
            kind: 'fpga',
            title: 'U30',
            config: { board: 'U30' },
            unit: 'hour',
            unitPrice: 250,
            payeeAccountId: 'p',
        });
        expect(() => listingFrom({ kind: 'fpga', title: 'U30', unit: 'hour', price: '0', payee: 'p' })).toThrow(/at least 1/);
        expect(deadlineFrom({ hours: '2' }, Date.UTC(2026, 10, 22))).toBe('2026-11-22T02:00:00.000Z');
        expect(deadlineFrom({}, Date.UTC(2026, 10, 22))).toBe('2026-11-23T00:00:00.000Z');
        expect(rating('5')).toBe(5);
        expect(() => rating('6')).toThrow(/1 to 5/);
        expect(() => rating('0')).toThrow(/at least 1/);
        expect(pageFrom(parseBillingCommand(['--page-size', '20', '--bookmark', 'b'], PAGE_OPTIONS, []).values)).toEqual({ pageSize: 20, bookmark: 'b' });
    });

    it('resolves `command action` and commands without actions', () => {
        expect(resolveBillingCommand('session', ['start', '--app', 'a']).rest).toEqual(['--app', 'a']);
        expect(resolveBillingCommand('resources', ['site-a']).rest).toEqual(['site-a']);
        expect(() => resolveBillingCommand('session', ['pause'])).toThrow(/session needs one of: start, accept, decline, stop, confirm, show/);
        expect(() => resolveBillingCommand('bill', [])).toThrow(/unknown command bill/);
    });
});
