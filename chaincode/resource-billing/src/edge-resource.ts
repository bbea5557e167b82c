import { optionalText, requireIdentifier, requireOneOf, requireText } from '../../common/src';
import { requireAttributes, requireObject } from './billing-inputs';
import { type PricePlanTerms, validatePlanTerms } from './price-plan';

/** An edge site of a MEC platform operator. */
export interface EdgeSite {
    siteId: string;
    name: string;
    location: string;
    operatorMspId: string;
    registeredAt: string;
    txId: string;
}

export interface RegisterSiteRequest {
    siteId: string;
    name: string;
    location: string;
}

/**
 * What an edge site offers: compute resources and network capabilities (WP 2.1.2), and the CT
 * operations an IT application is charged for (WP 2.3.2).
 */
export const RESOURCE_KINDS = [
    'compute',
    'storage',
    'gpu',
    'fpga',
    'location',
    'sms',
    'qos',
    'traffic-steering',
    'routing-policy',
    'capability-call',
    'user-plane',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** A resource or capability of an edge site, with the version of its current price plan. */
export interface EdgeResource {
    resourceId: string;
    siteId: string;
    kind: ResourceKind;
    name: string;
    description?: string;
    attributes: Record<string, string>;
    operatorMspId: string;
    /** Token account paid for token-settled sessions; without one, sessions are invoiced only. */
    payeeAccountId?: string;
    planVersion: number;
    registeredAt: string;
    txId: string;
}

export interface RegisterResourceRequest {
    resourceId: string;
    siteId: string;
    kind: ResourceKind;
    name: string;
    description?: string;
    attributes?: Record<string, string>;
    payeeAccountId?: string;
    plan: PricePlanTerms;
}

export const SITE_KEY = 'billing.site';
export const RESOURCE_KEY = 'billing.resource';
export const RESOURCE_BY_SITE_INDEX = 'billing.resource-by-site';

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
