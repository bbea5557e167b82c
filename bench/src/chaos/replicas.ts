import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, loadNetworkProfile } from '@edgetrust/gateway-sdk';
import { type Network, networkFromEnv, RELAY_SCRIPT, stopNodes, up } from '@edgetrust/test-network-scripts';
import { packageId } from '@edgetrust/test-network-scripts/dist/lifecycle';
import { chaincodeProcess } from '@edgetrust/test-network-scripts/dist/nodes';
import { startProcess, waitForListening } from '@edgetrust/test-network-scripts/dist/processes';
import { checkLedgers } from './ledgers';
import { Load, SETTLE_MS, SUBMITTERS } from './load';
import { pidOf } from './probes';

/**
 * Replicated chaincode servers behind one address (network/README.md, "Chaincode servers per organisation"): what an
 * operator does so that one chaincode server process is no longer a single point of failure of its organisation,
 * without changing the CCaaS package its peers installed. EdgeOrg's evidence server (which both EdgeOrg peers dial)
 * is replaced by two replicas, the same package id and code on ports of their own, behind a TCP relay
 * (test-network-scripts/src/relay.ts) listening on the address the package names; each new connection goes to the first replica that
 * accepts it. Under load from CHAOS_SUBMITTERS submitters through one EdgeOrg connection, replica 1 is SIGKILLed,
 * left down CHAOS_DOWN_SECONDS (default 20) and restarted; then replica 2 the same. Figures as for `kill`; the
 * original layout is restored at the end and every acknowledged anchor looked up on every peer.
 * Usage: npm run chaos -- replicas
 */

const DOWN_MS = Number(process.env.CHAOS_DOWN_SECONDS ?? 20) * 1000;
const CHAINCODE = 'evidence';

/** A port nobody listens on now (the kernel's choice). */
function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const probe = createServer();
        probe.once('error', reject);
        probe.listen(0, '127.0.0.1', () => {
            const address = probe.address();
            probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
        });
    });
}

interface Layout {
    replicas: { name: string; port: number; start: () => Promise<void> }[];
    relay: string;
}

/** Stops EdgeOrg's server and starts two replicas and the relay on its address. */
async function replicate(network: Network): Promise<Layout> {
    const chaincode = network.chaincodes.find((c) => c.name === CHAINCODE);
    const server = chaincode?.servers.find((s) => s.organizations.includes('EdgeOrg'));
    if (!chaincode || !server) {
        throw new Error(`no ${CHAINCODE} chaincode server for EdgeOrg in this network`);
    }
    const id = packageId(server.packageFile, chaincode.name);
    await stopNodes(network, [server.name]);
    const replicas: Layout['replicas'] = [];
    for (const n of [1, 2]) {
        const replica = { ...server, name: `${server.name}-replica${String(n)}`, port: await freePort() };
        const start = async (): Promise<void> => {
            startProcess(chaincodeProcess(network, chaincode, replica, id), network.paths.pids, network.paths.logs);
            await waitForListening(replica.name, replica.port, network.paths.pids, network.paths.logs);
        };
        await start();
        replicas.push({ name: replica.name, port: replica.port, start });
    }
    const relay = `relay-${server.name}`;
    const targets = replicas.map((r) => `127.0.0.1:${String(r.port)}`).join(',');
    startProcess({ name: relay, command: process.execPath, args: [RELAY_SCRIPT, `127.0.0.1:${String(server.port)}=${targets}`], env: {} }, network.paths.pids, network.paths.logs);
    await waitForListening(relay, server.port, network.paths.pids, network.paths.logs);
    console.log(`${server.name} replaced by ${replicas.map((r) => `${r.name} (port ${String(r.port)})`).join(' and ')} behind ${relay} on ${String(server.port)}`);
    return { replicas, relay };
}

/** `replicas`: see the comment at the top. */
export async function replicas(): Promise<void> {
    const network = networkFromEnv();
    const profile = loadNetworkProfile(network.paths.connectionProfile);
    const layout = await replicate(network);
    const connection = await connect({ profile, organization: 'EdgeOrg' });
    const load = new Load(connection.gateway.getNetwork(profile.channel).getContract(CHAINCODE), `${String(process.pid)}-${String(Date.now())}`, SUBMITTERS);
    console.log(`${String(SUBMITTERS)} submitters anchoring evidence through ${connection.peer.name}; each replica SIGKILLed, down ${String(DOWN_MS / 1000)} s, then restarted`);
    load.start();
    await sleep(SETTLE_MS);
    const baseline = load.window(Date.now() - SETTLE_MS, Date.now());
    const rows = [`| (no fault, ${String(SETTLE_MS / 1000)} s) | ${String(baseline.acknowledged)} | ${String(baseline.failed)} | ${String(baseline.stallMs)} ms | — |`];
    for (const replica of layout.replicas) {
        const pid = pidOf(network, replica.name);
        if (pid === undefined) {
            throw new Error(`${replica.name} is not running`);
        }
        const killedAt = Date.now();
        process.kill(pid, 'SIGKILL');
        await sleep(DOWN_MS);
        const down = load.window(killedAt, Date.now());
        const restartAt = Date.now();
        await replica.start();
        await sleep(SETTLE_MS);
        const after = load.window(restartAt, Date.now());
        rows.push(
            `| ${replica.name} SIGKILLed, ${String(DOWN_MS / 1000)} s down | ${String(down.acknowledged)} | ${String(down.failed)} | ${String(down.stallMs)} ms | restarted; next ${String(SETTLE_MS / 1000)} s: ${String(after.acknowledged)} acked, ${String(after.failed)} failed, stall ${String(after.stallMs)} ms |`,
        );
        console.log(rows.at(-1));
        if (down.firstFailure) {
            console.log(`    first failure while down: ${down.firstFailure.slice(0, 200)}`);
        }
    }
    await load.stop();
    connection.close();
    // Back to the network's own layout: the original server on its address.
    await stopNodes(network, [layout.relay, ...layout.replicas.map((r) => r.name)]);
    await up(network, () => undefined);
    const check = await checkLedgers(network, profile, load.acks);
    for (const line of check.lines) {
        console.log(line);
    }
    console.log('\n| fault | acknowledged | failed | longest stall | recovery |');
    console.log('|---|---|---|---|---|');
    for (const row of rows) {
        console.log(row);
    }
    console.log(`\ntotal: ${String(load.acks.length)} acknowledged, ${String(load.failures.length)} failed, ${String(check.lost)} acknowledged lost; chains identical on every peer: ${check.identical ? 'yes' : 'NO'}`);
}
