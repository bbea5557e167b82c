import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { computeTaskText } from '@edgetrust/schemas';
import type { ComputeTask, StartSessionRequest } from './models';

/**
 * The exact bytes a requester signs: the canonical JSON of the task (keys sorted, no whitespace, the deadline as
 * toISOString() writes it), UTF-8, made by the same function the chaincode uses to rebuild them before verifying.
 * @param task - The compute task.
 */
export function computeTaskBytes(task: ComputeTask): Buffer {
    return Buffer.from(computeTaskText({ ...task, deadline: new Date(task.deadline).toISOString() }), 'utf8');
}

/**
 * Signs a compute task with the payer account's P-256 key and returns the start request the
 * chaincode verifies before it takes the escrow (B9). Anyone allowed to start the session (the
 * tenant or the resource's operator) may submit it.
 * @param task - What the requester agrees to.
 * @param privateKey - The P-256 private key whose public half is registered on the account.
 */
export function signComputeTask(task: ComputeTask, privateKey: KeyObject | string): StartSessionRequest {
    const deadline = new Date(task.deadline).toISOString();
    const signature = sign('sha256', computeTaskBytes(task), { key: typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey, dsaEncoding: 'der' }).toString('base64');
    return {
        sessionId: task.sessionId,
        resourceId: task.resourceId,
        appId: task.appId,
        tenantMspId: task.tenantMspId,
        planVersion: task.planVersion,
        payment: { accountId: task.accountId, budget: task.budget, deadline },
        signature,
    };
}

/**
 * Checks a signed start request against a public key, as the chaincode will.
 * @returns True when the signature covers exactly this task.
 */
export function verifyComputeTask(request: StartSessionRequest, publicKey: KeyObject | string): boolean {
    const { payment, signature, tenantMspId, planVersion } = request;
    if (!payment || signature === undefined || tenantMspId === undefined || planVersion === undefined) {
        return false;
    }
    const task: ComputeTask = { ...payment, sessionId: request.sessionId, resourceId: request.resourceId, appId: request.appId, tenantMspId, planVersion };
    return verify('sha256', computeTaskBytes(task), { key: typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
}
