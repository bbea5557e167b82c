import { Type, type Static, type TString } from '@sinclair/typebox';
import { Digest, Identifier, Text, UtcInstant } from '../primitives';
import { ResourceKind } from '../billing/enums';
import { Base64 } from '../billing/requests';
import { ComputeTier, ContestOutcome, LatencyClass } from './enums';

export const MAX_OFFER_CAPACITY = 1_000_000;
export const MAX_TASK_UNITS = 1_000_000;
export const MAX_PRICE_PER_UNIT = 1_000_000_000;
export const MAX_TASK_VERIFIERS = 16;

/** Lower-case hex of a given byte length. */
export const Hex = (bytes: number, description: string): TString => Type.String({ pattern: `^[0-9a-f]{${String(bytes * 2)}}$`, description });

/** PublishOffer: capacity of one catalog resource of the caller's organisation, at a price per unit. */
export const PublishOfferRequest = Type.Object(
    {
        offerId: Identifier(128, 'unique offer id'),
        resourceId: Identifier(128, 'a catalog resource of the caller organisation, with a payee account; gives the kind and the site'),
        capacity: Type.Integer({ minimum: 1, maximum: MAX_OFFER_CAPACITY, description: 'units that may be reserved at once' }),
        pricePerUnit: Type.Integer({ minimum: 0, maximum: MAX_PRICE_PER_UNIT, description: 'tokens per unit' }),
        tier: ComputeTier,
        latencyClass: LatencyClass,
    },
    { $id: 'PublishOfferRequest', additionalProperties: false },
);
export type PublishOfferRequest = Static<typeof PublishOfferRequest>;

/**
 * What a requester signs for a compute task: the canonical JSON of these fields (keys sorted, no whitespace,
 * absent optional fields left out, `computeOrderText`), UTF-8, ECDSA P-256 over SHA-256 with the key registered
 * for `accountId` (token:SetTaskKey). The task id is in the text, so a signature cannot be replayed.
 */
export const ComputeOrder = Type.Object(
    {
        taskId: Identifier(128, 'unique task id'),
        accountId: Identifier(128, 'the token account that pays; its registered task key signs'),
        kind: ResourceKind,
        units: Type.Integer({ minimum: 1, maximum: MAX_TASK_UNITS, description: 'units of capacity the task reserves' }),
        maxPricePerUnit: Type.Integer({ minimum: 0, maximum: MAX_PRICE_PER_UNIT, description: 'the highest price per unit the requester pays; units × this is escrowed' }),
        preferredTier: Type.Optional(ComputeTier),
        preferredSiteId: Type.Optional(Identifier(128, 'a site the requester prefers')),
        deadline: UtcInstant('the result must be submitted by then; after it, anyone may expire the task and refund the requester'),
        inputDigest: Digest('SHA-256 of the task input'),
        inputEvidenceId: Type.Optional(Identifier(128, 'the evidence record that anchors the input digest')),
        verifierIds: Type.Optional(Type.Array(Identifier(128), { maxItems: MAX_TASK_VERIFIERS, description: 'registered BLS verifiers who may attest the result' })),
        threshold: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TASK_VERIFIERS, description: 'k: how many of verifierIds must sign; needs verifierIds' })),
    },
    { $id: 'ComputeOrder', additionalProperties: false },
);
export type ComputeOrder = Static<typeof ComputeOrder>;

/** SubmitTask: the order and its signature. */
export const SubmitTaskRequest = Type.Object(
    { order: ComputeOrder, signature: Base64('base64 DER ECDSA P-256 signature of computeOrderText(order)') },
    { $id: 'SubmitTaskRequest', additionalProperties: false },
);
export type SubmitTaskRequest = Static<typeof SubmitTaskRequest>;

/** RegisterVerifier: a BLS12-381 key (public key in G1) with its proof of possession, which stops rogue-key aggregation. */
export const RegisterVerifierRequest = Type.Object(
    {
        verifierId: Identifier(128, 'unique verifier id'),
        publicKey: Hex(48, 'compressed G1 point, 96 hex characters'),
        proofOfPossession: Hex(96, 'BLS signature (compressed G2) of the public key bytes under the proof-of-possession DST'),
    },
    { $id: 'RegisterVerifierRequest', additionalProperties: false },
);
export type RegisterVerifierRequest = Static<typeof RegisterVerifierRequest>;

/** SubmitResult: the digest of the result, optionally the evidence record that anchors it (linked to the input's). */
export const SubmitResultRequest = Type.Object(
    { resultDigest: Digest('SHA-256 of the result'), resultEvidenceId: Type.Optional(Identifier(128, 'evidence record of the result')) },
    { $id: 'SubmitResultRequest', additionalProperties: false },
);
export type SubmitResultRequest = Static<typeof SubmitResultRequest>;

/** AttestResult: k or more of the task's verifiers, and their BLS signatures over the attestation message, aggregated. */
export const ResultAttestation = Type.Object(
    {
        verifierIds: Type.Array(Identifier(128), { minItems: 1, maxItems: MAX_TASK_VERIFIERS, description: 'distinct verifiers of the task who signed' }),
        signature: Hex(96, 'aggregate BLS signature (compressed G2) over attestationMessage(taskId, resultDigest)'),
    },
    { $id: 'ResultAttestation', additionalProperties: false },
);
export type ResultAttestation = Static<typeof ResultAttestation>;

export const ContestRequest = Type.Object({ reason: Text(1024, 'why the requester refuses the result') }, { $id: 'ContestRequest', additionalProperties: false });
export type ContestRequest = Static<typeof ContestRequest>;

export const ResolveContestRequest = Type.Object({ outcome: ContestOutcome, reason: Text(1024, 'the grounds of the decision') }, { $id: 'ResolveContestRequest', additionalProperties: false });
export type ResolveContestRequest = Static<typeof ResolveContestRequest>;
