import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatedCollections, ownerCollections, pairCollections, writePairCollections } from './collections';
import { joinableOrganization, loadNetwork, writeConsortiumState } from './topology';

describe('pair collections generated from the topology', () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'edgetrust-collections-'));
    });
    afterEach(() => {
        rmSync(dir, { recursive: true, force: true });
    });

    const billing = (network: ReturnType<typeof loadNetwork>) => network.chaincodes.find((c) => c.name === 'resource-billing')!;

    it('gives the operator x tenant pair one collection that both peers must endorse and only the pair reads', () => {
        const network = loadNetwork({ dir, portBase: 17000 });
        expect(pairCollections(network, billing(network))).toEqual([
            {
                name: 'billing_EdgeOrgMSP_CloudOrgMSP',
                policy: "OR('EdgeOrgMSP.member','CloudOrgMSP.member')",
                requiredPeerCount: 1,
                maxPeerCount: 3,
                blockToLive: 0,
                memberOnlyRead: true,
                memberOnlyWrite: true,
                endorsementPolicy: { signaturePolicy: "AND('EdgeOrgMSP.peer','CloudOrgMSP.peer')" },
            },
        ]);
        for (const other of network.chaincodes.filter((c) => c.name !== 'resource-billing')) {
            expect(pairCollections(network, other)).toEqual([]);
        }
        const file = writePairCollections(network, billing(network));
        expect(JSON.parse(readFileSync(file ?? '', 'utf8'))).toEqual(generatedCollections(network, billing(network)));
    });

    it('makes an auditor organisation that joined a member, without letting it endorse', () => {
        writeConsortiumState(dir, { consensus: 'raft', joined: [joinableOrganization('RegulatorOrg')!] });
        const network = loadNetwork({ dir, portBase: 17000 });
        const [collection] = pairCollections(network, billing(network));
        expect(collection?.policy).toBe("OR('EdgeOrgMSP.member','CloudOrgMSP.member','RegulatorOrgMSP.member')");
        expect(collection?.endorsementPolicy.signaturePolicy).toBe("AND('EdgeOrgMSP.peer','CloudOrgMSP.peer')");
    });

    it('gives every organisation a token collection that others append to, written only with its peer and the chaincode policy (which names it)', () => {
        const network = loadNetwork({ dir, portBase: 17000 });
        const ccEP = "AND('EdgeOrgMSP.peer','CloudOrgMSP.peer')";
        expect(ownerCollections(network, billing(network))).toEqual([
            {
                name: 'tokens_EdgeOrgMSP',
                policy: "OR('EdgeOrgMSP.member')",
                requiredPeerCount: 1,
                maxPeerCount: 3,
                blockToLive: 0,
                memberOnlyRead: true,
                memberOnlyWrite: false,
                endorsementPolicy: { signaturePolicy: ccEP },
            },
            {
                name: 'tokens_CloudOrgMSP',
                policy: "OR('CloudOrgMSP.member')",
                requiredPeerCount: 0,
                maxPeerCount: 3,
                blockToLive: 0,
                memberOnlyRead: true,
                memberOnlyWrite: false,
                endorsementPolicy: { signaturePolicy: ccEP },
            },
        ]);
        for (const other of network.chaincodes.filter((c) => c.name !== 'resource-billing')) {
            expect(ownerCollections(network, other)).toEqual([]);
        }
    });

    it('gives an organisation that joined its own token collection and makes an auditor a member of every one', () => {
        writeConsortiumState(dir, { consensus: 'raft', joined: [joinableOrganization('RegulatorOrg')!] });
        const network = loadNetwork({ dir, portBase: 17000 });
        expect(ownerCollections(network, billing(network)).map((c) => [c.name, c.policy, c.endorsementPolicy.signaturePolicy])).toEqual([
            ['tokens_EdgeOrgMSP', "OR('EdgeOrgMSP.member','RegulatorOrgMSP.member')", "AND('EdgeOrgMSP.peer','CloudOrgMSP.peer')"],
            ['tokens_CloudOrgMSP', "OR('CloudOrgMSP.member','RegulatorOrgMSP.member')", "AND('EdgeOrgMSP.peer','CloudOrgMSP.peer')"],
            // An owner outside the chaincode's policy: its own peer and the policy's (each signature counts once in Fabric).
            ['tokens_RegulatorOrgMSP', "OR('RegulatorOrgMSP.member')", "AND('RegulatorOrgMSP.peer',AND('EdgeOrgMSP.peer','CloudOrgMSP.peer'))"],
        ]);
    });

    it('keeps the token collection of an organisation that left (Fabric refuses a definition without it)', () => {
        const regulator = joinableOrganization('RegulatorOrg')!;
        writeConsortiumState(dir, { consensus: 'raft', joined: [{ ...regulator, removed: true }] });
        const network = loadNetwork({ dir, portBase: 17000 });
        expect(ownerCollections(network, billing(network)).map((c) => c.name)).toEqual(['tokens_EdgeOrgMSP', 'tokens_CloudOrgMSP', 'tokens_RegulatorOrgMSP']);
    });
});
