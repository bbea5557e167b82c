import {
    type ArtifactCheck,
    type EdgeTrustEvent,
    type EvidenceBatch,
    type EvidenceHistoryEntry,
    type EvidenceReceipt,
    type EvidenceRecord,
    type EvidenceVerification,
    parseReceipt,
    type ReceiptCheck,
    type ReceiptVerification,
    RECEIPT_TREE_ALGORITHM,
    serializeReceipt,
    type TraceWalk,
} from '@edgetrust/gateway-sdk';
import { basename, relative, resolve } from 'node:path';

/*
 * What the evidence commands print, as pure functions of what the SDK returns (tables show these
 * views; --json prints the SDK's objects unchanged), and the receipts file `evidence batch` writes.
 */

/** The CN of a Fabric X.509 identity id (`x509::/…/CN=name::/…issuer`), or the id itself if it has none. */
export function commonNameOf(identityId: string): string {
    const subject = identityId.split('::')[1] ?? '';
    const cn = subject.split('/').find((part) => part.startsWith('CN='));
    return cn === undefined ? identityId : cn.slice(3);
}

/** A digest cut short for tables. */
export function shortDigest(digest: string): string {
    return digest.length > 16 ? `${digest.slice(0, 16)}…` : digest;
}

/** The view without its empty fields, so tables show only what a record has. */
export function compact(view: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(view).filter(([, value]) => value !== undefined && value !== ''));
}

function submitter(mspId: string, identityId: string): string {
    return `${commonNameOf(identityId)} (${mspId})`;
}

/** Every field of a record, in reading order, for a two-column table. */
export function recordView(record: EvidenceRecord): Record<string, unknown> {
    return compact({
        id: record.id,
        kind: record.kind,
        status: record.status,
        digest: record.digest,
        digestScheme: record.digestScheme,
        name: record.name,
        size: record.size,
        mediaType: record.mediaType,
        source: `${record.source.type}:${record.source.id}`,
        tags: record.tags.join(', '),
        attributes: Object.keys(record.attributes).length > 0 ? record.attributes : undefined,
        storedOnChain: record.payload ? `${record.payload.encoding}, ${String(record.payload.data.length)} characters` : undefined,
        privateCollection: record.privateCollection,
        submitter: submitter(record.submitterMspId, record.submitterId),
        anchoredAt: record.anchoredAt,
        txId: record.txId,
        revoked: record.revocation ? `${record.revocation.revokedAt} by ${submitter(record.revocation.revokedByMspId, record.revocation.revokedById)}: ${record.revocation.reason}` : undefined,
    });
}

/** Columns of {@link recordRow}. */
export const RECORD_COLUMNS = ['id', 'kind', 'status', 'digest', 'source', 'submitter', 'anchoredAt'] as const;

/** One record as a table row. */
export function recordRow(record: EvidenceRecord): Record<string, unknown> {
    return {
        id: record.id,
        kind: record.kind,
        status: record.status,
        digest: shortDigest(record.digest),
        source: `${record.source.type}:${record.source.id}`,
        submitter: submitter(record.submitterMspId, record.submitterId),
        anchoredAt: record.anchoredAt,
    };
}

/** Columns of {@link batchRow}. */
export const BATCH_COLUMNS = ['id', 'count', 'root', 'source', 'submitter', 'anchoredAt'] as const;

/** One batch as a table row. */
export function batchRow(batch: EvidenceBatch): Record<string, unknown> {
    return {
        id: batch.id,
        count: batch.count,
        root: shortDigest(batch.root),
        source: `${batch.source.type}:${batch.source.id}`,
        submitter: submitter(batch.submitterMspId, batch.submitterId),
        anchoredAt: batch.anchoredAt,
    };
}

const OUTCOME_TEXT = { match: 'MATCH', mismatch: 'MISMATCH', not_found: 'NOT FOUND' } as const;

/** A verification answer: outcome first, then when and by whom the record was anchored. */
export function verificationView(v: EvidenceVerification): Record<string, unknown> {
    return compact({
        outcome: OUTCOME_TEXT[v.outcome],
        digest: v.digest,
        comparedBy: v.comparedBy,
        record: v.record?.id,
        recordDigest: v.outcome === 'mismatch' ? v.record?.digest : undefined,
        anchoredAt: v.anchoredAt,
        anchoredBy: v.anchoredByMspId && v.anchoredById ? submitter(v.anchoredByMspId, v.anchoredById) : undefined,
        status: v.status,
        source: v.source ? sourceText(v.source, v.record?.sourceProof?.deviceId) : undefined,
    });
}

