import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PEER_CLI_LOGGING, writeAdminEnvFiles } from './profile';
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
