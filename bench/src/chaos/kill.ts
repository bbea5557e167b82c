import { setTimeout as sleep } from 'node:timers/promises';
import type { Contract } from '@hyperledger/fabric-gateway';
import { connect, type Connection, loadNetworkProfile } from '@edgetrust/gateway-sdk';
import { allPeers, type Network, networkFromEnv, up } from '@edgetrust/test-network-scripts';
import { firstLine, Load, SETTLE_MS, SUBMITTERS } from './load';
import { heights, ledgerOf, pidOf, raftLeader, waitForEqualHeights } from './probes';

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

const DOWN_MS = Number(process.env.CHAOS_DOWN_SECONDS ?? 20) * 1000;
export const ALL_VICTIMS = [
    'leader-orderer',
    'follower-orderer',
    'gateway-peer',
    'other-peer',
    'chaincode-evidence',
    'chaincode-resource-billing',
    'chaincode-device-identity',
] as const;
type Victim = (typeof ALL_VICTIMS)[number];

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

/**
 * The load anchors evidence only, so killing another chaincode's server shows whether the fault spreads, not whether
 * that chaincode still answers: for those victims a probe evaluates one of its read-only transactions every 250 ms
 * through the same connection while the victim is down.
 */
const PROBES: Readonly<Record<string, { chaincode: string; transaction: string; args: string[] }>> = {
    'chaincode-resource-billing': { chaincode: 'resource-billing', transaction: 'billing:ListRoles', args: [] },
    'chaincode-device-identity': { chaincode: 'device-identity', transaction: 'ReadRegistry', args: [] },
};

/** Evaluates `transaction` every 250 ms until `until` resolves; how many answered and failed, and the first failure. */
async function probe(contract: Contract, transaction: string, args: string[], until: Promise<void>): Promise<{ ok: number; failed: number; firstFailure?: string }> {
    const state = { done: false };
    void until.then(() => {
        state.done = true;
    });
    const outcome: { ok: number; failed: number; firstFailure?: string } = { ok: 0, failed: 0 };
    while (!state.done) {
        try {
            await contract.evaluate(transaction, { arguments: args });
            outcome.ok++;
        } catch (err) {
            outcome.failed++;
            outcome.firstFailure ??= firstLine(err);
        }
        await sleep(250);
    }
    return outcome;
}

/** Waits out the victim's down time, probing its chaincode meanwhile when the load does not use it (PROBES); prints what the probe saw. */
async function downWithProbe(connection: Connection, chaincodes: Readonly<Record<string, string>>, channel: string, victim: string): Promise<void> {
    const downFor = sleep(DOWN_MS);
    const spec = PROBES[victim];
    if (!spec) {
        await downFor;
        return;
    }
    const contract = connection.gateway.getNetwork(channel).getContract(chaincodes[spec.chaincode] ?? spec.chaincode);
    const seen = await probe(contract, spec.transaction, spec.args, downFor);
    console.log(`    ${spec.chaincode} ${spec.transaction} evaluated every 250 ms while down: ${String(seen.ok)} answered, ${String(seen.failed)} failed${seen.firstFailure ? ` (first: ${seen.firstFailure.slice(0, 160)})` : ''}`);
}

/** `network up` in this process, so the load keeps running while the victim restarts (a child process run synchronously would pause it). */
export async function restart(network: Network): Promise<string> {
    try {
        await up(network, () => undefined);
        return 'ok';
    } catch (err) {
        return `failed: ${firstLine(err)}`;
    }
}

/** `kill [victim ...]`: see the comment at the top. */
export async function kill(named: readonly string[]): Promise<void> {
    const unknown = named.filter((v) => !(ALL_VICTIMS as readonly string[]).includes(v));
    if (unknown.length > 0) {
        throw new Error(`unknown victim(s) ${unknown.join(', ')}; known: ${ALL_VICTIMS.join(' ')}`);
    }
    const victims = (named.length > 0 ? named : ALL_VICTIMS) as Victim[];
    const network = networkFromEnv();
    const profile = loadNetworkProfile(network.paths.connectionProfile);
    const connection: Connection = await connect({ profile, organization: 'EdgeOrg' });
    const load = new Load(connection.gateway.getNetwork(profile.channel).getContract('evidence'), `${String(process.pid)}-${String(Date.now())}`, SUBMITTERS);
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
        await downWithProbe(connection, profile.chaincodes, profile.channel, victim);
        const down = load.window(killedAt, Date.now());
        const restartAt = Date.now();
        const upOutcome = await restart(network);
        const upMs = Date.now() - restartAt;
        const caughtUpMs = await waitForEqualHeights(network, restartAt);
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
        const { valid } = await ledgerOf(profile, peer.org, peer.host, height);
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
