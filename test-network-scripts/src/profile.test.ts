import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commonConnectionProfile, PEER_CLI_LOGGING, writeAdminEnvFiles, writeCommonConnectionProfiles } from './profile';
import { loadNetwork } from './topology';

describe('peer CLI env files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgetrust-env-test-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('let a successful invoke print its result and name a peer of every organisation for --peerAddresses', () => {
        const network = loadNetwork({ dir, portBase: 17000 });
        const fabric = { binDir: '/opt/fabric/bin', configDir: '/opt/fabric/config', source: 'test' };
        const files = writeAdminEnvFiles(network, fabric);
        expect(files.map((f) => f.slice(dir.length))).toEqual(['/env/EdgeOrg.env', '/env/CloudOrg.env']);
        const vars: Record<string, string | undefined> = Object.fromEntries(
            [...readFileSync(files[1] ?? '', 'utf8').matchAll(/^export (\w+)="(.*)"$/gm)].map((m) => [m[1], m[2]]),
        );
        // chaincodeCmd logs "Chaincode invoke successful. result: …" at info; gRPC's keepalive notice is not a warning worth showing.
        expect(PEER_CLI_LOGGING).toBe('chaincodeCmd=info:grpc=error:warning');
        expect(vars).toMatchObject({
            FABRIC_LOGGING_SPEC: PEER_CLI_LOGGING,
            CORE_PEER_LOCALMSPID: 'CloudOrgMSP',
            CORE_PEER_ADDRESS: '127.0.0.1:17120',
            EDGEORG_PEER_ADDRESS: '127.0.0.1:17100',
            CLOUDORG_PEER_ADDRESS: '127.0.0.1:17120',
            ORDERER_ADDRESS: '127.0.0.1:17050',
        });
        expect(vars.EDGEORG_PEER_TLS_CA).toMatch(/peer0\.edge\.edgetrust\.local\/tls\/ca\.crt$/);
        expect(vars.CLOUDORG_PEER_TLS_CA).toMatch(/peer0\.cloud\.edgetrust\.local\/tls\/ca\.crt$/);
    });
});

describe('Fabric common connection profiles', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgetrust-ccp-test-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const network = loadNetwork({ dir, portBase: 17000 });
    const [edge, cloud] = network.organizations;

    it('give each organisation its own peers and every orderer as grpcs URLs with absolute TLS paths and host name overrides', () => {
        if (!edge || !cloud) {
            throw new Error('the topology has EdgeOrg and CloudOrg');
        }
        const profile = commonConnectionProfile(network, edge, network.chaincodes);
        expect(profile.client.organization).toBe('EdgeOrg');
        expect(profile.organizations).toEqual({ EdgeOrg: { mspid: 'EdgeOrgMSP', peers: ['peer0.edge.edgetrust.local', 'peer1.edge.edgetrust.local'] } });
        expect(Object.keys(profile.peers)).toEqual(['peer0.edge.edgetrust.local', 'peer1.edge.edgetrust.local']);
        expect(profile.peers['peer1.edge.edgetrust.local']).toEqual({
            url: 'grpcs://127.0.0.1:17110',
            tlsCACerts: { path: join(dir, 'crypto/peerOrganizations/edge.edgetrust.local/peers/peer1.edge.edgetrust.local/tls/ca.crt') },
            grpcOptions: { 'ssl-target-name-override': 'peer1.edge.edgetrust.local', hostnameOverride: 'peer1.edge.edgetrust.local' },
        });
        expect(Object.values(profile.orderers).map((o) => o.url)).toEqual(['grpcs://127.0.0.1:17050', 'grpcs://127.0.0.1:17060', 'grpcs://127.0.0.1:17070']);
        expect(profile.orderers['orderer2.orderer.edgetrust.local']?.tlsCACerts.path).toBe(join(dir, 'crypto/ordererOrganizations/orderer.edgetrust.local/tlsca/tlsca.orderer.edgetrust.local-cert.pem'));
        expect(commonConnectionProfile(network, cloud, []).peers).toEqual({
            'peer0.cloud.edgetrust.local': expect.objectContaining({ url: 'grpcs://127.0.0.1:17120' }) as unknown,
        });
    });

    it('list the deployed chaincodes on the channel, the benchmark baseline only when it is deployed', () => {
        const files = writeCommonConnectionProfiles(network, [...network.chaincodes, ...network.benchmarkChaincodes]);
        expect(files).toEqual([join(dir, 'connection-profiles', 'EdgeOrg.json'), join(dir, 'connection-profiles', 'CloudOrg.json')]);
        const written = JSON.parse(readFileSync(files[1] ?? '', 'utf8')) as ReturnType<typeof commonConnectionProfile>;
        expect(written.channels.edgetrust?.chaincodes).toEqual(['evidence', 'resource-billing', 'device-identity', 'baseline']);
        expect(written.channels.edgetrust?.peers['peer0.cloud.edgetrust.local']).toEqual({ endorsingPeer: true, chaincodeQuery: true, ledgerQuery: true, eventSource: true });
        expect(written.client.organization).toBe('CloudOrg');
        expect(writeCommonConnectionProfiles(network, network.chaincodes).every((f) => !readFileSync(f, 'utf8').includes('baseline'))).toBe(true);
    });
});
