import type { PricedUse } from './price-plan';

/**
 * A CT operation a ct-entity reported, priced at the plan version current when it was reported.
 * It becomes a usage record only when the tenant accepts it (issue 9 finding 4).
 */
export interface CtOperationProposal extends PricedUse {
    operationId: string;
    operationKind: string;
    quantity: number;
    status: 'proposed' | 'accepted' | 'declined';
    awaitingMspId?: string;
    proposedAt: string;
    proposedByMspId: string;
    proposedById: string;
    txId: string;
    decidedAt?: string;
    decidedByMspId?: string;
    decideTxId?: string;
    usageRecordId?: string;
}

export const CT_OPERATION_KEY = 'billing.ct-operation';
