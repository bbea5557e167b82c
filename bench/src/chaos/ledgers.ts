import { type NetworkProfile } from '@edgetrust/gateway-sdk';
import { allPeers, chainInfo, type Network } from '@edgetrust/test-network-scripts';
import type { Ack } from './load';
import { ledgerOf, waitForEqualHeights } from './probes';

/** What the peers' ledgers say at the end of a scenario. */
export interface LedgerCheck {
    /** Every peer at one height with one last-block hash. */
    identical: boolean;
    height: number;
    /** Acknowledged transactions missing from the peer that misses most. */
    lost: number;
    /** Valid evidence transactions that set an event, in ledger order (from the first peer). */
    events: string[];
    lines: string[];
}

/**
 * Waits for equal heights, compares every peer's chain (height and last block hash), and looks every acknowledged
 * transaction up in every peer's own ledger.
 */
export async function checkLedgers(network: Network, profile: NetworkProfile, acks: readonly Ack[]): Promise<LedgerCheck> {
    await waitForEqualHeights(network, Date.now(), 60_000);
    const infos = await chainInfo(network);
    const first = infos[0];
    const identical = first !== undefined && infos.every((i) => i.height === first.height && i.currentBlockHash === first.currentBlockHash);
    const lines = infos.map((i) => `${i.peer}: height ${String(i.height)}, last block ${i.currentBlockHash}`);
    const height = Math.max(...infos.map((i) => i.height));
    let lost = 0;
    let events: string[] = [];
    for (const [index, peer] of allPeers(network).entries()) {
        const ledger = await ledgerOf(profile, peer.org, peer.host, BigInt(height));
        const missing = acks.filter((a) => !ledger.valid.has(a.txId)).length;
        lost = Math.max(lost, missing);
        if (index === 0) {
            events = ledger.events;
        }
        lines.push(`${peer.host}: ${String(ledger.valid.size)} valid transactions, ${String(missing)} of ${String(acks.length)} acknowledged anchors missing`);
    }
    return { identical, height, lost, events, lines };
}
