import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import {
    accessDenied,
    alreadyExists,
    type Caller,
    caller,
    collect,
    invalidArgument,
    invalidState,
    notFound,
    parseArgument,
    readIndexPage,
    requireIdentifier,
    requireOneOf,
    requireDeploymentGovernor,
    requireOrgAdmin,
    requireText,
    toJSON,
    txTime,
    txTimeMillis,
    unmarshal,
} from '../../common/src';
import { isoInstant, parseCountArgument, requireMspId } from './billing-inputs';
import { billingError, BillingErrorCode } from './billing-errors';
import { type CtOperationRequest, validateCtOperation } from './ct-operation';
import { CT_OPERATION_KEY, type CtOperationProposal } from './ct-proposal';
import { counterpartyOf, requireAwaitedParty, requireParty } from './counterparty';
import {
    type EdgeResource,
    type EdgeSite,
    RESOURCE_BY_SITE_INDEX,
    RESOURCE_KEY,
    SITE_KEY,
    validateResourceRequest,
    validateSiteRequest,
} from './edge-resource';
import { LedgerState } from '../../common/src';
import { PLAN_KEY, type PricePlan, type PricePlanTerms, requirePlanVersion, validatePlanTerms, versionKey, billedSeconds, meteredAmount } from './price-plan';
import { GOVERNANCE_KEY, hasRole, type Role, ROLE_KEY, type RoleGrant, ROLES, requirePartyOrAuditor, requireRole, roleKey } from './role-grant';
import { holdInEscrow, readAccount, readOwnAccount, releaseEscrow } from './token-ledger';
import { escrowIdOf } from './token-account';
import { type MeteredUse, recordInvoicedUsage, recordTokenUsage } from './usage-ledger';
import { operationRecordId, sessionRecordId, USAGE_KEY, type UsageRecord } from './usage-record';
import {
    type ComputeTask,
    SESSION_KEY,
    type SessionPayment,
    type UsageSession,
    type ValidStartRequest,
    validateStartRequest,
    validateStopMeters,
    verifyTaskSignature,
} from './usage-session';

/**
 * Roles, the edge catalog, usage sessions and CT operations (B1–B3, B6, B10).
 *
 * Deployment: the chaincode's endorsement policy is AND(platform org peer, application org peer),
 * e.g. AND('EdgeOrgMSP.peer','CloudOrgMSP.peer'), so no single organisation's peer decides the
 * result. That alone only proves both peers ran the same code on one party's input, so whatever
 * one party records on behalf of the other is a proposal until the other organisation accepts it
 * in its own transaction: session starts (AcceptSession), metered stop readings (ConfirmStop) and
 * CT operations (AcceptCtOperation). See docs/security/billing.md.
 *
 * Bootstrap: an administrator of the organisation the deployment names (EDGETRUST_GOVERNANCE_MSP_ID)
 * calls BootstrapGovernance once, which makes that organisation the governor; from then on only administrators of governor organisations grant
 * and revoke roles. The deploy script calls it right after the chaincode is committed.
 */
@Info({ title: 'BillingContract', description: 'MEC resource catalog, roles, usage sessions and CT/IT operations' })
export class BillingContract extends Contract {
    constructor() {
        super('billing');
    }

    /** Makes the caller's organisation the first governor; only once, only by an organisation administrator. */
    @Transaction()
    @Returns('string')
    async BootstrapGovernance(ctx: Context): Promise<string> {
        const state = LedgerState.update(ctx);
        requireOrgAdmin(ctx, 'BootstrapGovernance');
        const key = state.key(GOVERNANCE_KEY);
        if (await state.exists(key)) {
            throw alreadyExists('governance is already bootstrapped');
        }
        requireDeploymentGovernor(ctx, 'BootstrapGovernance');
        const grant = newGrant(state, caller(ctx).mspId, 'governor');
        state.put(key, { bootstrappedByMspId: grant.mspId, bootstrappedById: grant.grantedById, at: grant.grantedAt });
        state.put(roleKey(state, 'governor', grant.mspId), grant);
        await state.commit('GovernanceBootstrapped', { mspId: grant.mspId, role: grant.role });
        return toJSON(grant);
    }

    /** Grants an organisation a role; administrators of governor organisations only. */
    @Transaction()
    @Returns('string')
    async GrantRole(ctx: Context, mspId: string, role: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const [grantee, wanted] = [requireMspId(mspId, 'mspId'), requireOneOf(role, 'role', ROLES)];
        await requireGovernorAdmin(state, 'GrantRole');
        const key = roleKey(state, wanted, grantee);
        if (await state.exists(key)) {
            throw alreadyExists(`${grantee} already holds ${wanted}`);
        }
        const grant = newGrant(state, grantee, wanted);
        state.put(key, grant);
        await state.commit('RoleGranted', { mspId: grantee, role: wanted, grantedByMspId: grant.grantedByMspId });
        return toJSON(grant);
    }

