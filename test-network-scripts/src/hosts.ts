import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { ProcessSpec } from './processes';
import { allPeers, type Host, type Network, netnsSubnet, type Tier } from './topology';

/**
 * One host per organisation on this machine (EDGETRUST_HOSTS=netns): each host is a Linux network namespace with
 * one veth pair into a bridge in this machine's namespace, which holds the subnet's `.1` (where applications, the
 * scripts and the tests run: the edge application's site). Names derive from the port base, so two networks on one
 * machine never share a namespace, link or address. Needs root (`ip netns`). The partition scenario
 * (bench/src/chaos/partition.ts) makes its namespace with the same functions.
 */

/** The TCP relay script (relay.ts): link delays here, the partition scenario's cut site. */
export const RELAY_SCRIPT = join(__dirname, 'relay.js');

export function ip(...args: string[]): string {
    return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function quietly(fn: () => unknown): void {
    try {
        fn();
    } catch {
        // not there
    }
}

export function namespaceExists(name: string): boolean {
    return ip('netns', 'list').split('\n').some((line) => line.split(' ')[0] === name);
}

/** Makes a namespace with its loopback up. */
export function makeNamespace(name: string): void {
    ip('netns', 'add', name);
    ip('-n', name, 'link', 'set', 'lo', 'up');
}

/** Deletes a namespace (and the veth pairs with an end in it); safe when it is not there. */
export function deleteNamespace(name: string): void {
    quietly(() => ip('netns', 'del', name));
}

/**
 * A veth pair from this machine's namespace into `namespace`: the outside end `outside` gets `outsideCidr` or joins
 * `bridge`, the inside end `inside` gets `insideCidr`; both up.
 */
export function linkNamespace(link: { namespace: string; outside: string; inside: string; insideCidr: string; outsideCidr?: string; bridge?: string }): void {
    ip('link', 'add', link.outside, 'type', 'veth', 'peer', 'name', link.inside);
    ip('link', 'set', link.inside, 'netns', link.namespace);
    if (link.outsideCidr) {
        ip('addr', 'add', link.outsideCidr, 'dev', link.outside);
    }
    if (link.bridge) {
        ip('link', 'set', link.outside, 'master', link.bridge);
    }
    ip('link', 'set', link.outside, 'up');
    ip('-n', link.namespace, 'addr', 'add', link.insideCidr, 'dev', link.inside);
    ip('-n', link.namespace, 'link', 'set', link.inside, 'up');
}

/** The bridge of a netns network and its address, the applications' side. */
export function bridgeOf(network: Network): { name: string; address: string } {
    return { name: `etb${String(network.portBase)}`, address: `${netnsSubnet(network.portBase)}.1` };
}

/** The command that runs a node on its host: `ip netns exec <namespace>` in netns mode, nothing otherwise. */
export function launcherOf(network: Network, hostName: string | undefined): string[] {
    const namespace = network.hosts.find((h) => h.name === hostName)?.namespace;
    return namespace === undefined ? [] : ['ip', 'netns', 'exec', namespace];
}

/**
 * The address a node binds: its host's address, except with link delays, where the host's delay relay holds that
 * address and the node listens on the namespace's own 127.0.0.1 behind it.
 */
export function bindAddress(network: Network, address: string): string {
    return network.delayed ? '127.0.0.1' : address;
}

/** Makes the bridge and every host's namespace and link that are missing; returns what it made. */
export function makeHosts(network: Network): string[] {
    if (network.hostsMode !== 'netns') {
        return [];
    }
    const made: string[] = [];
    const bridge = bridgeOf(network);
    if (!ip('link', 'show').includes(`: ${bridge.name}:`)) {
        ip('link', 'add', bridge.name, 'type', 'bridge');
        ip('addr', 'add', `${bridge.address}/24`, 'dev', bridge.name);
        ip('link', 'set', bridge.name, 'up');
        made.push(`bridge ${bridge.name} (${bridge.address}/24)`);
    }
    network.hosts.forEach((host, i) => {
        const namespace = host.namespace as string;
        if (namespaceExists(namespace)) {
            return;
        }
        makeNamespace(namespace);
        linkNamespace({ namespace, outside: `et${String(network.portBase)}v${String(i)}`, inside: `et${String(network.portBase)}i${String(i)}`, insideCidr: `${host.address}/24`, bridge: bridge.name });
        made.push(`${host.name} in ${namespace} (${host.address})`);
    });
    return made;
}

/** Removes every host's namespace (with its link) and the bridge. */
export function removeHosts(network: Network): void {
    if (network.hostsMode !== 'netns') {
        return;
    }
    for (const host of network.hosts) {
        deleteNamespace(host.namespace as string);
    }
    quietly(() => ip('link', 'del', bridgeOf(network).name));
}

/** One-way delay in ms between two tiers (hosts.linkDelays, keys in alphabetical order). */
export function linkDelay(network: Network, a: Tier, b: Tier): number {
    return network.linkDelays[[a, b].sort().join('-')] ?? 0;
}

/** Every port a host's nodes listen on. */
export function hostPorts(network: Network, host: Host): number[] {
    return [
        ...network.orderers.filter((o) => o.hostName === host.name).flatMap((o) => [o.port, o.adminPort, o.operationsPort]),
        ...allPeers(network)
            .filter((p) => p.hostName === host.name)
            .flatMap((p) => [p.port, p.operationsPort]),
        ...[...network.chaincodes, ...network.benchmarkChaincodes].flatMap((c) => c.servers.filter((s) => s.hostName === host.name).map((s) => s.port)),
    ];
}

/**
 * The delay relay of a host (link delays on): listens on the host's address at each of its nodes' ports, forwards to
 * the node on the namespace's 127.0.0.1, and holds each chunk for the delay between the source's tier and the host's
 * (the bridge's address is the edge application). See relay.ts for why a relay and not `tc netem`.
 */
export function delayRelayProcess(network: Network, host: Host): ProcessSpec {
    const sources = [
        { address: bridgeOf(network).address, tier: 'edge' as Tier },
        ...network.hosts.filter((h) => h !== host).map((h) => ({ address: h.address, tier: h.tier })),
    ];
    const delays = sources.flatMap((s) => ['--delay', `${s.address}=${String(linkDelay(network, s.tier, host.tier))}`]);
    return {
        name: `relay-${host.name}`,
        command: process.execPath,
        args: [RELAY_SCRIPT, ...delays, ...hostPorts(network, host).map((p) => `${host.address}:${String(p)}=127.0.0.1:${String(p)}`)],
        env: {},
        launcher: launcherOf(network, host.name),
    };
}
