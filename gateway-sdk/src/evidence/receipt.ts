import { rootFromProof } from './merkle';

/**
 * Proof that one item was anchored in a batch: its RFC 6962 inclusion proof and where the root is on chain.
 * Keep it beside the item; {@link verifyReceipt} checks it without a network.
 */
export interface EvidenceReceipt {
    /** SHA-256 of the item, hex. */
    itemDigest: string;
    leafIndex: number;
    /** Number of leaves in the batch's tree (the proof depends on it). */
    treeSize: number;
    /** Audit path, leaf to root, hex. */
    proof: string[];
    root: string;
    batchId: string;
    transactionId: string;
    blockNumber: bigint;
}

/** Why a receipt is or is not valid. */
export type ReceiptProblem = 'digest-mismatch' | 'proof-invalid';

/** The outcome of {@link verifyReceipt}. */
export interface ReceiptVerification {
    valid: boolean;
    /** Set when not valid. */
    problem?: ReceiptProblem;
}

/**
 * Checks a receipt offline: that its proof leads from the item digest to its root and, when given,
 * that the item in hand still has the receipt's digest. Whether the root is really on chain is checked
 * by `EvidenceClient.verifyReceipt`.
 * @param receipt - The receipt to check.
 * @param currentDigest - SHA-256 of the item as it is now, hex; pinpoints an altered item.
 */
export function verifyReceipt(receipt: Readonly<EvidenceReceipt>, currentDigest?: string): ReceiptVerification {
    if (currentDigest !== undefined && currentDigest !== receipt.itemDigest) {
        return { valid: false, problem: 'digest-mismatch' };
    }
    let root: string | undefined;
    try {
        root = rootFromProof(receipt.itemDigest, receipt.leafIndex, receipt.treeSize, receipt.proof);
    } catch {
        root = undefined;
    }
    return root === receipt.root ? { valid: true } : { valid: false, problem: 'proof-invalid' };
}

/**
 * A receipt as JSON (the block number as a decimal string, since JSON has no bigint).
 * @returns JSON text for {@link parseReceipt}.
 */
export function serializeReceipt(receipt: Readonly<EvidenceReceipt>): string {
    return JSON.stringify({ ...receipt, blockNumber: receipt.blockNumber.toString() });
}

function field<T>(value: unknown, check: (v: unknown) => boolean, name: string): T {
    if (!check(value)) {
        throw new TypeError(`receipt.${name} is missing or malformed`);
    }
    return value as T;
}

const isText = (v: unknown): boolean => typeof v === 'string';
const isIndex = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * Reads a receipt written by {@link serializeReceipt}.
 * @throws {@link TypeError} when a field is missing or malformed.
 */
export function parseReceipt(json: string): EvidenceReceipt {
    const value = JSON.parse(json) as Record<string, unknown>;
    return {
        itemDigest: field(value.itemDigest, isText, 'itemDigest'),
        leafIndex: field(value.leafIndex, isIndex, 'leafIndex'),
        treeSize: field(value.treeSize, isIndex, 'treeSize'),
        proof: field(value.proof, (v) => Array.isArray(v) && v.every(isText), 'proof'),
        root: field(value.root, isText, 'root'),
        batchId: field(value.batchId, isText, 'batchId'),
        transactionId: field(value.transactionId, isText, 'transactionId'),
        blockNumber: BigInt(field<string>(value.blockNumber, (v) => typeof v === 'string' && /^\d+$/.test(v), 'blockNumber')),
    };
}
