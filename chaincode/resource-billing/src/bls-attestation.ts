import { bls12_381 } from '@noble/curves/bls12-381';
import { ATTESTATION_DST, attestationMessage, PROOF_OF_POSSESSION_DST } from '../../schemas/src';

/*
 * BLS12-381 with @noble/curves (audited, constant inputs give constant answers: verification is a pairing check,
 * no randomness, so every endorser agrees). Public keys in G1 (48 bytes), signatures in G2 (96 bytes): the
 * "minimal-pubkey-size" variant, where aggregating keys is cheap and the chaincode adds k keys per attestation.
 */
const scheme = bls12_381.longSignatures;
const encoder = new TextEncoder();

/** Whether the hex text decodes to a valid point (on the curve, in the subgroup); noble checks both. */
function decodes(decode: () => unknown): boolean {
    try {
        decode();
        return true;
    } catch {
        return false;
    }
}

export function isPublicKey(hex: string): boolean {
    return decodes(() => bls12_381.G1.Point.fromHex(hex).assertValidity());
}

/** The proof of possession: a signature of the public key's own bytes, under its own DST. */
export function verifyProofOfPossession(publicKeyHex: string, proofHex: string): boolean {
    try {
        const message = scheme.hash(Buffer.from(publicKeyHex, 'hex'), PROOF_OF_POSSESSION_DST);
        return scheme.verify(proofHex, message, publicKeyHex);
    } catch {
        return false;
    }
}

/** One pairing check of the aggregate signature against the sum of the signers' public keys. */
export function verifyAggregateAttestation(taskId: string, resultDigest: string, publicKeysHex: readonly string[], signatureHex: string): boolean {
    try {
        const message = scheme.hash(encoder.encode(attestationMessage(taskId, resultDigest)), ATTESTATION_DST);
        return scheme.verify(signatureHex, message, scheme.aggregatePublicKeys([...publicKeysHex]));
    } catch {
        return false;
    }
}
