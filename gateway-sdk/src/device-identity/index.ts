// The device identity part of the SDK: the client, its models, rotation proofs, the status cache and chain-verified mutual TLS.
export {
    certificateFingerprint,
    normalizeFingerprint,
    type RegistrationBinding,
    registrationMessage,
    rotationMessage,
    signRegistration,
    signRotation,
} from './certificate-proof';
export { type CertificateStatusLookup, CertificateStatusCache, type CertificateStatusCacheOptions } from './certificate-status-cache';
export {
    chainVerifiedClientOptions,
    chainVerifiedServerOptions,
    type ChainTlsIdentity,
    type ChainTrustOptions,
    type ChainVerifiedConnectOptions,
    type ChainVerifiedServerOptions,
    connectChainVerified,
    createChainVerifiedServer,
    type PeerAuthorizer,
    PeerNotTrustedError,
    type PeerNotTrustedErrorOptions,
    type VerifiedPeer,
    verifyPeer,
} from './chain-verified-tls';
export { DeviceIdentityClient, type DeviceIdentityClientOptions, type DeviceKeys, type KeyRotation } from './device-identity-client';
export * from './models';
export { type StatusBatchingOptions, type StatusBatchQuery, StatusCheckBatcher } from './status-check-batcher';
export { followStatusEvents, type StatusEventSubscription } from './status-events';