/** How the source is known: "signed by cam-7, trusted at capture (now revoked)" or "claimed by the submitter". */
function sourceText(source: NonNullable<EvidenceVerification['source']>, deviceId: string | undefined): string {
    if (source.basis === 'claimed') {
        return 'claimed by the submitter (not signed by the device)';
    }
    const trust = source.trustedAtCapture ? 'trusted at capture' : 'NOT trusted at capture';
    const now = source.deviceStatusNow === undefined ? '' : ` (now ${source.deviceStatusNow})`;
    return `signed by ${deviceId ?? 'the device'}${source.signatureValid ? '' : ' (signature INVALID)'}, ${trust}${now}`;
}

/** Columns of {@link historyRows}. */
export const HISTORY_COLUMNS = ['timestamp', 'txId', 'change', 'status', 'digest', 'by'] as const;

/** A record's history, newest first, one row per version. */
export function historyRows(entries: readonly EvidenceHistoryEntry[]): Record<string, unknown>[] {
    return entries.map((entry, i) => {
        const record = entry.record;
        const change = entry.isDelete ? 'deleted' : i === entries.length - 1 ? 'anchored' : record?.status === 'revoked' ? 'revoked' : 'updated';
        const by = record?.revocation && change === 'revoked' ? record.revocation : undefined;
        return {
            timestamp: entry.timestamp,
            txId: entry.txId,
            change,
            status: record?.status,
            digest: record ? shortDigest(record.digest) : undefined,
            by: by ? submitter(by.revokedByMspId, by.revokedById) : record ? submitter(record.submitterMspId, record.submitterId) : undefined,
        };
    });
}

/** Columns of {@link traceRows}. */
export const TRACE_COLUMNS = ['#', 'step', 'party', 'id', 'predecessor', 'org', 'location', 'anchoredAt'] as const;

/** The steps of a trace walk, oldest first. */
export function traceRows(walk: TraceWalk): Record<string, unknown>[] {
    return walk.steps.map((step, i) => ({
        '#': i + 1,
        step: step.attributes.step,
        party: step.attributes.party,
        id: step.id,
        predecessor: step.attributes.predecessorId,
        org: step.submitterMspId,
        location: step.attributes.location,
        anchoredAt: step.anchoredAt,
    }));
}

/** An artifact check: the verdict, and whether loading is allowed. */
export function artifactCheckView(check: ArtifactCheck): Record<string, unknown> {
    return compact({
        verdict: check.verdict.toUpperCase(),
        loadAllowed: check.loadAllowed,
        artifact: `${check.artifactName} ${check.version}`,
        digest: check.digest,
        publishedDigest: check.record?.digest,
        publishedBy: check.record ? submitter(check.record.submitterMspId, check.record.submitterId) : undefined,
        publishedAt: check.record?.anchoredAt,
        revoked: check.record?.revocation ? `${check.record.revocation.revokedAt}: ${check.record.revocation.reason}` : undefined,
    });
}

/** A receipt check: valid or not, and why. */
export function receiptCheckView(path: string, receipt: EvidenceReceipt, check: ReceiptCheck): Record<string, unknown> {
    return compact({
        file: path,
        valid: check.valid,
        status: check.valid ? 'VALID' : 'INVALID',
        problem: check.problem,
        ...whereAnchored(receipt),
        anchoredAt: check.onChain.batch?.anchoredAt,
    });
}

/** What `verify-receipt --offline` says: only whether the receipt is self-consistent, since no ledger was asked. */
export const OFFLINE_CONSISTENT = 'CONSISTENT (offline: root not checked against the ledger)';

/**
 * A receipt checked offline. `valid` is true for a self-consistent receipt, which a forger can also make for a
 * root of their own: the status says the root was not checked against the ledger.
 */
export function offlineReceiptView(path: string, receipt: EvidenceReceipt, result: ReceiptVerification): Record<string, unknown> {
    return compact({
        file: path,
        valid: result.valid,
        status: result.valid ? OFFLINE_CONSISTENT : 'INVALID',
        problem: result.problem,
        ...whereAnchored(receipt),
    });
}

function whereAnchored(receipt: EvidenceReceipt): Record<string, unknown> {
    return {
        // Receipts older than the algorithm field used the same tree.
        algorithm: receipt.algorithm ?? RECEIPT_TREE_ALGORITHM,
        ledger: receipt.channel === undefined ? undefined : `channel ${receipt.channel}, chaincode ${receipt.chaincode ?? '?'}`,
        batch: receipt.batchId,
        leaf: `${String(receipt.leafIndex)} of ${String(receipt.treeSize)}`,
        root: receipt.root,
        block: receipt.blockNumber,
    };
}

/** `1 file`, `2 files`. */
export function plural(count: number, noun: string): string {
    return `${String(count)} ${noun}${count === 1 ? '' : noun.endsWith('h') ? 'es' : 's'}`;
}

