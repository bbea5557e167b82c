import type { Contract, Gateway, Network } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import { connect, type Connection, type ConnectOptions, ConsistencySession, decodeEvent, type EdgeTrustEvent, loadNetworkProfile, type NetworkProfile } from '../../gateway-sdk/src';

/**
 * The network under test is the one scripts/test.mjs starts; its connection profile comes in
 * EDGETRUST_CONNECTION_PROFILE. Without it these tests fail rather than pass vacuously.
 */
export function testProfile(): NetworkProfile {
    const file = process.env.EDGETRUST_CONNECTION_PROFILE;
    if (!file) {
        throw new Error('EDGETRUST_CONNECTION_PROFILE is not set: run integration tests with `npm test` or `npm run test:integration`');
    }
    return loadNetworkProfile(file);
}

/**
 * The actors of one test file (EdgeOrg's and CloudOrg's users) act like applications that hand each other
 * consistency tokens: their connections share one session, so a read or endorsement by any of them waits
 * until its peers have the latest block any of them wrote (gateway-sdk/README.md, "Consistency").
 * test/integration/consistency.test.ts passes tokens as strings between separate sessions instead.
 */
export const testSession = new ConsistencySession();

/** Connects (in the test file's session, unless told otherwise) and registers the connection for closing after the test file. */
export async function connectAs(organization: string, options: Partial<ConnectOptions> = {}): Promise<Connection> {
    const connection = await connect({ profile: testProfile(), organization, consistency: { session: testSession }, ...options });
    openConnections.push(connection);
    return connection;
}

const openConnections: Connection[] = [];

export function closeConnections(): void {
    for (const c of openConnections.splice(0)) {
        c.close();
    }
}

/** Reads one committed block through the gateway's block events. */
export async function readBlock(gateway: Gateway, channel: string, blockNumber: bigint): Promise<common.Block> {
    const events = await gateway.getNetwork(channel).getBlockEvents({ startBlock: blockNumber });
    try {
        for await (const block of events) {
            return block;
        }
    } finally {
        events.close();
    }
    throw new Error(`block ${String(blockNumber)} not received`);
}

/** A fresh id per run, so tests can run again against a network that keeps its ledger. */
export function uniqueId(prefix: string): string {
    return `${prefix}-${String(process.pid)}-${String(Date.now())}`;
}

/**
 * The events a chaincode emitted in the given transactions, read from `startBlock` on; gives up after
 * `timeoutMs` with what it found (the caller's assertion then names what is missing).
 */
export async function chaincodeEventsOf<T = unknown>(
    network: Network,
    chaincode: string,
    startBlock: bigint,
    transactionIds: readonly string[],
    timeoutMs = 20_000,
): Promise<Map<string, EdgeTrustEvent<T>>> {
    const wanted = new Set(transactionIds);
    const found = new Map<string, EdgeTrustEvent<T>>();
    const events = await network.getChaincodeEvents(chaincode, { startBlock });
    const timer = setTimeout(() => events.close(), timeoutMs);
    try {
        for await (const event of events) {
            if (wanted.has(event.transactionId)) {
                found.set(event.transactionId, decodeEvent<T>(event));
            }
            if (found.size === wanted.size) {
                break;
            }
        }
    } catch {
        // Closed by the timeout: return what arrived.
    } finally {
        clearTimeout(timer);
        events.close();
    }
    return found;
}

/** One transaction as the chaincode's own contract metadata on the network describes it. */
export interface DescribedTransaction {
    contract: string;
    name: string;
    /** `contract:Transaction`, which every chaincode answers to. */
    qualified: string;
    parameters: number;
    submit: boolean;
}

interface ContractMetadata {
    contracts: Record<string, { name: string; transactions: { name: string; tag?: string[]; parameters?: unknown[] }[] }>;
}

/** Every transaction of a chaincode, read with `org.hyperledger.fabric:GetMetadata` as any Fabric tool would, Fabric's own contract left out. */
export async function describedTransactions(contract: Contract): Promise<DescribedTransaction[]> {
    const metadata = JSON.parse(Buffer.from(await contract.evaluateTransaction('org.hyperledger.fabric:GetMetadata')).toString('utf8')) as ContractMetadata;
    return Object.values(metadata.contracts)
        .filter((c) => c.name !== 'org.hyperledger.fabric')
        .flatMap((c) =>
            c.transactions.map((t) => ({
                contract: c.name,
                name: t.name,
                qualified: `${c.name}:${t.name}`,
                parameters: t.parameters?.length ?? 0,
                submit: t.tag?.includes('SUBMIT') ?? false,
            })),
        );
}
