import { identities, MemoryLedger } from '../../common/testing/memory-ledger';
import { DeviceIdentityContract } from './device-identity-contract';

/* Attack (issue 9, finding 10): another organisation's administrator calls InitRegistry before the deploy does. */
describe('DeviceIdentityContract bootstrap race', () => {
    it('refuses InitRegistry to an administrator of an organisation the deployment does not name, and writes nothing', async () => {
        const contract = new DeviceIdentityContract();
        const ledger = new MemoryLedger(); // the test deployment names EdgeOrgMSP
        await expect(ledger.submit(identities.cloudAdmin, (ctx) => contract.InitRegistry(ctx))).rejects.toThrow(
            /^ACCESS_DENIED: InitRegistry belongs to .*EdgeOrgMSP, not CloudOrgMSP/,
        );
        expect(ledger.snapshot().size).toBe(0);
        await ledger.submit(identities.edgeAdmin, (ctx) => contract.InitRegistry(ctx));
        expect(JSON.parse(await ledger.evaluate(identities.cloudUser, (ctx) => contract.ReadRegistry(ctx)))).toMatchObject({ mspIds: ['EdgeOrgMSP'] });
    });
});
