import { collect, invalidArgument, invalidState, LedgerState, toJSON, txTime } from '../../common/src';
import { type BillingPurge, type Invoice, type InvoiceLine, periodEndMillis, periodStartMillis } from '../../schemas/src';
import type { Context } from 'fabric-contract-api';
import { billingError, BillingErrorCode } from './billing-errors';
import { pairCollection } from './billing-collection';
import { requireMspId } from './billing-inputs';
import { counterpartyOf, type Parties, requireAwaitedParty, requireParty } from './counterparty';
import { requirePeriod } from './invoice';
import { Key } from './keys';
import { invoiceKey, type LineRecord, lineRecordKey, lineSeqKey, type PeriodLines, periodLinesKey } from './usage-ledger';

/*
 * Retention of a pair's billing records (docs/security/confidentiality.md, change 8): the collection keeps them
 * (blockToLive 0) until both parties agree to purge the settled periods. PurgePrivateData removes the values from
 * the member peers' state and private history; the hashes stay in every block, so what was agreed remains provable
 * to anyone who is shown a copy. Invoices and disputes stay: they are what was agreed, and ListInvoices reads them.
 */

/** A purge one party proposed (Key.PurgeProposal). */
interface PurgeProposal {
    proposedByMspId: string;
    proposedById: string;
    proposedAt: string;
    txId: string;
}

/**
 * Purges the private records (usage records, running lines, the sessions and CT operations they came from, and
 * their index entries) of every period of the pair that starts at or after `from` and ends by the start of `before`.
 * Each such period must be invoiced with no dispute open (PERIOD_NOT_SETTLED otherwise); the lower bound keeps one
 * old period with a dispute still open from blocking every later purge. No party decides alone: the first call, by either
 * party, proposes the purge; it happens when the other party makes the same call. Both parties' peers endorse
 * either call (the collection's endorsement policy).
 */
export async function purgeBillingRecords(ctx: Context, operatorMspId: string, tenantMspId: string, from: string, before: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const parties: Parties = { operatorMspId: requireMspId(operatorMspId, 'operatorMspId'), tenantMspId: requireMspId(tenantMspId, 'tenantMspId') };
    const firstPurged = requirePeriod(from, 'from');
    const firstKept = requirePeriod(before, 'before');
    if (periodStartMillis(firstPurged) >= periodStartMillis(firstKept)) {
        throw invalidArgument(`from (${firstPurged}) must start before before (${firstKept})`);
    }
    const who = requireParty(state, parties, `the billing records of ${parties.operatorMspId} and ${parties.tenantMspId}`);
    const periods = await settledPeriodsBetween(state, parties, firstPurged, firstKept);
    const proposalKey = state.key(Key.PurgeProposal, parties.operatorMspId, parties.tenantMspId, firstPurged, firstKept);
    const proposal = await state.read<PurgeProposal>(proposalKey, 'purge proposal');
    if (proposal === undefined) {
        state.put(proposalKey, { proposedByMspId: who.mspId, proposedById: who.id, proposedAt: txTime(ctx), txId: ctx.stub.getTxID() } satisfies PurgeProposal);
        const proposed: BillingPurge = { status: 'proposed', proposedByMspId: who.mspId, ...parties, from: firstPurged, before: firstKept, periods, purgedKeys: 0 };
        await state.commit('BillingPurgeProposed', proposed);
        return toJSON(proposed);
    }
    requireAwaitedParty(state, counterpartyOf(parties, proposal.proposedByMspId), `the purge of ${parties.tenantMspId}'s records from ${firstPurged} to before ${firstKept}`);
    const collection = pairCollection(parties);
    const keys: string[] = [];
    for (const period of periods) {
        keys.push(...(await periodRecordKeys(state, { ...parties, period }, collection)));
    }
    // In key order, so every endorser purges the same; the purges are not staged (LedgerState stages puts and deletes).
    for (const key of [...new Set(keys)].sort()) {
        await ctx.stub.purgePrivateData(collection, key);
    }
    state.delete(proposalKey);
    const purged: BillingPurge = { status: 'purged', proposedByMspId: proposal.proposedByMspId, ...parties, from: firstPurged, before: firstKept, periods, purgedKeys: new Set(keys).size };
    await state.commit('BillingRecordsPurged', purged);
    return toJSON(purged);
}

