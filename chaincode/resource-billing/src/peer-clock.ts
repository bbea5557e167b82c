import type { Context } from 'fabric-contract-api';
import { invalidArgument, txTimeMillis } from '../../common/src';
import { billingError, BillingErrorCode } from './billing-errors';

export const DEFAULT_TIMESTAMP_TOLERANCE_SECONDS = 300;
export const TOLERANCE_ENV = 'BILLING_TIMESTAMP_TOLERANCE_SECONDS';

/** Reads the tolerance setting (whole seconds, 1 to 86400); an absent or empty value means the default. */
export function toleranceFromEnv(value: string | undefined): number {
    if (value === undefined || value.trim() === '') {
        return DEFAULT_TIMESTAMP_TOLERANCE_SECONDS;
    }
    const seconds = Number(value);
    if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > 86_400) {
        throw invalidArgument(`${TOLERANCE_ENV} must be a whole number of seconds from 1 to 86400, not ${JSON.stringify(value)}`);
    }
    return seconds;
}

// Read once at chaincode start: a bad setting stops the chaincode instead of being ignored.
const toleranceMillis = toleranceFromEnv(process.env[TOLERANCE_ENV]) * 1000;

type Clock = () => number;

/*
 * The ONE place this chaincode reads the local clock, and why that stays deterministic:
 * the transaction timestamp is chosen by the client, so each endorsing peer checks it against its
 * own clock and refuses a proposal that is too far off. The check only accepts or rejects; every
 * value written comes from the transaction timestamp, never from this clock. If two endorsers
 * disagree (one accepts, one rejects), the endorsement policy AND(platform org, app org) cannot be
 * satisfied and the transaction is never ordered, so the ledger never depends on a peer's clock.
 */
const systemClock: Clock = () => Date.now();
let peerClock: Clock = systemClock;

/** Replaces the peer clock; for unit tests only. Call without an argument to restore the system clock. */
export function setClock(clock?: Clock): void {
    peerClock = clock ?? systemClock;
}

/** Refuses a proposal whose client-set timestamp is further than the tolerance from this peer's clock. */
export function requireTimelyProposal(ctx: Context): void {
    const skew = txTimeMillis(ctx) - peerClock();
    if (Math.abs(skew) > toleranceMillis) {
        throw billingError(
            BillingErrorCode.TimestampOutOfTolerance,
            `transaction timestamp is ${String(Math.round(skew / 1000))} s away from the endorsing peer's clock (tolerance ${String(toleranceMillis / 1000)} s)`,
        );
    }
}