    /** Revokes a role; governor administrators only, and never their own organisation's governor role. */
    @Transaction()
    async RevokeRole(ctx: Context, mspId: string, role: string): Promise<void> {
        const state = LedgerState.update(ctx);
        const [holder, revoked] = [requireMspId(mspId, 'mspId'), requireOneOf(role, 'role', ROLES)];
        const who = await requireGovernorAdmin(state, 'RevokeRole');
        if (revoked === 'governor' && holder === who.mspId) {
            throw invalidState('an organisation cannot revoke its own governor role');
        }
        const key = roleKey(state, revoked, holder);
        if (!(await state.exists(key))) {
            throw notFound(`${holder} does not hold ${revoked}`);
        }
        state.delete(key);
        await state.commit('RoleRevoked', { mspId: holder, role: revoked, revokedByMspId: who.mspId });
    }

    /** Every role grant; public, so that every party can see who is operator, tenant, auditor or issuer. */
    @Transaction(false)
    @Returns('string')
    async ListRoles(ctx: Context): Promise<string> {
        const iterator = await ctx.stub.getStateByPartialCompositeKey(ROLE_KEY, []);
        return toJSON(await collect(iterator, (kv) => unmarshal<RoleGrant>(kv.value, 'role grant')));
    }

    /** Registers an edge site of the caller's organisation; operators only. */
    @Transaction()
    @Returns('string')
    async RegisterSite(ctx: Context, requestJson: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const request = validateSiteRequest(parseArgument(requestJson, 'request'));
        const who = await requireRole(state, 'operator', 'RegisterSite');
        const key = state.key(SITE_KEY, request.siteId);
        if (await state.exists(key)) {
            throw alreadyExists(`site ${request.siteId} exists already`);
        }
        const site: EdgeSite = { ...request, operatorMspId: who.mspId, registeredAt: txTime(ctx), txId: ctx.stub.getTxID() };
        state.put(key, site);
        await state.commit('SiteRegistered', { siteId: site.siteId, operatorMspId: site.operatorMspId });
        return toJSON(site);
    }

    /** Registers a resource or capability of one of the caller's sites, with version 1 of its price plan. */
    @Transaction()
    @Returns('string')
    async RegisterResource(ctx: Context, requestJson: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const { plan, ...request } = validateResourceRequest(parseArgument(requestJson, 'request'));
        const who = await requireRole(state, 'operator', 'RegisterResource');
        const site = await this.#readSite(state, request.siteId);
        if (site.operatorMspId !== who.mspId) {
            throw accessDenied(`site ${site.siteId} belongs to ${site.operatorMspId}`);
        }
        const key = state.key(RESOURCE_KEY, request.resourceId);
        if (await state.exists(key)) {
            throw alreadyExists(`resource ${request.resourceId} exists already`);
        }
        if (request.payeeAccountId !== undefined && (await readAccount(state, request.payeeAccountId)).ownerMspId !== who.mspId) {
            throw invalidArgument(`payee account ${request.payeeAccountId} is not owned by ${who.mspId}`);
        }
        const resource: EdgeResource = { ...request, operatorMspId: who.mspId, planVersion: 1, registeredAt: txTime(ctx), txId: ctx.stub.getTxID() };
        state.put(key, resource);
        state.putIndex(state.key(RESOURCE_BY_SITE_INDEX, resource.siteId, resource.resourceId));
        const pricePlan = this.#stagePlan(state, resource.resourceId, 1, plan);
        await state.commit('ResourceRegistered', { resourceId: resource.resourceId, siteId: resource.siteId, kind: resource.kind, plan: pricePlan });
        return toJSON(resource);
    }

    /** Publishes the next version of a resource's price plan; sessions already started keep theirs. */
    @Transaction()
    @Returns('string')
    async PublishPricePlan(ctx: Context, resourceId: string, planJson: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const terms = validatePlanTerms(parseArgument(planJson, 'plan'));
        const resource = await this.#readResource(state, requireIdentifier(resourceId, 'resourceId'));
        await this.#requireResourceOperator(state, resource, 'PublishPricePlan');
        const version = resource.planVersion + 1;
        state.put(state.key(RESOURCE_KEY, resource.resourceId), { ...resource, planVersion: version });
        const plan = this.#stagePlan(state, resource.resourceId, version, terms);
        await state.commit('PricePlanPublished', plan);
        return toJSON(plan);
    }

