import type { Context } from 'fabric-contract-api';
import { type ChaincodeError, queryChaincode, txTime } from '../../common/src';
import { type CitedEvidence, type EvidenceRecord } from '../../schemas/src';
import { billingError, BillingErrorCode } from './billing-errors';

/*
 * Evidence that billing records cite (a dispute's evidence, a compute task's input and result), checked against the
 * evidence chaincode on the same channel at the time of citing: the record exists, is not revoked and, where the
 * citation is for a digest, anchors that digest. The evidence read joins this transaction's read set, so a
 * revocation committed between endorsement and commit invalidates the citing transaction.
 */

/** The evidence chaincode's name on the channel (network/topology.json). */
export const EVIDENCE_CHAINCODE = 'evidence';

/** The fields of the evidence chaincode's Read answer (its EvidenceRecord) that a citation relies on. */
type EvidenceRecordView = Pick<EvidenceRecord, 'id' | 'kind' | 'digest' | 'status' | 'anchoredAt' | 'submitterMspId'> & { sourceProof?: unknown };

/**
 * Checks the record `evidenceId`, cited as `what`, and returns what the evidence chaincode said of it. With `digest`,
 * the record must anchor exactly that digest. Throws a coded error otherwise (writes nothing).
 */
export async function citeEvidence(ctx: Context, evidenceId: string, what: string, digest?: string): Promise<CitedEvidence> {
    const record = await queryChaincode<EvidenceRecordView>(ctx, EVIDENCE_CHAINCODE, 'Read', [evidenceId], (message) => evidenceFailure(evidenceId, what, message));
    if (record.id !== evidenceId || typeof record.digest !== 'string' || typeof record.anchoredAt !== 'string') {
        throw billingError(BillingErrorCode.EvidenceUnavailable, `the evidence chaincode answered Read ${evidenceId} with an unexpected shape`);
    }
    if (record.status !== 'active') {
        throw billingError(BillingErrorCode.CitedEvidenceRevoked, `${what} ${evidenceId} was revoked`);
    }
    if (digest !== undefined && record.digest !== digest) {
        throw billingError(BillingErrorCode.CitedEvidenceMismatch, `${what} ${evidenceId} anchors ${record.digest}, not ${digest}`);
    }
    return {
        evidenceId,
        digest: record.digest,
        kind: record.kind,
        status: 'active',
        anchoredAt: record.anchoredAt,
        anchoredByMspId: record.submitterMspId,
        sourceProven: record.sourceProof !== undefined,
        checkedAt: txTime(ctx),
    };
}

/** Read's NOT_FOUND means no such record; anything else is the evidence chaincode failing (fail closed). */
function evidenceFailure(evidenceId: string, what: string, message: string): ChaincodeError {
    if (/\bNOT_FOUND\b/.test(message)) {
        return billingError(BillingErrorCode.CitedEvidenceNotFound, `${what} ${evidenceId} is not in the evidence chaincode`);
    }
    return billingError(BillingErrorCode.EvidenceUnavailable, `the evidence chaincode could not be asked about ${evidenceId}: ${message.slice(0, 200)}`);
}
