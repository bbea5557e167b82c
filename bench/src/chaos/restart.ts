import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Network as Channel } from '@hyperledger/fabric-gateway';
import { connect, followChaincodeEvents, loadNetworkProfile } from '@edgetrust/gateway-sdk';
import { down, type Network, networkFromEnv, up } from '@edgetrust/test-network-scripts';
import { checkLedgers } from './ledgers';
import { firstLine, Load, SETTLE_MS, SUBMITTERS } from './load';
import { pidOf } from './probes';

/**
 * Full stop and start of the network under load while an event follower runs (issue: survives crashes).
 * Submitters anchor evidence through one EdgeOrg connection, and a follower (the SDK's followChaincodeEvents with a
 * checkpoint file, through another connection) hands every evidence event to a handler that counts it. Two rounds:
 * `stop` (network down: SIGTERM to every node, as an operator stops it) and `power-cut` (SIGKILL to every node at
 * once); each time the network stays down CHAOS_DOWN_SECONDS (default 20) and is started again with `network up`.
 * The follower is never restarted by hand: when its stream fails it calls followChaincodeEvents again with the same
 * checkpoint file, as an application would. At the end the peers' chains are compared (height and last block hash),
 * every acknowledged anchor is looked up on every peer, and every committed evidence event is compared with what the
 * follower handled: a gap is an event it never handled, a duplicate one handled twice.
 * Usage: npm run chaos -- restart [stop|power-cut ...]   (default both)
 */

const DOWN_MS = Number(process.env.CHAOS_DOWN_SECONDS ?? 20) * 1000;
const ROUNDS = ['stop', 'power-cut'] as const;
type Round = (typeof ROUNDS)[number];

/** Follows evidence events through failures, resuming from its checkpoint file each time. */
class Follower {
    readonly handled = new Map<string, number>();
    readonly interruptions: { at: number; message: string }[] = [];
    readonly #handledAt: number[] = [];
    readonly #controller = new AbortController();
    #done: Promise<void> | undefined;

    start(channel: Channel, checkpointFile: string): void {
        this.#done = this.#follow(channel, checkpointFile);
    }

    async #follow(channel: Channel, checkpointFile: string): Promise<void> {
        const signal = this.#controller.signal;
        const handle = (event: { transactionId: string }): Promise<void> => {
            this.handled.set(event.transactionId, (this.handled.get(event.transactionId) ?? 0) + 1);
            this.#handledAt.push(Date.now());
            return Promise.resolve();
        };
        while (!this.#stopped()) {
            try {
                await followChaincodeEvents({ network: channel, chaincode: 'evidence', checkpointFile, startBlock: 0n, signal }, handle);
                if (!this.#stopped()) {
                    this.interruptions.push({ at: Date.now(), message: 'event stream ended' });
                }
            } catch (err) {
                this.interruptions.push({ at: Date.now(), message: firstLine(err) });
                await sleep(1000);
            }
        }
    }

    #stopped(): boolean {
        return this.#controller.signal.aborted;
    }

    /** When the follower first handled an event at or after `from`. */
    firstHandledAfter(from: number): number | undefined {
        return this.#handledAt.find((at) => at >= from);
    }

    async stop(): Promise<void> {
        this.#controller.abort();
        await this.#done;
    }

    /** Waits until the follower has handled every one of `txIds` (bounded); false if it has not. */
    async waitFor(txIds: readonly string[], timeoutMs = 60_000): Promise<boolean> {
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
            if (txIds.every((id) => this.handled.has(id))) {
                return true;
            }
            await sleep(250);
        }
        return false;
    }
}

function killEveryNode(network: Network): number {
    let killed = 0;
    const names = [...network.orderers.map((o) => o.host), ...network.organizations.flatMap((o) => o.peers.map((p) => p.host)), ...network.chaincodes.flatMap((c) => c.servers.map((s) => s.name))];
    for (const name of names) {
        const pid = pidOf(network, name);
        if (pid !== undefined) {
            try {
                process.kill(pid, 'SIGKILL');
                killed++;
            } catch {
                // not running
            }
        }
    }
    return killed;
}

