import { Key } from './keys';
import { accessDenied, type Caller, caller } from '../../common/src';
import { LedgerState } from '../../common/src';
import type { BillingRole as Role } from '../../schemas/src';

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

/** Allows the read if the caller's organisation is one of the parties or an auditor. */
export async function requirePartyOrAuditor(state: LedgerState, parties: readonly string[], what: string): Promise<void> {
    const { mspId } = caller(state.ctx);
    if (!parties.includes(mspId) && !(await callerIsAuditor(state))) {
        throw accessDenied(`${mspId} may not read ${what}`);
    }
}
