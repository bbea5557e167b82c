import { configtx, cryptoConfig } from './artifacts';
import { allPeers, allPorts, loadNetwork } from './topology';

describe('network topology', () => {
    it('derives distinct ports from the port base for every node and chaincode server', () => {
        const network = loadNetwork({ dir: '/tmp/edgetrust-topology-test', portBase: 17000 });
        const ports = allPorts(network).map((p) => p.port);
        expect(new Set(ports).size).toBe(ports.length);
        expect(Math.min(...ports)).toBeGreaterThanOrEqual(17000);
        expect(network.orderers.map((o) => o.port)).toEqual([17050, 17060, 17070]);
        expect(allPeers(network).map((p) => `${p.host}:${String(p.port)}`)).toEqual([
            'peer0.edge.edgetrust.local:17100',
            'peer1.edge.edgetrust.local:17110',
            'peer0.cloud.edgetrust.local:17120',
        ]);
    });

    it('orders with three Raft nodes by default and with four SmartBFT consenters, each with its identity, for bft', () => {
        const raft = loadNetwork({ dir: '/tmp/edgetrust-topology-test', portBase: 17000 });
        const raftOrderer = (configtx(raft) as { Profiles: { EdgeTrustChannel: { Orderer: Record<string, unknown> } } }).Profiles.EdgeTrustChannel.Orderer;
        expect(raftOrderer.OrdererType).toBe('etcdraft');
        const bft = loadNetwork({ dir: '/tmp/edgetrust-topology-test', portBase: 17000, consensus: 'bft' });
        expect(bft.orderers.map((o) => o.port)).toEqual([17050, 17060, 17070, 17080]);
        const profile = (configtx(bft) as { Profiles: { EdgeTrustChannel: { Capabilities: object; Orderer: Record<string, unknown> } } }).Profiles.EdgeTrustChannel;
        expect(profile.Capabilities).toEqual({ V3_0: true });
        const orderer = profile.Orderer as { OrdererType: string; EtcdRaft?: unknown; ConsenterMapping: { ID: number; MSPID: string; Identity: string; Port: number }[]; SmartBFT: Record<string, unknown> };
        expect(orderer.OrdererType).toBe('BFT');
        expect(orderer.EtcdRaft).toBeUndefined();
        expect(orderer.ConsenterMapping.map((c) => [c.ID, c.MSPID, c.Port])).toEqual([1, 2, 3, 4].map((id) => [id, 'OrdererMSP', 17040 + 10 * id]));
        expect(orderer.ConsenterMapping[3]?.Identity).toMatch(/orderer4\.orderer\.edgetrust\.local\/msp\/signcerts\/orderer4\.orderer\.edgetrust\.local-cert\.pem$/);
        expect(orderer.SmartBFT).toMatchObject({ RequestBatchMaxInterval: bft.channel.batchTimeout, RequestBatchMaxCount: bft.channel.maxMessageCount });
        expect((cryptoConfig(bft) as { OrdererOrgs: { Specs: unknown[] }[] }).OrdererOrgs[0]?.Specs).toHaveLength(4);
        expect(() => loadNetwork({ dir: '/tmp/edgetrust-topology-test', consensus: 'pbft' as never })).toThrow(/unknown consensus/);
    });

    it('gives each organisation its own chaincode server and package where the topology asks for it', () => {
        const network = loadNetwork({ dir: '/tmp/edgetrust-topology-test', portBase: 17000 });
        const servers = (name: string): string[] => (network.chaincodes.find((c) => c.name === name)?.servers ?? []).map((s) => `${s.name}@${String(s.port)}`);
        expect(servers('evidence')).toEqual(['chaincode-evidence-EdgeOrg@17200', 'chaincode-evidence-CloudOrg@17210']);
        expect(servers('resource-billing')).toEqual(['chaincode-resource-billing@17201']);
        const shared = loadNetwork({ dir: '/tmp/edgetrust-topology-test', portBase: 17000, chaincodeServers: 'shared' });
        expect(shared.chaincodes.every((c) => c.servers.length === 1)).toBe(true);
        expect(() => loadNetwork({ chaincodeServers: 'sometimes' as never })).toThrow(/unknown chaincode server mode/);
    });

    it('labels peers with tier and site, relabelled by the deployment mode', () => {
        const tiers = (mode: string): string[] => allPeers(loadNetwork({ mode })).map((p) => `${p.org}/${p.name}:${p.tier}`);
        expect(tiers('hybrid')).toEqual(['EdgeOrg/peer0:edge', 'EdgeOrg/peer1:edge', 'CloudOrg/peer0:cloud']);
        expect(tiers('on-mec').every((t) => t.endsWith(':edge'))).toBe(true);
        expect(tiers('off-mec').every((t) => t.endsWith(':cloud'))).toBe(true);
        expect(() => loadNetwork({ mode: 'sideways' })).toThrow(/unknown deployment mode sideways/);
    });

    it('writes a low-latency Raft channel with every orderer as a consenter and anchor peers per organisation', () => {
        const network = loadNetwork({ batchTimeout: '50ms' });
        const profile = (configtx(network) as { Profiles: { EdgeTrustChannel: { Orderer: Record<string, unknown>; Application: { Organizations: { AnchorPeers: unknown[] }[] } } } }).Profiles
            .EdgeTrustChannel;
        expect(profile.Orderer.OrdererType).toBe('etcdraft');
        expect(profile.Orderer.BatchTimeout).toBe('50ms');
        expect((profile.Orderer.EtcdRaft as { Consenters: unknown[] }).Consenters).toHaveLength(3);
        expect(profile.Application.Organizations.map((o) => o.AnchorPeers.length)).toEqual([1, 1]);
    });

    it('asks cryptogen for NodeOUs and loopback SANs on every node', () => {
        const config = cryptoConfig(loadNetwork()) as { OrdererOrgs: { EnableNodeOUs: boolean; Specs: { SANS: string[] }[] }[]; PeerOrgs: { EnableNodeOUs: boolean; Specs: { SANS: string[] }[] }[] };
        for (const org of [...config.OrdererOrgs, ...config.PeerOrgs]) {
            expect(org.EnableNodeOUs).toBe(true);
            for (const spec of org.Specs) {
                expect(spec.SANS).toEqual(expect.arrayContaining(['127.0.0.1', 'localhost']));
            }
        }
    });
});
