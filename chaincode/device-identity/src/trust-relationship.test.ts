import type { Context } from 'fabric-contract-api';
import { identities, type MemoryLedger, type TestIdentity } from '../../common/testing/memory-ledger';
import { makeCertificate } from '../testing/certificates';
import { applicationRequest, bootstrap, cast, deviceRequest, MANUFACTURER_ID, parse } from '../testing/fixtures';
import { DeviceIdentityContract } from './device-identity-contract';
import type { TrustDecision, TrustRelationship } from '../../schemas/src';

const contract = new DeviceIdentityContract();
const DAY = 86_400_000;

// Two edge applications owned by different organisations, and one device.
const analyticsOwner = identities.edgeUser;
const billingOwner = identities.cloudUser;

describe('DeviceIdentityContract app trust relationships (D8)', () => {
    let ledger: MemoryLedger;

    async function expectRejected(identity: TestIdentity, fn: (ctx: Context) => Promise<unknown>, pattern: RegExp): Promise<void> {
        const before = ledger.snapshot();
        await expect(ledger.submit(identity, fn)).rejects.toThrow(pattern);
        expect(ledger.snapshot()).toEqual(before);
    }
    const grant = (who: TestIdentity, request: Record<string, unknown>): Promise<string> =>
        ledger.submit(who, (ctx) => contract.GrantTrust(ctx, JSON.stringify(request)));
    const decide = async (from: string, to: string): Promise<TrustDecision> =>
        parse<TrustDecision>(await ledger.evaluate(identities.edgeUser, (ctx) => contract.CheckTrust(ctx, from, to)));

    beforeEach(async () => {
        ledger = await bootstrap(contract);
        const app = (owner: TestIdentity, id: string): string => applicationRequest(owner, { id, certificatePem: makeCertificate({ commonName: id }).pem });
        await ledger.submit(analyticsOwner, (ctx) => contract.RegisterApplication(ctx, app(analyticsOwner, 'analytics')));
        await ledger.submit(billingOwner, (ctx) => contract.RegisterApplication(ctx, app(billingOwner, 'billing')));
        const device = { manufacturerId: MANUFACTURER_ID, id: 'cam-7', certificatePem: makeCertificate().pem };
        await ledger.submit(cast.registrar, (ctx) => contract.RegisterDevice(ctx, deviceRequest(cast.registrar, device)));
        ledger.events.length = 0;
    });

    it('is granted by the owner of the target application and answers CheckTrust', async () => {
        await expect(decide('analytics', 'billing')).resolves.toMatchObject({ allowed: false, reason: 'not_granted' });
        const relationship = parse<TrustRelationship>(await grant(billingOwner, { from: 'analytics', to: 'billing', purpose: 'usage records' }));
        expect(relationship).toMatchObject({ from: 'analytics', to: 'billing', status: 'active', purpose: 'usage records', expiresAt: '' });
        expect(ledger.events).toHaveLength(1);
        expect(ledger.events[0]).toMatchObject({ name: 'TrustGranted', payload: { from: 'analytics', to: 'billing' } });
        await expect(decide('analytics', 'billing')).resolves.toMatchObject({ allowed: true, reason: 'granted' });
        // Direction matters: billing was not allowed to talk to analytics.
        await expect(decide('billing', 'analytics')).resolves.toMatchObject({ allowed: false, reason: 'not_granted' });
    });

    it('is listed from both ends with pagination', async () => {
        await grant(billingOwner, { from: 'analytics', to: 'billing' });
        await grant(cast.registryAdmin, { from: 'analytics', to: 'platform' });
        await grant(cast.registryAdmin, { from: 'billing', to: 'platform' });
        const from = parse<{ records: TrustRelationship[]; bookmark: string }>(await ledger.evaluate(identities.cloudUser, (ctx) => contract.ListTrustFrom(ctx, 'analytics', '10', '')));
        expect(from.records.map((r) => r.to)).toEqual(['billing', 'platform']);
        const to = parse<{ records: TrustRelationship[]; bookmark: string }>(await ledger.evaluate(identities.cloudUser, (ctx) => contract.ListTrustTo(ctx, 'platform', '1', '')));
        expect(to.records.map((r) => r.from)).toEqual(['analytics']);
        const rest = parse<{ records: TrustRelationship[]; bookmark: string }>(await ledger.evaluate(identities.cloudUser, (ctx) => contract.ListTrustTo(ctx, 'platform', '1', to.bookmark)));
        expect(rest.records.map((r) => r.from)).toEqual(['billing']);
        await expect(ledger.evaluate(identities.cloudUser, (ctx) => contract.ListTrustTo(ctx, 'platform', '0', ''))).rejects.toThrow(/^INVALID_ARGUMENT: pageSize/);
    });

    it.each<[string, TestIdentity, Record<string, unknown>, RegExp]>([
        ['someone who does not own the target', analyticsOwner, { from: 'analytics', to: 'billing' }, /^ACCESS_DENIED: /],
        ['a non-administrator towards the platform', billingOwner, { from: 'billing', to: 'platform' }, /^ACCESS_DENIED: /],
        ['a device as source', billingOwner, { from: 'cam-7', to: 'billing' }, /^INVALID_ARGUMENT: from cam-7 is a device/],
        ['an unknown source', billingOwner, { from: 'ghost', to: 'billing' }, /^NOT_FOUND: /],
        ['an unknown target', billingOwner, { from: 'analytics', to: 'ghost' }, /^NOT_FOUND: /],
        ['the same application at both ends', billingOwner, { from: 'billing', to: 'billing' }, /^INVALID_ARGUMENT: from and to/],
        ['an expiry in the past', billingOwner, { from: 'analytics', to: 'billing', expiresAt: '2000-01-01T00:00:00Z' }, /^INVALID_ARGUMENT: expiresAt/],
        ['platform as source', cast.registryAdmin, { from: 'platform', to: 'billing' }, /^INVALID_ARGUMENT: from platform is reserved/],
    ])('refuses a grant by or to %s', async (_label, who, request, pattern) => {
        await expectRejected(who, (ctx) => contract.GrantTrust(ctx, JSON.stringify(request)), pattern);
    });

    it('refuses a second active grant, revokes, and grants again', async () => {
        await grant(billingOwner, { from: 'analytics', to: 'billing' });
        await expectRejected(billingOwner, (ctx) => contract.GrantTrust(ctx, JSON.stringify({ from: 'analytics', to: 'billing' })), /^ALREADY_EXISTS: /);
        await expectRejected({ mspId: 'ThirdOrgMSP', name: 'Admin@third', role: 'admin' }, (ctx) => contract.RevokeTrust(ctx, 'analytics', 'billing'), /^ACCESS_DENIED: /);
        // The owner of the source may renounce the relationship too.
        const revoked = parse<TrustRelationship>(await ledger.submit(analyticsOwner, (ctx) => contract.RevokeTrust(ctx, 'analytics', 'billing')));
        expect(revoked.status).toBe('revoked');
        await expect(decide('analytics', 'billing')).resolves.toMatchObject({ allowed: false, reason: 'revoked' });
        await expectRejected(billingOwner, (ctx) => contract.RevokeTrust(ctx, 'analytics', 'billing'), /^INVALID_STATE: /);
        await expectRejected(billingOwner, (ctx) => contract.RevokeTrust(ctx, 'analytics', 'nobody'), /^NOT_FOUND: /);
        await grant(billingOwner, { from: 'analytics', to: 'billing' });
        await expect(decide('analytics', 'billing')).resolves.toMatchObject({ allowed: true });
        expect(ledger.events.map((e) => e.name)).toEqual(['TrustGranted', 'TrustRevoked', 'TrustGranted']);
    });

    it('refuses the connection when the relationship expired or a certificate is not active', async () => {
        const expiresAt = new Date(ledger.now + DAY).toISOString();
        await grant(billingOwner, { from: 'analytics', to: 'billing', expiresAt });
        await grant(cast.registryAdmin, { from: 'analytics', to: 'platform' });
        await ledger.submit(billingOwner, (ctx) => contract.SuspendCertificate(ctx, 'billing', '{}'));
        await expect(decide('analytics', 'billing')).resolves.toMatchObject({ allowed: false, reason: 'to_not_active' });
        await ledger.submit(analyticsOwner, (ctx) => contract.RevokeCertificate(ctx, 'analytics', '{"reason":"cessationOfOperation"}'));
        await expect(decide('analytics', 'platform')).resolves.toMatchObject({ allowed: false, reason: 'from_not_active' });
        ledger.advance(2 * DAY);
        await expect(decide('analytics', 'billing')).resolves.toMatchObject({ allowed: false, reason: 'expired' });
    });
});
