import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChannelConfig, requiredAdminSignatures } from './channel-config';
import { allPeers, joinableOrganization, loadNetwork, policyWithMembers, writeConsortiumState } from './topology';

const configWith = (organizations: string[], rule: string, type = 3): ChannelConfig => ({
    channel_group: {
        groups: {
            Application: {
                groups: Object.fromEntries(organizations.map((o) => [o, {}])),
                policies: { Admins: { policy: { type, value: { rule, sub_policy: 'Admins' } } } },
            },
        },
    },
});

describe('consortium membership', () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'edgetrust-consortium-'));
    });
    afterEach(() => {
        rmSync(dir, { recursive: true, force: true });
    });

    it('counts the admin signatures the channel Admins policy asks for, from the configuration itself', () => {
        expect(requiredAdminSignatures(configWith(['EdgeOrg', 'CloudOrg'], 'MAJORITY'))).toBe(2);
        expect(requiredAdminSignatures(configWith(['EdgeOrg', 'CloudOrg', 'RegulatorOrg'], 'MAJORITY'))).toBe(2);
        expect(requiredAdminSignatures(configWith(['A', 'B', 'C', 'D'], 'MAJORITY'))).toBe(3);
        expect(requiredAdminSignatures(configWith(['A', 'B', 'C'], 'ANY'))).toBe(1);
        expect(requiredAdminSignatures(configWith(['A', 'B', 'C'], 'ALL'))).toBe(3);
        // A signature policy can't be met by counting organisations: refused rather than guessed.
        expect(() => requiredAdminSignatures(configWith(['A', 'B'], 'MAJORITY', 1))).toThrow(/not an implicit-meta policy/);
    });

    it('adds an organisation that joined after those of the topology: next peer ports, own chaincode servers, its roles', () => {
        const regulator = joinableOrganization('RegulatorOrg');
        expect(regulator?.roles).toEqual({ 'resource-billing': ['auditor'] });
        writeConsortiumState(dir, { consensus: 'raft', joined: [regulator!] });
        const network = loadNetwork({ dir, portBase: 17000 });
        expect(allPeers(network).map((p) => `${p.host}:${String(p.port)}`)).toContain('peer0.regulator.edgetrust.local:17130');
        const evidence = network.chaincodes.find((c) => c.name === 'evidence');
        expect(evidence?.servers.map((s) => `${s.name}@${String(s.port)}`)).toContain('chaincode-evidence-RegulatorOrg@17220');
        expect(evidence?.endorsementPolicy).toBe("OR('EdgeOrgMSP.peer','CloudOrgMSP.peer')");
        expect(network.chaincodes.find((c) => c.name === 'resource-billing')?.governance?.roles.RegulatorOrg).toEqual(['auditor']);
    });

    it('puts an endorsing organisation into OR policies only, and keeps the place of one that left', () => {
        expect(policyWithMembers("OR('A.peer','B.peer')", ['C'])).toBe("OR('A.peer','B.peer','C.peer')");
        expect(() => policyWithMembers("AND('A.peer','B.peer')", ['C'])).toThrow(/only a flat OR policy/);
        const partner = { name: 'PartnerOrg', mspId: 'PartnerOrgMSP', role: 'partner', peers: [{ name: 'peer0', tier: 'edge' as const, site: 's' }], endorses: ['evidence'] };
        writeConsortiumState(dir, { consensus: 'bft', joined: [{ ...joinableOrganization('RegulatorOrg')!, removed: true }, partner] });
        const network = loadNetwork({ dir, portBase: 17000 });
        expect(network.consensus).toBe('bft');
        expect(network.organizations.map((o) => o.name)).toEqual(['EdgeOrg', 'CloudOrg', 'PartnerOrg']);
        expect(allPeers(network).find((p) => p.org === 'PartnerOrg')?.port).toBe(17140);
        expect(network.chaincodes.find((c) => c.name === 'evidence')?.endorsementPolicy).toBe("OR('EdgeOrgMSP.peer','CloudOrgMSP.peer','PartnerOrgMSP.peer')");
        expect(network.chaincodes.find((c) => c.name === 'evidence')?.servers.map((s) => s.port)).toEqual([17200, 17210, 17230]);
    });

    it('deploys each chaincode on the channels it names, the latency channel by default', () => {
        const network = loadNetwork({ dir, portBase: 17000 });
        expect(network.channels.map((c) => `${c.name}:${String(c.latencyClass)}:${c.batchTimeout}`)).toEqual(['edgetrust:latency:20ms', 'edgetrust-bulk:bulk:1s']);
        expect(Object.fromEntries(network.chaincodes.map((c) => [c.name, c.channels]))).toEqual({
            evidence: ['edgetrust', 'edgetrust-bulk'],
            'resource-billing': ['edgetrust'],
            'device-identity': ['edgetrust'],
        });
    });
});
