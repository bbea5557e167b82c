// The evidence part of the SDK: the client, its models, and the pure pieces that need no network.
export { type AnchoredBatch, type BatchAnchorer, EvidenceBatcher, type EvidenceBatcherOptions } from './batcher';
export { type AnchoredPersonal, type AnchorOptions, type BatcherOptions, EvidenceClient, type EvidenceClientOptions, type PersonalDocument, type ReceiptCheck } from './evidence-client';
export { captureFile, captureReading, type CaptureOptions, type DeviceCapture, type DeviceKey, deviceKeyType, readDeviceKey, signCapture, verifyCaptureSignature } from './capture';
export { type FileDigest, hashFile, type HashProgress, type ProgressListener, sha256Hex } from './hashing';
export { digestBytes, leafHash, MerkleTree, merkleRoot, nodeHash, rootFromProof, verifyInclusion } from './merkle';
export * from './models';
export { type EvidenceReceipt, parseReceipt, RECEIPT_TREE_ALGORITHM, type ReceiptProblem, type ReceiptVerification, serializeReceipt, verifyReceipt } from './receipt';
