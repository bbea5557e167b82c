import { accessDenied, alreadyExists, invalidArgument, invalidState, LedgerState, notFound, requireCount, requireIdentifier, toJSON, txTime } from '../../common/src';
import { requireMspId, requireObject } from './billing-inputs';
import { type CtOperationProposal, type CtOperationRequest } from '../../schemas/src';
import { Key } from './keys';
import { requirePairReader, requireRole, requireTenant } from './role-grant';
import { type Parties, requireAwaitedParty, requireParty } from './counterparty';
import type { Context } from 'fabric-contract-api';
import { recordInvoicedUsage, usageEvent } from './usage-ledger';
import { operationRecordId } from './usage-record';
import { readPlan, readResource } from './edge-resource';
import { pairCollection, putRoute, readRoute, requireSameId, transientRequest } from './billing-collection';

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

/**
 * Reports an operation a CT entity (UPF, local breakout gateway) did for an IT application:
 * routing policies and capability calls (per call) or user-plane traffic (per GB) (B6). Callers
 * hold the ct-entity role and operate the capability's site. The report is a proposal, priced
 * at the current plan version: it reaches the tenant's invoice line only when the tenant accepts
 * it with AcceptCtOperation (after checking it against its own counters), or never if declined.
 */
export async function recordCtOperation(ctx: Context, operationId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const request: CtOperationRequest = validateCtOperation(transientRequest(state, 'request'));
    requireSameId(operationId, request.operationId, 'operationId');
    const who = await requireRole(state, 'ct-entity', 'RecordCtOperation');
    const resource = await readResource(state, request.resourceId);
    if (resource.operatorMspId !== who.mspId) {
        throw accessDenied(`capability ${resource.resourceId} is operated by ${resource.operatorMspId}`);
    }
    await requireTenant(state, request.tenantMspId);
    const plan = await readPlan(state, resource.resourceId, resource.planVersion);
    const quantity = plan.unit === 'call' ? request.calls : plan.unit === 'gb' ? request.bytes : undefined;
    if (quantity === undefined) {
        throw invalidArgument(`capability ${resource.resourceId} is priced per ${plan.unit}: give ${plan.unit === 'gb' ? 'bytes' : plan.unit === 'call' ? 'calls' : 'a session instead'}`);
    }
    const parties: Parties = { operatorMspId: resource.operatorMspId, tenantMspId: request.tenantMspId };
    const key = state.key(Key.CtOperation, request.operationId);
    if ((await readRoute(state, 'ct-operation', request.operationId)) !== undefined) {
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
    putRoute(state, 'ct-operation', proposal.operationId, parties);
    state.put(key, proposal, pairCollection(parties));
    // Ids only: the app, quantity and amount are private to the pair.
    await state.commit('CtOperationProposed', { operationId: proposal.operationId });
    return toJSON({ operationId: proposal.operationId });
}

/** The tenant accepts a reported CT operation: it is priced as reported and added to its invoice line. */
export async function acceptCtOperation(ctx: Context, operationId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const proposal = await readCtOperation(state, requireIdentifier(operationId, 'operationId'));
    if (proposal.status !== 'proposed') {
        throw invalidState(`CT operation ${proposal.operationId} is ${proposal.status}`);
    }
    const who = requireAwaitedParty(state, proposal.awaitingMspId, `CT operation ${proposal.operationId}`);
    const { record } = await recordInvoicedUsage(state, {
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
    state.put(state.key(Key.CtOperation, proposal.operationId), {
        ...rest,
        status: 'accepted',
        decidedAt: txTime(ctx),
        decidedByMspId: who.mspId,
        decideTxId: ctx.stub.getTxID(),
        usageRecordId: record.recordId,
    } satisfies CtOperationProposal, pairCollection(proposal));
    const ids = { operationId: proposal.operationId, ...usageEvent(record) };
    await state.commit('CtOperationRecorded', ids);
    return toJSON(ids);
}

/** The tenant declines a reported CT operation (or the reporting organisation withdraws it); nothing is billed. */
export async function declineCtOperation(ctx: Context, operationId: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const proposal = await readCtOperation(state, requireIdentifier(operationId, 'operationId'));
    const who = requireParty(state, proposal, `CT operation ${proposal.operationId}`);
    if (proposal.status !== 'proposed') {
        throw invalidState(`CT operation ${proposal.operationId} is ${proposal.status}`);
    }
    const { awaitingMspId: _awaiting, ...rest } = proposal;
    const declined: CtOperationProposal = { ...rest, status: 'declined', decidedAt: txTime(ctx), decidedByMspId: who.mspId, decideTxId: ctx.stub.getTxID() };
    state.put(state.key(Key.CtOperation, proposal.operationId), declined, pairCollection(proposal));
    await state.commit('CtOperationDeclined', { operationId: declined.operationId });
    return toJSON({ operationId: declined.operationId });
}

/** A reported CT operation and whether the tenant accepted it; for its two parties and auditors. */
export async function getCtOperation(ctx: Context, operationId: string): Promise<string> {
    const state = LedgerState.query(ctx);
    return toJSON(await readCtOperation(state, requireIdentifier(operationId, 'operationId')));
}

/** A reported CT operation, for its two parties and auditors (members of its pair collection); NOT_FOUND for anyone else. */
async function readCtOperation(state: LedgerState, operationId: string): Promise<CtOperationProposal> {
    const route = await readRoute(state, 'ct-operation', operationId);
    if (route) {
        await requirePairReader(state, route, `CT operation ${operationId}`);
    }
    const proposal = route ? await state.read<CtOperationProposal>(state.key(Key.CtOperation, operationId), 'CT operation', pairCollection(route)) : undefined;
    if (!proposal) {
        throw notFound(`CT operation ${operationId} was never reported`);
    }
    return proposal;
}
