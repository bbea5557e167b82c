import { Context } from 'fabric-contract-api';
import { identities, MemoryLedger, type TestIdentity } from '../testing/memory-ledger';
import { GOVERNANCE_MSP_ENV, requireDeploymentGovernor } from './caller';

function bootstrapAs(identity: TestIdentity): Promise<void> {
    return new MemoryLedger().evaluate(identity, (ctx: Context) => {
        requireDeploymentGovernor(ctx, 'Bootstrap');
        return Promise.resolve();
    });
}

describe('requireDeploymentGovernor', () => {
    const saved = process.env[GOVERNANCE_MSP_ENV];
    afterEach(() => {
        process.env[GOVERNANCE_MSP_ENV] = saved ?? '';
    });

    it('lets only an administrator of the organisation the deployment names bootstrap', async () => {
        process.env[GOVERNANCE_MSP_ENV] = 'CloudOrgMSP';
        await expect(bootstrapAs(identities.cloudAdmin)).resolves.toBeUndefined();
        await expect(bootstrapAs(identities.edgeAdmin)).rejects.toThrow(/^ACCESS_DENIED: Bootstrap belongs to the deployment's governance organisation CloudOrgMSP, not EdgeOrgMSP/);
        await expect(bootstrapAs(identities.cloudUser)).rejects.toThrow(/^ACCESS_DENIED: Bootstrap needs an organisation administrator/);
    });

    it('lets nobody bootstrap when the deployment names no organisation', async () => {
        process.env[GOVERNANCE_MSP_ENV] = '';
        await expect(bootstrapAs(identities.edgeAdmin)).rejects.toThrow(/^ACCESS_DENIED: .*names no governance organisation/);
    });
});
