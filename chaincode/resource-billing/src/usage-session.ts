import { verify } from 'node:crypto';
import { invalidArgument, requireCount, requireIdentifier } from '../../common/src';
import { requireBase64, requireInstant, requireMspId, requireObject } from './billing-inputs';
import { billingError, BillingErrorCode } from './billing-errors';
import { requirePlanVersion } from './price-plan';
import { type ComputeTask, computeTaskText, type MeterUnit, type SessionPaymentRequest, type StartSessionRequest, type StopMeters } from '../../schemas/src';

/** A start request as checked: the payment deadline as epoch milliseconds. */
export type ValidStartRequest = Omit<StartSessionRequest, 'payment'> & { payment?: Omit<SessionPaymentRequest, 'deadline'> & { deadlineMillis: number } };

export function validateStartRequest(value: unknown): ValidStartRequest {
    const request = requireObject<StartSessionRequest>(value, 'request');
    const result: ValidStartRequest = {
        sessionId: requireIdentifier(request.sessionId, 'sessionId'),
        resourceId: requireIdentifier(request.resourceId, 'resourceId'),
        appId: requireIdentifier(request.appId, 'appId'),
    };
    if (request.tenantMspId !== undefined) {
        result.tenantMspId = requireMspId(request.tenantMspId, 'tenantMspId');
    }
    if (request.planVersion !== undefined) {
        result.planVersion = requirePlanVersion(request.planVersion);
    }
    if (request.payment !== undefined) {
        const payment = requireObject<StartSessionRequest['payment'] & object>(request.payment, 'payment');
        result.payment = {
            accountId: requireIdentifier(payment.accountId, 'payment.accountId'),
            budget: requireCount(payment.budget, 'payment.budget', { min: 1 }),
            deadlineMillis: requireInstant(payment.deadline, 'payment.deadline'),
        };
    }
    if (request.signature !== undefined) {
        if (result.payment === undefined || result.planVersion === undefined) {
            throw invalidArgument('a signed compute task needs payment and planVersion');
        }
        result.signature = requireBase64(request.signature, 'signature', { minBytes: 8, maxBytes: 80 });
    }
    return result;
}

export function validateStopMeters(value: unknown, unit: MeterUnit): number | undefined {
    const meters = requireObject<StopMeters>(value, 'meters');
    if (unit === 'call') {
        return requireCount(meters.calls, 'meters.calls');
    }
    if (unit === 'gb') {
        return requireCount(meters.bytes, 'meters.bytes');
    }
    if (meters.calls !== undefined || meters.bytes !== undefined) {
        throw invalidArgument('a per-second session is metered by its duration; give no calls or bytes');
    }
    return undefined;
}

/** The exact bytes a requester signs; see {@link ComputeTask}. */
export function taskSigningBytes(task: ComputeTask): Buffer {
    return Buffer.from(computeTaskText(task), 'utf8');
}

/** Verifies a compute task's signature with the payer's registered key; SIGNATURE_INVALID otherwise. */
export function verifyTaskSignature(task: ComputeTask, signature: string, publicKeyPem: string): void {
    let valid = false;
    try {
        valid = verify('sha256', taskSigningBytes(task), { key: publicKeyPem, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
    } catch {
        valid = false;
    }
    if (!valid) {
        throw billingError(BillingErrorCode.SignatureInvalid, `the compute task signature does not verify with the key of account ${task.accountId}`);
    }
}
