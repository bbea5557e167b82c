import { adminImpostors } from '../../common/testing/client-certificate';
import { MemoryLedger } from '../../common/testing/memory-ledger';
import { DeviceIdentityContract } from './device-identity-contract';
import { bootstrap, MANUFACTURER_ID, principalOf } from '../testing/fixtures';

/*
 * Attack (issue 9, finding 1): a client of the registry administrator organisation (EdgeOrg) or of the
 * manufacturer's organisation (CloudOrg) whose certificate's L/ST/O/C value carries `/OU=admin`.
 */
const contract = new DeviceIdentityContract();

describe('device identity administration against crafted client certificates', () => {
    it.each(adminImpostors('EdgeOrgMSP').map(({ label, identity }) => [label, identity] as const))(
        'refuses registry administration to an EdgeOrg client with %s',
        async (_label, impostor) => {
            const empty = new MemoryLedger();
            await expect(empty.submit(impostor, (ctx) => contract.InitRegistry(ctx))).rejects.toThrow(/^ACCESS_DENIED: InitRegistry/);
            const ledger = await bootstrap(contract);
            const before = ledger.snapshot();
            const manufacturer = { id: 'rogue', name: 'Rogue Devices', mspId: 'EdgeOrgMSP' };
            await expect(ledger.submit(impostor, (ctx) => contract.RegisterManufacturer(ctx, JSON.stringify(manufacturer)))).rejects.toThrow(/^ACCESS_DENIED: /);
            await expect(ledger.submit(impostor, (ctx) => contract.AddRegistryAdministrator(ctx, 'CloudOrgMSP'))).rejects.toThrow(/^ACCESS_DENIED: /);
            expect(JSON.parse(await ledger.evaluate(impostor, (ctx) => contract.WhoAmI(ctx)))).toMatchObject({ orgAdmin: false, registryAdmin: false });
            expect(ledger.snapshot()).toEqual(before);
        },
    );

    it.each(adminImpostors('CloudOrgMSP').map(({ label, identity }) => [label, identity] as const))(
        "refuses the manufacturer organisation's admin actions to a CloudOrg client with %s",
        async (_label, impostor) => {
            const ledger = await bootstrap(contract);
            const before = ledger.snapshot();
            const self = await principalOf(ledger, contract, impostor);
            await expect(ledger.submit(impostor, (ctx) => contract.AuthorizeRegistrar(ctx, MANUFACTURER_ID, JSON.stringify(self)))).rejects.toThrow(
                /^ACCESS_DENIED: /,
            );
            expect(ledger.snapshot()).toEqual(before);
        },
    );
});
