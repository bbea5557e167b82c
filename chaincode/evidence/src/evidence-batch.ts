import {
    invalidArgument,
    optionalText,
    requireCount,
    requireDigest,
    requireIdentifier,
    requireOneOf,
    requireTags,
} from '../../common/src';
import { EvidenceSource, requireSource } from './evidence-record';
import { EVIDENCE_KINDS, EvidenceKind } from './record-kinds';

/*
 * Batch anchoring (E4): one RFC 6962 Merkle root stands for many items that stay off chain;
 * each item's receipt (inclusion proof) is checked against this root.
 */

export const TREE_ALGORITHM = 'rfc6962-sha256';
/** Longest audit path accepted: a tree of up to 2^64 leaves. */
export const MAX_PROOF_LENGTH = 64;

/** The metadata argument of AnchorBatch. */
export interface BatchMetadata {
    /** Defaults to the transaction id, which is unique on the channel. */
    batchId?: string;
    name?: string;
    source: { type: string; id: string };
    /** The kind of the items in the batch. */
    kind?: string;
    tags?: string[];
    /** An organisation other than the submitter's that must endorse the anchoring too (see witness.ts). */
    witnessMspId?: string;
}

/** An anchored batch: the root and leaf count of an RFC 6962 tree. */
export interface EvidenceBatch {
    id: string;
    root: string;
    count: number;
    treeAlgorithm: typeof TREE_ALGORITHM;
    name?: string;
    source: EvidenceSource;
    kind: EvidenceKind;
    tags: string[];
    submitterMspId: string;
    submitterId: string;
    anchoredAt: string;
    txId: string;
    witnessMspId?: string;
}

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
