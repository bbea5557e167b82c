import { Type, type Static, type TInteger } from '@sinclair/typebox';
import { Page } from '../page';
import { Digest, Identifier, MspId, Text, UtcInstant } from '../primitives';
import { ResourceKind } from '../billing/enums';
import { CitedEvidence } from '../billing/records';
import { AcceptanceKind, ComputeTier, ContestOutcome, LatencyClass, OfferStatus, TaskStatus, TaskStep } from './enums';
import { ComputeOrder, Hex } from './requests';

const Count = (description?: string): TInteger => Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, ...(description === undefined ? {} : { description }) });
const TxId = Type.String({ description: 'the Fabric transaction id' });

/** A published compute offer; `reserved` comes from its capacity key, the one key every reservation writes. */
export const ComputeOffer = Type.Object(
    {
        offerId: Identifier(),
        resourceId: Identifier(),
        siteId: Identifier(),
        kind: ResourceKind,
        operatorMspId: MspId(),
        payeeAccountId: Identifier(),
        capacity: Count('units'),
        reserved: Count('units reserved by assigned, running, submitted and contested tasks'),
        pricePerUnit: Count('tokens per unit'),
        tier: ComputeTier,
        latencyClass: LatencyClass,
        status: OfferStatus,
        publishedAt: UtcInstant(),
        txId: TxId,
    },
    { $id: 'ComputeOffer' },
);
export type ComputeOffer = Static<typeof ComputeOffer>;

export const ComputeOfferPage = Page(ComputeOffer, { $id: 'ComputeOfferPage' });

/** A provider organisation's record from settled tasks; its reputation is completed − 2 × missed. */
export const ComputeProviderStats = Type.Object(
    { providerMspId: MspId(), completed: Count('tasks paid'), missed: Count('deadlines missed'), reputation: Type.Integer({ description: 'completed − 2 × missed' }) },
    { $id: 'ComputeProviderStats' },
);
export type ComputeProviderStats = Static<typeof ComputeProviderStats>;

export const ComputeVerifier = Type.Object(
    { verifierId: Identifier(), publicKey: Hex(48, 'compressed G1 point'), ownerMspId: MspId(), ownerId: Type.String(), registeredAt: UtcInstant(), txId: TxId },
    { $id: 'ComputeVerifier' },
);
export type ComputeVerifier = Static<typeof ComputeVerifier>;

export const TaskTrailEntry = Type.Object(
    { step: TaskStep, at: UtcInstant(), byMspId: MspId(), txId: TxId, offerId: Type.Optional(Identifier()), note: Type.Optional(Text(1024)) },
    { $id: 'TaskTrailEntry' },
);
export type TaskTrailEntry = Static<typeof TaskTrailEntry>;

export const TaskResult = Type.Object(
    {
        resultDigest: Digest(),
        resultEvidenceId: Type.Optional(Identifier()),
        resultEvidence: Type.Optional(CitedEvidence),
        inputDigest: Digest('the input it was computed from'),
        inputEvidenceId: Type.Optional(Identifier(128, "the order's input evidence: the result's record is linked to it here")),
        submittedAt: UtcInstant(),
        submittedByMspId: MspId(),
        txId: TxId,
    },
    { $id: 'TaskResult' },
);
export type TaskResult = Static<typeof TaskResult>;

export const TaskAcceptance = Type.Object(
    { by: AcceptanceKind, verifierIds: Type.Optional(Type.Array(Identifier())), aggregateSignature: Type.Optional(Hex(96, 'the verified aggregate signature')), at: UtcInstant(), txId: TxId },
    { $id: 'TaskAcceptance' },
);

export const TaskContest = Type.Object(
    { reason: Text(1024), at: UtcInstant(), outcome: Type.Optional(ContestOutcome), decisionReason: Type.Optional(Text(1024)), decidedByMspId: Type.Optional(MspId()), decidedAt: Type.Optional(UtcInstant()) },
    { $id: 'TaskContest' },
);

/** A compute task: the signed order, its match, its escrow and every step so far. */
export const ComputeTaskRecord = Type.Object(
    {
        order: ComputeOrder,
        signature: Type.String({ description: 'the requester’s signature of the order, as submitted' }),
        requesterMspId: MspId('owner organisation of the paying account'),
        requesterId: Type.String({ description: 'owner identity of the paying account' }),
        status: TaskStatus,
        offerId: Type.Optional(Identifier(128, 'the offer the task is assigned to')),
        siteId: Type.Optional(Identifier()),
        providerMspId: Type.Optional(MspId()),
        pricePerUnit: Type.Optional(Count('the assigned offer’s price')),
        price: Type.Optional(Count('units × pricePerUnit: what acceptance pays')),
        budget: Count('units × maxPricePerUnit: what the escrow holds'),
        escrowId: Identifier(),
        inputEvidence: Type.Optional(CitedEvidence),
        declinedOfferIds: Type.Array(Identifier(), { description: 'offers whose provider declined; never matched again' }),
        result: Type.Optional(TaskResult),
        acceptance: Type.Optional(TaskAcceptance),
        contest: Type.Optional(TaskContest),
        paid: Type.Optional(Count()),
        refunded: Type.Optional(Count()),
        trail: Type.Array(TaskTrailEntry),
    },
    { $id: 'ComputeTaskRecord' },
);
export type ComputeTaskRecord = Static<typeof ComputeTaskRecord>;