    @Transaction(false)
    @Returns('string')
    async GetSite(ctx: Context, siteId: string): Promise<string> {
        return toJSON(await this.#readSite(LedgerState.query(ctx), requireIdentifier(siteId, 'siteId')));
    }

    /** The catalog is public: any channel member may read resources and plans. */
    @Transaction(false)
    @Returns('string')
    async GetResource(ctx: Context, resourceId: string): Promise<string> {
        return toJSON(await this.#readResource(LedgerState.query(ctx), requireIdentifier(resourceId, 'resourceId')));
    }

    @Transaction(false)
    @Returns('string')
    async GetPricePlan(ctx: Context, resourceId: string, version: string): Promise<string> {
        const state = LedgerState.query(ctx);
        const plan = await readPlan(state, requireIdentifier(resourceId, 'resourceId'), requirePlanVersion(parseCountArgument(version, 'version')));
        return toJSON(plan);
    }

    /** A page of a site's resources. */
    @Transaction(false)
    @Returns('string')
    async ListSiteResources(ctx: Context, siteId: string, pageSize: string, bookmark: string): Promise<string> {
        const state = LedgerState.query(ctx);
        const site = requireIdentifier(siteId, 'siteId');
        const page = await readIndexPage(ctx, RESOURCE_BY_SITE_INDEX, [site], parseCountArgument(pageSize, 'pageSize'), bookmark, async (kv) => {
            const [, resourceId = ''] = ctx.stub.splitCompositeKey(kv.key).attributes;
            return this.#readResource(state, resourceId);
        });
        return toJSON(page);
    }

    /**
     * Proposes a usage session (B2). The tenant's application proposes it for itself, or the
     * resource's operator proposes it for a named tenant; it is `proposed` and bills nothing until
     * the other organisation calls AcceptSession. The one exception is the operator submitting the
     * tenant's signed compute task (B9): the payer's signature, by the key registered for an account
     * of the tenant's organisation, is the tenant's consent, so that session starts at once.
     * With `payment`, the token budget goes into escrow at the proposal; a decline refunds it.
     */
    @Transaction()
    @Returns('string')
    async StartSession(ctx: Context, requestJson: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const request = validateStartRequest(parseArgument(requestJson, 'request'));
        const who = caller(ctx);
        const resource = await this.#readResource(state, request.resourceId);
        const tenantMspId = request.tenantMspId ?? who.mspId;
        await requireSessionStarter(state, who, resource, tenantMspId);
        if (request.planVersion !== undefined && request.planVersion !== resource.planVersion) {
            throw billingError(BillingErrorCode.PlanVersionMismatch, `resource ${resource.resourceId} is at plan version ${String(resource.planVersion)}`);
        }
        const key = state.key(SESSION_KEY, request.sessionId);
        if (await state.exists(key)) {
            throw billingError(BillingErrorCode.SessionAlreadyStarted, `session ${request.sessionId} was already started`);
        }
        const plan = await readPlan(state, resource.resourceId, resource.planVersion);
        const payment = request.payment ? await this.#holdBudget(state, request, resource, tenantMspId) : undefined;
        const now = txTime(ctx);
        const consent = startConsent(ctx, who, { operatorMspId: resource.operatorMspId, tenantMspId }, payment);
        const session: UsageSession = {
            sessionId: request.sessionId,
            resourceId: resource.resourceId,
            siteId: resource.siteId,
            operatorMspId: resource.operatorMspId,
            tenantMspId,
            appId: request.appId,
            planVersion: plan.version,
            unit: plan.unit,
            rate: plan.rate,
            ...(plan.cycle ? { cycle: plan.cycle } : {}),
            ...consent,
            proposedAt: now,
            startedByMspId: who.mspId,
            startedById: who.id,
            startTxId: ctx.stub.getTxID(),
            ...(payment ? { payment } : {}),
        };
        state.put(key, session);
        await state.commit(session.status === 'active' ? 'SessionStarted' : 'SessionProposed', sessionEvent(session));
        return toJSON(session);
    }

    /** The counterparty organisation accepts a proposed session; billing runs from this transaction. */
    @Transaction()
    @Returns('string')
    async AcceptSession(ctx: Context, sessionId: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const session = await this.#readSession(state, requireIdentifier(sessionId, 'sessionId'));
        requireSessionStatus(session, 'proposed');
        const who = requireAwaitedParty(state, session.awaitingMspId, `session ${session.sessionId}`);
        if (session.payment && txTimeMillis(ctx) > Date.parse(session.payment.deadline)) {
            throw billingError(BillingErrorCode.DeadlinePassed, `session ${session.sessionId} passed its deadline; decline or refund it`);
        }
        const { awaitingMspId: _awaiting, ...rest } = session;
        const active: UsageSession = { ...rest, status: 'active', startedAt: txTime(ctx), acceptedByMspId: who.mspId, acceptedById: who.id, acceptTxId: ctx.stub.getTxID() };
        state.put(state.key(SESSION_KEY, session.sessionId), active);
        await state.commit('SessionStarted', sessionEvent(active));
        return toJSON(active);
    }

    /** Either party declines (or withdraws) a proposed session; a budget held for it is refunded in full. */
    @Transaction()
    @Returns('string')
    async DeclineSession(ctx: Context, sessionId: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const session = await this.#readSession(state, requireIdentifier(sessionId, 'sessionId'));
        const who = requireParty(state, session, `session ${session.sessionId}`);
        requireSessionStatus(session, 'proposed');
        const escrow = session.payment ? await releaseEscrow(state, session.payment.escrowId, 0, txTime(ctx)) : undefined;
        const { awaitingMspId: _awaiting, ...rest } = session;
        const declined: UsageSession = { ...rest, status: 'declined', stoppedAt: txTime(ctx), stoppedByMspId: who.mspId, stoppedById: who.id, stopTxId: ctx.stub.getTxID() };
        state.put(state.key(SESSION_KEY, session.sessionId), declined);
        await state.commit('SessionDeclined', { ...sessionEvent(declined), ...(escrow ? { refunded: escrow.refunded } : {}) });
        return toJSON({ session: declined, ...(escrow ? { escrow } : {}) });
    }

    /**
     * Stops an active session (B3). Either party may stop it; a per-second session is priced at
     * once from the agreed start to this transaction's timestamp, which may not lie before the start.
     * A per-call or per-GB session's reading (`calls` or `bytes`) is only a proposal: the session
     * becomes `stopping` until the other party confirms it with ConfirmStop, or answers with its own
     * reading by calling StopSession again. A second stop of a closed session is SESSION_CLOSED.
     */
    @Transaction()
    @Returns('string')
    async StopSession(ctx: Context, sessionId: string, metersJson: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const session = await this.#readSession(state, requireIdentifier(sessionId, 'sessionId'));
        const who = requireParty(state, session, `session ${session.sessionId}`);
        requireStoppable(session);
        const meter = validateStopMeters(parseArgument(metersJson === '' ? '{}' : metersJson, 'meters'), session.unit);
        const now = txTimeMillis(ctx);
        const startedAt = requireStopTime(session, now);
        if (meter === undefined) {
            const closed = await this.#closeSession(state, session, billedSeconds(startedAt, now), isoInstant(now), who);
            return toJSON(closed);
        }
        const stopping: UsageSession = {
            ...session,
            status: 'stopping',
            awaitingMspId: counterpartyOf(session, who.mspId),
            stopProposal: {
                quantity: meter,
                stoppedAt: session.stopProposal?.stoppedAt ?? isoInstant(now),
                proposedByMspId: who.mspId,
                proposedById: who.id,
                txId: ctx.stub.getTxID(),
            },
        };
        state.put(state.key(SESSION_KEY, session.sessionId), stopping);
        await state.commit('SessionStopProposed', { ...sessionEvent(stopping), quantity: meter, awaitingMspId: stopping.awaitingMspId });
        return toJSON({ session: stopping });
    }

    /** The other party confirms a stopping session's reading: its usage is recorded and paid. */
    @Transaction()
    @Returns('string')
    async ConfirmStop(ctx: Context, sessionId: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const session = await this.#readSession(state, requireIdentifier(sessionId, 'sessionId'));
        if (session.status !== 'stopping' || session.stopProposal === undefined) {
            throw invalidState(`session ${session.sessionId} is ${session.status}, with no reading to confirm`);
        }
        const who = requireAwaitedParty(state, session.awaitingMspId, `the stop reading of session ${session.sessionId}`);
        const closed = await this.#closeSession(state, session, session.stopProposal.quantity, session.stopProposal.stoppedAt, who);
        return toJSON(closed);
    }

    /**
     * After a token-paid session's deadline, anyone may settle it. A per-second session that was
     * running pays pro rata for the time up to the deadline and refunds the rest, so a refund
     * stamped just past the deadline takes nothing from the operator; a proposed session, or a
     * metered one whose reading nobody agreed, is refunded in full.
     */
    @Transaction()
    @Returns('string')
    async RefundExpiredSession(ctx: Context, sessionId: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const session = await this.#readSession(state, requireIdentifier(sessionId, 'sessionId'));
        if (!OPEN_STATUSES.includes(session.status)) {
            throw billingError(BillingErrorCode.SessionClosed, `session ${session.sessionId} is ${session.status}`);
        }
        if (!session.payment) {
            throw invalidState(`session ${session.sessionId} holds no escrow`);
        }
        const deadline = Date.parse(session.payment.deadline);
        if (txTimeMillis(ctx) <= deadline) {
            throw billingError(BillingErrorCode.DeadlineNotReached, `session ${session.sessionId} runs until ${session.payment.deadline}`);
        }
        const { awaitingMspId: _awaiting, ...rest } = session;
        const usage = await recordUsageToDeadline(state, session, session.payment);
        const escrow = await releaseEscrow(state, session.payment.escrowId, usage?.charged ?? 0, txTime(ctx));
        const expired: UsageSession = {
            ...rest,
            status: 'expired',
            stoppedAt: usage ? session.payment.deadline : txTime(ctx),
            stopTxId: ctx.stub.getTxID(),
            ...(usage ? { usageRecordId: usage.recordId } : {}),
        };
        state.put(state.key(SESSION_KEY, session.sessionId), expired);
        await state.commit('SessionExpired', { ...sessionEvent(expired), paid: escrow.paid ?? 0, refunded: escrow.refunded ?? 0 });
        return toJSON({ session: expired, escrow, ...(usage ? { usage } : {}) });
    }

    /** A session; for its operator, its tenant and auditors. */
    @Transaction(false)
    @Returns('string')
    async GetSession(ctx: Context, sessionId: string): Promise<string> {
        const state = LedgerState.query(ctx);
        const session = await this.#readSession(state, requireIdentifier(sessionId, 'sessionId'));
        await requirePartyOrAuditor(state, [session.operatorMspId, session.tenantMspId], `session ${session.sessionId}`);
        return toJSON(session);
    }

    /**
     * Reports an operation a CT entity (UPF, local breakout gateway) did for an IT application:
     * routing policies and capability calls (per call) or user-plane traffic (per GB) (B6). Callers
     * hold the ct-entity role and operate the capability's site. The report is a proposal, priced
     * at the current plan version: it reaches the tenant's invoice line only when the tenant accepts
     * it with AcceptCtOperation (after checking it against its own counters), or never if declined.
     */
    @Transaction()
    @Returns('string')
    async RecordCtOperation(ctx: Context, requestJson: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const request: CtOperationRequest = validateCtOperation(parseArgument(requestJson, 'request'));
        const who = await requireRole(state, 'ct-entity', 'RecordCtOperation');
        const resource = await this.#readResource(state, request.resourceId);
        if (resource.operatorMspId !== who.mspId) {
            throw accessDenied(`capability ${resource.resourceId} is operated by ${resource.operatorMspId}`);
        }
        await requireTenant(state, request.tenantMspId);
        const plan = await readPlan(state, resource.resourceId, resource.planVersion);
        const quantity = plan.unit === 'call' ? request.calls : plan.unit === 'gb' ? request.bytes : undefined;
        if (quantity === undefined) {
            throw invalidArgument(`capability ${resource.resourceId} is priced per ${plan.unit}: give ${plan.unit === 'gb' ? 'bytes' : plan.unit === 'call' ? 'calls' : 'a session instead'}`);
        }
        const key = state.key(CT_OPERATION_KEY, request.operationId);
        if ((await state.exists(key)) || (await state.exists(state.key(USAGE_KEY, operationRecordId(request.operationId))))) {
            throw alreadyExists(`CT operation ${request.operationId} was reported already`);
        }
        const proposal: CtOperationProposal = {
            operationId: request.operationId,
            resourceId: resource.resourceId,
            operationKind: resource.kind,
            operatorMspId: resource.operatorMspId,
            tenantMspId: request.tenantMspId,
            appId: request.appId,
            planVersion: plan.version,
            unit: plan.unit,
            rate: plan.rate,
            ...(plan.cycle ? { cycle: plan.cycle } : {}),
            quantity,
            status: 'proposed',
            awaitingMspId: request.tenantMspId,
            proposedAt: txTime(ctx),
            proposedByMspId: who.mspId,
            proposedById: who.id,
            txId: ctx.stub.getTxID(),
        };
        state.put(key, proposal);
        await state.commit('CtOperationProposed', {
            operationId: proposal.operationId,
            resourceId: proposal.resourceId,
            tenantMspId: proposal.tenantMspId,
            appId: proposal.appId,
            quantity,
            amount: meteredAmount(plan.unit, plan.rate, quantity),
        });
        return toJSON(proposal);
    }

    /** The tenant accepts a reported CT operation: it is priced as reported and added to its invoice line. */
    @Transaction()
    @Returns('string')
    async AcceptCtOperation(ctx: Context, operationId: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const proposal = await this.#readCtOperation(state, requireIdentifier(operationId, 'operationId'));
        if (proposal.status !== 'proposed') {
            throw invalidState(`CT operation ${proposal.operationId} is ${proposal.status}`);
        }
        const who = requireAwaitedParty(state, proposal.awaitingMspId, `CT operation ${proposal.operationId}`);
        const { record, line } = await recordInvoicedUsage(state, {
            recordId: operationRecordId(proposal.operationId),
            source: 'ct-operation',
            operationId: proposal.operationId,
            operationKind: proposal.operationKind,
            operatorMspId: proposal.operatorMspId,
            tenantMspId: proposal.tenantMspId,
            appId: proposal.appId,
            resourceId: proposal.resourceId,
            planVersion: proposal.planVersion,
            unit: proposal.unit,
            rate: proposal.rate,
            quantity: proposal.quantity,
            ...(proposal.cycle ? { cycle: proposal.cycle } : {}),
        });
        const { awaitingMspId: _awaiting, ...rest } = proposal;
        state.put(state.key(CT_OPERATION_KEY, proposal.operationId), {
            ...rest,
            status: 'accepted',
            decidedAt: txTime(ctx),
            decidedByMspId: who.mspId,
            decideTxId: ctx.stub.getTxID(),
            usageRecordId: record.recordId,
        } satisfies CtOperationProposal);
        await state.commit('CtOperationRecorded', usageEvent(record, line.amount));
        return toJSON(record);
    }

    /** The tenant declines a reported CT operation (or the reporting organisation withdraws it); nothing is billed. */
    @Transaction()
    @Returns('string')
    async DeclineCtOperation(ctx: Context, operationId: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const proposal = await this.#readCtOperation(state, requireIdentifier(operationId, 'operationId'));
        const who = requireParty(state, proposal, `CT operation ${proposal.operationId}`);
        if (proposal.status !== 'proposed') {
            throw invalidState(`CT operation ${proposal.operationId} is ${proposal.status}`);
        }
        const { awaitingMspId: _awaiting, ...rest } = proposal;
        const declined: CtOperationProposal = { ...rest, status: 'declined', decidedAt: txTime(ctx), decidedByMspId: who.mspId, decideTxId: ctx.stub.getTxID() };
        state.put(state.key(CT_OPERATION_KEY, proposal.operationId), declined);
        await state.commit('CtOperationDeclined', { operationId: declined.operationId, tenantMspId: declined.tenantMspId, declinedByMspId: who.mspId });
        return toJSON(declined);
    }

    /** A reported CT operation and whether the tenant accepted it; for its two parties and auditors. */
    @Transaction(false)
    @Returns('string')
    async GetCtOperation(ctx: Context, operationId: string): Promise<string> {
        const state = LedgerState.query(ctx);
        const proposal = await this.#readCtOperation(state, requireIdentifier(operationId, 'operationId'));
        await requirePartyOrAuditor(state, [proposal.operatorMspId, proposal.tenantMspId], `CT operation ${proposal.operationId}`);
        return toJSON(proposal);
    }

    /** A usage record; for its operator, its tenant and auditors. */
    @Transaction(false)
    @Returns('string')
    async GetUsageRecord(ctx: Context, recordId: string): Promise<string> {
        const state = LedgerState.query(ctx);
        const record = await state.read<UsageRecord>(state.key(USAGE_KEY, requireText(recordId, 'recordId', 140)), 'usage record');
        if (!record) {
            throw notFound(`usage record ${recordId} does not exist`);
        }
        await requirePartyOrAuditor(state, [record.operatorMspId, record.tenantMspId], `usage record ${record.recordId}`);
        return toJSON(record);
    }

    /** Records the agreed usage of a session, pays its escrow, and closes it. */
    async #closeSession(state: LedgerState, session: UsageSession, quantity: number, stoppedAt: string, who: Caller): Promise<{ session: UsageSession; usage: UsageRecord }> {
        const record = await this.#recordSessionUsage(state, session, sessionUse(session, quantity, stoppedAt));
        const { awaitingMspId: _awaiting, ...rest } = session;
        const stopped: UsageSession = {
            ...rest,
            status: 'closed',
            stoppedAt,
            stoppedByMspId: session.stopProposal?.proposedByMspId ?? who.mspId,
            stoppedById: session.stopProposal?.proposedById ?? who.id,
            stopTxId: state.ctx.stub.getTxID(),
            usageRecordId: record.recordId,
        };
        state.put(state.key(SESSION_KEY, session.sessionId), stopped);
        await state.commit('SessionStopped', { ...sessionEvent(stopped), usage: usageEvent(record) });
        return { session: stopped, usage: record };
    }

    async #readCtOperation(state: LedgerState, operationId: string): Promise<CtOperationProposal> {
        const proposal = await state.read<CtOperationProposal>(state.key(CT_OPERATION_KEY, operationId), 'CT operation');
        if (!proposal) {
            throw notFound(`CT operation ${operationId} was never reported`);
        }
        return proposal;
    }

