import { Type } from '@sinclair/typebox';
import type { ContractSpec } from '../contract-metadata';
import { Bookmark, Identifier, MspId, Named, PageSizeText, SaltText } from '../primitives';
import { TokenDisclosure } from '../billing/records';
import { RESOURCE_KINDS } from '../billing/enums';
import { ComputeOffer, ComputeOfferPage, ComputeProviderStats, ComputeTaskRecord, ComputeVerifier } from './records';
import { ContestRequest, PublishOfferRequest, RegisterVerifierRequest, ResolveContestRequest, ResultAttestation, SubmitResultRequest, SubmitTaskRequest } from './requests';

const OfferId = Named('OfferId', Identifier(128, 'compute offer id'));
const TaskId = Named('TaskId', Identifier(128, 'compute task id'));
const VerifierId = Named('VerifierId', Identifier(128, 'BLS verifier id'));
const ProviderMspId = Named('ProviderMspIdText', MspId());
const ResourceKindText = Named('ResourceKindText', Type.String({ pattern: `^(?:${RESOURCE_KINDS.join('|')})$`, description: `one of ${RESOURCE_KINDS.join(', ')}` }));
const PageSize = Named('PageSize', PageSizeText);
const BookmarkText = Named('Bookmark', Bookmark);
const ANY_MEMBER = 'any channel member';
const PROVIDER = "members of the assigned offer's operator organisation";
const REQUESTER = 'the owner of the paying account';

/** Compute-power trading (CFN): offers, signed tasks matched to an offer, results, attestation, payment. */
export const COMPUTE_EXCHANGE_CONTRACT: ContractSpec = {
    name: 'compute',
    title: 'ComputeExchangeContract',
    description: 'Compute offers, signed tasks matched to capacity, results attested by requester or k-of-n BLS verifiers, escrowed payment',
    transactions: {
        PublishOffer: { type: 'submit', description: 'Offers capacity of a catalog resource of the caller organisation. Event: ComputeOfferPublished.', callers: 'operator organisations, for their own resources', parameters: [['request', PublishOfferRequest]], returns: ComputeOffer },
        WithdrawOffer: { type: 'submit', description: 'Takes an offer off the exchange; assigned tasks continue. Event: ComputeOfferWithdrawn.', callers: "members of the offer's operator organisation", parameters: [['offerId', OfferId]], returns: ComputeOffer },
        GetOffer: { type: 'evaluate', description: 'An offer with its reserved capacity.', callers: ANY_MEMBER, parameters: [['offerId', OfferId]], returns: ComputeOffer },
        ListOffers: {
            type: 'evaluate',
            description: 'A page of active offers of one kind, in offer id order.',
            callers: ANY_MEMBER,
            parameters: [
                ['kind', ResourceKindText],
                ['pageSize', PageSize],
                ['bookmark', BookmarkText],
            ],
            returns: ComputeOfferPage,
        },
        RegisterVerifier: { type: 'submit', description: 'Registers a BLS12-381 verifier key after checking its proof of possession. Event: ComputeVerifierRegistered.', callers: ANY_MEMBER, parameters: [['request', RegisterVerifierRequest]], returns: ComputeVerifier },
        GetVerifier: { type: 'evaluate', description: 'A registered verifier.', callers: ANY_MEMBER, parameters: [['verifierId', VerifierId]], returns: ComputeVerifier },
        SubmitTask: {
            type: 'submit',
            description: "Verifies the requester's signature, escrows units × maxPricePerUnit and assigns the task to the first eligible offer by the matching rule, reserving its capacity. Event: ComputeTaskAssigned.",
            callers: "anyone holding an order signed by the key of the paying account (the signature is the consent) and the account's disclosure by its owner",
            parameters: [['request', SubmitTaskRequest]],
            returns: ComputeTaskRecord,
            transient: [['account', TokenDisclosure], ['salt', SaltText]],
        },
        AcceptTask: { type: 'submit', description: 'The provider takes on an assigned task. Event: ComputeTaskAccepted.', callers: PROVIDER, parameters: [['taskId', TaskId]], returns: ComputeTaskRecord },
        DeclineTask: {
            type: 'submit',
            description: 'The provider declines an assigned task: its capacity is freed and the task is matched again without that offer, or refunded when no offer is left. Event: ComputeTaskAssigned or ComputeTaskUnmatched.',
            callers: PROVIDER,
            parameters: [['taskId', TaskId]],
            returns: ComputeTaskRecord,
            transient: [['salt', SaltText]],
        },
        SubmitResult: {
            type: 'submit',
            description: 'Records the digest of the result of a running task, by its deadline. Event: ComputeResultSubmitted.',
            callers: PROVIDER,
            parameters: [
                ['taskId', TaskId],
                ['result', SubmitResultRequest],
            ],
            returns: ComputeTaskRecord,
            transient: [['salt', SaltText]],
        },
        AcceptResult: { type: 'submit', description: 'The requester accepts the result: the price is paid, the rest refunded. Event: ComputeTaskCompleted.', callers: REQUESTER, parameters: [['taskId', TaskId]], returns: ComputeTaskRecord, transient: [['salt', SaltText]] },
        AttestResult: {
            type: 'submit',
            description: "Accepts the result on k of the task's verifiers' aggregated BLS signatures, verified here: the price is paid, the rest refunded. Event: ComputeTaskCompleted.",
            callers: ANY_MEMBER,
            parameters: [
                ['taskId', TaskId],
                ['attestation', ResultAttestation],
            ],
            returns: ComputeTaskRecord,
            transient: [['salt', SaltText]],
        },
        ContestResult: {
            type: 'submit',
            description: 'The requester refuses a submitted result; the regulator decides. Event: ComputeResultContested.',
            callers: REQUESTER,
            parameters: [
                ['taskId', TaskId],
                ['request', ContestRequest],
            ],
            returns: ComputeTaskRecord,
        },
        ResolveContest: {
            type: 'submit',
            description: 'Decides a contested result: pay the provider or refund the requester. Event: ComputeContestResolved.',
            callers: 'auditor (regulator) organisations that are neither requester nor provider',
            parameters: [
                ['taskId', TaskId],
                ['decision', ResolveContestRequest],
            ],
            returns: ComputeTaskRecord,
            transient: [['salt', SaltText]],
        },
        ExpireTask: {
            type: 'submit',
            description: 'After the deadline of a task without a result: refunds the requester, frees the capacity and counts a miss against the provider. Event: ComputeTaskExpired.',
            callers: ANY_MEMBER,
            parameters: [['taskId', TaskId]],
            returns: ComputeTaskRecord,
            transient: [['salt', SaltText]],
        },
        GetTask: { type: 'evaluate', description: 'A task with its whole trail.', callers: "the requester's and provider's organisations, owners of its verifiers, auditor organisations", parameters: [['taskId', TaskId]], returns: ComputeTaskRecord },
        GetProviderStats: { type: 'evaluate', description: "A provider organisation's completed and missed tasks.", callers: ANY_MEMBER, parameters: [['providerMspId', ProviderMspId]], returns: ComputeProviderStats },
    },
};
