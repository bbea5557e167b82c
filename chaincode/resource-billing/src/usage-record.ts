import { createHash } from 'node:crypto';
import type { MeterUnit } from './price-plan';

export const USAGE_SOURCES = ['session', 'ct-operation'] as const;
export type UsageSource = (typeof USAGE_SOURCES)[number];

/** How a record is paid: on the tenant's periodic invoice, or at once from a token escrow. */
export type Settlement = 'invoice' | 'token';

/**
 * One metered use, priced on chain at the moment it was recorded (B3). Invoice-settled records
 * belong to exactly one invoice line and carry their position in it (`lineSeq`), so the tenant can
 * replay the line's running total and digest.
 */
export interface UsageRecord {
    recordId: string;
    source: UsageSource;
    sessionId?: string;
    operationId?: string;
    operationKind?: string;
    operatorMspId: string;
    tenantMspId: string;
    appId: string;
    resourceId: string;
    planVersion: number;
    unit: MeterUnit;
    rate: number;
    quantity: number;
    amount: number;
    startedAt?: string;
    stoppedAt?: string;
    recordedAt: string;
    recordedByMspId: string;
    period: string;
    settlement: Settlement;
    lineId?: string;
    lineSeq?: number;
    /** Token-settled only: what the escrow paid (the amount, capped by the budget). */
    charged?: number;
    txId: string;
}

export const USAGE_KEY = 'billing.usage';

export function sessionRecordId(sessionId: string): string {
    return `session:${sessionId}`;
}

export function operationRecordId(operationId: string): string {
    return `ct:${operationId}`;
}

/** Digest of an empty line. */
export const EMPTY_LINE_DIGEST = '0'.repeat(64);

/**
 * The running digest of a line: sha256(previous + "\n" + recordId + "\n" + quantity + "\n" + amount),
 * lower-case hex, chained over the line's records in `lineSeq` order. The SDK replays the same chain.
 */
export function chainLineDigest(previous: string, record: Pick<UsageRecord, 'recordId' | 'quantity' | 'amount'>): string {
    return createHash('sha256')
        .update([previous, record.recordId, String(record.quantity), String(record.amount)].join('\n'))
        .digest('hex');
}