    async #recordSessionUsage(state: LedgerState, session: UsageSession, use: MeteredUse): Promise<UsageRecord> {
        if (!session.payment) {
            return (await recordInvoicedUsage(state, use)).record;
        }
        const record = await recordTokenUsage(state, use, session.payment.budget);
        await releaseEscrow(state, session.payment.escrowId, record.charged ?? 0, record.recordedAt);
        return record;
    }

    async #holdBudget(state: LedgerState, request: ValidStartRequest, resource: EdgeResource, tenantMspId: string): Promise<SessionPayment> {
        const payment = request.payment;
        if (!payment) {
            throw invalidArgument('payment is required');
        }
        if (payment.deadlineMillis <= txTimeMillis(state.ctx)) {
            throw invalidArgument('payment.deadline must be in the future');
        }
        if (resource.payeeAccountId === undefined) {
            throw invalidState(`resource ${resource.resourceId} has no payee account and cannot be paid in tokens`);
        }
        if (request.signature === undefined) {
            await readOwnAccount(state, payment.accountId);
        } else {
            await verifySignedTask(state, request, tenantMspId, request.signature);
        }
        const escrow = await holdInEscrow(
            state,
            {
                purpose: 'session',
                referenceId: request.sessionId,
                payerAccountId: payment.accountId,
                payeeAccountId: resource.payeeAccountId,
                amount: payment.budget,
                deadlineMillis: payment.deadlineMillis,
            },
            txTime(state.ctx),
        );
        return { accountId: payment.accountId, budget: payment.budget, deadline: escrow.deadline, escrowId: escrowIdOf('session', request.sessionId), signedTask: request.signature !== undefined };
    }

    #stagePlan(state: LedgerState, resourceId: string, version: number, terms: PricePlanTerms): PricePlan {
        const plan: PricePlan = { ...terms, resourceId, version, publishedAt: txTime(state.ctx), publishedByMspId: caller(state.ctx).mspId, txId: state.ctx.stub.getTxID() };
        state.put(state.key(PLAN_KEY, resourceId, versionKey(version)), plan);
        return plan;
    }

    async #requireResourceOperator(state: LedgerState, resource: EdgeResource, action: string): Promise<void> {
        const who = await requireRole(state, 'operator', action);
        if (who.mspId !== resource.operatorMspId) {
            throw accessDenied(`resource ${resource.resourceId} belongs to ${resource.operatorMspId}`);
        }
    }

    async #readSite(state: LedgerState, siteId: string): Promise<EdgeSite> {
        const site = await state.read<EdgeSite>(state.key(SITE_KEY, siteId), 'edge site');
        if (!site) {
            throw notFound(`site ${siteId} does not exist`);
        }
        return site;
    }

    async #readResource(state: LedgerState, resourceId: string): Promise<EdgeResource> {
        const resource = await state.read<EdgeResource>(state.key(RESOURCE_KEY, resourceId), 'edge resource');
        if (!resource) {
            throw notFound(`resource ${resourceId} does not exist`);
        }
        return resource;
    }

    async #readSession(state: LedgerState, sessionId: string): Promise<UsageSession> {
        const session = await state.read<UsageSession>(state.key(SESSION_KEY, sessionId), 'usage session');
        if (!session) {
            throw notFound(`session ${sessionId} does not exist`);
        }
        return session;
    }
}

