// The billing part of the SDK: the client, its models, and the pure pieces that need no network.
export { ACCESS_ALGORITHM, type AccessKeyPair, decryptAccessInfo, encryptAccessInfo, generateAccessKeyPair } from './access-envelope';
export { BillingClient, type VerifiedInvoice } from './billing-client';
export { computeTaskBytes, signComputeTask, verifyComputeTask } from './compute-task';
export * from './models';
export { type BillingDisclosure, type DisclosedLine, type DisclosureCheck, type DisclosureEvidence, lineRefOf, verifyDisclosure } from './verify-disclosure';
export {
    billedSeconds,
    chainLineDigest,
    EMPTY_LINE_DIGEST,
    type InvoiceVerification,
    type LineVerification,
    meteredAmount,
    type RecomputedLine,
    verifyInvoice,
} from './verify-invoice';
