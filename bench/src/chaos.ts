import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Contract } from '@hyperledger/fabric-gateway';
import { connect, type Connection, loadNetworkProfile, type NetworkProfile } from '@edgetrust/gateway-sdk';
import { allPeers, type Network, networkFromEnv, up } from '@edgetrust/test-network-scripts';

/**
 * Crash scenarios under load on the real network (issue: survives crashes). Evidence anchors are submitted by
 * CHAOS_SUBMITTERS concurrent submitters (default 8) through one EdgeOrg connection while, one at a time, a node is
 * killed with SIGKILL, left down, and restarted with `network up`. Figures per victim: acknowledged and failed
 * submissions while it was down, the longest gap between two acknowledgements (stall), and the time from the
 * restart until every peer has the same ledger height again. At the end every acknowledged transaction is looked up
 * on every peer (each peer's own block stream): any missing one is counted as lost.
 * Usage: npm run chaos -- kill [victim ...]   (victims: leader-orderer follower-orderer gateway-peer other-peer
 *        chaincode-evidence chaincode-resource-billing chaincode-device-identity; default all, in that order)
 *        CHAOS_DOWN_SECONDS (default 20), CHAOS_SETTLE_SECONDS (default 10)
 */

const SUBMITTERS = Number(process.env.CHAOS_SUBMITTERS ?? 8);
const DOWN_MS = Number(process.env.CHAOS_DOWN_SECONDS ?? 20) * 1000;
const SETTLE_MS = Number(process.env.CHAOS_SETTLE_SECONDS ?? 10) * 1000;
const ALL_VICTIMS = [
    'leader-orderer',
    'follower-orderer',
    'gateway-peer',
    'other-peer',
    'chaincode-evidence',
    'chaincode-resource-billing',
    'chaincode-device-identity',
] as const;
type Victim = (typeof ALL_VICTIMS)[number];

interface Ack {
    txId: string;
    at: number;
}

class Load {
    readonly acks: Ack[] = [];
    readonly failures: { at: number; message: string }[] = [];
    #running = true;
    #done: Promise<unknown> | undefined;

    constructor(private readonly contract: Contract, private readonly run: string) {}

    start(): void {
        let n = 0;
        const submitter = async (): Promise<void> => {
            while (this.#running) {
                const id = `chaos-${this.run}-${String(n++)}`;
                const digest = createHash('sha256').update(id).digest('hex');
                const request = { id, digest, name: id, size: 1, mediaType: 'text/plain', source: { type: 'device', id: 'chaos' } };
                try {
                    const commit = await this.contract.submitAsync('Anchor', { arguments: [JSON.stringify(request)] });
                    const status = await commit.getStatus();
                    if (status.successful) {
                        this.acks.push({ txId: status.transactionId, at: Date.now() });
                    } else {
                        this.failures.push({ at: Date.now(), message: `validation code ${String(status.code)}` });
                    }
                } catch (err) {
                    this.failures.push({ at: Date.now(), message: err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err) });
                    await sleep(200);
                }
            }
        };
        this.#done = Promise.all(Array.from({ length: SUBMITTERS }, submitter));
    }

    async stop(): Promise<void> {
        this.#running = false;
        await this.#done;
    }

    /** Acknowledgements, failures and the longest gap between acknowledgements in [from, to). */
    window(from: number, to: number): { acknowledged: number; failed: number; stallMs: number; firstFailure?: string } {
        const times = [from, ...this.acks.filter((a) => a.at >= from && a.at < to).map((a) => a.at), to].sort((a, b) => a - b);
        let stallMs = 0;
        for (let i = 1; i < times.length; i++) {
            stallMs = Math.max(stallMs, (times[i] ?? 0) - (times[i - 1] ?? 0));
        }
        const failed = this.failures.filter((f) => f.at >= from && f.at < to);
        return { acknowledged: times.length - 2, failed: failed.length, stallMs, firstFailure: failed[0]?.message };
    }
}

