import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applicationOrganization, peerOrgCrypto } from './artifacts';
import { ensureFabric, type FabricInstallation } from './binaries';
import { applicationOrganizations, type ChannelConfig, fetchChannelConfig, organizationGroup, requiredAdminSignatures, updateChannelConfig } from './channel-config';
import { joinChannel } from './lifecycle';
import { chainInfo, deploy, type Log, startHosts, waitForNodePorts } from './network';
import { peerProcess } from './nodes';
import { isRunning, requireFreePorts, startProcess, stopProcess, waitForHealthy } from './processes';
import { writeAdminEnvFiles, writeConnectionProfile } from './profile';
import { revokeRoles } from './seed';
import { allPeers, loadNetwork, type Network, type Organization, type OrganizationSpec, readConsortiumState, writeConsortiumState } from './topology';

/** The same network read again from its folder, e.g. after an organisation joined or left. */
export function reloadNetwork(network: Network): Network {
    return loadNetwork(network.options);
}

/**
 * The admins who sign a change of the channel's organisations: as many members as the channel's Admins policy
 * requires, never the organisation the change is about.
 */
function signersFor(network: Network, config: ChannelConfig, subject: string): Organization[] {
    const members = applicationOrganizations(config);
    const needed = requiredAdminSignatures(config);
    const signers = network.organizations.filter((o) => o.name !== subject && members.includes(o.name)).slice(0, needed);
    if (signers.length < needed) {
        throw new Error(`the channel's Admins policy needs ${String(needed)} admin signatures; only ${String(signers.length)} member organisations can sign`);
    }
    return signers;
}

async function startPeers(network: Network, fabric: FabricInstallation, org: Organization, log: Log): Promise<void> {
    const toStart = org.peers.filter((p) => !isRunning(network.paths.pids, p.host));
    if (network.hostsMode === 'loopback') {
        await requireFreePorts(toStart.flatMap((p) => [p.port, p.chaincodePort, p.operationsPort].map((port) => ({ name: p.host, port }))));
    }
    startHosts(network, log);
    for (const peer of toStart) {
        startProcess(peerProcess(network, fabric, peer), network.paths.pids, network.paths.logs);
        log(`started ${peer.host}`);
    }
    await Promise.all(org.peers.map((p) => waitForHealthy(p.host, p.operationsPort, network.paths.logs, 60_000, p.address)));
    await waitForNodePorts(network, log);
}

/**
 * A new organisation joins the running network: its crypto material (cryptogen extend), its definition added to the
 * channel by a configuration update that as many existing admins sign as the channel's Admins policy requires, its
 * peers started and joined, the chaincodes installed and approved by it (a new definition sequence where its joining
 * changes an endorsement policy), the roles the topology gives it granted by each chaincode's governor, and the
 * connection profile and env files rewritten. Nothing running is restarted. Safe to run again.
 */
export async function addOrganization(base: Network, spec: OrganizationSpec, log: Log): Promise<Network> {
    const fabric = await ensureFabric(log);
    const state = readConsortiumState(base.dir);
    if (!state) {
        throw new Error(`no running network in ${base.dir} (consortium.json missing): start it with network up`);
    }
    if (!state.joined.some((o) => o.name === spec.name && o.removed !== true)) {
        if (base.organizations.some((o) => o.name === spec.name || o.mspId === spec.mspId)) {
            throw new Error(`${spec.name} (${spec.mspId}) is already an organisation of the network`);
        }
        writeConsortiumState(base.dir, { ...state, joined: [...state.joined.filter((o) => o.name !== spec.name), spec] });
    }
    const network = reloadNetwork(base);
    const org = network.organizations.find((o) => o.name === spec.name) as Organization;
    try {
        const configDir = join(network.paths.config, 'organizations', org.name);
        mkdirSync(configDir, { recursive: true });
        const cryptoFile = join(configDir, 'crypto-config.yaml');
        writeFileSync(cryptoFile, JSON.stringify({ PeerOrgs: [peerOrgCrypto(org)] }, null, 2));
        // extend leaves the existing organisations' material as it is and only adds what is missing.
        execFileSync(join(fabric.binDir, 'cryptogen'), ['extend', `--input=${network.paths.crypto}`, `--config=${cryptoFile}`], { stdio: 'pipe' });
        writeFileSync(join(configDir, 'configtx.yaml'), JSON.stringify({ Organizations: [applicationOrganization(org)] }, null, 2));
        const group = await organizationGroup(fabric, org.name, configDir);
        for (const { name: channel } of network.channels) {
            const original = await fetchChannelConfig(network, fabric, network.organizations[0] as Organization, channel);
            if (applicationOrganizations(original).includes(org.name)) {
                log(`${org.name} is already in the configuration of ${channel}`);
                continue;
            }
            const updated = structuredClone(original);
            updated.channel_group.groups.Application.groups[org.name] = group;
            await updateChannelConfig(network, fabric, channel, original, updated, signersFor(network, original, org.name), log);
            log(`${org.name} (${org.mspId}) added to channel ${channel}`);
        }
    } catch (err) {
        // Not admitted: the network stays as it was.
        writeConsortiumState(base.dir, state);
        throw err;
    }
    await startPeers(network, fabric, org, log);
    await joinChannel(network, fabric, log);
    await waitForCatchUp(network, org, log);
    await deploy(network, log, {}, fabric);
    return network;
}