export async function readPlan(state: LedgerState, resourceId: string, version: number): Promise<PricePlan> {
    const plan = await state.read<PricePlan>(state.key(PLAN_KEY, resourceId, versionKey(version)), 'price plan');
    if (!plan) {
        throw notFound(`resource ${resourceId} has no price plan version ${String(version)}`);
    }
    return plan;
}

function newGrant(state: LedgerState, mspId: string, role: Role): RoleGrant {
    const who = caller(state.ctx);
    return { mspId, role, grantedByMspId: who.mspId, grantedById: who.id, grantedAt: txTime(state.ctx), txId: state.ctx.stub.getTxID() };
}

async function requireGovernorAdmin(state: LedgerState, action: string): Promise<Caller> {
    requireOrgAdmin(state.ctx, action);
    return requireRole(state, 'governor', action);
}

async function requireTenant(state: LedgerState, tenantMspId: string): Promise<void> {
    if (!(await hasRole(state, tenantMspId, 'tenant'))) {
        throw invalidArgument(`${tenantMspId} does not hold the tenant role`);
    }
}

/** The tenant itself, or the resource's operator on the tenant's behalf. */
async function requireSessionStarter(state: LedgerState, who: Caller, resource: EdgeResource, tenantMspId: string): Promise<void> {
    if (who.mspId !== tenantMspId) {
        if (who.mspId !== resource.operatorMspId || !(await hasRole(state, who.mspId, 'operator'))) {
            throw accessDenied(`${who.mspId} may start sessions only for itself or on its own resources`);
        }
    }
    await requireTenant(state, tenantMspId);
}

