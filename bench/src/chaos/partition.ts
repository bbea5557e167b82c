import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, loadNetworkProfile } from '@edgetrust/gateway-sdk';
import {
    allPeers,
    deleteNamespace,
    ip,
    linkNamespace,
    makeNamespace,
    type Network,
    networkFromEnv,
    type PeerNode,
    RELAY_SCRIPT,
    restartPeer,
    startChaincodeServersIn,
    stopNodes,
} from '@edgetrust/test-network-scripts';
import { checkLedgers } from './ledgers';
import { firstLine, Load, SETTLE_MS, SUBMITTERS } from './load';
import { heightOf, heights, waitForEqualHeights } from './probes';
import type { SiteOutcome } from './site-app';

/**
 * An edge site cut off from the rest of the network (issue: survives partitions). The site's peer (EdgeOrg's
 * second edge peer by default, or the peer named) is restarted inside a Linux network namespace of its own, linked
 * to this machine's by one veth pair; its application (chaos/site-app.ts) runs in the same namespace and reads and
 * writes through that peer, while CHAOS_SUBMITTERS submitters outside anchor through EdgeOrg's other peer. The cut
 * takes the veth link down for CHAOS_CUT_SECONDS (default 30); then the link comes back and the time until every
 * peer has the same ledger height is measured. The namespace, link and relays are made here and removed at the end,
 * and the peer is started again outside. The site runs its own copies of its organisation's chaincode servers, as an
 * edge site would (CHAOS_SITE_CHAINCODE=0: its peer uses the servers outside, across the cut). Needs root (ip netns).
 * Usage: npm run chaos -- partition [peer host]
 */

const CUT_MS = Number(process.env.CHAOS_CUT_SECONDS ?? 30) * 1000;
const DIST = __dirname;

/** The namespace, its veth pair and addresses; names derive from the port base so two networks never share them. */
class Site {
    readonly namespace: string;
    readonly outsideLink: string;
    readonly insideLink: string;
    readonly outsideAddress: string;
    readonly insideAddress: string;
    readonly #relays: ChildProcess[] = [];
    /** The site's own chaincode servers (process names), if it runs them. */
    servers: string[] = [];

    constructor(portBase: number) {
        const subnet = Math.floor(portBase / 100) % 64;
        this.namespace = `edgetrust-${String(portBase)}`;
        this.outsideLink = `et${String(portBase)}o`;
        this.insideLink = `et${String(portBase)}i`;
        this.outsideAddress = `10.231.${String(subnet)}.1`;
        this.insideAddress = `10.231.${String(subnet)}.2`;
    }

    async make(): Promise<void> {
        await this.remove();
        makeNamespace(this.namespace);
        linkNamespace({ namespace: this.namespace, outside: this.outsideLink, inside: this.insideLink, outsideCidr: `${this.outsideAddress}/30`, insideCidr: `${this.insideAddress}/30` });
    }

    /**
     * Relays that keep every 127.0.0.1 address working across the link: the site's own ports (`sitePorts`) are
     * reached from outside through the link, every other port of the network from inside (test-network-scripts' relay.ts).
     */
    async relay(sitePorts: readonly number[], otherPorts: readonly number[]): Promise<void> {
        const outside = [
            ...otherPorts.map((p) => `${this.outsideAddress}:${String(p)}=127.0.0.1:${String(p)}`),
            ...sitePorts.map((p) => `127.0.0.1:${String(p)}=${this.insideAddress}:${String(p)}`),
        ];
        const inside = [
            ...otherPorts.map((p) => `127.0.0.1:${String(p)}=${this.outsideAddress}:${String(p)}`),
            ...sitePorts.map((p) => `${this.insideAddress}:${String(p)}=127.0.0.1:${String(p)}`),
        ];
        await Promise.all([this.#start(process.execPath, [RELAY_SCRIPT, ...outside]), this.#start('ip', ['netns', 'exec', this.namespace, process.execPath, RELAY_SCRIPT, ...inside])]);
    }

    async #start(command: string, args: string[]): Promise<void> {
        const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
        this.#relays.push(child);
        await new Promise<void>((resolve, reject) => {
            child.once('exit', (code) => reject(new Error(`relay exited with ${String(code)}`)));
            createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', () => resolve());
        });
    }

    cut(): void {
        ip('link', 'set', this.outsideLink, 'down');
    }

    heal(): void {
        ip('link', 'set', this.outsideLink, 'up');
    }

    /** Stops the relays and deletes the namespace (which deletes the veth pair with it); safe to call twice. */
    async remove(): Promise<void> {
        await Promise.all(
            this.#relays.splice(0).map(async (relay) => {
                if (relay.exitCode === null && relay.signalCode === null) {
                    const exited = new Promise((resolve) => relay.once('exit', resolve));
                    relay.kill();
                    await exited;
                }
            }),
        );
        deleteNamespace(this.namespace);
        try {
            ip('link', 'del', this.outsideLink);
        } catch {
            // went with the namespace
        }
    }
}

