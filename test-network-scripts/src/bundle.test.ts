import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { copyCrypto, filesUnder, foreignPrivateKeys, privateKeys } from './bundle';
import { loadNetwork, type Network } from './topology';

/** A crypto folder laid out as cryptogen lays it out, every key file holding its own owner's name. */
function fakeCrypto(network: Network): void {
    const write = (file: string, text: string): void => {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
    };
    const owners = [{ name: network.ordererOrg.name, cryptoDir: network.ordererOrg.cryptoDir, nodes: network.orderers.map((o) => o.cryptoDir) }, ...network.organizations.map((o) => ({ ...o, nodes: o.peers.map((p) => p.cryptoDir) }))];
    for (const owner of owners) {
        write(join(owner.cryptoDir, 'msp', 'cacerts', 'ca-cert.pem'), `CA certificate of ${owner.name}`);
        write(join(owner.cryptoDir, 'ca', 'priv_sk'), `CA private key of ${owner.name}`);
        write(join(owner.cryptoDir, 'tlsca', `tlsca.${owner.cryptoDir.split('/').pop() ?? ''}-cert.pem`), `TLS CA certificate of ${owner.name}`);
        write(join(owner.cryptoDir, 'tlsca', 'priv_sk'), `TLS CA private key of ${owner.name}`);
        for (const node of owner.nodes) {
            write(join(node, 'msp', 'keystore', 'priv_sk'), `signing key of ${node}`);
            write(join(node, 'tls', 'server.key'), `TLS key of ${node}`);
        }
        write(join(owner.cryptoDir, 'users', 'Admin', 'msp', 'keystore', 'priv_sk'), `admin key of ${owner.name}`);
    }
}

describe('host bundles', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgetrust-bundle-test-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const network = loadNetwork({ dir, portBase: 27000, hosts: 'netns' });
    fakeCrypto(network);

    it.each(['orderer-host', 'edge-host', 'cloud-host'])('%s gets its own private keys and no other organisation’s', (hostName) => {
        const host = network.hosts.find((h) => h.name === hostName);
        if (!host) throw new Error(`no ${hostName}`);
        const out = join(dir, 'bundles', hostName);
        copyCrypto(network, out, network.organizations.find((o) => o.name === host.organization));
        expect(foreignPrivateKeys(network, out, host)).toEqual([]);
        const own = privateKeys(network).filter((k) => k.owner === host.organization);
        expect(own.length).toBeGreaterThan(4);
        const inBundle = new Set(filesUnder(out).map((f) => readFileSync(join(out, f), 'utf8')));
        expect(own.filter((k) => !inBundle.has(readFileSync(k.file, 'utf8')))).toEqual([]);
        // Every other organisation's public MSP comes along (CA certificates to verify them with).
        expect(filesUnder(out).filter((f) => f.endsWith('ca-cert.pem'))).toHaveLength(network.hosts.length);
    });

    it('finds another organisation’s key wherever it is put in a bundle', () => {
        const host = network.hosts.find((h) => h.name === 'edge-host');
        if (!host) throw new Error('no edge-host');
        const out = join(dir, 'bundles', 'leaky');
        copyCrypto(network, out, network.organizations.find((o) => o.name === 'EdgeOrg'));
        writeFileSync(join(out, 'stray.pem'), 'admin key of CloudOrg');
        expect(foreignPrivateKeys(network, out, host)).toEqual(['stray.pem']);
    });
});
