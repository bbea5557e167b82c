import { BillingWorld, people } from '../testing/billing-fixture';

/* Attack (issue 9, finding 10): another organisation's administrator calls BootstrapGovernance before the deploy does. */
describe('BillingContract bootstrap race', () => {
    it('refuses BootstrapGovernance to an administrator of an organisation the deployment does not name, and writes nothing', async () => {
        const world = new BillingWorld(); // the test deployment names EdgeOrgMSP
        await world.expectRejected(people.cloudAdmin, (ctx) => world.billing.BootstrapGovernance(ctx), /^ACCESS_DENIED: BootstrapGovernance belongs to .*EdgeOrgMSP, not CloudOrgMSP/);
        await world.submit(people.edgeAdmin, (ctx) => world.billing.BootstrapGovernance(ctx));
    });
});