async function verifySignedTask(state: LedgerState, request: ValidStartRequest, tenantMspId: string, signature: string): Promise<void> {
    const payment = request.payment;
    if (!payment || request.planVersion === undefined) {
        throw invalidArgument('a signed compute task needs payment and planVersion');
    }
    const account = await readAccount(state, payment.accountId);
    if (account.ownerMspId !== tenantMspId) {
        // Only the tenant's own key consents for the tenant: an operator's account signs for nobody else.
        throw accessDenied(`token account ${account.accountId} belongs to ${account.ownerMspId}, not to the tenant ${tenantMspId}`);
    }
    if (account.taskKey === undefined) {
        throw invalidState(`token account ${account.accountId} has no registered task key`);
    }
    const task: ComputeTask = {
        sessionId: request.sessionId,
        resourceId: request.resourceId,
        tenantMspId,
        appId: request.appId,
        planVersion: request.planVersion,
        accountId: payment.accountId,
        budget: payment.budget,
        deadline: isoInstant(payment.deadlineMillis),
    };
    verifyTaskSignature(task, signature, account.taskKey);
}

/** The metered use of a session from its agreed start to `stoppedAt`. */
function sessionUse(session: UsageSession, quantity: number, stoppedAt: string): MeteredUse {
    return {
        recordId: sessionRecordId(session.sessionId),
        source: 'session',
        sessionId: session.sessionId,
        operatorMspId: session.operatorMspId,
        tenantMspId: session.tenantMspId,
        appId: session.appId,
        resourceId: session.resourceId,
        planVersion: session.planVersion,
        unit: session.unit,
        rate: session.rate,
        quantity,
        startedAt: session.startedAt ?? session.proposedAt,
        stoppedAt,
        ...(session.cycle ? { cycle: session.cycle } : {}),
    };
}

