import { canonicalJson } from '../canonical-json';
import type { ComputeOrder } from './requests';

/** The exact text a requester signs for a compute order: canonical JSON, keys sorted, absent fields left out. */
export function computeOrderText(order: ComputeOrder): string {
    return canonicalJson(order);
}

/**
 * Attestation format (docs/compute-exchange.md): each verifier signs, with BLS12-381 (minimal-pubkey-size: public
 * keys in G1, signatures in G2), the UTF-8 bytes of this message, hashed to G2 under ATTESTATION_DST; signatures are
 * aggregated by point addition and checked against the sum of the signers' public keys.
 */
export function attestationMessage(taskId: string, resultDigest: string): string {
    return `edgetrust/compute-result/v1\n${taskId}\n${resultDigest}`;
}

export const ATTESTATION_DST = 'EDGETRUST-COMPUTE-RESULT-V1_BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_';
/** A verifier proves it holds its key by signing the compressed public key's bytes under this DST (IETF BLS "POP"). */
export const PROOF_OF_POSSESSION_DST = 'BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