/** One full stop and start under load; the table row it measured. */
async function runRound(network: Network, round: Round, load: Load, follower: Follower): Promise<string> {
    const faultAt = Date.now();
    if (round === 'stop') {
        await down(network, () => undefined);
    } else {
        killEveryNode(network);
    }
    const stoppedMs = Date.now() - faultAt;
    await sleep(DOWN_MS);
    const upAt = Date.now();
    let upOutcome = 'ok';
    try {
        await up(network, () => undefined);
    } catch (err) {
        upOutcome = `failed: ${firstLine(err)}`;
    }
    const upMs = Date.now() - upAt;
    await sleep(SETTLE_MS);
    const end = Date.now();
    const w = load.window(faultAt, end);
    const firstAck = load.firstAckAfter(upAt);
    const firstEvent = follower.firstHandledAfter(upAt);
    const interruptions = follower.interruptions.filter((i) => i.at >= faultAt && i.at < end);
    const since = (at: number | undefined): string => (at === undefined ? 'never' : `${String(at - upAt)} ms`);
    const row = `| ${round} | ${String(SUBMITTERS)} submitters | whole network ${round === 'stop' ? 'stopped (SIGTERM)' : 'SIGKILLed'} in ${String(stoppedMs)} ms, down ${String(DOWN_MS / 1000)} s | ${String(w.acknowledged)} | ${String(w.failed)} | ${String(w.stallMs)} ms | up ${upOutcome} in ${String(upMs)} ms; first ack ${since(firstAck)} after up began; follower interrupted ${String(interruptions.length)}×, first event handled ${since(firstEvent)} after up began |`;
    console.log(row);
    if (w.firstFailure) {
        console.log(`    first failure: ${w.firstFailure.slice(0, 200)}`);
    }
    for (const i of interruptions.slice(0, 3)) {
        console.log(`    follower: ${i.message.slice(0, 200)}`);
    }
    return row;
}

/** `restart [round ...]`: see the comment at the top. */
export async function restartScenario(named: readonly string[]): Promise<void> {
    const unknown = named.filter((r) => !(ROUNDS as readonly string[]).includes(r));
    if (unknown.length > 0) {
        throw new Error(`unknown round(s) ${unknown.join(', ')}; known: ${ROUNDS.join(' ')}`);
    }
    const rounds = (named.length > 0 ? named : ROUNDS) as Round[];
    const network = networkFromEnv();
    const profile = loadNetworkProfile(network.paths.connectionProfile);
    const connection = await connect({ profile, organization: 'EdgeOrg' });
    const followerConnection = await connect({ profile, organization: 'EdgeOrg', consistency: false });
    const checkpointDir = mkdtempSync(join(tmpdir(), 'edgetrust-chaos-follow-'));
    const follower = new Follower();
    follower.start(followerConnection.gateway.getNetwork(profile.channel), join(checkpointDir, 'checkpoint.json'));
    const load = new Load(connection.gateway.getNetwork(profile.channel).getContract('evidence'), `${String(process.pid)}-${String(Date.now())}`, SUBMITTERS);
    console.log(`${String(SUBMITTERS)} submitters anchoring evidence through ${connection.peer.name}, an evidence event follower through ${followerConnection.peer.name}; the whole network stopped ${String(DOWN_MS / 1000)} s per round`);
    load.start();
    await sleep(SETTLE_MS);
    const rows: string[] = [];
    for (const round of rounds) {
        rows.push(await runRound(network, round, load, follower));
    }
    await load.stop();
    connection.close();
    const check = await checkLedgers(network, profile, load.acks);
    const caughtUp = await follower.waitFor(check.events);
    await follower.stop();
    followerConnection.close();
    rmSync(checkpointDir, { recursive: true, force: true });

    const committed = new Set(check.events);
    const gaps = check.events.filter((id) => !follower.handled.has(id)).length;
    const duplicates = [...follower.handled.values()].filter((n) => n > 1).length;
    const strangers = [...follower.handled.keys()].filter((id) => !committed.has(id)).length;
    for (const line of check.lines) {
        console.log(line);
    }
    console.log(`chains identical on every peer: ${check.identical ? 'yes' : 'NO'}`);
    console.log(
        `follower: ${String(check.events.length)} committed evidence events, ${String(follower.handled.size)} handled, ${String(gaps)} never handled (gaps), ${String(duplicates)} handled twice or more (duplicates), ${String(strangers)} handled but not on the ledger; caught up: ${caughtUp ? 'yes' : 'no'}; interrupted ${String(follower.interruptions.length)}×`,
    );
    console.log('\n| round | load | fault | acknowledged | failed | longest stall | recovery |');
    console.log('|---|---|---|---|---|---|---|');
    for (const row of rows) {
        console.log(row);
    }
    console.log(`\ntotal: ${String(load.acks.length)} acknowledged, ${String(load.failures.length)} failed, ${String(check.lost)} acknowledged lost`);
}