/**
 * What the site's application saw in [from, to): per kind of call, the calls that ended then (ok, failed by code,
 * the slowest), and the calls started then that had not ended by `to` (left hanging by the cut).
 */
function summarise(outcomes: readonly SiteOutcome[], from: number, to: number): string {
    const kinds: [SiteOutcome['op'], string][] = [
        ['read', 'plain reads'],
        ['token-read', 'token reads'],
        ['write', 'anchors'],
    ];
    const parts = kinds.map(([op, label]) => {
        const ended = outcomes.filter((o) => o.op === op && o.end >= from && o.end < to);
        const ok = ended.filter((o) => o.ok).length;
        const codes = new Map<string, number>();
        for (const o of ended.filter((x) => !x.ok)) {
            codes.set(o.code ?? '?', (codes.get(o.code ?? '?') ?? 0) + 1);
        }
        const slowest = Math.max(0, ...ended.map((o) => o.end - o.start));
        const hanging = outcomes.filter((o) => o.op === op && o.start >= from && o.start < to && o.end >= to).length;
        const failed = [...codes].map(([c, n]) => `${c} ×${String(n)}`).join(', ');
        return `${label} ${String(ok)} ok, ${String(ended.length - ok)} failed${failed ? ` (${failed})` : ''}, slowest ${String(slowest)} ms${hanging > 0 ? `, ${String(hanging)} still waiting at the end` : ''}`;
    });
    const peer = outcomes.filter((o) => o.op === 'peer' && o.start >= from && o.start < to && o.ok);
    const range = (values: number[]): string => (values.length > 0 ? `${String(Math.min(...values))}..${String(Math.max(...values))}` : '?');
    parts.push(`site peer height ${range(peer.map((o) => o.height ?? -1))}`, `peers its gossip knows ${range(peer.map((o) => o.peersKnown ?? -1))}`);
    return parts.join('; ');
}

/** Restarts the peer inside the site's namespace, behind relays, and waits until it has caught up. */
async function moveIntoSite(network: Network, site: Site, victim: PeerNode): Promise<void> {
    try {
        await site.make();
    } catch (err) {
        throw new Error(`cannot make the site's network namespace (ip netns): ${firstLine((err as { stderr?: string }).stderr ?? err)}`);
    }
    // The site runs its own copies of its organisation's chaincode servers (CHAOS_SITE_CHAINCODE=0: those outside).
    const ownServers = process.env.CHAOS_SITE_CHAINCODE !== '0';
    const otherPorts = [
        ...network.orderers.map((o) => o.port),
        ...allPeers(network)
            .filter((p) => p !== victim)
            .map((p) => p.port),
        ...(ownServers ? [] : network.chaincodes.flatMap((c) => c.servers.map((s) => s.port))),
    ];
    // The relays take over the peer's 127.0.0.1 ports outside, so they start once it has stopped there.
    await restartPeer(network, victim.host, site.namespace, async () => {
        await site.relay([victim.port, victim.operationsPort], otherPorts);
        if (ownServers) {
            site.servers = startChaincodeServersIn(network, victim.org, site.namespace);
        }
    });
    const startedAt = Date.now();
    while ((await heightOf(`127.0.0.1:${String(victim.operationsPort)}`)) < 0) {
        if (Date.now() - startedAt > 60_000) {
            throw new Error(`${victim.host} did not answer through the site link within 60 s`);
        }
        await sleep(250);
    }
    const equalMs = await waitForEqualHeights(network, startedAt);
    console.log(`${victim.host} (${victim.site}) runs in network namespace ${site.namespace} (${site.insideAddress}, link ${site.outsideLink}); equal heights ${String(equalMs)} ms after its start`);
}

/** The site's application in the namespace, fed the outside connection's consistency tokens twice a second. */
class SiteApplication {
    readonly outcomes: SiteOutcome[] = [];
    readonly #child: ChildProcess;
    readonly #tokens: NodeJS.Timeout;

