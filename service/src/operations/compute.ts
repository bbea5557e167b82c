import { positionalOperations } from './positional';
import type { Operation } from './table';

/**
 * The compute exchange's client (the resource-billing chaincode's `compute:` contract) as endpoints, every method of
 * it. A task is signed by its paying account's key before it is sent (`signComputeOrder` in the SDK, or any P-256
 * ECDSA signer): the key stays with its owner, the service only forwards the signed task.
 */
export const computeOperations: readonly Operation[] = positionalOperations('compute', '/v1/compute', [
    { name: 'publishOffer', method: 'POST', path: '/offers', args: ['B'], summary: 'Offer capacity of a catalog resource (PublishOfferRequest)' },
    { name: 'withdrawOffer', method: 'POST', path: '/offers/:offerId/withdraw', args: ['p:offerId'], summary: 'Withdraw an offer; assigned tasks continue' },
    { name: 'getOffer', method: 'GET', path: '/offers/:offerId', args: ['p:offerId'], summary: 'An offer with its reserved capacity' },
    { name: 'listOffers', method: 'GET', path: '/offers', args: ['q:kind', 'page'], summary: 'One page of active offers of one kind' },
    { name: 'registerVerifier', method: 'POST', path: '/verifiers', args: ['B'], summary: 'Register a BLS verifier with its proof of possession (RegisterVerifierRequest)' },
    { name: 'getVerifier', method: 'GET', path: '/verifiers/:verifierId', args: ['p:verifierId'], summary: 'A verifier' },
    { name: 'submitTask', method: 'POST', path: '/tasks', args: ['B'], summary: "Submit a task signed by its paying account's key (SubmitTaskRequest); it is matched to an offer and its price escrowed" },
    { name: 'acceptTask', method: 'POST', path: '/tasks/:taskId/accept', args: ['p:taskId'], summary: 'Accept an assigned task (its provider)' },
    { name: 'declineTask', method: 'POST', path: '/tasks/:taskId/decline', args: ['p:taskId'], summary: 'Decline an assigned task (its provider); the escrow is refunded' },
    { name: 'submitResult', method: 'POST', path: '/tasks/:taskId/result', args: ['p:taskId', 'B'], summary: "Submit a task's result digest (SubmitResultRequest)" },
    { name: 'acceptResult', method: 'POST', path: '/tasks/:taskId/result/accept', args: ['p:taskId'], summary: 'Accept the result (the requester); the provider is paid' },
    { name: 'attestResult', method: 'POST', path: '/tasks/:taskId/result/attestation', args: ['p:taskId', 'B'], summary: 'Attest the result with a k-of-n BLS aggregate signature (ResultAttestation)' },
    { name: 'contestResult', method: 'POST', path: '/tasks/:taskId/result/contest', args: ['p:taskId', 'b:reason'], summary: 'Contest the result (the requester)' },
    { name: 'resolveContest', method: 'POST', path: '/tasks/:taskId/contest/resolve', args: ['p:taskId', 'b:outcome', 'b:reason'], summary: 'Resolve a contest (an auditor): pay the provider or refund the requester' },
    { name: 'expireTask', method: 'POST', path: '/tasks/:taskId/expire', args: ['p:taskId'], summary: 'Expire a task past its deadline; the escrow is refunded' },
    { name: 'getTask', method: 'GET', path: '/tasks/:taskId', args: ['p:taskId'], summary: 'A task with its steps' },
    { name: 'getProviderStats', method: 'GET', path: '/providers/:providerMspId/stats', args: ['p:providerMspId'], summary: "A provider organisation's task statistics" },
]);
