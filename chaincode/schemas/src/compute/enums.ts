import type { Static } from '@sinclair/typebox';
import { Enumeration } from '../primitives';

/** Where an offer's compute sits, nearest the user first; a task may prefer one tier (matching rule, docs/compute-exchange.md). */
export const [COMPUTE_TIERS, ComputeTier] = Enumeration(
    ['far-edge', 'edge', 'regional', 'cloud'],
    'where the compute sits: far-edge, edge, regional or cloud',
);
export type ComputeTier = Static<typeof ComputeTier>;

/** The round-trip latency an offer promises, as a class. */
export const [LATENCY_CLASSES, LatencyClass] = Enumeration(['ultra-low', 'low', 'standard', 'batch'], 'latency class of the offer');
export type LatencyClass = Static<typeof LatencyClass>;

export const [OFFER_STATUSES, OfferStatus] = Enumeration(
    ['active', 'withdrawn'],
    'withdrawn offers take no new tasks; tasks already assigned continue',
);
export type OfferStatus = Static<typeof OfferStatus>;

/**
 * The escrow states of a task (docs/compute-exchange.md): assigned (budget held, capacity reserved), running (the
 * provider accepted), submitted (result digest recorded), contested (the regulator decides); final: completed
 * (price paid, rest refunded), refunded (nothing paid: no offer left after a decline, or the regulator sided with
 * the requester), expired (deadline missed; refunded and counted against the provider).
 */
export const [TASK_STATUSES, TaskStatus] = Enumeration(
    ['assigned', 'running', 'submitted', 'contested', 'completed', 'refunded', 'expired'],
    'where the task and its escrow stand',
);
export type TaskStatus = Static<typeof TaskStatus>;

/** Who accepted a result: the requester, k of n verifiers, or the regulator deciding a contest. */
export const [ACCEPTANCE_KINDS, AcceptanceKind] = Enumeration(['requester', 'verifiers', 'regulator'], 'who accepted the result');
export type AcceptanceKind = Static<typeof AcceptanceKind>;

/** A regulator's decision on a contested result: pay the provider, or refund the requester. */
export const [CONTEST_OUTCOMES, ContestOutcome] = Enumeration(['pay-provider', 'refund-requester'], 'pay-provider or refund-requester');
export type ContestOutcome = Static<typeof ContestOutcome>;

/** The steps a task's trail records, one per transaction. */
export const [TASK_STEPS, TaskStep] = Enumeration(
    ['submitted', 'assigned', 'accepted', 'declined', 'result', 'accepted-by-requester', 'attested', 'contested', 'resolved', 'expired', 'unmatched'],
    'what happened to the task',
);
export type TaskStep = Static<typeof TaskStep>;

/** Events of the compute exchange: each state-changing transaction sets one. */
export const COMPUTE_EVENTS = [
    'ComputeOfferPublished',
    'ComputeOfferWithdrawn',
    'ComputeVerifierRegistered',
    'ComputeTaskAssigned',
    'ComputeTaskUnmatched',
    'ComputeTaskAccepted',
    'ComputeResultSubmitted',
    'ComputeTaskCompleted',
    'ComputeResultContested',
    'ComputeContestResolved',
    'ComputeTaskExpired',
] as const;
export type ComputeEventName = (typeof COMPUTE_EVENTS)[number];
