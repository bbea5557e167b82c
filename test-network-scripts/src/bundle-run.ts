import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureFabric } from './binaries';
import { foreignPrivateKeys, writeBundle } from './bundle';
import { launcherOf, makeHosts, removeHosts } from './hosts';
import { joinChannel } from './lifecycle';
import { deploy, type Log, waitForNodePorts } from './network';
import { tail, waitForHealthy } from './processes';
import { allPeers, type Network, REPO_ROOT } from './topology';

/**
 * Runs the consortium from its host bundles on this machine (netns mode): every host's bundle is written, checked
 * for other organisations' private keys, and its start.sh run inside the host's namespace, as an operator runs it
 * on the host's own machine; the orderers and peers then join the channels and the chaincodes are deployed from
 * outside with the admins' material, as `up` does (`deploy` finds each host's chaincode servers already serving).
 */
export async function bundlesUp(network: Network, log: Log): Promise<void> {
    if (network.hostsMode !== 'netns') {
        throw new Error('bundles-up runs the bundles in network namespaces on this machine: set EDGETRUST_HOSTS=netns');
    }
    const fabric = await ensureFabric(log);
    for (const made of makeHosts(network)) {
        log(`host ${made}`);
    }
    for (const host of network.hosts) {
        const dir = await writeBundle(network, fabric, host.name, log);
        const leaked = foreignPrivateKeys(network, dir, host);
        if (leaked.length > 0) {
            throw new Error(`the bundle of ${host.name} holds other organisations' private keys: ${leaked.join(', ')}`);
        }
        const out = execFileSync(launcherOf(network, host.name)[0] ?? 'sh', [...launcherOf(network, host.name).slice(1), join(dir, 'start.sh')], {
            encoding: 'utf8',
            env: { ...process.env, FABRIC_BIN_DIR: fabric.binDir, FABRIC_CFG_PATH: fabric.configDir, NODE: process.execPath, EDGETRUST_HOME: REPO_ROOT },
        });
        log(`${host.name} (${host.namespace ?? ''}): ${out.trim().split('\n').join(', ')}`);
    }
    const bundleLogs = (hostName: string): string => join(network.dir, 'bundles', hostName, 'logs');
    const nodes = [...network.orderers, ...allPeers(network)];
    await Promise.all(nodes.map((n) => waitForHealthy(n.host, n.operationsPort, bundleLogs(n.hostName), 60_000, n.address)));
    // The bundles' start.sh keep their own pid files (a bare pid) and logs, not the scripts' (network.paths).
    const hostOf = new Map(nodes.map((n) => [n.host, n.hostName]));
    const bundleFile = (node: string, folder: string, suffix: string): string => join(network.dir, 'bundles', hostOf.get(node) ?? '', folder, `${node}${suffix}`);
    await waitForNodePorts(network, log, {
        stillRunning: (node) => {
            try {
                process.kill(Number(readFileSync(bundleFile(node, 'pids', '.pid'), 'utf8').trim()), 0);
                return true;
            } catch {
                return false;
            }
        },
        diagnostics: (node) => tail(bundleFile(node, 'logs', '.log')),
    });
    await joinChannel(network, fabric, log);
    await deploy(network, log, {}, fabric);
}

/** Stops every host's bundle (its stop.sh, in its namespace) and removes the namespaces. */
export function bundlesDown(network: Network, log: Log): void {
    for (const host of network.hosts) {
        const stop = join(network.dir, 'bundles', host.name, 'stop.sh');
        if (existsSync(stop) && host.namespace !== undefined) {
            try {
                const out = execFileSync('ip', ['netns', 'exec', host.namespace, stop], { encoding: 'utf8' });
                log(`${host.name}: ${out.trim().split('\n').join(', ')}`);
            } catch (err) {
                log(`${host.name}: ${err instanceof Error ? err.message : String(err)}`);
            }
        }
    }
    removeHosts(network);
    log('removed the hosts\' network namespaces');
}
