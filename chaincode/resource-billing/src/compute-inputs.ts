import { invalidArgument, requireCount, requireDigest, requireIdentifier, requireInstantMillis, requireOneOf, requireText } from '../../common/src';
import {
    COMPUTE_TIERS,
    type ComputeOrder,
    CONTEST_OUTCOMES,
    type ContestRequest,
    LATENCY_CLASSES,
    MAX_OFFER_CAPACITY,
    MAX_PRICE_PER_UNIT,
    MAX_TASK_UNITS,
    MAX_TASK_VERIFIERS,
    type PublishOfferRequest,
    type RegisterVerifierRequest,
    RESOURCE_KINDS,
    type ResolveContestRequest,
    type ResultAttestation,
    type SubmitResultRequest,
    type SubmitTaskRequest,
} from '../../schemas/src';
import { isoInstant, requireBase64, requireObject } from './billing-inputs';

/*
 * Request checks of the compute exchange, with the common validators (stable codes). Each builds a new object
 * from the known fields and refuses any other field: a signed order must be exactly what was signed.
 */

function onlyFields<T extends object>(value: unknown, field: string, allowed: readonly (keyof T & string)[]): Partial<T> {
    const object = requireObject<T>(value, field);
    const unknown = Object.keys(object).find((name) => !(allowed as readonly string[]).includes(name));
    if (unknown !== undefined) {
        throw invalidArgument(`${field} has an unknown field ${JSON.stringify(unknown.slice(0, 64))}`);
    }
    return object;
}

function requireHex(value: unknown, field: string, bytes: number): string {
    if (typeof value !== 'string' || !new RegExp(`^[0-9a-f]{${String(bytes * 2)}}$`).test(value)) {
        throw invalidArgument(`${field} must be ${String(bytes * 2)} lower-case hex characters`);
    }
    return value;
}

function requireIdList(value: unknown, field: string, { min, max }: { min: number; max: number }): string[] {
    if (!Array.isArray(value) || value.length < min || value.length > max) {
        throw invalidArgument(`${field} must be a list of ${String(min)} to ${String(max)} ids`);
    }
    const ids = value.map((id, i) => requireIdentifier(id, `${field}[${String(i)}]`));
    if (new Set(ids).size !== ids.length) {
        throw invalidArgument(`${field} lists an id twice`);
    }
    return ids;
}

export function validatePublishOffer(value: unknown): PublishOfferRequest {
    const request = onlyFields<PublishOfferRequest>(value, 'request', ['offerId', 'resourceId', 'capacity', 'pricePerUnit', 'tier', 'latencyClass']);
    return {
        offerId: requireIdentifier(request.offerId, 'offerId'),
        resourceId: requireIdentifier(request.resourceId, 'resourceId'),
        capacity: requireCount(request.capacity, 'capacity', { min: 1, max: MAX_OFFER_CAPACITY }),
        pricePerUnit: requireCount(request.pricePerUnit, 'pricePerUnit', { max: MAX_PRICE_PER_UNIT }),
        tier: requireOneOf(request.tier, 'tier', COMPUTE_TIERS),
        latencyClass: requireOneOf(request.latencyClass, 'latencyClass', LATENCY_CLASSES),
    };
}

const ORDER_FIELDS = ['taskId', 'accountId', 'kind', 'units', 'maxPricePerUnit', 'preferredTier', 'preferredSiteId', 'deadline', 'inputDigest', 'inputEvidenceId', 'verifierIds', 'threshold'] as const;