/** One anchored batch of `evidence batch`: its Merkle root in full, since the root is what the ledger holds. */
export interface BatchSummary {
    batchId: string;
    /** Merkle root, hex. */
    root: string;
    algorithm: string;
    count: number;
    transactionId: string;
    blockNumber: bigint;
}

/** The batches of a receipts file's items, in the order their first item appears. */
export function batchSummaries(items: readonly ReceiptEntry[]): BatchSummary[] {
    const batches = new Map<string, BatchSummary>();
    for (const { receipt } of items) {
        const known = batches.get(receipt.batchId);
        if (known) {
            known.count += 1;
        } else {
            const { batchId, root, transactionId, blockNumber } = receipt;
            batches.set(batchId, { batchId, root, algorithm: receipt.algorithm ?? RECEIPT_TREE_ALGORITHM, count: 1, transactionId, blockNumber });
        }
    }
    return [...batches.values()];
}

/** What `evidence batch` tells on stderr after its table: each batch's root, then the totals. */
export function batchReport(items: readonly ReceiptEntry[], receiptsPath: string): string[] {
    const batches = batchSummaries(items);
    return [
        ...batches.map((b) => `batch ${b.batchId}: ${plural(b.count, 'file')}, Merkle root ${b.root} (${b.algorithm}), block ${b.blockNumber.toString()}`),
        `${plural(items.length, 'file')} in ${plural(batches.length, 'batch')}; receipts in ${receiptsPath}`,
    ];
}

/** The fields of an event payload worth one line, in this order. */
const EVENT_FIELDS = ['id', 'batchId', 'kind', 'count', 'digest', 'root', 'outcome', 'transferId', 'commonName', 'roles', 'anchoring', 'status'] as const;

function eventField(value: unknown): string {
    if (typeof value === 'string') {
        return /^[0-9a-f]{64}$/.test(value) ? shortDigest(value) : value;
    }
    return Array.isArray(value) ? value.join(',') : JSON.stringify(value);
}

/** One line per chaincode event for `evidence watch`. */
export function eventLine(event: EdgeTrustEvent): string {
    const payload = (typeof event.payload === 'object' && event.payload !== null ? event.payload : {}) as Record<string, unknown>;
    const fields = EVENT_FIELDS.filter((f) => payload[f] !== undefined).map((f) => `${f}=${eventField(payload[f])}`);
    const by = typeof payload.submitterMspId === 'string' ? [`by=${payload.submitterMspId}`] : [];
    return [`block ${event.blockNumber.toString()}`, event.transactionId.slice(0, 12), event.name, ...fields, ...by].join('  ');
}

/** One item of a receipts file: a file of the batched folder and its receipt. */
export interface ReceiptEntry {
    /** Path relative to the folder. */
    path: string;
    size: number;
    receipt: EvidenceReceipt;
}

/** What `evidence batch` writes: a receipt for every file of a folder. */
export interface ReceiptsFile {
    /** The folder, absolute. */
    folder: string;
    items: ReceiptEntry[];
}

/** The receipts file as JSON (block numbers as decimal strings). */
export function serializeReceiptsFile(file: ReceiptsFile): string {
    const items = file.items.map((item) => ({ ...item, receipt: JSON.parse(serializeReceipt(item.receipt)) as unknown }));
    return `${JSON.stringify({ folder: file.folder, items }, undefined, 2)}\n`;
}

/**
 * Reads a receipts file.
 * @throws TypeError when it is not one.
 */
export function parseReceiptsFile(text: string): ReceiptsFile {
    const value = JSON.parse(text) as { folder?: unknown; items?: unknown };
    if (typeof value.folder !== 'string' || !Array.isArray(value.items)) {
        throw new TypeError('not a receipts file: expected { folder, items }');
    }
    const items = (value.items as { path?: unknown; size?: unknown; receipt?: unknown }[]).map((item) => {
        if (typeof item.path !== 'string' || typeof item.size !== 'number') {
            throw new TypeError('not a receipts file: every item needs path and size');
        }
        return { path: item.path, size: item.size, receipt: parseReceipt(JSON.stringify(item.receipt)) };
    });
    return { folder: value.folder, items };
}

/**
 * The entry of a file: by its path relative to the batched folder, else by a unique file name.
 * @returns undefined when the file is not in the receipts.
 */
export function findReceiptEntry(receipts: ReceiptsFile, filePath: string): ReceiptEntry | undefined {
    const wanted = relative(receipts.folder, resolve(filePath));
    const exact = receipts.items.find((item) => item.path === wanted);
    if (exact) {
        return exact;
    }
    const byName = receipts.items.filter((item) => basename(item.path) === basename(filePath));
    return byName.length === 1 ? byName[0] : undefined;
}
