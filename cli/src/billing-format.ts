import type {
    BillingDispute,
    CtOperationProposal,
    EdgeResource,
    Escrow,
    Invoice,
    InvoiceLine,
    InvoiceVerification,
    MarketListing,
    MarketPurchase,
    MeterUnit,
    PricePlan,
    TokenAccount,
    UsageRecord,
    UsageSession,
} from '@edgetrust/gateway-sdk';

/*
 * Readable views of billing records for tables: pure functions, tested without a network.
 * Amounts are integer minor units and are printed as such; quantities get their unit.
 */

type Row = Record<string, unknown>;

/** `125 s`, `3 calls`, `3.2 GB (3200000000 B)`. */
export function quantityText(unit: MeterUnit, quantity: number): string {
    if (unit === 'second') {
        return `${String(quantity)} s`;
    }
    if (unit === 'call') {
        return `${String(quantity)} call${quantity === 1 ? '' : 's'}`;
    }
    const gb = quantity / 1_000_000_000;
    // Trailing zeros of the fraction only: 3.200 -> 3.2, 250 stays 250.
    const text = gb.toFixed(gb >= 100 ? 0 : 3).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
    return `${text} GB (${String(quantity)} B)`;
}

/** `40 per second, settled monthly`. */
export function planText(plan: { unit: MeterUnit; rate: number; cycle?: string }): string {
    const per = plan.unit === 'gb' ? 'GB' : plan.unit;
    const settled: Record<string, string> = { month: 'settled monthly', day: 'settled daily', hour: 'settled hourly', minute: 'settled every minute' };
    return `${String(plan.rate)} per ${per}, ${settled[plan.cycle ?? 'month'] ?? `settled per ${plan.cycle ?? 'month'}`}`;
}

export const RESOURCE_COLUMNS = ['resource', 'kind', 'name', 'site', 'plan', 'payee'] as const;

export function resourceRow(resource: EdgeResource): Row {
    return { resource: resource.resourceId, kind: resource.kind, name: resource.name, site: resource.siteId, plan: `v${String(resource.planVersion)}`, payee: resource.payeeAccountId };
}

export function planView(plan: PricePlan): Row {
    return { resource: plan.resourceId, version: plan.version, price: planText(plan), published: plan.publishedAt, by: plan.publishedByMspId, transaction: plan.txId };
}

export function sessionView(session: UsageSession): Row {
    return {
        session: session.sessionId,
        status: session.status,
        resource: `${session.resourceId} @ ${session.siteId}`,
        app: `${session.appId} (${session.tenantMspId})`,
        operator: session.operatorMspId,
        plan: `v${String(session.planVersion)}: ${planText(session)}`,
        proposed: `${session.proposedAt} by ${session.startedByMspId}`,
        started: session.startedAt === undefined ? '' : `${session.startedAt}${session.acceptedByMspId ? ` accepted by ${session.acceptedByMspId}` : ''}`,
        awaiting: session.awaitingMspId ?? '',
        reading: session.stopProposal ? `${quantityText(session.unit, session.stopProposal.quantity)} by ${session.stopProposal.proposedByMspId}` : '',
        stopped: session.stoppedAt === undefined ? '' : `${session.stoppedAt}${session.stoppedByMspId ? ` by ${session.stoppedByMspId}` : ''}`,
        usage: session.usageRecordId,
        payment: session.payment ? `${String(session.payment.budget)} tokens from ${session.payment.accountId} until ${session.payment.deadline}${session.payment.signedTask ? ' (signed task)' : ''}` : 'invoice',
    };
}

export function ctOperationView(operation: CtOperationProposal): Row {
    return {
        operation: operation.operationId,
        status: operation.status,
        app: `${operation.appId} (${operation.tenantMspId})`,
        resource: `${operation.resourceId} v${String(operation.planVersion)}`,
        quantity: quantityText(operation.unit, operation.quantity),
        rate: operation.rate,
        reported: `${operation.proposedAt} by ${operation.proposedByMspId}`,
        awaiting: operation.awaitingMspId ?? '',
        decided: operation.decidedAt === undefined ? '' : `${operation.decidedAt} by ${operation.decidedByMspId ?? ''}`,
        usage: operation.usageRecordId ?? '',
    };
}

export function usageView(record: UsageRecord): Row {
    return {
        record: record.recordId,
        source: record.source,
        app: `${record.appId} (${record.tenantMspId})`,
        resource: `${record.resourceId} v${String(record.planVersion)}`,
        quantity: quantityText(record.unit, record.quantity),
        rate: record.rate,
        amount: record.amount,
        period: record.period,
        line: record.lineId === undefined ? `token (charged ${String(record.charged ?? 0)})` : `${record.lineId} #${String(record.lineSeq)}`,
        recorded: `${record.recordedAt} by ${record.recordedByMspId}`,
        transaction: record.txId,
    };
}

export const USAGE_COLUMNS = ['#', 'record', 'source', 'quantity', 'rate', 'amount', 'recorded'] as const;

export function usageRow(record: UsageRecord): Row {
    return { '#': record.lineSeq, record: record.recordId, source: record.source, quantity: quantityText(record.unit, record.quantity), rate: record.rate, amount: record.amount, recorded: record.recordedAt };
}

