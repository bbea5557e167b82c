import { Context, Contract, Info, Transaction } from 'fabric-contract-api';
import { acceptCtOperation, declineCtOperation, getCtOperation, recordCtOperation } from './ct-operation';
import { getPricePlan, getResource, getSite, listSiteResources, publishPricePlan, registerResource, registerSite } from './edge-resource';
import { bootstrapGovernance, grantRole, listRoles, revokeRole } from './role-grant';
import { getUsageRecord } from './usage-ledger';
import { acceptSession, confirmStop, declineSession, getSession, refundExpiredSession, startSession, stopSession } from './usage-session';

/**
 * Roles, the edge catalog, usage sessions and CT operations (B1–B3, B6, B10).
 *
 * Deployment: the chaincode's endorsement policy is AND(platform org peer, application org peer),
 * e.g. AND('EdgeOrgMSP.peer','CloudOrgMSP.peer'), so no single organisation's peer decides the
 * result. That alone only proves both peers ran the same code on one party's input, so whatever
 * one party records on behalf of the other is a proposal until the other organisation accepts it
 * in its own transaction: session starts (AcceptSession), metered stop readings (ConfirmStop) and
 * CT operations (AcceptCtOperation). See docs/security/billing.md.
 *
 * Confidentiality: sessions, usage records and CT operations are private data of the operator–tenant
 * pair (billing-collection.ts). Their requests and stop readings travel in the transient map
 * (`request`, with the records' `salt`); arguments carry only the id, and results and events only ids.
 *
 * Bootstrap: an administrator of the organisation the deployment names (EDGETRUST_GOVERNANCE_MSP_ID)
 * calls BootstrapGovernance once, which makes that organisation the governor; from then on only administrators of governor organisations grant
 * and revoke roles. The deploy script calls it right after the chaincode is committed.
 */
@Info({ title: 'BillingContract', description: 'MEC resource catalog, roles, usage sessions and CT/IT operations' })
export class BillingContract extends Contract {
    constructor() {
        super('billing');
    }

    @Transaction()
    async BootstrapGovernance(ctx: Context): Promise<string> {
        return bootstrapGovernance(ctx);
    }

    @Transaction()
    async GrantRole(ctx: Context, mspId: string, role: string): Promise<string> {
        return grantRole(ctx, mspId, role);
    }

    @Transaction()
    async RevokeRole(ctx: Context, mspId: string, role: string): Promise<void> {
        return revokeRole(ctx, mspId, role);
    }

    @Transaction(false)
    async ListRoles(ctx: Context): Promise<string> {
        return listRoles(ctx);
    }

    @Transaction()
    async RegisterSite(ctx: Context, request: string): Promise<string> {
        return registerSite(ctx, request);
    }

    @Transaction()
    async RegisterResource(ctx: Context, request: string): Promise<string> {
        return registerResource(ctx, request);
    }

    @Transaction()
    async PublishPricePlan(ctx: Context, resourceId: string, plan: string): Promise<string> {
        return publishPricePlan(ctx, resourceId, plan);
    }

    @Transaction(false)
    async GetSite(ctx: Context, siteId: string): Promise<string> {
        return getSite(ctx, siteId);
    }

    @Transaction(false)
    async GetResource(ctx: Context, resourceId: string): Promise<string> {
        return getResource(ctx, resourceId);
    }

    @Transaction(false)
    async GetPricePlan(ctx: Context, resourceId: string, version: string): Promise<string> {
        return getPricePlan(ctx, resourceId, version);
    }

    @Transaction(false)
    async ListSiteResources(ctx: Context, siteId: string, pageSize: string, bookmark: string): Promise<string> {
        return listSiteResources(ctx, siteId, pageSize, bookmark);
    }

    @Transaction()
    async StartSession(ctx: Context, sessionId: string): Promise<string> {
        return startSession(ctx, sessionId);
    }

    @Transaction()
    async AcceptSession(ctx: Context, sessionId: string): Promise<string> {
        return acceptSession(ctx, sessionId);
    }

    @Transaction()
    async DeclineSession(ctx: Context, sessionId: string): Promise<string> {
        return declineSession(ctx, sessionId);
    }

    @Transaction()
    async StopSession(ctx: Context, sessionId: string): Promise<string> {
        return stopSession(ctx, sessionId);
    }

    @Transaction()
    async ConfirmStop(ctx: Context, sessionId: string): Promise<string> {
        return confirmStop(ctx, sessionId);
    }

    @Transaction()
    async RefundExpiredSession(ctx: Context, sessionId: string): Promise<string> {
        return refundExpiredSession(ctx, sessionId);
    }

    @Transaction(false)
    async GetSession(ctx: Context, sessionId: string): Promise<string> {
        return getSession(ctx, sessionId);
    }

    @Transaction()
    async RecordCtOperation(ctx: Context, operationId: string): Promise<string> {
        return recordCtOperation(ctx, operationId);
    }

    @Transaction()
    async AcceptCtOperation(ctx: Context, operationId: string): Promise<string> {
        return acceptCtOperation(ctx, operationId);
    }

    @Transaction()
    async DeclineCtOperation(ctx: Context, operationId: string): Promise<string> {
        return declineCtOperation(ctx, operationId);
    }

    @Transaction(false)
    async GetCtOperation(ctx: Context, operationId: string): Promise<string> {
        return getCtOperation(ctx, operationId);
    }

    @Transaction(false)
    async GetUsageRecord(ctx: Context, recordId: string): Promise<string> {
        return getUsageRecord(ctx, recordId);
    }
}
