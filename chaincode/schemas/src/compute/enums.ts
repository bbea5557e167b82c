import type { Static } from '@sinclair/typebox';
import { OneOf } from '../one-of';

/** Where an offer's compute sits, nearest the user first; a task may prefer one tier (matching rule, docs/compute-exchange.md). */
export const COMPUTE_TIERS = ['far-edge', 'edge', 'regional', 'cloud'] as const;
export const ComputeTier = OneOf(COMPUTE_TIERS, 'where the compute sits: far-edge, edge, regional or cloud');
export type ComputeTier = Static<typeof ComputeTier>;

/** The round-trip latency an offer promises, as a class. */
export const LATENCY_CLASSES = ['ultra-low', 'low', 'standard', 'batch'] as const;
export const LatencyClass = OneOf(LATENCY_CLASSES, 'latency class of the offer');
export type LatencyClass = Static<typeof LatencyClass>;

export const OFFER_STATUSES = ['active', 'withdrawn'] as const;
export const OfferStatus = OneOf(OFFER_STATUSES, 'withdrawn offers take no new tasks; tasks already assigned continue');
export type OfferStatus = Static<typeof OfferStatus>;

/**
 * The escrow states of a task (docs/compute-exchange.md): assigned (budget held, capacity reserved), running (the
 * provider accepted), submitted (result digest recorded), contested (the regulator decides); final: completed
 * (price paid, rest refunded), refunded (nothing paid: no offer left after a decline, or the regulator sided with
 * the requester), expired (deadline missed; refunded and counted against the provider).
 */
export const TASK_STATUSES = ['assigned', 'running', 'submitted', 'contested', 'completed', 'refunded', 'expired'] as const;
export const TaskStatus = OneOf(TASK_STATUSES, 'where the task and its escrow stand');
export type TaskStatus = Static<typeof TaskStatus>;

/** Who accepted a result: the requester, k of n verifiers, or the regulator deciding a contest. */
export const ACCEPTANCE_KINDS = ['requester', 'verifiers', 'regulator'] as const;
export const AcceptanceKind = OneOf(ACCEPTANCE_KINDS, 'who accepted the result');
export type AcceptanceKind = Static<typeof AcceptanceKind>;

/** A regulator's decision on a contested result: pay the provider, or refund the requester. */
export const CONTEST_OUTCOMES = ['pay-provider', 'refund-requester'] as const;
export const ContestOutcome = OneOf(CONTEST_OUTCOMES, 'pay-provider or refund-requester');
export type ContestOutcome = Static<typeof ContestOutcome>;

/** The steps a task's trail records, one per transaction. */
export const TASK_STEPS = ['submitted', 'assigned', 'accepted', 'declined', 'result', 'accepted-by-requester', 'attested', 'contested', 'resolved', 'expired', 'unmatched'] as const;
export const TaskStep = OneOf(TASK_STEPS, 'what happened to the task');
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
