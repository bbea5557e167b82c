import { Context, Contract, Info, Transaction } from 'fabric-contract-api';
import { getDispute, raiseDispute, resolveDispute } from './billing-dispute';
import { closeBillingPeriod, getInvoice, listInvoices, listLineUsage, listPeriodLines, listPeriodTenants } from './invoice';
import { discloseLineUsage, getPeriodLineCounts, getUsageRecordHashes } from './line-count';
import { purgeBillingRecords } from './billing-retention';

/**
 * Periodic settlement, invoices and disputes (B4, B5). Usage records keep per-line running totals
 * (see usage-ledger), so closing a period reads only the lines, never the records. Lines, invoices
 * and disputes are private data of the operator–tenant pair; a dispute's request and decision travel
 * in the transient map (`request`, `salt`) and results and events carry ids only.
 */
@Info({ title: 'SettlementContract', description: 'Billing periods, invoices, disputes and credit notes' })
export class SettlementContract extends Contract {
    constructor() {
        super('settlement');
    }

    @Transaction()
    async CloseBillingPeriod(ctx: Context, tenantMspId: string, period: string): Promise<string> {
        return closeBillingPeriod(ctx, tenantMspId, period);
    }

    @Transaction(false)
    async GetInvoice(ctx: Context, invoiceId: string): Promise<string> {
        return getInvoice(ctx, invoiceId);
    }

    @Transaction(false)
    async ListInvoices(ctx: Context, tenantMspId: string, pageSize: string, bookmark: string): Promise<string> {
        return listInvoices(ctx, tenantMspId, pageSize, bookmark);
    }

    @Transaction(false)
    async ListPeriodLines(ctx: Context, invoiceId: string): Promise<string> {
        return listPeriodLines(ctx, invoiceId);
    }

    @Transaction(false)
    async ListLineUsage(ctx: Context, invoiceId: string, lineId: string, pageSize: string, bookmark: string): Promise<string> {
        return listLineUsage(ctx, invoiceId, lineId, pageSize, bookmark);
    }

    @Transaction(false)
    async ListPeriodTenants(ctx: Context, period: string, pageSize: string, bookmark: string): Promise<string> {
        return listPeriodTenants(ctx, period, pageSize, bookmark);
    }

    @Transaction(false)
    async GetPeriodLineCounts(ctx: Context, invoiceId: string): Promise<string> {
        return getPeriodLineCounts(ctx, invoiceId);
    }

    @Transaction(false)
    async GetUsageRecordHashes(ctx: Context, invoiceId: string, recordIds: string): Promise<string> {
        return getUsageRecordHashes(ctx, invoiceId, recordIds);
    }

    @Transaction(false)
    async DiscloseLineUsage(ctx: Context, invoiceId: string, lineId: string, pageSize: string, bookmark: string): Promise<string> {
        return discloseLineUsage(ctx, invoiceId, lineId, pageSize, bookmark);
    }

    @Transaction()
    async PurgeBillingRecords(ctx: Context, operatorMspId: string, tenantMspId: string, from: string, before: string): Promise<string> {
        return purgeBillingRecords(ctx, operatorMspId, tenantMspId, from, before);
    }

    @Transaction()
    async RaiseDispute(ctx: Context, disputeId: string): Promise<string> {
        return raiseDispute(ctx, disputeId);
    }

    @Transaction()
    async ResolveDispute(ctx: Context, disputeId: string): Promise<string> {
        return resolveDispute(ctx, disputeId);
    }

    @Transaction(false)
    async GetDispute(ctx: Context, disputeId: string): Promise<string> {
        return getDispute(ctx, disputeId);
    }
}