export const LINE_COLUMNS = ['line', 'app', 'resource', 'plan', 'quantity', 'amount', 'records', 'dispute'] as const;

export function lineRow(line: InvoiceLine): Row {
    return {
        line: line.lineId,
        app: line.appId,
        resource: line.resourceId,
        plan: `v${String(line.planVersion)}: ${String(line.rate)}/${line.unit === 'gb' ? 'GB' : line.unit}`,
        quantity: quantityText(line.unit, line.quantity),
        amount: line.amount,
        records: line.recordCount,
        dispute: line.disputeId,
    };
}

/** The invoice header; its lines go in a separate table. */
export function invoiceView(invoice: Invoice): Row {
    return {
        invoice: invoice.invoiceId,
        status: invoice.openDisputes > 0 ? `${invoice.status} (${String(invoice.openDisputes)} open)` : invoice.status,
        period: invoice.period,
        operator: invoice.operatorMspId,
        tenant: invoice.tenantMspId,
        lines: invoice.lines.length,
        total: invoice.total,
        credited: invoice.creditTotal,
        'amount due': invoice.amountDue,
        issued: invoice.issuedAt,
        transaction: invoice.txId,
    };
}

export const INVOICE_COLUMNS = ['invoice', 'period', 'status', 'lines', 'total', 'amount due'] as const;

export function invoiceRow(invoice: Invoice): Row {
    return { invoice: invoice.invoiceId, period: invoice.period, status: invoice.status, lines: invoice.lines.length, total: invoice.total, 'amount due': invoice.amountDue };
}

export const VERIFICATION_COLUMNS = ['line', 'verdict', 'records', 'amount', 'problems'] as const;

/** One row per line, then a row for the totals and one for stray records if there are problems there. */
export function verificationRows(verification: InvoiceVerification): Row[] {
    const rows: Row[] = verification.lines.map((line) => ({
        line: line.lineId,
        verdict: line.ok ? 'ok' : 'MISMATCH',
        records: line.expected.recordCount,
        amount: line.expected.amount,
        problems: line.problems.join('\n'),
    }));
    rows.push({ line: '(totals)', verdict: verification.totalProblems.length === 0 ? 'ok' : 'MISMATCH', problems: verification.totalProblems.join('\n') });
    if (verification.strayRecordIds.length > 0) {
        rows.push({ line: '(stray records)', verdict: 'MISMATCH', problems: verification.strayRecordIds.join('\n') });
    }
    return rows;
}

export function disputeView(dispute: BillingDispute): Row {
    const resolution = dispute.resolution;
    return {
        dispute: dispute.disputeId,
        status: dispute.status,
        invoice: dispute.invoiceId,
        lines: dispute.lineIds.join('\n'),
        reason: dispute.reason,
        evidence: dispute.evidenceId,
        raised: `${dispute.raisedAt} by ${dispute.tenantMspId}`,
        resolution: resolution ? `${resolution.outcome} by ${resolution.resolvedByMspId} ${resolution.resolvedAt}${resolution.reason ? `: ${resolution.reason}` : ''}` : '',
        credit: resolution?.creditNote ? `${String(resolution.creditNote.amount)} (${resolution.creditNote.creditNoteId})` : '',
    };
}

export function accountView(account: TokenAccount): Row {
    return { account: account.accountId, balance: account.balance, owner: `${account.ownerMspId} ${account.ownerId}`, 'task key': account.taskKey ? 'registered' : 'none', opened: account.openedAt };
}

export function escrowView(escrow: Escrow): Row {
    return {
        escrow: escrow.escrowId,
        status: escrow.status,
        amount: escrow.amount,
        from: escrow.payerAccountId,
        to: escrow.payeeAccountId,
        paid: escrow.paid,
        refunded: escrow.refunded,
        deadline: escrow.deadline,
    };
}

export const LISTING_COLUMNS = ['listing', 'kind', 'title', 'price', 'provider', 'config'] as const;

export function listingRow(listing: MarketListing): Row {
    return {
        listing: listing.listingId,
        kind: listing.kind,
        title: listing.title,
        price: `${String(listing.unitPrice)} per ${listing.unit}`,
        provider: listing.ownerMspId,
        config: Object.entries(listing.config)
            .map(([k, v]) => `${k}=${v}`)
            .join(' '),
    };
}

export function purchaseView(purchase: MarketPurchase): Row {
    return {
        purchase: purchase.purchaseId,
        status: purchase.status,
        listing: purchase.listingId,
        units: `${String(purchase.units)} at ${String(purchase.unitPrice)}`,
        escrow: purchase.escrowId,
        buyer: `${purchase.buyerMspId} (${purchase.buyerAccountId})`,
        seller: purchase.sellerMspId,
        access: purchase.accessEnvelope ? `encrypted for the buyer (${purchase.accessEnvelope.algorithm})` : 'not delivered',
        used: purchase.usedUnits,
        paid: purchase.paid,
        refunded: purchase.refunded,
        rating: purchase.rating,
        deadline: purchase.deadline,
    };
}
