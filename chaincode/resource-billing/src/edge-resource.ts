import { accessDenied, alreadyExists, caller, invalidArgument, LedgerState, notFound, optionalText, parseArgument, parsePageSize, readIndexPage, requireIdentifier, requireOneOf, requireText, toJSON, txTime } from '../../common/src';
import { parseCountArgument, requireAttributes, requireObject } from './billing-inputs';
import { requirePlanVersion, validatePlanTerms } from './price-plan';
import { type EdgeResource, type EdgeSite, type PricePlan, type PricePlanTerms, type RegisterResourceRequest, type RegisterSiteRequest, RESOURCE_KINDS } from '../../schemas/src';
import { Key, versionKey } from './keys';
import { accountOwnerMspId } from './token-ledger';
import type { Context } from 'fabric-contract-api';
import { requireRole } from './role-grant';

export function validateSiteRequest(value: unknown): RegisterSiteRequest {
    const request = requireObject<RegisterSiteRequest>(value, 'request');
    return {
        siteId: requireIdentifier(request.siteId, 'siteId'),
        name: requireText(request.name, 'name'),
        location: requireText(request.location, 'location'),
    };
}

export function validateResourceRequest(value: unknown): RegisterResourceRequest & { attributes: Record<string, string> } {
    const request = requireObject<RegisterResourceRequest>(value, 'request');
    const payeeAccountId = request.payeeAccountId === undefined ? undefined : requireIdentifier(request.payeeAccountId, 'payeeAccountId');
    const description = optionalText(request.description, 'description', 1024);
    return {
        resourceId: requireIdentifier(request.resourceId, 'resourceId'),
        siteId: requireIdentifier(request.siteId, 'siteId'),
        kind: requireOneOf(request.kind, 'kind', RESOURCE_KINDS),
        name: requireText(request.name, 'name'),
        ...(description === undefined ? {} : { description }),
        attributes: requireAttributes(request.attributes, 'attributes'),
        ...(payeeAccountId === undefined ? {} : { payeeAccountId }),
        plan: validatePlanTerms(request.plan),
    };
}

/** Registers an edge site of the caller's organisation; operators only. */
export async function registerSite(ctx: Context, requestJson: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const request = validateSiteRequest(parseArgument(requestJson, 'request'));
    const who = await requireRole(state, 'operator', 'RegisterSite');
    const key = state.key(Key.Site, request.siteId);
    if (await state.exists(key)) {
        throw alreadyExists(`site ${request.siteId} exists already`);
    }
    const site: EdgeSite = { ...request, operatorMspId: who.mspId, registeredAt: txTime(ctx), txId: ctx.stub.getTxID() };
    state.put(key, site);
    await state.commit('SiteRegistered', { siteId: site.siteId, operatorMspId: site.operatorMspId });
    return toJSON(site);
}

/** Registers a resource or capability of one of the caller's sites, with version 1 of its price plan. */
export async function registerResource(ctx: Context, requestJson: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const { plan, ...request } = validateResourceRequest(parseArgument(requestJson, 'request'));
    const who = await requireRole(state, 'operator', 'RegisterResource');
    const site = await readSite(state, request.siteId);
    if (site.operatorMspId !== who.mspId) {
        throw accessDenied(`site ${site.siteId} belongs to ${site.operatorMspId}`);
    }
    const key = state.key(Key.Resource, request.resourceId);
    if (await state.exists(key)) {
        throw alreadyExists(`resource ${request.resourceId} exists already`);
    }
    if (request.payeeAccountId !== undefined && (await accountOwnerMspId(state, request.payeeAccountId)) !== who.mspId) {
        throw invalidArgument(`payee account ${request.payeeAccountId} is not owned by ${who.mspId}`);
    }
    const resource: EdgeResource = { ...request, operatorMspId: who.mspId, planVersion: 1, registeredAt: txTime(ctx), txId: ctx.stub.getTxID() };
    state.put(key, resource);
    state.putIndex(state.key(Key.ResourceBySite, resource.siteId, resource.resourceId));
    const pricePlan = stagePlan(state, resource.resourceId, 1, plan);
    await state.commit('ResourceRegistered', { resourceId: resource.resourceId, siteId: resource.siteId, kind: resource.kind, plan: pricePlan });
    return toJSON(resource);
}

