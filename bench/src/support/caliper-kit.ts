import { BillingClient, connect, DeviceIdentityClient, loadNetworkProfile, type NetworkProfile } from '@edgetrust/gateway-sdk';
import { type Network, networkFromEnv } from '@edgetrust/test-network-scripts';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { selfSigned } from './certificates';

/*
 * The network side of the Caliper kit (bench/caliper): Caliper's network configuration (version 2.0) built from the
 * running network's Fabric common connection profiles and connection.json, and the records the workloads need
 * (a billing resource, a registered device) made through the SDK before Caliper starts, so that no workload
 * round carries set-up transactions. Usage: node bench/dist/support/caliper-kit.js <work folder>
 * (network from EDGETRUST_NETWORK_DIR), as bench/caliper/run.mjs does.
 */

/** Caliper's identities of one organisation: its users' certificate and key files. */
interface CaliperOrganization {
    mspid: string;
    identities: { certificates: { name: string; clientPrivateKey: { path: string }; clientSignedCert: { path: string } }[] };
    connectionProfile: { path: string; discover: boolean };
}

export interface CaliperNetworkConfig {
    name: string;
    version: '2.0.0';
    caliper: { blockchain: 'fabric'; sutOptions: { mutualTls: boolean } };
    channels: { channelName: string; contracts: { id: string }[] }[];
    organizations: CaliperOrganization[];
}

/** The chaincodes a common connection profile lists on the channel. */
function deployedChaincodes(network: Network, organization: string): string[] {
    const file = join(network.paths.commonConnectionProfiles, `${organization}.json`);
    const profile = JSON.parse(readFileSync(file, 'utf8')) as { channels: Record<string, { chaincodes: string[] } | undefined> };
    return profile.channels[network.channel.name]?.chaincodes ?? [];
}

/** Caliper's network configuration: every organisation with its users and its common connection profile. */
export function caliperNetworkConfig(network: Network, profile: NetworkProfile): CaliperNetworkConfig {
    const organizations = network.organizations.map((org): CaliperOrganization => {
        const users = profile.organizations[org.name]?.users ?? {};
        return {
            mspid: org.mspId,
            identities: {
                certificates: Object.entries(users).map(([name, user]) => ({ name, clientPrivateKey: { path: user.keyPath }, clientSignedCert: { path: user.certPath } })),
            },
            connectionProfile: { path: join(network.paths.commonConnectionProfiles, `${org.name}.json`), discover: true },
        };
    });
    const contracts = deployedChaincodes(network, network.organizations[0]?.name ?? '').map((id) => ({ id }));
    return {
        name: `${network.name}-caliper`,
        version: '2.0.0',
        caliper: { blockchain: 'fabric', sutOptions: { mutualTls: false } },
        channels: [{ channelName: network.channel.name, contracts }],
        organizations,
    };
}

/** What the workloads read from fixtures.json. */
export interface CaliperFixtures {
    /** A per-second GPU resource of EdgeOrg (operator) that CloudOrg (tenant) may start sessions on. */
    billingResourceId: string;
    /** The fingerprint of a registered, active device certificate. */
    deviceFingerprint: string;
}

async function makeFixtures(profile: NetworkProfile, run: string): Promise<CaliperFixtures> {
    const admin = await connect({ profile, organization: 'EdgeOrg', user: 'Admin' });
    const operator = await connect({ profile, organization: 'EdgeOrg' });
    try {
        const billing = new BillingClient(operator.gateway.getNetwork(profile.channel).getContract(profile.chaincodes['resource-billing'] ?? 'resource-billing'));
        const siteId = `caliper-${run}-site`;
        const billingResourceId = `caliper-${run}-gpu`;
        await billing.registerSite({ siteId, name: 'Caliper site', location: 'edge-site-a' });
        // Minute settlement keeps benchmark usage out of the monthly invoices of the demo and the tests.
        await billing.registerResource({ resourceId: billingResourceId, siteId, kind: 'gpu', name: 'Caliper GPU', plan: { unit: 'second', rate: 3, cycle: 'minute' } });
        const devices = new DeviceIdentityClient(admin.gateway.getNetwork(profile.channel).getContract(profile.chaincodes['device-identity'] ?? 'device-identity'));
        if (!(await devices.readRegistry()).initialized) {
            await devices.initRegistry();
        }
        const device = selfSigned(`caliper-device-${run}`);
        await devices.registerManufacturer({ id: `caliper-mfr-${run}`, name: 'Caliper Devices', mspId: 'EdgeOrgMSP' });
        const { result } = await devices.registerDevice({ manufacturerId: `caliper-mfr-${run}`, id: `caliper-device-${run}`, certificatePem: device.cert }, device.key);
        return { billingResourceId, deviceFingerprint: result.fingerprint };
    } finally {
        admin.close();
        operator.close();
    }
}

async function main(workDir: string): Promise<void> {
    const network = networkFromEnv();
    const profile = loadNetworkProfile(network.paths.connectionProfile);
    mkdirSync(workDir, { recursive: true });
    const config = caliperNetworkConfig(network, profile);
    writeFileSync(join(workDir, 'network-config.json'), `${JSON.stringify(config, null, 2)}\n`);
    console.log(`Caliper network configuration: ${join(workDir, 'network-config.json')} (contracts ${config.channels[0]?.contracts.map((c) => c.id).join(', ') ?? ''})`);
    const fixtures = await makeFixtures(profile, `${String(process.pid)}-${Date.now().toString(36)}`);
    writeFileSync(join(workDir, 'fixtures.json'), `${JSON.stringify(fixtures, null, 2)}\n`);
    console.log(`workload fixtures: ${join(workDir, 'fixtures.json')} (billing resource ${fixtures.billingResourceId}, device ${fixtures.deviceFingerprint.slice(0, 16)}…)`);
}

if (require.main === module) {
    const [workDir] = process.argv.slice(2);
    if (!workDir) {
        console.error('usage: node bench/dist/support/caliper-kit.js <work folder>');
        process.exit(2);
    }
    main(resolve(workDir)).catch((err: unknown) => {
        console.error(err);
        process.exit(1);
    });
}
