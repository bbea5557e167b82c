import type { Context } from 'fabric-contract-api';
import { ChaincodeError, invalidArgument } from './errors';
import { txTimeMillis } from './ledger';

/**
 * Far below the finest billing cycle (one minute) and any period or deadline a chaincode grants:
 * the skew a client can choose is bounded by this on every endorser.
 */
export const DEFAULT_TIMESTAMP_TOLERANCE_SECONDS = 15;
export const TOLERANCE_ENV = 'EDGETRUST_TIMESTAMP_TOLERANCE_SECONDS';
/** The setting's earlier name, still honoured by the billing chaincode's deployments. */
const LEGACY_TOLERANCE_ENV = 'BILLING_TIMESTAMP_TOLERANCE_SECONDS';
export const TIMESTAMP_OUT_OF_TOLERANCE = 'TIMESTAMP_OUT_OF_TOLERANCE';

/** Reads the tolerance setting (whole seconds, 1 to 300); an absent or empty value means the default. */
export function toleranceFromEnv(value: string | undefined): number {
    if (value === undefined || value.trim() === '') {
        return DEFAULT_TIMESTAMP_TOLERANCE_SECONDS;
    }
    const seconds = Number(value);
    if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > 300) {
        throw invalidArgument(`${TOLERANCE_ENV} must be a whole number of seconds from 1 to 300, not ${JSON.stringify(value)}`);
    }
    return seconds;
}

function configuredToleranceMillis(): number {
    return toleranceFromEnv(process.env[TOLERANCE_ENV] ?? process.env[LEGACY_TOLERANCE_ENV]) * 1000;
}

// Read once at chaincode start: a bad setting stops the chaincode instead of being ignored.
let toleranceMillis = configuredToleranceMillis();

/** The tolerance in force, in milliseconds. */
export function timestampToleranceMillis(): number {
    return toleranceMillis;
}

type Clock = () => number;

/*
 * The ONE place chaincode reads the local clock, and why that stays deterministic:
 * the transaction timestamp is chosen by the client, so each endorsing peer checks it against its
 * own clock and refuses a proposal that is too far off. The check only accepts or rejects; every
 * value written comes from the transaction timestamp, never from this clock. Endorsers that
 * disagree (one accepts, one rejects) cannot satisfy a policy needing both, and an endorser that
 * rejects produces no endorsement at all, so the ledger never depends on one peer's clock.
 */
const systemClock: Clock = () => Date.now();
let peerClock: Clock = systemClock;

/** Replaces the peer clock (and optionally the tolerance); for unit tests only. Call without arguments to restore both. */
export function setClock(clock?: Clock, toleranceSeconds?: number): void {
    peerClock = clock ?? systemClock;
    toleranceMillis = toleranceSeconds === undefined ? configuredToleranceMillis() : toleranceSeconds * 1000;
}

/** Refuses a proposal whose client-set timestamp is further than the tolerance from this peer's clock. */
export function requireTimelyProposal(ctx: Context): void {
    const skew = txTimeMillis(ctx) - peerClock();
    if (Math.abs(skew) > toleranceMillis) {
        throw new ChaincodeError(
            TIMESTAMP_OUT_OF_TOLERANCE,
            `transaction timestamp is ${String(Math.round(skew / 1000))} s away from the endorsing peer's clock (tolerance ${String(toleranceMillis / 1000)} s)`,
        );
    }
}
