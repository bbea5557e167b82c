import {
    AccessDeniedError,
    EdgeTrustError,
    type EdgeResource,
    InvalidArgumentError,
    NotFoundError,
    TransactionConflictError,
} from '../../gateway-sdk/src';
import {
    answerProposal,
    type BillingParty,
    billingParties,
    billingParty,
    isEndorsementMismatch,
    recordAcceptedCtOperation,
    registerResource,
    rejectionOf,
    sleep,
    startAgreedSession,
} from '../support/billing';
import { closeConnections, uniqueId } from '../support/network';

jest.setTimeout(120_000);

/**
 * BillingClient against the real network: resource-billing runs under the endorsement policy
 * AND('EdgeOrgMSP.peer','CloudOrgMSP.peer'), so every billing transaction needs a peer of the
 * operator's and of the tenant's organisation; and what one party records for the other is a
 * proposal until the other organisation's client accepts it in its own transaction.
 */
describe('BillingClient on the real network', () => {
    let edge: BillingParty;
    let cloud: BillingParty;
    let gpu: EdgeResource;

    beforeAll(async () => {
        ({ edge, cloud } = await billingParties());
        gpu = await registerResource(edge.client, 'it-gpu', { kind: 'gpu', name: 'RTX slice', plan: { unit: 'second', rate: 12 } });
    });

    afterAll(closeConnections);

    const startRequest = (sessionId: string): { sessionId: string; resourceId: string; appId: string } => ({ sessionId, resourceId: gpu.resourceId, appId: 'it-game' });

    describe('sessions', () => {
        it('starts a session proposed by the tenant and accepted by the operator, each endorsed by both organisations', async () => {
            const sessionId = uniqueId('it-start');
            const proposed = await cloud.client.startSession(startRequest(sessionId));
            expect(proposed.result).toMatchObject({ sessionId, status: 'proposed', awaitingMspId: 'EdgeOrgMSP' });
            expect((await cloud.committed(proposed)).endorserMspIds.sort()).toEqual(['CloudOrgMSP', 'EdgeOrgMSP']);
            const started = await answerProposal(() => edge.client.acceptSession(sessionId));
            expect(started.result).toMatchObject({ sessionId, status: 'active', acceptedByMspId: 'EdgeOrgMSP', operatorMspId: 'EdgeOrgMSP', tenantMspId: 'CloudOrgMSP', planVersion: 1, rate: 12 });

            const committed = await edge.committed(started);
            expect(committed.validationCode).toBe('VALID');
            expect([...committed.endorserMspIds].sort()).toEqual(['CloudOrgMSP', 'EdgeOrgMSP']);

            const stopped = await edge.client.stopSession(sessionId);
            expect((await edge.committed(stopped)).endorserMspIds.sort()).toEqual(['CloudOrgMSP', 'EdgeOrgMSP']);
            const usage = stopped.result.usage;
            expect(usage).toMatchObject({ recordId: `session:${sessionId}`, unit: 'second', rate: 12 });
            expect(usage?.amount).toBe((usage?.quantity ?? -1) * 12);
        });

        it('does not commit a start endorsed by the operator alone, and writes nothing', async () => {
            const sessionId = uniqueId('it-one-org');
            const error = await rejectionOf(cloud.client.startSession(startRequest(sessionId), { endorsingOrganizations: ['EdgeOrgMSP'] }));
            expect(error).toBeInstanceOf(TransactionConflictError);
            expect(error.code).toBe('ENDORSEMENT_POLICY_FAILURE');
            expect(await rejectionOf(cloud.client.getSession(sessionId))).toBeInstanceOf(NotFoundError);
        });

        it('refuses a repeated start and a repeated stop with coded errors, changing nothing', async () => {
            const sessionId = uniqueId('it-repeat');
            const started = await startAgreedSession(cloud, edge, startRequest(sessionId));

            const again = await rejectionOf(cloud.client.startSession(startRequest(sessionId)));
            expect(again.code).toBe('SESSION_ALREADY_STARTED');
            expect(again.transactionId).toMatch(/^[0-9a-f]{64}$/);
            expect(await cloud.client.getSession(sessionId)).toEqual(started.result);

            const stopped = await cloud.client.stopSession(sessionId);
            const stopAgain = await rejectionOf(edge.client.stopSession(sessionId));
            expect(stopAgain.code).toBe('SESSION_CLOSED');
            expect(await edge.client.getSession(sessionId)).toEqual(stopped.result.session);
            expect(await edge.client.getUsageRecord(`session:${sessionId}`)).toEqual(stopped.result.usage);
        });

        it('ends two concurrent stops of one session with exactly one success', async () => {
            const sessionId = uniqueId('it-race');
            await startAgreedSession(cloud, edge, startRequest(sessionId));

            const outcomes = await Promise.allSettled([cloud.client.stopSession(sessionId), edge.client.stopSession(sessionId)]);
            const winners = outcomes.filter((o) => o.status === 'fulfilled');
            const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
            expect(winners).toHaveLength(1);
            expect(losers).toHaveLength(1);
            const loss = losers[0]?.reason as unknown;
            expect(loss).toBeInstanceOf(EdgeTrustError);
            // Refused at endorsement if the first stop had committed (SESSION_CLOSED), invalidated at commit if both
            // were endorsed on the same state (MVCC), or refused by the gateway if the two endorsing peers were at
            // different heights in between (payload mismatch). None of them writes anything.
            const outcome = isEndorsementMismatch(loss) ? 'ENDORSEMENT_MISMATCH' : loss instanceof TransactionConflictError ? loss.code : (loss as EdgeTrustError).code;
            expect(['SESSION_CLOSED', 'MVCC_READ_CONFLICT', 'ENDORSEMENT_MISMATCH']).toContain(outcome);
            expect(loss instanceof TransactionConflictError).toBe(outcome === 'MVCC_READ_CONFLICT');

            const session = await cloud.client.getSession(sessionId);
            expect(session.status).toBe('closed');
            const record = await cloud.client.getUsageRecord(`session:${sessionId}`);
            expect(record.txId).toBe(session.stopTxId);
        });

        it('prices a session with the plan version it started with, even after a new version', async () => {
            const resource = await registerResource(edge.client, 'it-plan', { kind: 'compute', name: 'vCPU', plan: { unit: 'second', rate: 5 } });
            const sessionId = uniqueId('it-version');
            await startAgreedSession(cloud, edge, { sessionId, resourceId: resource.resourceId, appId: 'it-app', planVersion: 1 });
            const next = await edge.client.publishPricePlan(resource.resourceId, { unit: 'second', rate: 9 });
            expect(next.result.version).toBe(2);
            const late = await rejectionOf(cloud.client.startSession({ sessionId: uniqueId('it-old-plan'), resourceId: resource.resourceId, appId: 'it-app', planVersion: 1 }));
            expect(late.code).toBe('PLAN_VERSION_MISMATCH');

            await sleep(1200);
            const { usage } = (await cloud.client.stopSession(sessionId)).result;
            expect(usage).toMatchObject({ planVersion: 1, rate: 5 });
            expect(usage?.quantity).toBeGreaterThanOrEqual(1);
            expect(usage?.amount).toBe((usage?.quantity ?? -1) * 5);
        });
    });

    describe('counterparty consent (issue 9 finding 4)', () => {
        it('an operator alone cannot start a session for the tenant: it bills nothing until the tenant accepts', async () => {
            const sessionId = uniqueId('it-op-proposal');
            const proposed = await edge.client.startSession({ ...startRequest(sessionId), tenantMspId: 'CloudOrgMSP' });
            expect(proposed.result).toMatchObject({ status: 'proposed', awaitingMspId: 'CloudOrgMSP', startedByMspId: 'EdgeOrgMSP' });
            expect(proposed.result.startedAt).toBeUndefined();
            // Another identity of the proposing organisation is still the proposer's side.
            const edgeAdmin = await billingParty('EdgeOrg', 'Admin');
            for (const selfAccept of [edge, edgeAdmin]) {
                const denied = await rejectionOf(answerProposal(() => selfAccept.client.acceptSession(sessionId)));
                expect(denied).toBeInstanceOf(AccessDeniedError);
            }
            const stop = await rejectionOf(edge.client.stopSession(sessionId));
            expect(stop.code).toBe('INVALID_STATE');
            expect(await rejectionOf(edge.client.getUsageRecord(`session:${sessionId}`))).toBeInstanceOf(NotFoundError);
            const accepted = await answerProposal(() => cloud.client.acceptSession(sessionId));
            expect(accepted.result).toMatchObject({ status: 'active', acceptedByMspId: 'CloudOrgMSP' });
            expect((await cloud.committed(accepted)).endorserMspIds.sort()).toEqual(['CloudOrgMSP', 'EdgeOrgMSP']);
            await edge.client.stopSession(sessionId);
        });

        it('the counterparty declines a proposal, which then cannot be accepted', async () => {
            const sessionId = uniqueId('it-decline');
            await cloud.client.startSession(startRequest(sessionId));
            const declined = await answerProposal(() => edge.client.declineSession(sessionId));
            expect(declined.result.session).toMatchObject({ status: 'declined', stoppedByMspId: 'EdgeOrgMSP' });
            expect((await rejectionOf(edge.client.acceptSession(sessionId))).code).toBe('INVALID_STATE');
        });

        it("a tenant's meter reading at stop waits for the operator's confirmation; 0 calls alone bill nothing", async () => {
            const api = await registerResource(edge.client, 'it-api', { kind: 'capability-call', name: 'QoS API', plan: { unit: 'call', rate: 25 } });
            const sessionId = uniqueId('it-metered');
            await startAgreedSession(cloud, edge, { sessionId, resourceId: api.resourceId, appId: 'it-app' });
            const stopping = await cloud.client.stopSession(sessionId, { calls: 0 });
            expect(stopping.result.session).toMatchObject({ status: 'stopping', awaitingMspId: 'EdgeOrgMSP', stopProposal: { quantity: 0, proposedByMspId: 'CloudOrgMSP' } });
            expect(stopping.result.usage).toBeUndefined();
            expect(await rejectionOf(answerProposal(() => cloud.client.confirmStop(sessionId)))).toBeInstanceOf(AccessDeniedError);
            // The operator answers with its own count; the tenant confirms it.
            await answerProposal(() => edge.client.stopSession(sessionId, { calls: 40 }));
            const closed = await answerProposal(() => cloud.client.confirmStop(sessionId));
            expect(closed.result.usage).toMatchObject({ quantity: 40, amount: 1000 });
            expect((await cloud.committed(closed)).endorserMspIds.sort()).toEqual(['CloudOrgMSP', 'EdgeOrgMSP']);
        });

        it('a CT operation the operator reports is billed only once the tenant accepts it', async () => {
            const upf = await registerResource(edge.client, 'it-upf', { kind: 'user-plane', name: 'Local breakout', plan: { unit: 'gb', rate: 300 } });
            const operationId = uniqueId('it-ct');
            const reported = await edge.client.recordCtOperation({ operationId, resourceId: upf.resourceId, tenantMspId: 'CloudOrgMSP', appId: 'it-app', bytes: 9_000_000_000_000 });
            expect(reported.result).toMatchObject({ status: 'proposed', awaitingMspId: 'CloudOrgMSP' });
            expect(await rejectionOf(answerProposal(() => edge.client.acceptCtOperation(operationId)))).toBeInstanceOf(AccessDeniedError);
            expect(await rejectionOf(cloud.client.getUsageRecord(`ct:${operationId}`))).toBeInstanceOf(NotFoundError);
            await answerProposal(() => cloud.client.declineCtOperation(operationId));
            expect(await cloud.client.getCtOperation(operationId)).toMatchObject({ status: 'declined', decidedByMspId: 'CloudOrgMSP' });
            const record = await recordAcceptedCtOperation(edge, cloud, { operationId: uniqueId('it-ct-ok'), resourceId: upf.resourceId, tenantMspId: 'CloudOrgMSP', appId: 'it-app', bytes: 1_000_000_000 });
            expect(record.result).toMatchObject({ amount: 300, settlement: 'invoice' });
        });
    });

    describe('settlement periods', () => {
        it('refuses to close the current monthly period with PERIOD_NOT_ENDED', async () => {
            const month = new Date().toISOString().slice(0, 7);
            const error = await rejectionOf(edge.client.closeBillingPeriod('CloudOrgMSP', month));
            expect(error.code).toBe('PERIOD_NOT_ENDED');
            expect(await rejectionOf(edge.client.getInvoice(`EdgeOrgMSP|CloudOrgMSP|${month}`))).toBeInstanceOf(NotFoundError);
        });

        it('shows the running totals of the open period to both parties', async () => {
            const sessionId = uniqueId('it-lines');
            await startAgreedSession(cloud, edge, startRequest(sessionId));
            const { usage } = (await cloud.client.stopSession(sessionId)).result;
            if (!usage) {
                throw new Error('a per-second stop records its usage at once');
            }
            const invoiceId = `EdgeOrgMSP|CloudOrgMSP|${usage.period}`;
            for (const reader of [edge, cloud]) {
                const line = (await reader.client.listPeriodLines(invoiceId)).find((l) => l.lineId === usage.lineId);
                expect(line).toBeDefined();
                expect(line?.recordCount).toBeGreaterThanOrEqual(usage.lineSeq ?? 1);
            }
            const records = await cloud.client.listAllLineUsage(invoiceId, usage.lineId ?? '');
            expect(records.map((r) => r.recordId)).toContain(`session:${sessionId}`);
        });
    });

    describe('access control and rejected input', () => {
        it('lets only operators register sites, and writes nothing for the tenant', async () => {
            const siteId = uniqueId('it-denied-site');
            const error = await rejectionOf(cloud.client.registerSite({ siteId, name: 'not mine', location: 'cloud' }));
            expect(error).toBeInstanceOf(AccessDeniedError);
            expect(error.code).toBe('ACCESS_DENIED');
            expect(await rejectionOf(edge.client.getSite(siteId))).toBeInstanceOf(NotFoundError);
        });

        it('lets only the operator of a resource publish its plans', async () => {
            const error = await rejectionOf(cloud.client.publishPricePlan(gpu.resourceId, { unit: 'second', rate: 1 }));
            expect(error).toBeInstanceOf(AccessDeniedError);
            expect((await cloud.client.getResource(gpu.resourceId)).planVersion).toBe(gpu.planVersion);
        });

        it('refuses malformed input with INVALID_ARGUMENT and unknown sessions with NOT_FOUND', async () => {
            const error = await rejectionOf(cloud.client.startSession({ sessionId: 'bad|id', resourceId: gpu.resourceId, appId: 'it-game' }));
            expect(error).toBeInstanceOf(InvalidArgumentError);
            const meters = await rejectionOf(cloud.client.stopSession(uniqueId('it-never'), { calls: -1 }));
            expect(meters).toBeInstanceOf(NotFoundError);
        });

        it('lets only issuers mint and only the owner of an account transfer from it', async () => {
            const accountId = uniqueId('it-acct');
            await cloud.client.openAccount(accountId);
            const mint = await rejectionOf(cloud.client.mint(accountId, 1000));
            expect(mint).toBeInstanceOf(AccessDeniedError);
            expect((await cloud.client.getAccount(accountId)).balance).toBe(0);
            const foreign = await rejectionOf(edge.client.transfer(accountId, uniqueId('it-other'), 1));
            expect(foreign).toBeInstanceOf(AccessDeniedError);
        });

        it('lets only governor administrators grant and revoke roles', async () => {
            const auditorMsp = `Audit${String(process.pid)}x${String(Date.now())}MSP`;
            const byUser = await rejectionOf(edge.client.grantRole(auditorMsp, 'auditor'));
            expect(byUser).toBeInstanceOf(AccessDeniedError);
            const byTenantAdmin = await rejectionOf((await billingParty('CloudOrg', 'Admin')).client.grantRole(auditorMsp, 'auditor'));
            expect(byTenantAdmin).toBeInstanceOf(AccessDeniedError);
            expect((await edge.client.listRoles()).filter((g) => g.mspId === auditorMsp)).toEqual([]);

            const governor = await billingParty('EdgeOrg', 'Admin');
            const granted = await governor.client.grantRole(auditorMsp, 'auditor');
            expect(granted.result).toMatchObject({ mspId: auditorMsp, role: 'auditor', grantedByMspId: 'EdgeOrgMSP' });
            expect((await cloud.client.listRoles()).filter((g) => g.mspId === auditorMsp).map((g) => g.role)).toEqual(['auditor']);
            expect((await rejectionOf(governor.client.grantRole(auditorMsp, 'auditor'))).code).toBe('ALREADY_EXISTS');
            await governor.client.revokeRole(auditorMsp, 'auditor');
            expect((await edge.client.listRoles()).filter((g) => g.mspId === auditorMsp)).toEqual([]);
        });
    });
});
