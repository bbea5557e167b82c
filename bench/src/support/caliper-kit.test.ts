import { loadNetwork } from '@edgetrust/test-network-scripts';
import type { NetworkProfile } from '@edgetrust/gateway-sdk';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caliperNetworkConfig } from './caliper-kit';
import { cpuMillis, networkProcesses } from './saturation';

describe("Caliper's network configuration", () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgetrust-caliper-test-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('names each organisation with its users and its common connection profile, and the chaincodes that profile lists', () => {
        const network = loadNetwork({ dir, portBase: 17000 });
        mkdirSync(network.paths.commonConnectionProfiles, { recursive: true });
        writeFileSync(join(network.paths.commonConnectionProfiles, 'EdgeOrg.json'), JSON.stringify({ channels: { edgetrust: { chaincodes: ['evidence', 'baseline'] } } }));
        const user = (org: string, name: string) => ({ certPath: `/abs/${org}/${name}.pem`, keyPath: `/abs/${org}/${name}.key` });
        const profile = {
            organizations: { EdgeOrg: { users: { Admin: user('edge', 'Admin'), User1: user('edge', 'User1') } }, CloudOrg: { users: { User1: user('cloud', 'User1') } } },
        } as unknown as NetworkProfile;
        const config = caliperNetworkConfig(network, profile);
        expect(config.version).toBe('2.0.0');
        expect(config.caliper).toEqual({ blockchain: 'fabric', sutOptions: { mutualTls: false } });
        expect(config.channels).toEqual([{ channelName: 'edgetrust', contracts: [{ id: 'evidence' }, { id: 'baseline' }] }]);
        expect(config.organizations.map((o) => o.mspid)).toEqual(['EdgeOrgMSP', 'CloudOrgMSP']);
        expect(config.organizations[1]).toEqual({
            mspid: 'CloudOrgMSP',
            identities: { certificates: [{ name: 'User1', clientPrivateKey: { path: '/abs/cloud/User1.key' }, clientSignedCert: { path: '/abs/cloud/User1.pem' } }] },
            connectionProfile: { path: join(dir, 'connection-profiles', 'CloudOrg.json'), discover: true },
        });
    });
});

describe('CPU per process group', () => {
    it("reads this process's CPU time from /proc and puts it in the client group", () => {
        const dir = mkdtempSync(join(tmpdir(), 'edgetrust-pids-test-'));
        try {
            writeFileSync(join(dir, 'peer0.edge.edgetrust.local.json'), JSON.stringify({ pid: 11, command: 'peer' }));
            writeFileSync(join(dir, 'chaincode-evidence-EdgeOrg.json'), JSON.stringify({ pid: 12, command: 'node' }));
            writeFileSync(join(dir, 'orderer1.orderer.edgetrust.local.json'), JSON.stringify({ pid: 13, command: 'orderer' }));
            const groups = networkProcesses(dir);
            expect(Object.fromEntries(groups)).toEqual({ peers: [11], orderers: [13], 'chaincode servers': [12], client: [process.pid] });
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
        // Spin until node's own account says 200 ms more CPU; /proc must say the same, to its 10 ms clock tick.
        const before = cpuMillis(process.pid);
        const start = process.cpuUsage();
        let spent = 0;
        while (spent < 200) {
            const used = process.cpuUsage(start);
            spent = (used.user + used.system) / 1000;
        }
        expect(Math.abs(cpuMillis(process.pid) - before - spent)).toBeLessThanOrEqual(25);
        expect(cpuMillis(2 ** 22 + 1)).toBe(0);
    });
});
