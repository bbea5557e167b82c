// The compute exchange's wire types, from the schema package (one definition, docs/wire-model.md).
export type {
    AcceptanceKind,
    ComputeEventName,
    ComputeOffer,
    ComputeOrder,
    ComputeProviderStats,
    ComputeTaskRecord,
    ComputeTier,
    ComputeVerifier,
    ContestOutcome,
    ContestRequest,
    LatencyClass,
    PublishOfferRequest,
    RegisterVerifierRequest,
    ResolveContestRequest,
    ResultAttestation,
    SubmitResultRequest,
    SubmitTaskRequest,
    TaskStatus,
    TaskTrailEntry,
} from '@edgetrust/schemas';
export { COMPUTE_EVENTS, COMPUTE_TIERS, CONTEST_OUTCOMES, LATENCY_CLASSES, TASK_STATUSES } from '@edgetrust/schemas';
