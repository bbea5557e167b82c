import { Context } from 'fabric-contract-api';
import { adminImpostors, craftedClient } from '../testing/client-certificate';
import { identities, MemoryLedger, type TestIdentity } from '../testing/memory-ledger';
import { callerCommonName, callerSubject, isOrgAdmin } from './caller';

async function ask<T>(identity: TestIdentity, question: (ctx: Context) => T): Promise<T> {
    return new MemoryLedger().evaluate(identity, (ctx) => Promise.resolve(question(ctx)));
}

describe('caller subject, read from the certificate', () => {
    it('recognises an organisation administrator and a client by their OU attribute', async () => {
        await expect(ask(identities.edgeAdmin, isOrgAdmin)).resolves.toBe(true);
        await expect(ask(identities.edgeUser, isOrgAdmin)).resolves.toBe(false);
        await expect(ask(identities.edgeUser, callerCommonName)).resolves.toBe('User1@edge.edgetrust.local');
    });

    it.each(adminImpostors('EdgeOrgMSP').map(({ label, identity }) => [label, identity] as const))(
        'is not fooled by a client certificate with %s',
        async (_label, impostor) => {
            await expect(ask(impostor, (ctx) => ctx.clientIdentity.getID())).resolves.toContain('OU=admin');
            await expect(ask(impostor, isOrgAdmin)).resolves.toBe(false);
            await expect(ask(impostor, callerCommonName)).resolves.toBe('eve');
        },
    );

    it('takes the CN attribute, not a /CN= inside another value', async () => {
        const impostor = craftedClient('EdgeOrgMSP', 'eve', [['O', 'x/CN=alice'], ['L', '/CN=alice']]);
        await expect(ask(impostor, callerSubject)).resolves.toEqual({ organizationalUnits: ['client'], commonName: 'eve' });
    });

    it('gives no common name to a certificate with two, and no admin right to one with two NodeOU roles', async () => {
        await expect(ask({ mspId: 'EdgeOrgMSP', name: 'x', subject: [['OU', 'client'], ['CN', 'alice'], ['CN', 'eve']] }, callerCommonName)).resolves.toBe('');
        await expect(ask({ mspId: 'EdgeOrgMSP', name: 'x', subject: [['OU', 'client'], ['OU', 'admin'], ['CN', 'eve']] }, isOrgAdmin)).resolves.toBe(false);
        await expect(ask({ mspId: 'EdgeOrgMSP', name: 'x', subject: [['OU', 'Admin'], ['CN', 'eve']] }, isOrgAdmin)).resolves.toBe(false);
    });
});
