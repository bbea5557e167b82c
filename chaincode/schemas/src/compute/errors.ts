/** The compute exchange's own error codes, on top of the common and billing ones. */
export const ComputeErrorCode = {
    NoMatchingOffer: 'NO_MATCHING_OFFER',
    AttestationInvalid: 'ATTESTATION_INVALID',
    ProofOfPossessionInvalid: 'PROOF_OF_POSSESSION_INVALID',
} as const;
export type ComputeErrorCode = (typeof ComputeErrorCode)[keyof typeof ComputeErrorCode];
