import { accessDenied, type Caller, caller, invalidState } from '../../common/src';
import type { LedgerState } from '../../common/src';

/**
 * Two-party consent (issue 9 finding 4): a record made on behalf of the other party of an
 * operator–tenant pair takes effect only when that party's organisation accepts it in its own
 * transaction. Endorsement by both peers only proves both ran the same code on one party's input;
 * acceptance is the counterparty's own signed decision.
 */
export interface Parties {
    operatorMspId: string;
    tenantMspId: string;
}

/** The organisation that must accept what `proposerMspId` proposed. */
export function counterpartyOf(parties: Parties, proposerMspId: string): string {
    return proposerMspId === parties.operatorMspId ? parties.tenantMspId : parties.operatorMspId;
}

/** The caller, if its organisation is one of the two parties; ACCESS_DENIED otherwise. */
export function requireParty(state: LedgerState, parties: Parties, what: string): Caller {
    const who = caller(state.ctx);
    if (who.mspId !== parties.operatorMspId && who.mspId !== parties.tenantMspId) {
        throw accessDenied(`only ${parties.operatorMspId} or ${parties.tenantMspId} may act on ${what}`);
    }
    return who;
}

/** The caller, if its organisation is the one a proposal waits for; the proposer cannot accept its own. */
export function requireAwaitedParty(state: LedgerState, awaitingMspId: string | undefined, what: string): Caller {
    const who = caller(state.ctx);
    if (awaitingMspId === undefined) {
        throw invalidState(`${what} awaits nobody's acceptance`);
    }
    if (who.mspId !== awaitingMspId) {
        throw accessDenied(`${what} awaits the acceptance of ${awaitingMspId}, not ${who.mspId}`);
    }
    return who;
}
