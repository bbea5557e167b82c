import { Key } from './keys';
import { accessDenied, alreadyExists, caller, type Caller, collect, invalidArgument, invalidState, LedgerState, notFound, requireDeploymentGovernor, requireOneOf, requireOrgAdmin, toJSON, txTime, unmarshal } from '../../common/src';
import { BILLING_ROLES, type BillingRole, type BillingRole as Role, type RoleGrant } from '../../schemas/src';
import type { Context } from 'fabric-contract-api';
import { requireMspId } from './billing-inputs';

export function roleKey(state: LedgerState, role: Role, mspId: string): string {
    return state.key(Key.Role, role, mspId);
}

export async function hasRole(state: LedgerState, mspId: string, role: Role): Promise<boolean> {
    return state.exists(roleKey(state, role, mspId));
}

/** The caller, if its organisation holds the role; ACCESS_DENIED otherwise. */
export async function requireRole(state: LedgerState, role: Role, action: string): Promise<Caller> {
    const who = caller(state.ctx);
    if (!(await hasRole(state, who.mspId, role))) {
        throw accessDenied(`${action} needs the ${role} role, which ${who.mspId} does not hold`);
    }
    return who;
}

/** Whether the caller's organisation is an auditor: auditors may read every billing record. */
export async function callerIsAuditor(state: LedgerState): Promise<boolean> {
    return hasRole(state, caller(state.ctx).mspId, 'auditor');
}

/** Whether the caller's organisation is one of the parties or an auditor. */
export async function isPartyOrAuditor(state: LedgerState, parties: readonly string[]): Promise<boolean> {
    return parties.includes(caller(state.ctx).mspId) || (await callerIsAuditor(state));
}

/** Allows the read of public data if the caller's organisation is one of the parties or an auditor. */
export async function requirePartyOrAuditor(state: LedgerState, parties: readonly string[], what: string): Promise<void> {
    if (!(await isPartyOrAuditor(state, parties))) {
        throw accessDenied(`${caller(state.ctx).mspId} may not read ${what}`);
    }
}

/**
 * Allows a read of a pair's private records to the members of its collection: the two parties and auditors. To
 * anyone else they do not exist: their own peer holds only hashes (docs/security/confidentiality.md), so the answer
 * is NOT_FOUND on every peer, the same as for a record nobody wrote, not an ACCESS_DENIED that only a member's peer
 * could give.
 */
export async function requirePairReader(state: LedgerState, parties: { operatorMspId: string; tenantMspId: string }, what: string): Promise<void> {
    if (!(await isPartyOrAuditor(state, [parties.operatorMspId, parties.tenantMspId]))) {
        throw notFound(`${what} does not exist`);
    }
}

/** Makes the caller's organisation the first governor; only once, only by an organisation administrator. */
export async function bootstrapGovernance(ctx: Context): Promise<string> {
    const state = LedgerState.update(ctx);
    requireOrgAdmin(ctx, 'BootstrapGovernance');
    const key = state.key(Key.Governance);
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
export async function grantRole(ctx: Context, mspId: string, role: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const [grantee, wanted] = [requireMspId(mspId, 'mspId'), requireOneOf(role, 'role', BILLING_ROLES)];
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
export async function revokeRole(ctx: Context, mspId: string, role: string): Promise<void> {
    const state = LedgerState.update(ctx);
    const [holder, revoked] = [requireMspId(mspId, 'mspId'), requireOneOf(role, 'role', BILLING_ROLES)];
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
export async function listRoles(ctx: Context): Promise<string> {
    const iterator = await ctx.stub.getStateByPartialCompositeKey(Key.Role, []);
    return toJSON(await collect(iterator, (kv) => unmarshal<RoleGrant>(kv.value, 'role grant')));
}

function newGrant(state: LedgerState, mspId: string, role: BillingRole): RoleGrant {
    const who = caller(state.ctx);
    return { mspId, role, grantedByMspId: who.mspId, grantedById: who.id, grantedAt: txTime(state.ctx), txId: state.ctx.stub.getTxID() };
}

async function requireGovernorAdmin(state: LedgerState, action: string): Promise<Caller> {
    requireOrgAdmin(state.ctx, action);
    return requireRole(state, 'governor', action);
}

export async function requireTenant(state: LedgerState, tenantMspId: string): Promise<void> {
    if (!(await hasRole(state, tenantMspId, 'tenant'))) {
        throw invalidArgument(`${tenantMspId} does not hold the tenant role`);
    }
}
