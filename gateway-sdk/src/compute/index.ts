// The compute exchange part of the SDK.
export { aggregateAttestation, generateVerifierKey, signComputeOrder, signResult, verifierRequest } from './attestation';
export { ComputeExchangeClient } from './compute-exchange-client';
export * from './models';
