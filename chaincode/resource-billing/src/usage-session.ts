import { verify } from 'node:crypto';
import { invalidArgument, requireCount, requireIdentifier, toJSON } from '../../common/src';
import { requireBase64, requireInstant, requireMspId, requireObject } from './billing-inputs';
import { billingError, BillingErrorCode } from './billing-errors';
import { type MeterUnit, type PricedUse, requirePlanVersion } from './price-plan';

/**
 * proposed: one party asked, the other has not accepted yet (nothing is billed);
 * active: both agreed, billing runs from the acceptance;
 * stopping: a metered session's reading awaits the other party's confirmation;
 * closed, expired, declined: final.
 */
export const SESSION_STATUSES = ['proposed', 'active', 'stopping', 'closed', 'expired', 'declined'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** A token budget held in escrow for the session, paid to the resource's payee at stop. */
export interface SessionPayment {
    accountId: string;
    budget: number;
    deadline: string;
    escrowId: string;
    /** True when the payer authorised the escrow with a signed compute task (B9). */
    signedTask: boolean;
}

/** A resource allocated to an application of a tenant, from start to stop (B2). */
export interface UsageSession extends PricedUse {
    sessionId: string;
    siteId: string;
    status: SessionStatus;
    /** The organisation whose acceptance a proposed session or a stop reading waits for. */
    awaitingMspId?: string;
    proposedAt: string;
    /** The proposer: the tenant for itself, or the operator on the tenant's behalf. */
    startedByMspId: string;
    startedById: string;
    startTxId: string;
    /** When both parties agreed: the counterparty's acceptance, or the start itself with a signed task. */
    startedAt?: string;
    acceptedByMspId?: string;
    acceptedById?: string;
    acceptTxId?: string;
    /** A metered session's stop reading, until the other party confirms it. */
    stopProposal?: StopProposal;
    stoppedAt?: string;
    stoppedByMspId?: string;
    stoppedById?: string;
    stopTxId?: string;
    usageRecordId?: string;
    payment?: SessionPayment;
}

/** A stop reading one party gave; the usage is recorded when the other party confirms it. */
export interface StopProposal {
    quantity: number;
    stoppedAt: string;
    proposedByMspId: string;
    proposedById: string;
    txId: string;
}

/**
 * The compute task a requester signs (B9). The signed bytes are exactly the UTF-8 encoding of the
 * canonical JSON of these eight fields: keys sorted, no whitespace, numbers as integers, e.g.
 * {"accountId":"alice","appId":"game-1","budget":500,"deadline":"2026-01-01T01:00:00.000Z",
 *  "planVersion":1,"resourceId":"gpu-1","sessionId":"s-1","tenantMspId":"CloudOrgMSP"}
 * signed with ECDSA P-256 over SHA-256, signature DER-encoded and sent as base64. `deadline` is
 * sent in the normalised form `toISOString()` produces (milliseconds, `Z`).
 */
export interface ComputeTask {
    sessionId: string;
    resourceId: string;
    tenantMspId: string;
    appId: string;
    planVersion: number;
    accountId: string;
    budget: number;
    deadline: string;
}

export interface StartSessionRequest {
    sessionId: string;
    resourceId: string;
    appId: string;
    tenantMspId?: string;
    /** The plan version the requester agreed to; refused if the resource has moved on. */
    planVersion?: number;
    payment?: { accountId: string; budget: number; deadline: string };
    /** Base64 DER ECDSA signature of the compute task, by the key registered for the payer account. */
    signature?: string;
}

export interface ValidStartRequest {
    sessionId: string;
    resourceId: string;
    appId: string;
    tenantMspId?: string;
    planVersion?: number;
    payment?: { accountId: string; budget: number; deadlineMillis: number };
    signature?: string;
}

/** Meter readings given at stop: calls for a per-call plan, bytes for a per-GB plan, nothing per second. */
export interface StopMeters {
    calls?: number;
    bytes?: number;
}

export const SESSION_KEY = 'billing.session';

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
    return Buffer.from(toJSON(task), 'utf8');
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