/**
 * Waits until the new organisation's peers hold every block an existing peer held when they joined. A joined peer
 * replays the channel from its genesis block, and until it has the block that admitted its organisation, the
 * organisation is not a channel member in its view: approving a definition whose collections name it fails there
 * ("collection member … is not part of the channel"), which a long channel makes last longer than any retry.
 */
async function waitForCatchUp(network: Network, org: Organization, log: Log, timeoutMillis = 300_000): Promise<void> {
    const theirs = allPeers(network).filter((peer) => peer.org === org.name);
    const existing = allPeers(network).filter((peer) => peer.org !== org.name);
    const target = Math.max(...(await chainInfo(network, existing.slice(0, 1))).map((info) => info.height));
    const deadline = Date.now() + timeoutMillis;
    for (;;) {
        const heights = (await chainInfo(network, theirs).catch(() => [])).map((info) => info.height);
        if (heights.length === theirs.length && heights.every((height) => height >= target)) {
            log(`${org.name}'s peers reached height ${String(target)} of ${network.channel.name}`);
            return;
        }
        if (Date.now() > deadline) {
            throw new Error(`${org.name}'s peers did not reach height ${String(target)} of ${network.channel.name} in ${String(timeoutMillis / 1000)} s (at ${heights.join(', ') || 'unknown'})`);
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
    }
}

export interface RemoveOptions {
    /** Stop the organisation's peers and chaincode servers afterwards (default true). */
    stopNodes?: boolean;
}

/**
 * An organisation that joined leaves: the chaincodes' governors revoke the roles it was given, endorsement policies
 * that named it are committed without it (a new sequence the remaining organisations approve), and its group is
 * removed from the channel by a configuration update the remaining admins sign. From then on the orderers refuse
 * its transactions and the other peers neither discover nor accept its endorsements. Organisations of
 * network/topology.json stay: the policies of the topology name them.
 */
export async function removeOrganization(base: Network, name: string, log: Log, options: RemoveOptions = {}): Promise<Network> {
    const fabric = await ensureFabric(log);
    const state = readConsortiumState(base.dir);
    const entry = state?.joined.find((o) => o.name === name && o.removed !== true);
    const org = base.organizations.find((o) => o.name === name);
    if (!state || !entry || !org) {
        throw new Error(`${name} is not an organisation that joined the network in ${base.dir}`);
    }
    for (const chaincode of base.chaincodes) {
        await revokeRoles(base, chaincode, org, log);
    }
    writeConsortiumState(base.dir, { ...state, joined: state.joined.map((o) => (o.name === name ? { ...o, removed: true } : o)) });
    const network = reloadNetwork(base);
    // Policies without it first, while its admins can still see the channel: new sequences where it endorsed.
    await deploy(network, log, {}, fabric);
    for (const { name: channel } of network.channels) {
        const original = await fetchChannelConfig(network, fabric, network.organizations[0] as Organization, channel);
        if (!applicationOrganizations(original).includes(name)) {
            continue;
        }
        const updated = structuredClone(original);
        const application = updated.channel_group.groups.Application;
        application.groups = Object.fromEntries(Object.entries(application.groups).filter(([group]) => group !== name));
        await updateChannelConfig(network, fabric, channel, original, updated, signersFor(network, original, name), log);
        log(`${name} removed from channel ${channel}`);
    }
    rmSync(join(network.paths.env, `${name}.env`), { force: true });
    writeConnectionProfile(network);
    writeAdminEnvFiles(network, fabric);
    if (options.stopNodes !== false) {
        await stopOrganizationNodes(base, name, log);
    }
    return network;
}

/** Stops an organisation's chaincode servers and peers. */
export async function stopOrganizationNodes(network: Network, name: string, log: Log): Promise<void> {
    const org = network.organizations.find((o) => o.name === name);
    const servers = network.chaincodes.flatMap((c) => c.servers).filter((s) => s.organizations.length === 1 && s.organizations[0] === name);
    for (const processName of [...servers.map((s) => s.name), ...(org?.peers.map((p) => p.host) ?? [])]) {
        if (await stopProcess(network.paths.pids, processName)) {
            log(`stopped ${processName}`);
        }
    }
}