    constructor(network: Network, site: Site, victim: PeerNode, recordId: string, token: () => string | undefined) {
        const args = [join(DIST, 'site-app.js'), network.paths.connectionProfile, victim.org, victim.host, `127.0.0.1:${String(victim.operationsPort)}`, recordId];
        this.#child = spawn('ip', ['netns', 'exec', site.namespace, process.execPath, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
        createInterface({ input: this.#child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
            try {
                this.outcomes.push(JSON.parse(line) as SiteOutcome);
            } catch {
                console.log(`site: ${line}`);
            }
        });
        this.#tokens = setInterval(() => {
            const text = token();
            if (text !== undefined) {
                this.#child.stdin?.write(`${text}\n`);
            }
        }, 500);
    }

    /** Closes its stdin (it finishes the round it is in and exits). */
    async stop(): Promise<void> {
        clearInterval(this.#tokens);
        if (this.#child.exitCode !== null) {
            return;
        }
        const exited = new Promise((resolve) => this.#child.once('exit', resolve));
        this.#child.stdin?.end();
        await exited;
    }
}

/** Load, cut, heal, catch up: prints what the outside load and the site's application saw in each phase. */
async function cutAndHeal(network: Network, site: Site, load: Load, app: SiteApplication): Promise<void> {
    load.start();
    await sleep(SETTLE_MS);
    const cutAt = Date.now();
    site.cut();
    await sleep(CUT_MS);
    const cutHeights = await heights(network);
    const healAt = Date.now();
    site.heal();
    const caughtUpMs = await waitForEqualHeights(network, healAt);
    const caughtUpAt = Date.now();
    await sleep(SETTLE_MS);
    const end = Date.now();
    await app.stop();
    await load.stop();

    const sitePeer = app.outcomes.filter((o) => o.op === 'peer' && o.ok && o.start < healAt).at(-1);
    console.log(`\nheights at the end of the cut (outside view, -1 = unreachable): ${cutHeights.join(', ')}; the site peer's own (inside view): ${String(sitePeer?.height ?? '?')}`);
    console.log(`site application before the cut: ${summarise(app.outcomes, 0, cutAt)}`);
    console.log(`site application during the cut: ${summarise(app.outcomes, cutAt, healAt)}`);
    console.log(`site application after healing, until equal heights: ${summarise(app.outcomes, healAt, caughtUpAt)}`);
    console.log(`site application from equal heights on: ${summarise(app.outcomes, caughtUpAt, end)}`);
    console.log('\n| phase | outside load: acknowledged | failed | longest stall |');
    console.log('|---|---|---|---|');
    const phases: [string, number, number][] = [
        [`before the cut (${String(SETTLE_MS / 1000)} s)`, cutAt - SETTLE_MS, cutAt],
        [`cut (${String(CUT_MS / 1000)} s)`, cutAt, healAt],
        [`after healing (${String((end - healAt) / 1000)} s)`, healAt, end],
    ];
    for (const [label, from, to] of phases) {
        const w = load.window(from, to);
        console.log(`| ${label} | ${String(w.acknowledged)} | ${String(w.failed)} | ${String(w.stallMs)} ms |${w.firstFailure ? ` first failure: ${w.firstFailure.slice(0, 160)}` : ''}`);
    }
    console.log(`\nsite peer caught up (equal ledger heights) ${caughtUpMs < 0 ? 'NOT within 120 s' : `${String(caughtUpMs)} ms`} after the link came back`);
}

/** `partition [peer host]`: see the comment at the top. */
export async function partition(args: readonly string[]): Promise<void> {
    const network = networkFromEnv();
    const profile = loadNetworkProfile(network.paths.connectionProfile);
    const connection = await connect({ profile, organization: 'EdgeOrg' });
    const edge = network.organizations.find((o) => o.name === 'EdgeOrg');
    const victim = args[0] ? allPeers(network).find((p) => p.host === args[0]) : edge?.peers.find((p) => p.host !== connection.peer.name);
    if (!victim) {
        throw new Error(`no peer to cut off (${args[0] ?? 'EdgeOrg has one peer'})`);
    }
    const evidence = connection.gateway.getNetwork(profile.channel).getContract('evidence');
    const recordId = `chaos-partition-${String(process.pid)}`;
    const digest = createHash('sha256').update(recordId).digest('hex');
    await evidence.submitTransaction('Anchor', JSON.stringify({ id: recordId, digest, name: recordId, size: 1, mediaType: 'text/plain', source: { type: 'device', id: 'chaos' } }));
    const load = new Load(evidence, `${String(process.pid)}-${String(Date.now())}`, SUBMITTERS);
    const site = new Site(network.portBase);
    let app: SiteApplication | undefined;
    try {
        await moveIntoSite(network, site, victim);
        console.log(`${String(SUBMITTERS)} submitters anchoring evidence through ${connection.peer.name}; the site's application reads and anchors through ${victim.host}; cut ${String(CUT_MS / 1000)} s`);
        app = new SiteApplication(network, site, victim, recordId, () => connection.consistencyToken()?.toString());
        await cutAndHeal(network, site, load, app);
    } finally {
        await app?.stop();
        await load.stop();
        // Back outside as `up` starts it, once the relays have given its ports back.
        await restartPeer(network, victim.host, undefined, async () => {
            await stopNodes(network, site.servers);
            await site.remove();
        });
    }
    await waitForEqualHeights(network, Date.now());
    connection.close();
    const check = await checkLedgers(network, profile, load.acks);
    for (const line of check.lines) {
        console.log(line);
    }
    console.log(`chains identical on every peer: ${check.identical ? 'yes' : 'NO'}`);
    console.log(`total outside: ${String(load.acks.length)} acknowledged, ${String(load.failures.length)} failed, ${String(check.lost)} acknowledged lost`);
}
