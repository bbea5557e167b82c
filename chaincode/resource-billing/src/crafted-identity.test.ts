import { adminImpostors } from '../../common/testing/client-certificate';
import { BillingWorld } from '../testing/billing-fixture';

/*
 * Attack (issue 9, finding 1): an EdgeOrg (governor) client whose certificate's L/ST/O/C value carries
 * `/OU=admin` must not pass the administrator check of governance transactions.
 */
describe('billing governance against crafted client certificates', () => {
    it.each(adminImpostors('EdgeOrgMSP').map(({ label, identity }) => [label, identity] as const))(
        'refuses BootstrapGovernance, GrantRole and RevokeRole to a client with %s',
        async (_label, impostor) => {
            const fresh = new BillingWorld();
            await fresh.expectRejected(impostor, (ctx) => fresh.billing.BootstrapGovernance(ctx), /^ACCESS_DENIED: BootstrapGovernance/);
            const world = new BillingWorld();
            await world.setUpRoles();
            const before = world.ledger.snapshot();
            await world.expectRejected(impostor, (ctx) => world.billing.GrantRole(ctx, 'OtherOrgMSP', 'operator'), /^ACCESS_DENIED: .*OU=admin/);
            await world.expectRejected(impostor, (ctx) => world.billing.RevokeRole(ctx, 'CloudOrgMSP', 'tenant'), /^ACCESS_DENIED: .*OU=admin/);
            expect(world.ledger.snapshot()).toEqual(before);
        },
    );
});
