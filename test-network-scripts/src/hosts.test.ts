import { configtx, cryptoConfig } from './artifacts';
import { delayRelayProcess, launcherOf, linkDelay } from './hosts';
import { chaincodeProcess, ordererProcess, peerProcess } from './nodes';
import { commonConnectionProfile } from './profile';
import { allPeers, loadNetwork } from './topology';

const fabric = { binDir: '/fabric/bin', configDir: '/fabric/config', source: 'test' };
const dir = '/tmp/edgetrust-hosts-test';

describe('hosts', () => {
    it('keeps every node on 127.0.0.1 with no namespace by default (loopback)', () => {
        const network = loadNetwork({ dir, portBase: 17000 });
        expect(network.hostsMode).toBe('loopback');
        expect(new Set([...network.orderers, ...allPeers(network)].map((n) => n.address))).toEqual(new Set(['127.0.0.1']));
        expect(network.hosts.every((h) => h.namespace === undefined)).toBe(true);
        const peer = allPeers(network)[0];
        if (!peer) throw new Error('no peer');
        expect(peerProcess(network, fabric, peer).launcher).toEqual([]);
        expect(peerProcess(network, fabric, peer).env.CORE_PEER_LISTENADDRESS).toBe('127.0.0.1:17100');
        expect(network.chaincodes.find((c) => c.name === 'resource-billing')?.servers.map((s) => s.name)).toEqual(['chaincode-resource-billing']);
    });

    it('puts each organisation (and the orderers) on a host of its own in netns mode, and nothing on 127.0.0.1', () => {
        const network = loadNetwork({ dir, portBase: 27000, hosts: 'netns' });
        expect(network.hosts.map((h) => [h.name, h.organization, h.address, h.namespace])).toEqual([
            ['orderer-host', 'OrdererOrg', '10.233.14.10', 'et27000-orderer-host'],
            ['edge-host', 'EdgeOrg', '10.233.14.11', 'et27000-edge-host'],
            ['cloud-host', 'CloudOrg', '10.233.14.12', 'et27000-cloud-host'],
        ]);
        const everything = JSON.stringify([
            network.orderers.map((o) => ordererProcess(network, fabric, o)),
            allPeers(network).map((p) => peerProcess(network, fabric, p)),
            network.chaincodes.flatMap((c) => c.servers.map((s) => chaincodeProcess(network, c, s, 'id'))),
            network.channels.map((c) => configtx(network, c)),
            network.organizations.map((o) => commonConnectionProfile(network, o, network.chaincodes)),
        ]);
        expect(everything).not.toContain('127.0.0.1');
        const edgePeer = allPeers(network).find((p) => p.org === 'EdgeOrg');
        if (!edgePeer) throw new Error('no EdgeOrg peer');
        expect(peerProcess(network, fabric, edgePeer).launcher).toEqual(['ip', 'netns', 'exec', 'et27000-edge-host']);
        // Each organisation's chaincode servers run on its own host: a shared one would endorse for the others.
        const billing = network.chaincodes.find((c) => c.name === 'resource-billing');
        expect(billing?.servers.map((s) => [s.name, s.address])).toEqual([
            ['chaincode-resource-billing-EdgeOrg', '10.233.14.11'],
            ['chaincode-resource-billing-CloudOrg', '10.233.14.12'],
        ]);
        // TLS certificates name the host's address.
        const crypto = cryptoConfig(network) as { PeerOrgs: { Name: string; Specs: { SANS: string[] }[] }[] };
        expect(crypto.PeerOrgs.find((o) => o.Name === 'CloudOrg')?.Specs[0]?.SANS).toContain('10.233.14.12');
    });

    it('uses the topology addresses as they are for real machines', () => {
        const network = loadNetwork({ dir, portBase: 7000, hosts: 'topology' });
        expect(network.hosts.map((h) => h.address)).toEqual(['10.88.0.10', '10.88.0.11', '10.88.0.12']);
        expect(launcherOf(network, 'edge-host')).toEqual([]);
    });

    it('delays links by the tiers of the deployment mode, the applications being at the edge', () => {
        const tiers = (mode: string): string[] => loadNetwork({ dir, portBase: 27000, hosts: 'netns', mode }).hosts.map((h) => `${h.name}:${h.tier}`);
        expect(tiers('hybrid')).toEqual(['orderer-host:cloud', 'edge-host:edge', 'cloud-host:cloud']);
        expect(tiers('on-mec')).toEqual(['orderer-host:edge', 'edge-host:edge', 'cloud-host:edge']);
        expect(tiers('off-mec')).toEqual(['orderer-host:cloud', 'edge-host:cloud', 'cloud-host:cloud']);
        const network = loadNetwork({ dir, portBase: 27000, hosts: 'netns', linkDelays: true });
        expect(network.delayed).toBe(true);
        expect(linkDelay(network, 'edge', 'cloud')).toBe(linkDelay(network, 'cloud', 'edge'));
        expect(linkDelay(network, 'edge', 'cloud')).toBeGreaterThan(linkDelay(network, 'edge', 'edge'));
        const orderers = network.hosts[0];
        if (!orderers) throw new Error('no host');
        const relay = delayRelayProcess(network, orderers);
        // From the applications (bridge .1, edge) and from the edge host to the orderers in the cloud: the cloud delay.
        expect(relay.args).toEqual(expect.arrayContaining(['--delay', `10.233.14.1=${String(linkDelay(network, 'edge', 'cloud'))}`, `10.233.14.11=${String(linkDelay(network, 'edge', 'cloud'))}`]));
        expect(relay.args).toContain('10.233.14.10:27050=127.0.0.1:27050');
        // Behind the relay the orderer listens on its namespace's own loopback.
        expect(ordererProcess(network, fabric, network.orderers[0] as never).env.ORDERER_GENERAL_LISTENADDRESS).toBe('127.0.0.1');
        expect(loadNetwork({ dir, portBase: 27000, linkDelays: true }).delayed).toBe(false);
    });
});
