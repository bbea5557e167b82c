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
    toJSON,
    txTime,
    txTimeMillis,
    unmarshal,
} from '../../common/src';
import { isoInstant, parseCountArgument, requireMspId } from './billing-inputs';
import { billingError, BillingErrorCode } from './billing-errors';
import { type CtOperationRequest, validateCtOperation } from './ct-operation';
import {
    type EdgeResource,
    type EdgeSite,
    RESOURCE_BY_SITE_INDEX,
    RESOURCE_KEY,
    SITE_KEY,
    validateResourceRequest,
    validateSiteRequest,
} from './edge-resource';
import { LedgerState } from './ledger-state';
import { PLAN_KEY, type PricePlan, type PricePlanTerms, requirePlanVersion, validatePlanTerms, versionKey, billedSeconds } from './price-plan';
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
 * e.g. AND('EdgeOrgMSP.peer','CloudOrgMSP.peer'), so a session start or stop is only valid when
 * both the operator's and the tenant's peers ran it and agreed on its result.
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
     * Starts a usage session (B2). The tenant's application starts it for itself, or the resource's
     * operator starts it for a named tenant. With `payment`, a token budget goes into escrow: the
     * caller must own the payer account, or `signature` must be the payer's signed compute task (B9).
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
            status: 'active',
            startedAt: txTime(ctx),
            startedByMspId: who.mspId,
            startedById: who.id,
            startTxId: ctx.stub.getTxID(),
            ...(payment ? { payment } : {}),
        };
        state.put(key, session);
        await state.commit('SessionStarted', sessionEvent(session));
        return toJSON(session);
    }

    /**
     * Stops an active session and records its usage, priced with the session's plan version (B3):
     * per second from the start and stop transaction timestamps, per call or per GB from the meters.
     * Either party may stop; a second stop is refused with SESSION_CLOSED.
     */
    @Transaction()
    @Returns('string')
    async StopSession(ctx: Context, sessionId: string, metersJson: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const session = await this.#readSession(state, requireIdentifier(sessionId, 'sessionId'));
        const who = caller(ctx);
        if (who.mspId !== session.operatorMspId && who.mspId !== session.tenantMspId) {
            throw accessDenied(`only ${session.operatorMspId} or ${session.tenantMspId} may stop session ${session.sessionId}`);
        }
        if (session.status !== 'active') {
            throw billingError(BillingErrorCode.SessionClosed, `session ${session.sessionId} is ${session.status}`);
        }
        const meter = validateStopMeters(parseArgument(metersJson === '' ? '{}' : metersJson, 'meters'), session.unit);
        const now = txTimeMillis(ctx);
        if (session.payment && now > Date.parse(session.payment.deadline)) {
            throw billingError(BillingErrorCode.DeadlinePassed, `session ${session.sessionId} passed its deadline; only a refund is possible`);
        }
        const use: MeteredUse = {
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
            quantity: meter ?? billedSeconds(Date.parse(session.startedAt), now),
            startedAt: session.startedAt,
            stoppedAt: isoInstant(now),
            ...(session.cycle ? { cycle: session.cycle } : {}),
        };
        const record = await this.#recordSessionUsage(state, session, use);
        const stopped: UsageSession = {
            ...session,
            status: 'closed',
            stoppedAt: record.recordedAt,
            stoppedByMspId: who.mspId,
            stoppedById: who.id,
            stopTxId: ctx.stub.getTxID(),
            usageRecordId: record.recordId,
        };
        state.put(state.key(SESSION_KEY, session.sessionId), stopped);
        await state.commit('SessionStopped', { ...sessionEvent(stopped), usage: usageEvent(record) });
        return toJSON({ session: stopped, usage: record });
    }

    /** After a token-paid session's deadline, anyone may refund its whole budget; the session expires. */
    @Transaction()
    @Returns('string')
    async RefundExpiredSession(ctx: Context, sessionId: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const session = await this.#readSession(state, requireIdentifier(sessionId, 'sessionId'));
        if (session.status !== 'active') {
            throw billingError(BillingErrorCode.SessionClosed, `session ${session.sessionId} is ${session.status}`);
        }
        if (!session.payment) {
            throw invalidState(`session ${session.sessionId} holds no escrow`);
        }
        if (txTimeMillis(ctx) <= Date.parse(session.payment.deadline)) {
            throw billingError(BillingErrorCode.DeadlineNotReached, `session ${session.sessionId} runs until ${session.payment.deadline}`);
        }
        const escrow = await releaseEscrow(state, session.payment.escrowId, 0, txTime(ctx));
        const expired: UsageSession = { ...session, status: 'expired', stoppedAt: txTime(ctx), stopTxId: ctx.stub.getTxID() };
        state.put(state.key(SESSION_KEY, session.sessionId), expired);
        await state.commit('SessionExpired', { ...sessionEvent(expired), refunded: escrow.refunded });
        return toJSON({ session: expired, escrow });
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
     * Records an operation a CT entity (UPF, local breakout gateway) did for an IT application:
     * routing policies and capability calls (per call) or user-plane traffic (per GB) (B6). Callers
     * hold the ct-entity role and operate the capability's site; the tenant's invoice line grows.
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
        const { record, line } = await recordInvoicedUsage(state, {
            recordId: operationRecordId(request.operationId),
            source: 'ct-operation',
            operationId: request.operationId,
            operationKind: resource.kind,
            operatorMspId: resource.operatorMspId,
            tenantMspId: request.tenantMspId,
            appId: request.appId,
            resourceId: resource.resourceId,
            planVersion: plan.version,
            unit: plan.unit,
            rate: plan.rate,
            quantity,
            ...(plan.cycle ? { cycle: plan.cycle } : {}),
        });
        await state.commit('CtOperationRecorded', usageEvent(record, line.amount));
        return toJSON(record);
    }

    /** A usage record; for its operator, its tenant and auditors. */
    @Transaction(false)
    @Returns('string')
    async GetUsageRecord(ctx: Context, recordId: string): Promise<string> {
        const state = LedgerState.query(ctx);
        const record = await state.read<UsageRecord>(state.key(USAGE_KEY, requireText128(recordId)), 'usage record');
        if (!record) {
            throw notFound(`usage record ${recordId} does not exist`);
        }
        await requirePartyOrAuditor(state, [record.operatorMspId, record.tenantMspId], `usage record ${record.recordId}`);
        return toJSON(record);
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

function requireText128(value: string): string {
    if (typeof value !== 'string' || value.length === 0 || value.length > 140 || value.includes('\u0000')) {
        throw invalidArgument('recordId is required');
    }
    return value;
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
