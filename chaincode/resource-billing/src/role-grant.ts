import { accessDenied, type Caller, caller } from '../../common/src';
import type { LedgerState } from '../../common/src';

/**
 * Organisation roles, held by MSP id as chaincode data (never hard-coded):
 * - governor: its administrators grant and revoke roles;
 * - operator: MEC platform operator: registers sites and resources, closes periods, resolves disputes;
 * - tenant: application provider that may use resources and receives invoices;
 * - auditor: regulator or auditor that may read every billing record (B10);
 * - issuer: may mint compute tokens;
 * - ct-entity: communication-technology entity (UPF, local breakout gateway) that records CT operations.
 */
export const ROLES = ['governor', 'operator', 'tenant', 'auditor', 'issuer', 'ct-entity'] as const;
export type Role = (typeof ROLES)[number];

/** One organisation holding one role. */
export interface RoleGrant {
    mspId: string;
    role: Role;
    grantedByMspId: string;
    grantedById: string;
    grantedAt: string;
    txId: string;
}

export const ROLE_KEY = 'billing.role';
export const GOVERNANCE_KEY = 'billing.governance';

export function roleKey(state: LedgerState, role: Role, mspId: string): string {
    return state.key(ROLE_KEY, role, mspId);
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

/** Allows the read if the caller's organisation is one of the parties or an auditor. */
export async function requirePartyOrAuditor(state: LedgerState, parties: readonly string[], what: string): Promise<void> {
    const { mspId } = caller(state.ctx);
    if (!parties.includes(mspId) && !(await callerIsAuditor(state))) {
        throw accessDenied(`${mspId} may not read ${what}`);
    }
}
