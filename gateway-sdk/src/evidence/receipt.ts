import { rootFromProof } from './merkle';

/**
 * The Merkle tree every receipt's proof is for: RFC 6962 (Certificate Transparency) hashing over SHA-256, by the
 * name the evidence chaincode gives it in every batch (`treeAlgorithm`).
 */
export const RECEIPT_TREE_ALGORITHM = 'rfc6962-sha256';

/**
 * Proof that one item was anchored in a batch: its RFC 6962 inclusion proof and where the root is on chain
 * (channel, chaincode, batch, transaction, block). Keep it beside the item; {@link verifyReceipt} checks
 * offline that it is self-consistent, `EvidenceClient.verifyReceipt` that its root is on that ledger.
 */
export interface EvidenceReceipt {
    /**
     * The tree algorithm the proof is for, {@link RECEIPT_TREE_ALGORITHM}. Absent in receipts written before
     * receipts named it, which used the same algorithm.
     */
    algorithm?: string;
    /** The channel whose ledger holds the batch root; absent in older receipts. */
    channel?: string;
    /** The chaincode that anchored the batch root; absent in older receipts. */
    chaincode?: string;
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

/**
 * Why a receipt is or is not valid. Offline: `digest-mismatch` (the item changed), `proof-invalid`,
 * `algorithm-unsupported`; against the ledger also `root-not-on-chain`, `channel-mismatch`, `chaincode-mismatch`.
 */
export type ReceiptProblem =
    | 'digest-mismatch'
    | 'proof-invalid'
    | 'algorithm-unsupported'
    | 'root-not-on-chain'
    | 'channel-mismatch'
    | 'chaincode-mismatch';

/** The outcome of {@link verifyReceipt}. */
export interface ReceiptVerification {
    /**
     * True when the receipt is self-consistent: its proof leads from the item digest to its root. Offline this
     * says nothing about the root being on any ledger: a forger can make a consistent receipt for any root.
     */
    valid: boolean;
    /** Set when not valid. */
    problem?: ReceiptProblem;
}

/**
 * Checks a receipt offline: that its proof leads from the item digest to its root and, when given,
 * that the item in hand still has the receipt's digest. It does not check that the root is on chain (so a
 * forged receipt for a made-up root passes): `EvidenceClient.verifyReceipt` does.
 * @param receipt - The receipt to check.
 * @param currentDigest - SHA-256 of the item as it is now, hex; pinpoints an altered item.
 */
export function verifyReceipt(receipt: Readonly<EvidenceReceipt>, currentDigest?: string): ReceiptVerification {
    if (receipt.algorithm !== undefined && receipt.algorithm !== RECEIPT_TREE_ALGORITHM) {
        return { valid: false, problem: 'algorithm-unsupported' };
    }
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
const isOptionalText = (v: unknown): boolean => v === undefined || typeof v === 'string';
const isIndex = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * Reads a receipt written by {@link serializeReceipt}, also one written before receipts named their
 * algorithm, channel and chaincode.
 * @throws TypeError when a field is missing or malformed.
 */
export function parseReceipt(json: string): EvidenceReceipt {
    const value = JSON.parse(json) as Record<string, unknown>;
    const named = {
        algorithm: field<string | undefined>(value.algorithm, isOptionalText, 'algorithm'),
        channel: field<string | undefined>(value.channel, isOptionalText, 'channel'),
        chaincode: field<string | undefined>(value.chaincode, isOptionalText, 'chaincode'),
    };
    return {
        ...Object.fromEntries(Object.entries(named).filter(([, v]) => v !== undefined)),
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
