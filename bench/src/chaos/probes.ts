import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type NetworkProfile } from '@edgetrust/gateway-sdk';
import { allPeers, type Network } from '@edgetrust/test-network-scripts';

/** The pid of a node the network scripts started, from its pid file. */
export function pidOf(network: Network, name: string): number | undefined {
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
export async function raftLeader(network: Network): Promise<string | undefined> {
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

/** One peer's ledger height from its operations endpoint (ledger_blockchain_height), -1 when it does not answer. */
export async function heightOf(operationsEndpoint: string): Promise<number> {
    try {
        const metrics = await (await fetch(`http://${operationsEndpoint}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
        const match = /^ledger_blockchain_height\{channel="[^"]+"\} (\d+)$/m.exec(metrics);
        return Number(match?.[1] ?? -1);
    } catch {
        return -1;
    }
}

/** Every peer's ledger height, in allPeers() order. */
export async function heights(network: Network): Promise<number[]> {
    return Promise.all(allPeers(network).map((peer) => heightOf(`127.0.0.1:${String(peer.operationsPort)}`)));
}

/** Waits (bounded) until every peer answers with the same height; the ms it took from `since`, or -1. */
export async function waitForEqualHeights(network: Network, since: number, timeoutMs = 120_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        const h = await heights(network);
        if (h.every((x) => x > 0 && x === h[0])) {
            return Date.now() - since;
        }
        await sleep(250);
    }
    return -1;
}

/** What one peer's own ledger holds, read from that peer's block stream. */
export interface PeerLedger {
    /** Ids of the valid transactions. */
    valid: Set<string>;
    /** Valid transactions of `chaincode` that set a chaincode event, in ledger order. */
    events: string[];
}

/** Reads blocks 0 .. until-1 from one peer (filtered blocks: transaction ids, validation codes, event names). */
export async function ledgerOf(profile: NetworkProfile, org: string, peer: string, until: bigint, chaincode = 'evidence'): Promise<PeerLedger> {
    const connection = await connect({ profile, organization: org, peer, consistency: false });
    const ledger: PeerLedger = { valid: new Set(), events: [] };
    try {
        const events = await connection.gateway.getNetwork(profile.channel).getFilteredBlockEvents({ startBlock: 0n });
        try {
            for await (const block of events) {
                for (const tx of block.getFilteredTransactionsList()) {
                    if (tx.getTxValidationCode() !== 0) {
                        continue;
                    }
                    ledger.valid.add(tx.getTxid());
                    const actions = tx.getTransactionActions()?.getChaincodeActionsList() ?? [];
                    if (actions.some((a) => a.getChaincodeEvent()?.getChaincodeId() === chaincode && a.getChaincodeEvent()?.getEventName() !== '')) {
                        ledger.events.push(tx.getTxid());
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
    return ledger;
}

/** Resident memory (VmRSS) of a process in MiB, from /proc; undefined when it is gone. */
export function rssMiB(pid: number): number | undefined {
    try {
        const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'));
        return match ? Number(match[1]) / 1024 : undefined;
    } catch {
        return undefined;
    }
}

/** A Fabric node's Go heap in use (go_memstats_heap_inuse_bytes) and goroutine count, from its operations endpoint. */
export async function goRuntime(operationsPort: number): Promise<{ heapInuseMiB: number; goroutines: number } | undefined> {
    try {
        const metrics = await (await fetch(`http://127.0.0.1:${String(operationsPort)}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
        const heap = /^go_memstats_heap_inuse_bytes (\S+)$/m.exec(metrics)?.[1];
        const goroutines = /^go_goroutines (\S+)$/m.exec(metrics)?.[1];
        return heap && goroutines ? { heapInuseMiB: Number(heap) / 2 ** 20, goroutines: Number(goroutines) } : undefined;
    } catch {
        return undefined;
    }
}