const OPEN_STATUSES: readonly UsageSession['status'][] = ['proposed', 'active', 'stopping'];

/** A start by the operator with the tenant's signed compute task is active at once; any other start awaits the counterparty. */
function startConsent(ctx: Context, who: Caller, parties: { operatorMspId: string; tenantMspId: string }, payment: SessionPayment | undefined): Pick<UsageSession, 'status' | 'awaitingMspId' | 'startedAt' | 'acceptedByMspId' | 'acceptTxId'> {
    const tenantSigned = payment?.signedTask === true && who.mspId === parties.operatorMspId && who.mspId !== parties.tenantMspId;
    if (tenantSigned) {
        return { status: 'active', startedAt: txTime(ctx), acceptedByMspId: parties.tenantMspId, acceptTxId: ctx.stub.getTxID() };
    }
    return { status: 'proposed', awaitingMspId: counterpartyOf(parties, who.mspId) };
}

function requireStoppable(session: UsageSession): void {
    if (session.status === 'proposed') {
        throw invalidState(`session ${session.sessionId} is proposed and was never accepted; decline it instead`);
    }
    if (session.status !== 'active' && session.status !== 'stopping') {
        throw billingError(BillingErrorCode.SessionClosed, `session ${session.sessionId} is ${session.status}`);
    }
}

