import type { Network } from '@hyperledger/fabric-gateway';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { generateKey, fingerprint, keyOf, rememberKey, type TestCertificate } from '../../chaincode/device-identity/testing/certificates';
import { DeviceIdentityClient, type EdgeTrustEvent, type IdentityPrincipal } from '../../gateway-sdk/src';
import { chaincodeEventsOf, connectAs, testProfile } from './network';

export { keyOf };

/** The private keys of a lot's devices by id, for proofs of possession (devices whose key is unknown get none). */
export function keysOf(devices: readonly { id: string; certificatePem: string }[]): Record<string, KeyObject> {
    const keys: Record<string, KeyObject> = {};
    for (const { id, certificatePem } of devices) {
        const key = keyOf(certificatePem);
        if (key !== undefined) {
            keys[id] = key;
        }
    }
    return keys;
}

/** A device identity client and its channel, as one user of one organisation. */
export interface DeviceIdentityActor {
    client: DeviceIdentityClient;
    network: Network;
    mspId: string;
    /** The principal the chaincode sees (what registrars and owners are named by). */
    principal: IdentityPrincipal;
}

/** The device identity chaincode's name on the test network. */
export function deviceIdentityChaincode(): string {
    return testProfile().chaincodes['device-identity'] ?? 'device-identity';
}

/** Connects as `user` of `organization` (nearest peer first) and opens the device identity chaincode. */
export async function deviceIdentityAs(organization: string, user = 'User1'): Promise<DeviceIdentityActor> {
    const profile = testProfile();
    const connection = await connectAs(organization, { user });
    const network = connection.gateway.getNetwork(profile.channel);
    const client = new DeviceIdentityClient(network.getContract(deviceIdentityChaincode()));
    const { mspId, id } = await client.whoAmI();
    return { client, network, mspId: connection.mspId, principal: { mspId, id } };
}

/**
 * A self-signed certificate with chosen validity dates, e.g. already expired or not yet valid:
 * `openssl req -x509` (3.0) only counts days from now, `openssl ca -selfsign` takes both dates.
 */
export function datedCertificate(notBefore: Date, notAfter: Date, commonName = 'dated.device.test'): TestCertificate {
    const dir = mkdtempSync(join(tmpdir(), 'edgetrust-dated-'));
    try {
        const privateKey = generateKey('p256');
        const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        const path = (name: string, text?: string): string => {
            if (text !== undefined) {
                writeFileSync(join(dir, name), text);
            }
            return join(dir, name);
        };
        path('index.txt', '');
        path('serial', '01\n');
        const config = path('ca.cnf', datedConfig(dir, commonName));
        const key = path('key.pem', privateKeyPem);
        const openssl = (args: string[]): void => {
            execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
        };
        openssl(['req', '-new', '-config', config, '-key', key, '-out', path('req.csr')]);
        openssl(['ca', '-batch', '-config', config, '-selfsign', '-keyfile', key, '-in', path('req.csr'), '-startdate', opensslTime(notBefore), '-enddate', opensslTime(notAfter), '-extensions', 'ext', '-notext', '-out', path('cert.pem')]);
        const pem = readFileSync(path('cert.pem'), 'utf8');
        rememberKey(pem, privateKey);
        return { pem, fingerprint: fingerprint(pem), privateKey, privateKeyPem };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

function datedConfig(dir: string, commonName: string): string {
    return [
        '[ca]',
        'default_ca = selfsigned',
        '[selfsigned]',
        `database = ${join(dir, 'index.txt')}`,
        `new_certs_dir = ${dir}`,
        `serial = ${join(dir, 'serial')}`,
        'default_md = sha256',
        'policy = anything',
        'unique_subject = no',
        '[anything]',
        'commonName = supplied',
        '[req]',
        'distinguished_name = dn',
        'prompt = no',
        '[dn]',
        `CN = ${commonName}`,
        '[ext]',
        'basicConstraints = critical,CA:FALSE',
        'keyUsage = critical,digitalSignature',
        'extendedKeyUsage = serverAuth,clientAuth',
        '',
    ].join('\n');
}

/** GeneralizedTime as openssl ca takes it: YYYYMMDDHHMMSSZ. */
function opensslTime(date: Date): string {
    return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

/** The device identity events of the given transactions, read from `startBlock` on (see chaincodeEventsOf). */
export function deviceEventsOf(network: Network, startBlock: bigint, transactionIds: readonly string[], timeoutMs = 20_000): Promise<Map<string, EdgeTrustEvent<Record<string, unknown>>>> {
    return chaincodeEventsOf(network, deviceIdentityChaincode(), startBlock, transactionIds, timeoutMs);
}

/** Waits until `condition` holds, polling every 50 ms; false if it did not within `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 20_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) {
            return false;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return true;
}