/** Publishes the next version of a resource's price plan; sessions already started keep theirs. */
export async function publishPricePlan(ctx: Context, resourceId: string, planJson: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const terms = validatePlanTerms(parseArgument(planJson, 'plan'));
    const resource = await readResource(state, requireIdentifier(resourceId, 'resourceId'));
    await requireResourceOperator(state, resource, 'PublishPricePlan');
    const version = resource.planVersion + 1;
    state.put(state.key(Key.Resource, resource.resourceId), { ...resource, planVersion: version });
    const plan = stagePlan(state, resource.resourceId, version, terms);
    await state.commit('PricePlanPublished', plan);
    return toJSON(plan);
}

export async function getSite(ctx: Context, siteId: string): Promise<string> {
    return toJSON(await readSite(LedgerState.query(ctx), requireIdentifier(siteId, 'siteId')));
}

/** The catalog is public: any channel member may read resources and plans. */
export async function getResource(ctx: Context, resourceId: string): Promise<string> {
    return toJSON(await readResource(LedgerState.query(ctx), requireIdentifier(resourceId, 'resourceId')));
}

export async function getPricePlan(ctx: Context, resourceId: string, version: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const plan = await readPlan(state, requireIdentifier(resourceId, 'resourceId'), requirePlanVersion(parseCountArgument(version, 'version')));
    return toJSON(plan);
}

/** A page of a site's resources. */
export async function listSiteResources(ctx: Context, siteId: string, pageSize: string, bookmark: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const site = requireIdentifier(siteId, 'siteId');
    const page = await readIndexPage(ctx, Key.ResourceBySite, [site], parsePageSize(pageSize), bookmark, async (kv) => {
        const [, resourceId = ''] = ctx.stub.splitCompositeKey(kv.key).attributes;
        return readResource(state, resourceId);
    });
    return toJSON(page);
}

function stagePlan(state: LedgerState, resourceId: string, version: number, terms: PricePlanTerms): PricePlan {
    const plan: PricePlan = { ...terms, resourceId, version, publishedAt: txTime(state.ctx), publishedByMspId: caller(state.ctx).mspId, txId: state.ctx.stub.getTxID() };
    state.put(state.key(Key.Plan, resourceId, versionKey(version)), plan);
    return plan;
}

async function requireResourceOperator(state: LedgerState, resource: EdgeResource, action: string): Promise<void> {
    const who = await requireRole(state, 'operator', action);
    if (who.mspId !== resource.operatorMspId) {
        throw accessDenied(`resource ${resource.resourceId} belongs to ${resource.operatorMspId}`);
    }
}

async function readSite(state: LedgerState, siteId: string): Promise<EdgeSite> {
    const site = await state.read<EdgeSite>(state.key(Key.Site, siteId), 'edge site');
    if (!site) {
        throw notFound(`site ${siteId} does not exist`);
    }
    return site;
}

export async function readResource(state: LedgerState, resourceId: string): Promise<EdgeResource> {
    const resource = await state.read<EdgeResource>(state.key(Key.Resource, resourceId), 'edge resource');
    if (!resource) {
        throw notFound(`resource ${resourceId} does not exist`);
    }
    return resource;
}

export async function readPlan(state: LedgerState, resourceId: string, version: number): Promise<PricePlan> {
    const plan = await state.read<PricePlan>(state.key(Key.Plan, resourceId, versionKey(version)), 'price plan');
    if (!plan) {
        throw notFound(`resource ${resourceId} has no price plan version ${String(version)}`);
    }
    return plan;
}
