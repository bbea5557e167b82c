import type { Context } from 'fabric-contract-api';
import {
    alreadyExists,
    caller,
    INDEX_VALUE,
    invalidArgument,
    notFound,
    optionalText,
    parseArgument,
    putOwnedStates,
    readJSON,
    requireCount,
    requireDigest,
    requireIdentifier,
    requireOneOf,
    requireTags,
    requireTimelyProposal,
    type StatePut,
    toJSON,
    txTime,
} from '../../common/src';
import { type BatchMetadata, EVIDENCE_KINDS, type EvidenceBatch, type InclusionVerification, rootFromInclusionProof } from '../../schemas/src';
import { requireAnchoringRight } from './access-policy';
import { queryIndexWrites } from './evidence-index';
import { requireSource } from './evidence-record';
import { batchKey, key, KeyType } from './keys';
import { anchoringState, emit } from './records';
import { validateCapture, verifyCapture } from './source-proof';
import { ownersOf, putSeal, sealOf, witnessFor, witnessStatusOf } from './witness';

/*
 * Batch anchoring (E4): one RFC 6962 Merkle root stands for many items that stay off chain;
 * each item's receipt (inclusion proof) is checked against this root.
 */

export const TREE_ALGORITHM: EvidenceBatch['treeAlgorithm'] = 'rfc6962-sha256';
/** Longest audit path accepted: a tree of up to 2^64 leaves. */
export const MAX_PROOF_LENGTH = 64;

// The request (BatchMetadata) and the record (EvidenceBatch) are the schema package's.
export type { BatchMetadata, EvidenceBatch } from '../../schemas/src';

export type ValidBatch = Pick<EvidenceBatch, 'id' | 'root' | 'count' | 'name' | 'source' | 'kind' | 'tags'>;

/** Validates AnchorBatch's arguments; `defaultId` is the transaction id. */
export function validateBatch(root: string, count: string, metadata: Partial<BatchMetadata>, defaultId: string): ValidBatch {
    const kind = requireOneOf(metadata.kind ?? 'generic', 'kind', EVIDENCE_KINDS);
    if (kind === 'personal-document') {
        throw invalidArgument('personal documents are anchored one by one with AnchorPersonal');
    }
    const batch: ValidBatch = {
        id: requireIdentifier(metadata.batchId ?? defaultId, 'batchId'),
        root: requireDigest(root, 'root'),
        count: requireCount(parseInteger(count, 'count'), 'count', { min: 1 }),
        source: requireSource(metadata.source),
        kind,
        tags: requireTags(metadata.tags, 'tags'),
    };
    const name = optionalText(metadata.name, 'name', 512);
    return name === undefined ? batch : { ...batch, name };
}

/** Transaction arguments are strings; accept only plain decimal integers. */
export function parseInteger(value: string, field: string): number {
    if (!/^\d{1,16}$/.test(value)) {
        throw invalidArgument(`${field} must be a non-negative decimal integer`);
    }
    return Number(value);
}

/** Parses an audit path: a JSON array of hex SHA-256 hashes, leaf to root. */
export function parseProof(proofJson: string): Buffer[] {
    let value: unknown;
    try {
        value = JSON.parse(proofJson);
    } catch {
        throw invalidArgument('proof must be a JSON array of hex hashes');
    }
    if (!Array.isArray(value) || value.length > MAX_PROOF_LENGTH) {
        throw invalidArgument(`proof must be a JSON array of at most ${String(MAX_PROOF_LENGTH)} hex hashes`);
    }
    return value.map((hash, i) => Buffer.from(requireDigest(hash, `proof[${String(i)}]`), 'hex'));
}

/** AnchorBatch: the root of `count` item digests; its JSON (the text stored, and returned). */
export async function anchorBatch(ctx: Context, root: string, count: string, metadataJson: string): Promise<string> {
    requireTimelyProposal(ctx);
    const metadata = parseArgument<Partial<BatchMetadata>>(metadataJson, 'metadata');
    const valid = validateBatch(root, count, metadata, ctx.stub.getTxID());
    const capture = metadata.capture === undefined ? undefined : validateCapture(metadata.capture, valid.source);
    const { policy, taken } = await anchoringState(ctx, batchKey(valid.id));
    await requireAnchoringRight(ctx, 'AnchorBatch', policy);
    const who = caller(ctx);
    const witness = witnessFor(metadata.witnessMspId, policy, who.mspId);
    if (taken) {
        throw alreadyExists(`batch ${valid.id} is already anchored`);
    }
    // One capture per batch: the device signs the tree root, so one signature covers every item.
    const verified = capture === undefined ? undefined : await verifyCapture(ctx, capture, valid.root, valid.source);
    const batch: EvidenceBatch = {
        ...valid,
        treeAlgorithm: TREE_ALGORITHM,
        submitterMspId: who.mspId,
        submitterId: who.id,
        anchoredAt: txTime(ctx),
        txId: ctx.stub.getTxID(),
        ...(witness === undefined ? {} : { witnessMspId: witness }),
        ...(verified === undefined ? {} : { sourceProof: verified.proof }),
    };
    const json = toJSON(batch);
    const writes: StatePut[] = [
        [batchKey(batch.id), Buffer.from(json)],
        [key(ctx, KeyType.BatchRootIndex, batch.root, batch.id), INDEX_VALUE],
        ...queryIndexWrites(ctx, 'batch', batch),
    ];
    await putOwnedStates(ctx, writes, ownersOf(batch));
    if (verified) {
        await ctx.stub.putState(...verified.sequenceWrite);
    }
    const seal = sealOf('batch', batch, batch.root);
    if (seal) {
        await putSeal(ctx, seal);
    }
    const { id, ...rest } = batch;
    emit(ctx, 'BatchAnchored', { batchId: id, ...rest });
    return json;
}

export async function findBatch(ctx: Context, batchId: string): Promise<EvidenceBatch | undefined> {
    return readJSON<EvidenceBatch>(ctx, batchKey(requireIdentifier(batchId, 'batchId')), 'evidence batch');
}

/** ReadBatch. */
export async function readBatch(ctx: Context, batchId: string): Promise<EvidenceBatch> {
    const batch = await findBatch(ctx, batchId);
    if (!batch) {
        throw notFound(`batch ${batchId} does not exist`);
    }
    return batch;
}

/** VerifyInclusion: does the item digest at leafIndex lead to the batch's root along the proof? */
export async function verifyInclusion(ctx: Context, batchId: string, itemDigest: string, leafIndex: string, proofJson: string): Promise<InclusionVerification> {
    const digest = requireDigest(itemDigest, 'itemDigest');
    const index = parseInteger(leafIndex, 'leafIndex');
    const proof = parseProof(proofJson);
    const batch = await findBatch(ctx, batchId);
    if (!batch) {
        return { outcome: 'not_found', batchId, itemDigest: digest, leafIndex: index };
    }
    const computed = rootFromInclusionProof(Buffer.from(digest, 'hex'), index, batch.count, proof)?.toString('hex');
    const witness = await witnessStatusOf(ctx, sealOf('batch', batch, batch.root));
    return { outcome: computed === batch.root ? 'match' : 'mismatch', batchId, itemDigest: digest, leafIndex: index, computedRoot: computed ?? '', batch, ...(witness ? { witness } : {}) };
}
