import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { NetworkProfile } from '../../gateway-sdk/src';

/** Subject attributes in order, e.g. `[['C', 'US'], ['L', 'x/OU=admin'], ['OU', 'client'], ['CN', 'eve']]`. */
export type Subject = readonly (readonly [type: string, value: string])[];

/**
 * Issues a client certificate signed by the organisation's own CA (cryptogen's CA key in the network
 * folder), as Fabric CA would issue one to any enrolled member who asks for these C/ST/L/O values, and
 * returns a copy of the profile with it as user `name`. The certificate is what Fabric's MSP accepts
 * from a member: OU=client, CA:FALSE, digitalSignature.
 */
export function withIssuedClient(profile: NetworkProfile, organization: string, name: string, subject: Subject): NetworkProfile {
    const org = profile.organizations[organization];
    const anyUser = org && Object.values(org.users)[0];
    if (!org || !anyUser) {
        throw new Error(`no organisation ${organization} with users in the profile`);
    }
    // <crypto>/peerOrganizations/<domain>/users/<user>/msp/signcerts/<cert>.pem
    const caDir = join(dirname(anyUser.certPath), '..', '..', '..', '..', 'ca');
    const caFiles = readdirSync(caDir);
    const caCert = caFiles.find((f) => f.endsWith('-cert.pem'));
    const caKey = caFiles.find((f) => f.endsWith('_sk'));
    if (!caCert || !caKey) {
        throw new Error(`no CA certificate and key in ${caDir}`);
    }
    const dir = mkdtempSync(join(tmpdir(), `edgetrust-${name}-`));
    const file = (fileName: string, text: string): string => {
        writeFileSync(join(dir, fileName), text);
        return join(dir, fileName);
    };
    const keyPath = file('key.pem', generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    // `<n>.<type>` lets a type repeat and keeps the order; openssl ignores the part before the dot.
    const dn = subject.map(([type, value], i) => `${String(i)}.${type} = ${value}`);
    const config = file('req.cnf', ['[req]', 'distinguished_name = dn', 'prompt = no', 'utf8 = yes', 'string_mask = utf8only', '[dn]', ...dn, ''].join('\n'));
    const extensions = file('ext.cnf', ['keyUsage = critical,digitalSignature', 'basicConstraints = critical,CA:FALSE', 'authorityKeyIdentifier = keyid', ''].join('\n'));
    const csr = file('client.csr', execFileSync('openssl', ['req', '-new', '-config', config, '-key', keyPath], { encoding: 'utf8' }));
    const cert = execFileSync(
        'openssl',
        ['x509', '-req', '-in', csr, '-CA', join(caDir, caCert), '-CAkey', join(caDir, caKey), '-set_serial', `0x${randomBytes(12).toString('hex')}`, '-days', '2', '-sha256', '-extfile', extensions],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const certPath = file('cert.pem', cert);
    const copy = structuredClone(profile);
    const target = copy.organizations[organization];
    if (target) {
        target.users[name] = { certPath, keyPath };
    }
    return copy;
}
