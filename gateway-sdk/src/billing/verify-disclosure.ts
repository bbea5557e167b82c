import { createHash } from 'node:crypto';
import { lineRefOf } from '@edgetrust/schemas';
import type { LineCount, StoredUsageRecord, UsageRecord, UsageRecordHash } from './models';

export { lineRefOf };

/** One line of a disclosure: its id and its usage records as stored (salt included), as DiscloseLineUsage gives them. */
export interface DisclosedLine {
    lineId: string;
    records: StoredUsageRecord[];
}

/** What a party shows an auditor of one period of a pair: every line it says the period has, with its records. */
export interface BillingDisclosure {
    /** `operatorMspId|tenantMspId|period`. */
    invoiceId: string;
    lines: DisclosedLine[];
}

/** What the auditor reads from the chain itself: the public line counters and the public hashes of the records. */
export interface DisclosureEvidence {
    counts: LineCount[];
    hashes: UsageRecordHash[];
}

/** The verdict on a disclosure. */
export interface DisclosureCheck {
    invoiceId: string;
    /** True when every public line is disclosed with every one of its records, and each record matches its hash. */
    complete: boolean;
    /** Empty when complete; otherwise one sentence per problem found. */
    problems: string[];
    /** Per line ref: the lineSeq numbers the public counter promises and the disclosure lacks. */
    missing: { lineRef: string; lineId?: string; lineSeqs: number[] }[];
}

/**
 * Checks a disclosure of a pair's period against what every peer holds (docs/security/confidentiality.md), with no
 * network: each disclosed record's SHA-256 must be its public hash (so it is the record as written, salt and all),
 * it must belong to the line and period it is disclosed under, and each line must hold lineSeq 1 to its public
 * counter, no more, no fewer; a public line left out of the disclosure is missing as a whole.
 */
export function verifyDisclosure(disclosure: BillingDisclosure, evidence: DisclosureEvidence): DisclosureCheck {
    const problems: string[] = [];
    const missing: DisclosureCheck['missing'] = [];
    const [operatorMspId = '', tenantMspId = '', period = ''] = disclosure.invoiceId.split('|');
    const hashes = new Map(evidence.hashes.map((h) => [h.recordId, h.hash]));
    const disclosed = new Map(disclosure.lines.map((line) => [lineRefOf(line.lineId), line]));
    for (const count of evidence.counts) {
        const line = disclosed.get(count.lineRef);
        const seen = line ? disclosedSeqs(line, count, { operatorMspId, tenantMspId, period }, hashes, problems) : new Set<number>();
        const lacking = Array.from({ length: count.recordCount }, (_, n) => n + 1).filter((seq) => !seen.has(seq));
        if (lacking.length > 0) {
            missing.push({ lineRef: count.lineRef, ...(line ? { lineId: line.lineId } : {}), lineSeqs: lacking });
            problems.push(line ? `line ${line.lineId} holds ${String(count.recordCount)} records; lineSeq ${lacking.join(', ')} not disclosed` : `line ${count.lineRef} (${String(count.recordCount)} records) is not disclosed at all`);
        }
    }
    const counted = new Set(evidence.counts.map((c) => c.lineRef));
    for (const line of disclosure.lines.filter((l) => !counted.has(lineRefOf(l.lineId)))) {
        problems.push(`line ${line.lineId} has no public counter in ${disclosure.invoiceId}`);
    }
    return { invoiceId: disclosure.invoiceId, complete: problems.length === 0, problems, missing };
}

/** The pair and period a disclosure is about. */
interface PeriodRef {
    operatorMspId: string;
    tenantMspId: string;
    period: string;
}

/** The lineSeq numbers a disclosed line really shows: records that match their hash and belong to the line, once each. */
function disclosedSeqs(line: DisclosedLine, count: LineCount, ref: PeriodRef, hashes: ReadonlyMap<string, string>, problems: string[]): Set<number> {
    const seen = new Set<number>();
    for (const stored of line.records) {
        const record = checkRecord(stored, hashes.get(stored.recordId), problems);
        if (record === undefined) {
            continue;
        }
        if (record.lineId !== line.lineId || record.operatorMspId !== ref.operatorMspId || record.tenantMspId !== ref.tenantMspId || record.period !== ref.period) {
            problems.push(`usage record ${stored.recordId} belongs to line ${String(record.lineId)} of ${record.operatorMspId}|${record.tenantMspId}|${record.period}, not to ${line.lineId} of ${ref.operatorMspId}|${ref.tenantMspId}|${ref.period}`);
        } else if (record.lineSeq === undefined || record.lineSeq < 1 || record.lineSeq > count.recordCount || seen.has(record.lineSeq)) {
            problems.push(`usage record ${stored.recordId} has lineSeq ${String(record.lineSeq)}, outside 1 to ${String(count.recordCount)} or given twice`);
        } else {
            seen.add(record.lineSeq);
        }
    }
    return seen;
}

/** A disclosed record, parsed, if its stored text hashes to the public hash; undefined (with a problem) otherwise. */
function checkRecord(stored: StoredUsageRecord, publicHash: string | undefined, problems: string[]): UsageRecord | undefined {
    const hash = createHash('sha256').update(stored.stored, 'utf8').digest('hex');
    if (publicHash === undefined || publicHash === '') {
        problems.push(`usage record ${stored.recordId} has no public hash on the chain`);
        return undefined;
    }
    if (hash !== publicHash) {
        problems.push(`usage record ${stored.recordId} is not the record written (its SHA-256 differs from the public hash)`);
        return undefined;
    }
    const record = JSON.parse(stored.stored) as UsageRecord;
    if (record.recordId !== stored.recordId) {
        problems.push(`the record disclosed as ${stored.recordId} is ${record.recordId}`);
        return undefined;
    }
    return record;
}