function pidOf(network: Network, name: string): number | undefined {
    try {
        return (JSON.parse(readFileSync(join(network.paths.pids, `${name}.json`), 'utf8')) as { pid: number }).pid;
    } catch {
        return undefined;
    }
}

/**
 * Which orderer leads the channel, from the orderers' Prometheus metrics: Raft's consensus_etcdraft_is_leader, or
 * SmartBFT's consensus_smartbft_view_leader_id (the consenter id, 1-based in the order of the consenter mapping).
 */
async function raftLeader(network: Network): Promise<string | undefined> {
    for (const orderer of network.orderers) {
        try {
            const metrics = await (await fetch(`http://127.0.0.1:${String(orderer.operationsPort)}/metrics`)).text();
            const bftLeader = /^consensus_smartbft_view_leader_id\{[^}]*\} (\d+)$/m.exec(metrics)?.[1];
            if (network.consensus === 'bft' && bftLeader) {
                return network.orderers[Number(bftLeader) - 1]?.host;
            }
            if (/^consensus_etcdraft_is_leader\{[^}]*\} 1$/m.test(metrics)) {
                return orderer.host;
            }
        } catch {
            // a stopped orderer answers nothing
        }
    }
    return undefined;
}

/** With a server per organisation, the one EdgeOrg's peers (the load's organisation) use. */
function chaincodeServerName(network: Network, victim: string): string {
    const chaincode = network.chaincodes.find((c) => `chaincode-${c.name}` === victim);
    const server = chaincode?.servers.find((s) => s.organizations.includes('EdgeOrg')) ?? chaincode?.servers[0];
    return server?.name ?? victim;
}

async function victimName(network: Network, victim: Victim, gatewayPeer: string): Promise<string> {
    switch (victim) {
        case 'leader-orderer':
        case 'follower-orderer': {
            const leader = await raftLeader(network);
            if (!leader) {
                throw new Error('no orderer reports the channel\'s leader (is ORDERER_METRICS_PROVIDER=prometheus set?)');
            }
            return victim === 'leader-orderer' ? leader : (network.orderers.find((o) => o.host !== leader)?.host ?? leader);
        }
        case 'gateway-peer':
            return gatewayPeer;
        case 'other-peer':
            return allPeers(network).find((p) => p.host !== gatewayPeer)?.host ?? gatewayPeer;
        default:
            return chaincodeServerName(network, victim);
    }
}

/** `network up` in this process, so the load keeps running while the victim restarts (a child process run synchronously would pause it). */
async function restart(network: Network): Promise<string> {
    try {
        await up(network, () => undefined);
        return 'ok';
    } catch (err) {
        return `failed: ${err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)}`;
    }
}

async function heights(network: Network): Promise<number[]> {
    return Promise.all(
        allPeers(network).map(async (peer) => {
            try {
                const metrics = await (await fetch(`http://127.0.0.1:${String(peer.operationsPort)}/metrics`)).text();
                const match = /^ledger_blockchain_height\{channel="[^"]+"\} (\d+)$/m.exec(metrics);
                return Number(match?.[1] ?? -1);
            } catch {
                return -1;
            }
        }),
    );
}

/** Valid transaction ids in one peer's own ledger, read from that peer's block stream. */
async function validTransactionsOn(profile: NetworkProfile, org: string, peer: string, until: bigint): Promise<Set<string>> {
    const connection = await connect({ profile, organization: org, peer });
    const valid = new Set<string>();
    try {
        const events = await connection.gateway.getNetwork(profile.channel).getFilteredBlockEvents({ startBlock: 0n });
        try {
            for await (const block of events) {
                for (const tx of block.getFilteredTransactionsList()) {
                    if (tx.getTxValidationCode() === 0) {
                        valid.add(tx.getTxid());
                    }
                }
                if (BigInt(block.getNumber()) >= until - 1n) {
                    break;
                }
            }
        } finally {
            events.close();
        }
    } finally {
        connection.close();
    }
    return valid;
}

