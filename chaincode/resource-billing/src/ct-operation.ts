import { invalidArgument, requireCount, requireIdentifier } from '../../common/src';
import { requireMspId, requireObject } from './billing-inputs';
import type { CtOperationRequest } from '../../schemas/src';

export function validateCtOperation(value: unknown): CtOperationRequest {
    const request = requireObject<CtOperationRequest>(value, 'request');
    const result: CtOperationRequest = {
        operationId: requireIdentifier(request.operationId, 'operationId'),
        resourceId: requireIdentifier(request.resourceId, 'resourceId'),
        tenantMspId: requireMspId(request.tenantMspId, 'tenantMspId'),
        appId: requireIdentifier(request.appId, 'appId'),
    };
    if ((request.calls === undefined) === (request.bytes === undefined)) {
        throw invalidArgument('give exactly one of calls or bytes');
    }
    if (request.calls !== undefined) {
        result.calls = requireCount(request.calls, 'calls', { min: 1 });
    } else {
        result.bytes = requireCount(request.bytes, 'bytes', { min: 1 });
    }
    return result;
}