/** The agreed start, if a stop at `now` may follow it: never before the start, never after a token deadline. */
function requireStopTime(session: UsageSession, now: number): number {
    const startedAt = Date.parse(session.startedAt ?? session.proposedAt);
    if (now < startedAt) {
        throw billingError(BillingErrorCode.StopBeforeStart, `session ${session.sessionId} started at ${session.startedAt ?? ''}; a stop may not be stamped before it`);
    }
    if (session.payment && now > Date.parse(session.payment.deadline)) {
        throw billingError(BillingErrorCode.DeadlinePassed, `session ${session.sessionId} passed its deadline; only a refund is possible`);
    }
    return startedAt;
}

/** A running per-second session's usage from its start to its deadline; nothing for other sessions, whose reading nobody agreed. */
async function recordUsageToDeadline(state: LedgerState, session: UsageSession, payment: SessionPayment): Promise<UsageRecord | undefined> {
    if (session.status !== 'active' || session.unit !== 'second' || session.startedAt === undefined) {
        return undefined;
    }
    const seconds = billedSeconds(Date.parse(session.startedAt), Date.parse(payment.deadline));
    return recordTokenUsage(state, sessionUse(session, seconds, payment.deadline), payment.budget);
}

function requireSessionStatus(session: UsageSession, wanted: UsageSession['status']): void {
    if (session.status !== wanted) {
        throw invalidState(`session ${session.sessionId} is ${session.status}, not ${wanted}`);
    }
}


function sessionEvent(session: UsageSession): Record<string, unknown> {
    return {
        sessionId: session.sessionId,
        resourceId: session.resourceId,
        operatorMspId: session.operatorMspId,
        tenantMspId: session.tenantMspId,
        appId: session.appId,
        planVersion: session.planVersion,
        status: session.status,
        ...(session.awaitingMspId === undefined ? {} : { awaitingMspId: session.awaitingMspId }),
        ...(session.payment ? { escrowId: session.payment.escrowId, budget: session.payment.budget } : {}),
    };
}

function usageEvent(record: UsageRecord, lineAmount?: number): Record<string, unknown> {
    return {
        recordId: record.recordId,
        tenantMspId: record.tenantMspId,
        resourceId: record.resourceId,
        quantity: record.quantity,
        amount: record.amount,
        period: record.period,
        settlement: record.settlement,
        ...(record.lineId === undefined ? {} : { lineId: record.lineId }),
        ...(lineAmount === undefined ? {} : { lineAmount }),
        ...(record.charged === undefined ? {} : { charged: record.charged }),
    };
}