async function main(): Promise<void> {
    const [scenario = '', ...named] = process.argv.slice(2);
    if (scenario !== 'kill') {
        console.error(`usage: npm run chaos -- kill [${ALL_VICTIMS.join('|')} ...]`);
        process.exit(2);
    }
    const victims = (named.length > 0 ? named : ALL_VICTIMS) as Victim[];
    const network = networkFromEnv();
    const profile = loadNetworkProfile(network.paths.connectionProfile);
    const connection: Connection = await connect({ profile, organization: 'EdgeOrg' });
    const load = new Load(connection.gateway.getNetwork(profile.channel).getContract('evidence'), `${String(process.pid)}-${String(Date.now())}`);
    console.log(`${String(SUBMITTERS)} submitters anchoring evidence through ${connection.peer.name}; each victim SIGKILLed, down ${String(DOWN_MS / 1000)} s, then restarted with network up`);
    load.start();
    await sleep(SETTLE_MS);
    const rows: string[] = [];
    const baseline = load.window(Date.now() - SETTLE_MS, Date.now());
    rows.push(`| (no fault, ${String(SETTLE_MS / 1000)} s) | — | ${String(baseline.acknowledged)} | ${String(baseline.failed)} | ${String(baseline.stallMs)} ms | — |`);
    // The peer the connection started on: after a failover connection.peer names another one.
    const gatewayPeer = connection.peer.name;
    for (const victim of victims) {
        const name = await victimName(network, victim, gatewayPeer);
        const pid = pidOf(network, name);
        if (pid === undefined) {
            throw new Error(`${name} is not running`);
        }
        const killedAt = Date.now();
        process.kill(pid, 'SIGKILL');
        await sleep(DOWN_MS);
        const down = load.window(killedAt, Date.now());
        const restartAt = Date.now();
        const upOutcome = await restart(network);
        const upMs = Date.now() - restartAt;
        let caughtUpMs = -1;
        for (let waited = 0; waited < 120_000; waited += 250) {
            const h = await heights(network);
            if (h.every((x) => x > 0 && x === h[0])) {
                caughtUpMs = Date.now() - restartAt;
                break;
            }
            await sleep(250);
        }
        await sleep(SETTLE_MS);
        const after = load.window(restartAt, Date.now());
        rows.push(
            `| ${victim} (${name}) | ${String(DOWN_MS / 1000)} s down | ${String(down.acknowledged)} | ${String(down.failed)} | ${String(down.stallMs)} ms | up ${upOutcome} in ${String(upMs)} ms; equal heights ${caughtUpMs < 0 ? 'not reached' : `after ${String(caughtUpMs)} ms`}; next ${String(SETTLE_MS / 1000)} s: ${String(after.acknowledged)} acked, ${String(after.failed)} failed, stall ${String(after.stallMs)} ms |`,
        );
        console.log(rows.at(-1));
        if (down.firstFailure) {
            console.log(`    first failure while down: ${down.firstFailure.slice(0, 200)}`);
        }
    }
    await load.stop();
    console.log(`connection failovers: ${String(connection.failovers)}; on ${connection.peer.name} at the end`);
    connection.close();

    const height = BigInt(Math.max(...(await heights(network))));
    let lost = 0;
    for (const peer of allPeers(network)) {
        const valid = await validTransactionsOn(profile, peer.org, peer.host, height);
        const missing = load.acks.filter((a) => !valid.has(a.txId)).length;
        lost = Math.max(lost, missing);
        console.log(`${peer.host}: ${String(valid.size)} valid transactions, ${String(missing)} acknowledged anchors missing`);
    }
    console.log('\n| victim | fault | acknowledged while down | failed while down | longest stall while down | recovery |');
    console.log('|---|---|---|---|---|---|');
    for (const row of rows) {
        console.log(row);
    }
    console.log(`\ntotal: ${String(load.acks.length)} acknowledged, ${String(load.failures.length)} failed, ${String(lost)} acknowledged lost`);
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
