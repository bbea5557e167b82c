import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { bls12_381 } from '@noble/curves/bls12-381';
import { ATTESTATION_DST, attestationMessage, type ComputeOrder, computeOrderText, PROOF_OF_POSSESSION_DST, type RegisterVerifierRequest, type ResultAttestation, type SubmitTaskRequest } from '@edgetrust/schemas';

/*
 * The client side of signed orders and BLS attestations: the same texts and DSTs the chaincode checks
 * (@edgetrust/schemas), BLS12-381 from @noble/curves with public keys in G1 and signatures in G2.
 */
const scheme = bls12_381.longSignatures;

/** Signs a compute order with the P-256 key registered for its paying account (token:SetTaskKey). */
export function signComputeOrder(order: ComputeOrder, privateKey: KeyObject | string): SubmitTaskRequest {
    const normalised: ComputeOrder = { ...order, deadline: new Date(order.deadline).toISOString() };
    const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
    return { order: normalised, signature: sign('sha256', Buffer.from(computeOrderText(normalised), 'utf8'), { key, dsaEncoding: 'der' }).toString('base64') };
}

/** A new BLS verifier key: the secret (hex, keep it) and the registration request with its proof of possession. */
export function generateVerifierKey(verifierId: string): { secretKey: string; request: RegisterVerifierRequest } {
    const secret = bls12_381.utils.randomSecretKey();
    return { secretKey: Buffer.from(secret).toString('hex'), request: verifierRequest(verifierId, Buffer.from(secret).toString('hex')) };
}

/** The registration request of an existing secret key. */
export function verifierRequest(verifierId: string, secretKeyHex: string): RegisterVerifierRequest {
    const secret = Buffer.from(secretKeyHex, 'hex');
    const publicKey = scheme.getPublicKey(secret).toHex(true);
    const proofOfPossession = scheme.Signature.toHex(scheme.sign(scheme.hash(Buffer.from(publicKey, 'hex'), PROOF_OF_POSSESSION_DST), secret));
    return { verifierId, publicKey, proofOfPossession };
}

/** One verifier's signature (hex, compressed G2) over attestationMessage(taskId, resultDigest). */
export function signResult(taskId: string, resultDigest: string, secretKeyHex: string): string {
    const message = scheme.hash(new TextEncoder().encode(attestationMessage(taskId, resultDigest)), ATTESTATION_DST);
    return scheme.Signature.toHex(scheme.sign(message, Buffer.from(secretKeyHex, 'hex')));
}

/** Aggregates the verifiers' signatures into the attestation AttestResult takes. */
export function aggregateAttestation(signatures: readonly { verifierId: string; signature: string }[]): ResultAttestation {
    return { verifierIds: signatures.map((s) => s.verifierId), signature: scheme.Signature.toHex(scheme.aggregateSignatures(signatures.map((s) => s.signature))) };
}