/** The pair's periods from `firstPurged` to the start of `firstKept` (TenantByPeriod, public), each invoiced with no dispute open. */
async function settledPeriodsBetween(state: LedgerState, parties: Parties, firstPurged: string, firstKept: string): Promise<string[]> {
    const [start, limit] = [periodStartMillis(firstPurged), periodStartMillis(firstKept)];
    const range = await state.ctx.stub.getStateByPartialCompositeKey(Key.TenantByPeriod, [parties.operatorMspId]);
    const periods = (await collect(range, (kv) => state.ctx.stub.splitCompositeKey(kv.key).attributes))
        .filter(([, period = '', tenant]) => tenant === parties.tenantMspId && periodStartMillis(period) >= start && periodEndMillis(period) <= limit)
        .map(([, period = '']) => period);
    const collection = pairCollection(parties);
    for (const period of periods) {
        const invoice = await state.read<Invoice>(invoiceKey(state, parties.operatorMspId, parties.tenantMspId, period), 'invoice', collection);
        if (invoice === undefined) {
            throw billingError(BillingErrorCode.PeriodNotSettled, `period ${period} of ${parties.tenantMspId} is not invoiced yet`);
        }
        if (invoice.status !== 'issued' || invoice.openDisputes > 0) {
            throw billingError(BillingErrorCode.PeriodNotSettled, `invoice ${invoice.invoiceId} has a dispute open`);
        }
    }
    return periods;
}

/**
 * The private keys of one invoiced period: its line list, lines, the lines' record positions and index entries, the
 * records and the sessions or CT operations they came from. Every key is read by itself: Fabric refuses any write,
 * purges included, in a transaction that ran a range query on private data. A period purged before has no line list
 * left, and so nothing more.
 */
async function periodRecordKeys(state: LedgerState, ref: Parties & { period: string }, collection: string): Promise<string[]> {
    const listKey = periodLinesKey(state, ref);
    const list = await state.read<PeriodLines>(listKey, 'period lines', collection);
    if (list === undefined) {
        return [];
    }
    const keys = [listKey];
    for (const lineKey of list.lineKeys) {
        const line = await state.read<InvoiceLine>(lineKey, 'invoice line', collection);
        if (line === undefined) {
            continue;
        }
        keys.push(lineKey);
        for (let seq = 1; seq <= line.recordCount; seq++) {
            const positionKey = lineRecordKey(state, line, seq);
            const position = await state.read<LineRecord>(positionKey, 'line record', collection);
            if (position === undefined) {
                throw invalidState(`record ${String(seq)} of line ${line.lineId} in ${ref.period} has no position entry (written before PurgeBillingRecords existed), so it cannot be purged`);
            }
            const { recordId } = position;
            const indexKey = state.key(Key.UsageByLine, ref.operatorMspId, ref.tenantMspId, ref.period, line.lineId, lineSeqKey(seq), recordId);
            keys.push(positionKey, indexKey, state.key(Key.Usage, recordId), ...(await sourceKeys(state, recordId, collection)));
        }
    }
    return keys;
}

/** The session or CT operation a usage record came from (`session:<id>` or `ct:<id>`), where it is still held. */
async function sourceKeys(state: LedgerState, recordId: string, collection: string): Promise<string[]> {
    const [source, ...rest] = recordId.split(':');
    const id = rest.join(':');
    const key = source === 'session' ? state.key(Key.Session, id) : source === 'ct' ? state.key(Key.CtOperation, id) : undefined;
    return key !== undefined && (await state.exists(key, collection)) ? [key] : [];
}

