import { billedSeconds, chainLineDigest, EMPTY_LINE_DIGEST, meteredAmount } from '@edgetrust/schemas';
import type { Invoice, InvoiceLine, MeterUnit, PricePlan, UsageRecord } from './models';

// The billing arithmetic is the chaincode's own (the schema package's), so what is recomputed here is exactly what
// the chaincode computed: the amount of a metered quantity, the billed seconds of a session, a line's digest chain.
export { billedSeconds, chainLineDigest, EMPTY_LINE_DIGEST, meteredAmount };

/** What the records say a line should hold. */
export interface RecomputedLine {
    quantity: number;
    amount: number;
    recordCount: number;
    recordsDigest: string;
}

/** The verdict on one invoice line. */
export interface LineVerification {
    lineId: string;
    ok: boolean;
    /** Empty when ok; otherwise one sentence per problem found. */
    problems: string[];
    expected: RecomputedLine;
}

/** The verdict on a whole invoice. */
export interface InvoiceVerification {
    invoiceId: string;
    /** True when every line and the totals check out and no record was left over. */
    ok: boolean;
    lines: LineVerification[];
    /** Problems with the invoice totals. */
    totalProblems: string[];
    /** Given records of this invoice's tenant and period that belong to no line of it. */
    strayRecordIds: string[];
}

/**
 * Recomputes every line of an invoice from the on-chain usage records and price plans (B5), with
 * no network: each record's price from its plan version and quantity (a session's seconds from its
 * own timestamps), the line's sums, record count and digest chain, then the invoice totals.
 * @param invoice - The invoice as read from the chaincode.
 * @param records - The usage records of its lines (e.g. from `listLineUsage`), in any order.
 * @param plans - The price plans of the versions the lines name.
 * @returns A verdict per line; `ok` only if everything matches.
 */
export function verifyInvoice(invoice: Invoice, records: readonly UsageRecord[], plans: readonly PricePlan[]): InvoiceVerification {
    const ours = records.filter((r) => r.operatorMspId === invoice.operatorMspId && r.tenantMspId === invoice.tenantMspId && r.period === invoice.period);
    const lines = invoice.lines.map((line) => verifyLine(line, ours.filter((r) => r.lineId === line.lineId), plans));
    const lineIds = new Set(invoice.lines.map((line) => line.lineId));
    const strayRecordIds = ours.filter((r) => r.settlement === 'invoice' && !lineIds.has(r.lineId ?? '')).map((r) => r.recordId);
    const totalProblems = totalsProblems(invoice);
    const ok = lines.every((l) => l.ok) && totalProblems.length === 0 && strayRecordIds.length === 0;
    return { invoiceId: invoice.invoiceId, ok, lines, totalProblems, strayRecordIds };
}

function verifyLine(line: InvoiceLine, records: readonly UsageRecord[], plans: readonly PricePlan[]): LineVerification {
    const problems: string[] = [];
    const plan = plans.find((p) => p.resourceId === line.resourceId && p.version === line.planVersion);
    if (!plan) {
        problems.push(`no price plan ${line.resourceId} version ${String(line.planVersion)} was given`);
    } else if (plan.unit !== line.unit || plan.rate !== line.rate) {
        problems.push(`line is priced ${String(line.rate)} per ${line.unit}, plan says ${String(plan.rate)} per ${plan.unit}`);
    }
    const ordered = [...records].sort((a, b) => (a.lineSeq ?? 0) - (b.lineSeq ?? 0));
    const expected: RecomputedLine = { quantity: 0, amount: 0, recordCount: 0, recordsDigest: EMPTY_LINE_DIGEST };
    ordered.forEach((record, index) => {
        problems.push(...recordProblems(record, index + 1, line, plan));
        expected.quantity += record.quantity;
        expected.amount += record.amount;
        expected.recordCount += 1;
        expected.recordsDigest = chainLineDigest(expected.recordsDigest, record);
    });
    for (const field of ['recordCount', 'quantity', 'amount', 'recordsDigest'] as const) {
        if (expected[field] !== line[field]) {
            problems.push(`${field} is ${String(line[field])}, the records give ${String(expected[field])}`);
        }
    }
    return { lineId: line.lineId, ok: problems.length === 0, problems, expected };
}

function recordProblems(record: UsageRecord, seq: number, line: InvoiceLine, plan: PricePlan | undefined): string[] {
    const where = `record ${record.recordId}`;
    const unit = plan?.unit ?? line.unit;
    const rate = plan?.rate ?? line.rate;
    return [
        record.lineSeq === seq ? '' : `${where} is at position ${String(record.lineSeq)}, expected ${String(seq)}`,
        belongsToLine(record, line) ? '' : `${where} does not belong to line ${line.lineId}`,
        record.unit === unit && record.rate === rate ? '' : `${where} is priced ${String(record.rate)} per ${record.unit}, the plan says ${String(rate)} per ${unit}`,
        durationProblem(record, unit),
        amountProblem(record, unit, rate),
    ].filter((problem) => problem !== '');
}

function belongsToLine(record: UsageRecord, line: InvoiceLine): boolean {
    return record.resourceId === line.resourceId && record.planVersion === line.planVersion && record.appId === line.appId && record.settlement === 'invoice';
}

/** A per-second session must bill exactly the started seconds between its own timestamps. */
function durationProblem(record: UsageRecord, unit: MeterUnit): string {
    if (record.source !== 'session' || unit !== 'second' || record.startedAt === undefined || record.stoppedAt === undefined) {
        return '';
    }
    const seconds = billedSeconds(Date.parse(record.startedAt), Date.parse(record.stoppedAt));
    return seconds === record.quantity ? '' : `record ${record.recordId} bills ${String(record.quantity)} s for a session of ${String(seconds)} s`;
}

function amountProblem(record: UsageRecord, unit: MeterUnit, rate: number): string {
    const amount = meteredAmount(unit, rate, record.quantity);
    return amount === record.amount
        ? ''
        : `record ${record.recordId} charges ${String(record.amount)}, ${String(record.quantity)} ${unit} at ${String(rate)} is ${String(amount)}`;
}

function totalsProblems(invoice: Invoice): string[] {
    const problems: string[] = [];
    const sum = invoice.lines.reduce((total, line) => total + line.amount, 0);
    if (sum !== invoice.total) {
        problems.push(`total is ${String(invoice.total)}, the lines add up to ${String(sum)}`);
    }
    if (invoice.amountDue !== invoice.total - invoice.creditTotal) {
        problems.push(`amount due ${String(invoice.amountDue)} is not total ${String(invoice.total)} less credits ${String(invoice.creditTotal)}`);
    }
    return problems;
}
