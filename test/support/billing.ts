import {
    BillingClient,
    ComputeExchangeClient,
    type CommittedTransaction,
    EdgeTrustError,
    type EdgeResource,
    findCommittedTransaction,
    type CtOperationRequest,
    type Invoice,
    type RegisterResourceRequest,
    type StartSessionRequest,
    type Submitted,
    type UsageRecord,
    type UsageSession,
} from '../../gateway-sdk/src';
import { connectAs, readBlock, testProfile, uniqueId } from './network';

/*
 * Helpers of the billing integration and scenario tests. The network is shared and keeps its ledger:
 * every id is fresh (uniqueId), and nothing assumes an empty ledger. Seeded roles: EdgeOrg is
 * governor, operator, issuer and CT entity; CloudOrg is a tenant.
 */

const chaincodeName = (): string => testProfile().chaincodes['resource-billing'] ?? 'resource-billing';

/** A BillingClient acting as one user of one organisation, with its gateway for reading blocks. */
export interface BillingParty {
    client: BillingClient;
    mspId: string;
    /** The committed transaction as the ledger holds it: validation code and endorsing organisations. */
    committed(submitted: Pick<Submitted<unknown>, 'transactionId' | 'blockNumber'>): Promise<CommittedTransaction>;
}

export async function billingParty(organization: 'EdgeOrg' | 'CloudOrg', user = 'User1'): Promise<BillingParty> {
    const connection = await connectAs(organization, { user });
    const network = connection.gateway.getNetwork(testProfile().channel);
    return {
        client: new BillingClient(network.getContract(chaincodeName())),
        mspId: connection.mspId,
        committed: async ({ transactionId, blockNumber }) => {
            const found = findCommittedTransaction(await readBlock(connection.gateway, testProfile().channel, blockNumber), transactionId);
            if (!found) {
                throw new Error(`transaction ${transactionId} is not in block ${String(blockNumber)}`);
            }
            return found;
        },
    };
}

/** The operator (EdgeOrg) and the tenant (CloudOrg). */
export async function billingParties(): Promise<{ edge: BillingParty; cloud: BillingParty }> {
    return { edge: await billingParty('EdgeOrg'), cloud: await billingParty('CloudOrg') };
}

/** Registers a fresh site of the operator and one resource on it; returns the resource. */
export async function registerResource(
    operator: BillingClient,
    prefix: string,
    resource: Omit<RegisterResourceRequest, 'resourceId' | 'siteId'>,
): Promise<EdgeResource> {
    const siteId = uniqueId(`${prefix}-site`);
    await operator.registerSite({ siteId, name: `${prefix} edge site`, location: 'edge-site-a' });
    return (await operator.registerResource({ ...resource, resourceId: uniqueId(`${prefix}-res`), siteId })).result;
}

/** The error a promise rejected with, or a failure if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<EdgeTrustError> {
    try {
        await promise;
    } catch (err) {
        if (err instanceof EdgeTrustError) {
            return err;
        }
        throw err;
    }
    throw new Error('expected a rejection, but the call succeeded');
}

/**
 * Under AND(operator, tenant) endorsement, two peers that are at different block heights when they
 * run the same proposal read different values and return different results: the gateway refuses it
 * before ordering ("ProposalResponsePayloads do not match", gRPC ABORTED), so nothing is written.
 * The SDK reports it as a generic `GATEWAY_10` error; this names it.
 */
export function isEndorsementMismatch(err: unknown): boolean {
    return err instanceof EdgeTrustError && err.code === 'ENDORSEMENT_MISMATCH';
}

/**
 * Runs the counterparty's answer to a proposal the proposer just committed. No retry: the test file's connections
 * share one consistency session (support/network.ts), so the answering organisation's peers first wait for the
 * proposal's block.
 */
export function answerProposal<T>(answer: () => Promise<T>): Promise<T> {
    return answer();
}

/** A session both organisations agreed to: `proposer` proposes it, `accepter` (the other organisation) accepts it in its own transaction. */
export async function startAgreedSession(proposer: BillingParty, accepter: BillingParty, request: StartSessionRequest): Promise<Submitted<UsageSession>> {
    const proposed = await proposer.client.startSession(request);
    return proposed.result.status === 'active' ? proposed : answerProposal(() => accepter.client.acceptSession(request.sessionId));
}

/** A CT operation the operator reported and the tenant accepted: its usage record. */
export async function recordAcceptedCtOperation(operator: BillingParty, tenant: BillingParty, request: CtOperationRequest): Promise<Submitted<UsageRecord>> {
    await operator.client.recordCtOperation(request);
    return answerProposal(() => tenant.client.acceptCtOperation(request.operationId));
}

/** The peers' timestamp tolerance (chaincode/common/peer-clock default): a period closes only this long after its end. */
export const TIMESTAMP_TOLERANCE_MILLIS = 15_000;

export const sleep = (millis: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, millis));

/** The first instant after a minute period `YYYY-MM-DDTHH:MM` (UTC). */
export function minuteEnd(period: string): number {
    return Date.parse(`${period}:00.000Z`) + 60_000;
}

/**
 * Waits until a minute period and the timestamp tolerance after it have passed on the peers' clocks, with a margin for clock skew, then
 * closes it. Another test may have closed the same minute first (one invoice per tenant and period):
 * then this reads that invoice, which holds every line of the minute all the same.
 */
export async function closeMinute(operator: Pick<BillingParty, 'client' | 'mspId'>, tenantMspId: string, period: string): Promise<Invoice> {
    await sleep(Math.max(0, minuteEnd(period) + TIMESTAMP_TOLERANCE_MILLIS + 1500 - Date.now()));
    try {
        return (await operator.client.closeBillingPeriod(tenantMspId, period)).result;
    } catch (err) {
        if (err instanceof EdgeTrustError && (err.code === 'PERIOD_CLOSED' || err.code === 'MVCC_READ_CONFLICT')) {
            return operator.client.getInvoice(`${operator.mspId}|${tenantMspId}|${period}`);
        }
        throw err;
    }
}

/** An ISO instant some minutes from now, for token deadlines. */
export function minutesFromNow(minutes: number): string {
    return new Date(Date.now() + minutes * 60_000).toISOString();
}

/** A ComputeExchangeClient beside a party's BillingClient, on the same chaincode. */
export async function computeParty(organization: 'EdgeOrg' | 'CloudOrg', user = 'User1'): Promise<BillingParty & { compute: ComputeExchangeClient }> {
    const connection = await connectAs(organization, { user });
    const network = connection.gateway.getNetwork(testProfile().channel);
    const party = await billingParty(organization, user);
    return { ...party, compute: new ComputeExchangeClient(network.getContract(chaincodeName())) };
}
