import { dirname } from 'node:path';
import { addOrganization, joinableOrganization, loadNetwork, type Network, removeOrganization } from '../../test-network-scripts/src';
import { connectAs, testProfile } from './network';

/*
 * The organisations a test adds to the shared test network with network:add-org (topology.json's
 * joinableOrganizations). A test that adds one takes it out again, so each test file finds the consortium as the
 * network started it, whatever the order the files run in.
 */

export type Log = (line: string) => void;

/** The network the connection profile belongs to (scripts/test.mjs puts the profile in the network's folder). */
export function testNetwork(): Network {
    const file = process.env.EDGETRUST_CONNECTION_PROFILE ?? '';
    const ports = Object.values(testProfile().organizations).flatMap((org) => org.peers.map((p) => Number(p.endpoint.split(':').pop())));
    // Peers listen from portBase + 100 on (test-network-scripts/src/topology.ts).
    return loadNetwork({ dir: dirname(file), portBase: Math.min(...ports) - 100 });
}

/** An organisation joined for one test file; `leave` takes it out again if this file added it. */
export interface JoinedOrganization {
    readonly name: string;
    /** False when the organisation was a member already (then `leave` leaves it). */
    readonly addedHere: boolean;
    leave(): Promise<void>;
}

/** Adds `name` (a joinable organisation of the topology) unless it is a member already; its roles are granted by the join. */
export async function joinOrganization(name: string, log: Log): Promise<JoinedOrganization> {
    const spec = joinableOrganization(name);
    if (!spec) {
        throw new Error(`${name} is not a joinable organisation of network/topology.json`);
    }
    if (Object.keys(testProfile().organizations).includes(name)) {
        return { name, addedHere: false, leave: () => Promise.resolve() };
    }
    let network = await addOrganization(testNetwork(), spec, log);
    await untilServing(name, log);
    return {
        name,
        addedHere: true,
        leave: async () => {
            network = await removeOrganization(network, name, log);
        },
    };
}

/**
 * Waits until the organisation's own peer answers its clients. A peer that rejoins (its organisation was removed
 * and added again) catches up from the block where it stopped, and until it has the block that re-admits its
 * organisation it refuses that organisation's clients (deliver answers 403), though discovery lists it already.
 */
async function untilServing(name: string, log: Log): Promise<void> {
    const contract = (await connectAs(name)).gateway.getNetwork(testProfile().channel).getContract('evidence');
    for (const until = Date.now() + 120_000; ; ) {
        try {
            await contract.evaluateTransaction('org.hyperledger.fabric:GetMetadata');
            return;
        } catch (err) {
            if (Date.now() > until) {
                throw err;
            }
            log(`${name}'s peer does not serve its clients yet (${err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)}); waiting`);
            await new Promise((resolve) => setTimeout(resolve, 2_000));
        }
    }
}
