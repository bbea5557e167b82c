import { optionalText, requireIdentifier, requireOneOf, requireText } from '../../common/src';
import { requireAttributes, requireObject } from './billing-inputs';
import { validatePlanTerms } from './price-plan';
import { RESOURCE_KINDS, type RegisterResourceRequest, type RegisterSiteRequest } from '../../schemas/src';

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