export function validateOrder(value: unknown): ComputeOrder {
    const order = onlyFields<ComputeOrder>(value, 'order', ORDER_FIELDS);
    const deadline = requireInstantMillis(order.deadline, 'order.deadline');
    const result: ComputeOrder = {
        taskId: requireIdentifier(order.taskId, 'order.taskId'),
        accountId: requireIdentifier(order.accountId, 'order.accountId'),
        kind: requireOneOf(order.kind, 'order.kind', RESOURCE_KINDS),
        units: requireCount(order.units, 'order.units', { min: 1, max: MAX_TASK_UNITS }),
        maxPricePerUnit: requireCount(order.maxPricePerUnit, 'order.maxPricePerUnit', { max: MAX_PRICE_PER_UNIT }),
        // The text signed is the deadline as given, so it must already be in toISOString's form.
        deadline: requireCanonicalInstant(order.deadline, deadline),
        inputDigest: requireDigest(order.inputDigest, 'order.inputDigest'),
    };
    if (order.preferredTier !== undefined) {
        result.preferredTier = requireOneOf(order.preferredTier, 'order.preferredTier', COMPUTE_TIERS);
    }
    if (order.preferredSiteId !== undefined) {
        result.preferredSiteId = requireIdentifier(order.preferredSiteId, 'order.preferredSiteId');
    }
    if (order.inputEvidenceId !== undefined) {
        result.inputEvidenceId = requireIdentifier(order.inputEvidenceId, 'order.inputEvidenceId');
    }
    if (order.verifierIds !== undefined || order.threshold !== undefined) {
        const verifierIds = requireIdList(order.verifierIds, 'order.verifierIds', { min: 1, max: MAX_TASK_VERIFIERS });
        const threshold = requireCount(order.threshold, 'order.threshold', { min: 1, max: verifierIds.length });
        Object.assign(result, { verifierIds, threshold });
    }
    return result;
}

function requireCanonicalInstant(value: unknown, millis: number): string {
    if (value !== isoInstant(millis)) {
        throw invalidArgument(`order.deadline must be written as ${isoInstant(millis)} (milliseconds, Z), the form that is signed`);
    }
    return value;
}

export function validateSubmitTask(value: unknown): SubmitTaskRequest {
    const request = onlyFields<SubmitTaskRequest>(value, 'request', ['order', 'signature']);
    return { order: validateOrder(request.order), signature: requireBase64(request.signature, 'signature', { minBytes: 8, maxBytes: 80 }) };
}

export function validateVerifier(value: unknown): RegisterVerifierRequest {
    const request = onlyFields<RegisterVerifierRequest>(value, 'request', ['verifierId', 'publicKey', 'proofOfPossession']);
    return {
        verifierId: requireIdentifier(request.verifierId, 'verifierId'),
        publicKey: requireHex(request.publicKey, 'publicKey', 48),
        proofOfPossession: requireHex(request.proofOfPossession, 'proofOfPossession', 96),
    };
}

export function validateResult(value: unknown): SubmitResultRequest {
    const request = onlyFields<SubmitResultRequest>(value, 'result', ['resultDigest', 'resultEvidenceId']);
    const result: SubmitResultRequest = { resultDigest: requireDigest(request.resultDigest, 'resultDigest') };
    if (request.resultEvidenceId !== undefined) {
        result.resultEvidenceId = requireIdentifier(request.resultEvidenceId, 'resultEvidenceId');
    }
    return result;
}

export function validateAttestation(value: unknown): ResultAttestation {
    const request = onlyFields<ResultAttestation>(value, 'attestation', ['verifierIds', 'signature']);
    return { verifierIds: requireIdList(request.verifierIds, 'verifierIds', { min: 1, max: MAX_TASK_VERIFIERS }), signature: requireHex(request.signature, 'signature', 96) };
}

export function validateContest(value: unknown): ContestRequest {
    const request = onlyFields<ContestRequest>(value, 'request', ['reason']);
    return { reason: requireText(request.reason, 'reason', 1024) };
}

export function validateDecision(value: unknown): ResolveContestRequest {
    const request = onlyFields<ResolveContestRequest>(value, 'decision', ['outcome', 'reason']);
    return { outcome: requireOneOf(request.outcome, 'outcome', CONTEST_OUTCOMES), reason: requireText(request.reason, 'reason', 1024) };
}
