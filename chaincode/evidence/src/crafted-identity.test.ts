import { createHash } from 'node:crypto';
import { adminImpostors, craftedClient } from '../../common/testing/client-certificate';
import { identities, MemoryLedger } from '../../common/testing/memory-ledger';
import { EvidenceContract } from './evidence-contract';

/*
 * Attack (issue 9, finding 1): a client certificate whose L/ST/O/C value carries `/OU=admin` or
 * `/CN=<someone>`. fabric-shim's getID() renders it as `/L=x\/OU=admin/OU=client/CN=eve`, which the
 * old checks split on `/`. The caller's rights must come from its certificate's own OU and CN attributes.
 */
const contract = new EvidenceContract();
const hex = (text: string): string => createHash('sha256').update(text).digest('hex');
const image = (id: string): string =>
    JSON.stringify({
        id,
        kind: 'artifact',
        digest: hex(id),
        name: 'video-analytics image',
        size: 1024,
        source: { type: 'org', id: 'app-vendor' },
        attributes: { artifactType: 'container-image', artifactName: 'video-analytics', version: id },
    });

describe('evidence access control against crafted client certificates', () => {
    it.each(adminImpostors('EdgeOrgMSP').map(({ label, identity }) => [label, identity] as const))(
        'refuses administrator transactions to a client with %s',
        async (_label, impostor) => {
            const ledger = new MemoryLedger();
            const before = ledger.snapshot();
            await expect(
                ledger.submit(impostor, (ctx) => contract.SetRoles(ctx, JSON.stringify({ commonName: 'eve', roles: ['publisher'] }))),
            ).rejects.toThrow(/^ACCESS_DENIED: SetRoles needs an organisation administrator/);
            await expect(ledger.submit(impostor, (ctx) => contract.SetOrgPolicy(ctx, JSON.stringify({ anchoring: 'submitter-role' })))).rejects.toThrow(
                /^ACCESS_DENIED: SetOrgPolicy/,
            );
            // Admins hold every role: an impostor admin could publish artifacts edge nodes then load.
            await expect(ledger.submit(impostor, (ctx) => contract.Anchor(ctx, image('1.0.0')))).rejects.toThrow(/^ACCESS_DENIED: Publishing an artifact/);
            expect(ledger.snapshot()).toEqual(before);
        },
    );

    it("does not hand alice's roles to a client whose O or L value carries /CN=alice", async () => {
        const ledger = new MemoryLedger();
        const alice = { mspId: 'EdgeOrgMSP', name: 'alice' };
        await ledger.submit(identities.edgeAdmin, (ctx) => contract.SetRoles(ctx, JSON.stringify({ commonName: 'alice', roles: ['publisher'] })));
        await ledger.submit(alice, (ctx) => contract.Anchor(ctx, image('1.0.0')));
        for (const impostor of [
            craftedClient('EdgeOrgMSP', 'eve', [['O', 'x/CN=alice']]),
            craftedClient('EdgeOrgMSP', 'eve', [['C', 'US'], ['L', '/CN=alice']]),
        ]) {
            await expect(ledger.submit(impostor, (ctx) => contract.Anchor(ctx, image('2.0.0')))).rejects.toThrow(
                /^ACCESS_DENIED: Publishing an artifact needs the publisher role/,
            );
        }
    });
});
