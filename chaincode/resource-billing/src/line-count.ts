import { collect, invalidArgument, isEmpty, LedgerState, notFound, parsePageSize, requireText, toJSON, unmarshal } from '../../common/src';
import { type InvoiceLine, type LineCount, lineRefOf, MAX_HASHED_RECORDS, type StoredUsageRecord, type UsageRecordHash } from '../../schemas/src';
import type { Context } from 'fabric-contract-api';
import { Key } from './keys';
import { pairCollection } from './billing-collection';
import { parseInvoiceId, readPrivatePage, requireLineId } from './invoice';
import { requirePairReader, requirePartyOrAuditor } from './role-grant';

/*
 * Completeness of a disclosure (docs/security/confidentiality.md, "What stays public"): a party that shows an auditor
 * a line's usage records could leave one out, and the records' public hashes alone would not tell. So every line
 * keeps a public count of its records beside the private line; the records carry their lineSeq, 1 to the count, and
 * each one's stored value hashes to what Fabric keeps on every peer. An auditor checks all three
 * (gateway-sdk verifyDisclosure) without a peer in the pair's collection.
 *
 * Why per line and not per pair: every usage record already reads and writes its private line, so a counter on the
 * same line serialises nothing more. A counter per pair (or per pair and period) would be one hot key that every
 * record of the pair read and wrote, and two records on different lines would then fail with MVCC_READ_CONFLICT.
 */

export function lineCountKey(state: LedgerState, line: Pick<InvoiceLine, 'operatorMspId' | 'tenantMspId' | 'period' | 'lineId'>): string {
    return state.key(Key.LineCount, line.operatorMspId, line.tenantMspId, line.period, lineRefOf(line.lineId));
}

/** Stages a line's public counter beside the line, in the transaction that adds the record. */
export function putLineCount(state: LedgerState, line: InvoiceLine): void {
    state.put(lineCountKey(state, line), { lineRef: lineRefOf(line.lineId), recordCount: line.recordCount } satisfies LineCount);
}

/** Every public line counter of a pair's period, in lineRef order; public data, for the pair and auditors. */
export async function getPeriodLineCounts(ctx: Context, invoiceId: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const ref = parseInvoiceId(invoiceId);
    await requirePartyOrAuditor(state, [ref.operatorMspId, ref.tenantMspId], `the line counts of ${invoiceId}`);
    const range = await ctx.stub.getStateByPartialCompositeKey(Key.LineCount, [ref.operatorMspId, ref.tenantMspId, ref.period]);
    return toJSON(await collect(range, (kv) => unmarshal<LineCount>(kv.value, 'line count')));
}

/**
 * The public hashes of usage records of a pair (GetPrivateDataHash, which every peer answers, member of the
 * collection or not), so an auditor can check records a party disclosed without holding the collection.
 */
export async function getUsageRecordHashes(ctx: Context, invoiceId: string, recordIds: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const ref = parseInvoiceId(invoiceId);
    const ids = requireRecordIds(recordIds);
    await requirePartyOrAuditor(state, [ref.operatorMspId, ref.tenantMspId], `the usage record hashes of ${invoiceId}`);
    const collection = pairCollection(ref);
    const hashes: UsageRecordHash[] = [];
    for (const recordId of ids) {
        const hash = await ctx.stub.getPrivateDataHash(collection, state.key(Key.Usage, recordId));
        hashes.push({ recordId, hash: isEmpty(hash) ? '' : Buffer.from(hash).toString('hex') });
    }
    return toJSON(hashes);
}

/**
 * A page of one line's usage records exactly as stored, salt included, for a party to disclose them: their SHA-256
 * is the public hash. For the pair and auditors (members of the collection); anyone else finds nothing.
 */
export async function discloseLineUsage(ctx: Context, invoiceId: string, lineId: string, pageSize: string, bookmark: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const ref = parseInvoiceId(invoiceId);
    const line = requireLineId(lineId);
    await requirePairReader(state, ref, `usage of line ${line} of ${invoiceId}`);
    const collection = pairCollection(ref);
    const page = await readPrivatePage(state, collection, Key.UsageByLine, [ref.operatorMspId, ref.tenantMspId, ref.period, line], parsePageSize(pageSize), bookmark, async (key): Promise<StoredUsageRecord> => {
        const recordId = ctx.stub.splitCompositeKey(key).attributes[5] ?? '';
        const stored = await ctx.stub.getPrivateData(collection, state.key(Key.Usage, recordId));
        if (isEmpty(stored)) {
            throw notFound(`usage record ${recordId} is indexed but missing`);
        }
        return { recordId, stored: Buffer.from(stored).toString('utf8') };
    });
    return toJSON(page);
}

/** A JSON array of usage record ids; parsed here, since common's parseArgument takes objects only. */
function requireRecordIds(json: string): string[] {
    let value: unknown;
    try {
        value = json.length > 200 * MAX_HASHED_RECORDS ? undefined : JSON.parse(json);
    } catch {
        value = undefined;
    }
    if (!Array.isArray(value) || value.length === 0 || value.length > MAX_HASHED_RECORDS) {
        throw invalidArgument(`recordIds must be a JSON array of 1 to ${String(MAX_HASHED_RECORDS)} usage record ids`);
    }
    return value.map((id, n) => requireText(id, `recordIds[${String(n)}]`, 140));
}
