import { BillingClient, type BillingRole, connect, type Connection, DeviceIdentityClient, loadNetworkProfile, type NetworkProfile } from '@edgetrust/gateway-sdk';
import type { Contract } from '@hyperledger/fabric-gateway';
import { retry } from './lifecycle';
import type { DeployedChaincode, Network, Organization } from './topology';

type Log = (line: string) => void;
type Governance = NonNullable<DeployedChaincode['governance']>;
type Seeder = (contract: Contract, governance: Governance, profile: NetworkProfile, log: Log) => Promise<void>;

/** Billing: the governor bootstraps governance, then grants each organisation its roles. */
async function seedBilling(contract: Contract, governance: Governance, profile: NetworkProfile, log: Log): Promise<void> {
    const billing = new BillingClient(contract);
    const granted = new Set((await billing.listRoles()).map((g) => `${g.mspId}/${g.role}`));
    if (![...granted].some((g) => g.endsWith('/governor'))) {
        await billing.bootstrapGovernance();
        log(`resource-billing: ${governance.governor} bootstrapped governance`);
    }
    for (const [orgName, roles] of Object.entries(governance.roles)) {
        const mspId = profile.organizations[orgName]?.mspId ?? orgName;
        for (const role of roles.filter((r) => !granted.has(`${mspId}/${r}`))) {
            await billing.grantRole(mspId, role as BillingRole);
            log(`resource-billing: granted ${role} to ${mspId}`);
        }
    }
}

/** Device identity: the governor's organisation becomes the first registry administrator. */
async function seedDeviceIdentity(contract: Contract, governance: Governance, _profile: NetworkProfile, log: Log): Promise<void> {
    const registry = new DeviceIdentityClient(contract);
    if (!(await registry.readRegistry()).initialized) {
        await registry.initRegistry();
        log(`device-identity: ${governance.governor} initialised the registry`);
    }
}

const SEEDERS: Readonly<Record<string, Seeder>> = { 'resource-billing': seedBilling, 'device-identity': seedDeviceIdentity };

/**
 * Gives a freshly deployed chaincode its starting governance (network/topology.json), through the SDK as
 * the governor organisation's admin. Safe to run again: what is already on chain is left alone.
 */
export async function seedChaincode(network: Network, chaincode: DeployedChaincode, log: Log): Promise<void> {
    const seeder = SEEDERS[chaincode.name];
    if (!seeder || !chaincode.governance) {
        return;
    }
    const governance = chaincode.governance;
    const profile = loadNetworkProfile(network.paths.connectionProfile);
    let connection: Connection | undefined;
    try {
        connection = await connect({ profile, organization: chaincode.governance.governor, user: 'Admin' });
        const contract = connection.gateway.getNetwork(profile.channel).getContract(chaincode.name);
        // Right after the commit, the gateway's discovery may not yet know that the other organisation's peers
        // run the chaincode, so a policy needing both can't be met for a few seconds: each attempt starts over.
        await retry(() => seeder(contract, governance, profile, log), 20, 1500);
    } finally {
        connection?.close();
    }
}

/**
 * Before an organisation leaves, the governor revokes the billing roles it holds (through the chaincode, as it
 * granted them), so no grant names a member the channel no longer has.
 */
export async function revokeRoles(network: Network, chaincode: DeployedChaincode, org: Organization, log: Log): Promise<void> {
    if (chaincode.name !== 'resource-billing' || !chaincode.governance) {
        return;
    }
    const profile = loadNetworkProfile(network.paths.connectionProfile);
    const connection = await connect({ profile, organization: chaincode.governance.governor, user: 'Admin' });
    try {
        const billing = new BillingClient(connection.gateway.getNetwork(profile.channel).getContract(chaincode.name));
        for (const grant of (await billing.listRoles()).filter((g) => g.mspId === org.mspId)) {
            await billing.revokeRole(org.mspId, grant.role);
            log(`resource-billing: revoked ${grant.role} from ${org.mspId}`);
        }
    } finally {
        connection.close();
    }
}
