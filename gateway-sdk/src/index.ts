// The public surface of @edgetrust/gateway-sdk: interfaces as types, functions and error classes as values.
export { connect, type ConnectOptions, type Connection } from './connect';
export { ContractClient, type SubmitOptions, type Submitted } from './contract-client';
export {
    AccessDeniedError,
    AlreadyExistsError,
    EdgeTrustError,
    type EdgeTrustErrorOptions,
    InvalidArgumentError,
    InvalidStateError,
    NotFoundError,
    parseChaincodeMessage,
    toEdgeTrustError,
    TransactionConflictError,
} from './errors';
export {
    loadNetworkProfile,
    type NetworkProfile,
    type OrganizationProfile,
    orderPeers,
    type PeerProfile,
    type Tier,
    type UserProfile,
} from './network-profile';
export { type CommittedTransaction, findCommittedTransaction } from './committed-transaction';
