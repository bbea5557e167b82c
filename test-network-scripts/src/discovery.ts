import { connect, loadNetworkProfile } from '@edgetrust/gateway-sdk';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeployedChaincode, Network } from './topology';

type Log = (line: string) => void;

/**
 * Waits until every peer's gateway can endorse every chaincode under its endorsement policy: each peer, as its
 * organisation's User1, endorses (never submits) `org.hyperledger.fabric:GetMetadata` of each chaincode, which asks
 * the peer's discovery for a set of endorsers meeting the policy. Right after the network starts or a definition is
 * committed, gossip has not yet told a peer which other peers are up and run the chaincode, and a transaction then
 * fails with "no combination of peers can be derived"; `up` returns only once that has passed everywhere.
 */
export async function waitForDiscovery(network: Network, chaincodes: readonly DeployedChaincode[], log?: Log, timeoutMs = 90_000): Promise<void> {
    const profile = loadNetworkProfile(network.paths.connectionProfile);
    const deadline = Date.now() + timeoutMs;
    const started = Date.now();
    let waited = false;
    for (const [orgName, org] of Object.entries(profile.organizations)) {
        for (const peer of org.peers) {
            const connection = await connect({ profile, organization: orgName, peer: peer.name, consistency: false });
            try {
                const channel = connection.gateway.getNetwork(profile.channel);
                for (const chaincode of chaincodes) {
                    const endorse = async (): Promise<unknown> => channel.getContract(chaincode.name).newProposal('org.hyperledger.fabric:GetMetadata').endorse();
                    waited = (await untilEndorsed(endorse, `${peer.name} cannot endorse ${chaincode.name} (${chaincode.endorsementPolicy})`, deadline, waited ? undefined : log)) || waited;
                }
            } finally {
                connection.close();
            }
        }
    }
    log?.(`discovery ready: every peer can endorse ${chaincodes.map((c) => c.name).join(', ')}${waited ? ` (after ${String(Date.now() - started)} ms)` : ''}`);
}

/** Repeats `endorse` every 500 ms until it succeeds or `deadline` passes; true if it had to wait. */
async function untilEndorsed(endorse: () => Promise<unknown>, what: string, deadline: number, log?: Log): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
        try {
            await endorse();
            return attempt > 0;
        } catch (err) {
            const reason = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
            if (Date.now() > deadline) {
                throw new Error(`discovery not ready: ${what}: ${reason}`);
            }
            if (attempt === 0) {
                log?.(`waiting for discovery: ${what} yet (${reason})`);
            }
            await sleep(500);
        }
    }
}
