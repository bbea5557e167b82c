import type { KeyObject } from 'node:crypto';
import type { Contract } from '@hyperledger/fabric-gateway';
import { MAX_HASHED_RECORDS } from '@edgetrust/schemas';
import { ContractClient, type SubmitOptions, type Submitted } from '../contract-client';
import { InvalidStateError } from '../errors';
import { iterateAll } from '../paging';
import { freshSalt } from '../private-salt';
import { decryptAccessInfo, encryptAccessInfo } from './access-envelope';
import { signComputeTask } from './compute-task';
import { disclosedOwner, disclosureEntry, disclosureOf, submitToken, type TokenCall, TokenEndorsers } from './token-transient';
import type {
    AccountIds,
    BillingDispute,
    BillingPurge,
    BillingRole,
    ClosedSession,
    DeclinedSession,
    ComputeTask,
    CreateListingRequest,
    CtOperationProposal,
    CtOperationRequest,
    EdgeResource,
    EdgeSite,
    Escrow,
    ExpiredSession,
    Invoice,
    InvoiceLine,
    LineCount,
    ListingKind,
    MarketListing,
    MarketPurchase,
    Page,
    PageOptions,
    PricePlan,
    PricePlanTerms,
    ProviderReputation,
    PurchaseRequest,
    RaiseDisputeRequest,
    RegisterResourceRequest,
    RegisterSiteRequest,
    ResolveDisputeRequest,
    RoleGrant,
    StartSessionRequest,
    StopMeters,
    StoppedSession,
    StoredUsageRecord,
    TokenAccount,
    TokenDisclosure,
    TokenSupply,
    UsageRecord,
    UsageRecordHash,
    UsageSession,
} from './models';
import { type InvoiceVerification, verifyInvoice } from './verify-invoice';
import { type BillingDisclosure, type DisclosedLine, type DisclosureCheck, verifyDisclosure } from './verify-disclosure';

const DEFAULT_PAGE_SIZE = 100;
const utf8 = new TextEncoder();

/** A private transaction's state-changing call: its ids-only result, and what to read once it has committed. */
interface PrivateCall<T> {
    name: string;
    args: string[];
    /** The confidential request (transient map entry `request`); never in the arguments. */
    request?: unknown;
    /**
     * The pair whose peers must endorse, where a stored record names it (a request's pair is unchecked, and naming an
     * organisation without peers fails in the gateway before the chaincode can refuse it); otherwise the gateway plans
     * from the chaincode's and the collection's endorsement policies.
     */
    parties?: string[];
    /** Reads the records once committed, from the chaincode's ids-only result. */
    readBack: (ids: Record<string, string | undefined>) => Promise<T>;
}

function pageArgs(options: PageOptions = {}): string[] {
    return [String(options.pageSize ?? DEFAULT_PAGE_SIZE), options.bookmark ?? ''];
}

/** An invoice together with what its tenant recomputed from the chain. */
export interface VerifiedInvoice {
    invoice: Invoice;
    records: UsageRecord[];
    plans: PricePlan[];
    verification: InvoiceVerification;
}

/**
 * Typed client of the resource-billing chaincode: catalog, sessions, CT/IT operations, settlement,
 * disputes, compute tokens and the marketplace. Each transaction names its contract
 * (`billing:`, `settlement:`, `token:`, `marketplace:`). Domain errors keep their chaincode code,
 * e.g. `SESSION_ALREADY_STARTED`, `SESSION_CLOSED`, `INSUFFICIENT_BALANCE`, `SIGNATURE_INVALID`,
 * `TIMESTAMP_OUT_OF_TOLERANCE`, `PERIOD_CLOSED`.
 * @example
 * const tenant = new BillingClient(cloudNetwork.getContract('resource-billing'));
 * const operator = new BillingClient(edgeNetwork.getContract('resource-billing'));
 * await tenant.startSession({ sessionId: 's-1', resourceId: 'gpu-1', appId: 'game-1' });
 * await operator.acceptSession('s-1');
 */
export class BillingClient extends ContractClient {
    /** @param contract - The resource-billing chaincode's contract from fabric-gateway (no contract name). */
    // eslint-disable-next-line @typescript-eslint/no-useless-constructor -- makes ContractClient's protected constructor public
    constructor(contract: Contract) {
        super(contract);
    }

    readonly #endorsers = new TokenEndorsers((name, args) => this.evaluate(name, args));

    /** A token transaction (token-transient.ts): salted, the debited account disclosed, its endorsers named. */
    #submitToken<T>(call: TokenCall, options?: SubmitOptions): Promise<Submitted<T>> {
        return submitToken<T>((name, args, opts) => this.submit(name, args, opts), (name, args) => this.evaluate(name, args), this.#endorsers, call, options);
    }

    /**
     * Submits a transaction on a pair's private billing records (docs/security/confidentiality.md): the request and a
     * fresh 32-byte salt go in the transient map, which is never written to the transaction; the arguments carry ids
     * only, and so does the chaincode's result, so the record is read back with an evaluate (queries are not
     * recorded) once the transaction has committed. The pair's organisations endorse, the only ones whose peers hold
     * the collection.
     */
    async #submitPrivate<T>(call: PrivateCall<T>, options: SubmitOptions = {}): Promise<Submitted<T>> {
        const transientData: Record<string, Uint8Array> = { ...options.transientData, ...freshSalt().transientData };
        if (call.request !== undefined) {
            transientData.request = utf8.encode(JSON.stringify(call.request));
        }
        const endorsingOrganizations = options.endorsingOrganizations ?? call.parties;
        const submitted = await this.submit<Record<string, string | undefined>>(call.name, call.args, { ...(endorsingOrganizations ? { endorsingOrganizations } : {}), transientData });
        return { ...submitted, result: await call.readBack(submitted.result) };
    }

    async #sessionParties(sessionId: string): Promise<string[]> {
        const session = await this.getSession(sessionId);
        return [session.operatorMspId, session.tenantMspId];
    }

    /** A session with the usage record and, where asked, the escrow it names (what DeclineSession, StopSession and the like give back). */
    async #sessionWith(sessionId: string, withEscrow = false): Promise<{ session: UsageSession; escrow?: Escrow; usage?: UsageRecord }> {
        const session = await this.getSession(sessionId);
        const escrow = withEscrow && session.payment ? await this.getEscrow(session.payment.escrowId) : undefined;
        const usage = session.usageRecordId === undefined ? undefined : await this.getUsageRecord(session.usageRecordId);
        return { session, ...(escrow ? { escrow } : {}), ...(usage ? { usage } : {}) };
    }

    // ---- roles (organisation administrators of the governor organisation) ----

    /** Makes the caller's organisation the governor; once, by an organisation administrator. */
    bootstrapGovernance(): Promise<Submitted<RoleGrant>> {
        return this.submit('billing:BootstrapGovernance', []);
    }

    /** Grants an organisation a role. */
    grantRole(mspId: string, role: BillingRole): Promise<Submitted<RoleGrant>> {
        return this.submit('billing:GrantRole', [mspId, role]);
    }

    /** Revokes a role. */
    revokeRole(mspId: string, role: BillingRole): Promise<Submitted<undefined>> {
        return this.submit('billing:RevokeRole', [mspId, role]);
    }

    /** Every role grant. */
    listRoles(): Promise<RoleGrant[]> {
        return this.evaluate('billing:ListRoles', []);
    }

    // ---- catalog (B1) ----

    /** Registers an edge site of the caller's (operator) organisation. */
    registerSite(request: RegisterSiteRequest): Promise<Submitted<EdgeSite>> {
        return this.submit('billing:RegisterSite', [JSON.stringify(request)]);
    }

    /** Registers a resource with version 1 of its price plan. */
    registerResource(request: RegisterResourceRequest): Promise<Submitted<EdgeResource>> {
        return this.submit('billing:RegisterResource', [JSON.stringify(request)]);
    }

    /** Publishes the next price plan version of a resource. */
    publishPricePlan(resourceId: string, terms: PricePlanTerms): Promise<Submitted<PricePlan>> {
        return this.submit('billing:PublishPricePlan', [resourceId, JSON.stringify(terms)]);
    }

    /** An edge site. */
    getSite(siteId: string): Promise<EdgeSite> {
        return this.evaluate('billing:GetSite', [siteId]);
    }

    /** A resource, with its current plan version. */
    getResource(resourceId: string): Promise<EdgeResource> {
        return this.evaluate('billing:GetResource', [resourceId]);
    }

    /** One version of a resource's price plan. */
    getPricePlan(resourceId: string, version: number): Promise<PricePlan> {
        return this.evaluate('billing:GetPricePlan', [resourceId, String(version)]);
    }

    /** A page of a site's resources. */
    listSiteResources(siteId: string, options?: PageOptions): Promise<Page<EdgeResource>> {
        return this.evaluate('billing:ListSiteResources', [siteId, ...pageArgs(options)]);
    }

    /** Every resource of a site, read a page at a time as the caller iterates. */
    siteResourcesAll(siteId: string, options: PageOptions = {}): AsyncGenerator<EdgeResource, void, undefined> {
        return iterateAll((bookmark) => this.listSiteResources(siteId, { ...options, bookmark }), options.bookmark);
    }

    // ---- sessions (B2, B3, B8, B9) ----

    /**
     * Proposes a usage session: it is `proposed` and bills nothing until the other organisation
     * calls {@link acceptSession} (the tenant for an operator's proposal, the operator for a
     * tenant's). The chaincode's endorsement policy needs the operator's and the tenant's peers;
     * pass `endorsingOrganizations` to name them explicitly.
     */
    async startSession(request: StartSessionRequest, options: SubmitOptions = {}): Promise<Submitted<UsageSession>> {
        const call = { name: 'billing:StartSession', args: [request.sessionId], request, readBack: (): Promise<UsageSession> => this.getSession(request.sessionId) };
        if (request.payment === undefined) {
            // The pair is whatever the request names, unchecked until the chaincode runs: the gateway plans the endorsers.
            return this.#submitPrivate(call, options);
        }
        // The budget comes from a token account in its owner's collection: the owner discloses it (the tenant's own
        // client does so here; an operator submitting a signed task passes the tenant's in transientData.account),
        // and the pair is named, since the gateway would look for a peer that is a member of both collections.
        const given = options.transientData?.account;
        const disclosure = given !== undefined ? (JSON.parse(Buffer.from(given).toString('utf8')) as TokenDisclosure) : await disclosureOf((name, args) => this.evaluate(name, args), request.payment.accountId);
        const tenantMspId = request.tenantMspId ?? disclosedOwner(disclosure);
        const parties = tenantMspId === undefined ? undefined : [(await this.getResource(request.resourceId)).operatorMspId, tenantMspId];
        return this.#submitPrivate({ ...call, ...(parties ? { parties } : {}) }, { ...options, transientData: { ...disclosureEntry(disclosure), ...options.transientData } });
    }

    /** The other organisation accepts a proposed session; it is `active` and billed from this transaction. */
    async acceptSession(sessionId: string, options?: SubmitOptions): Promise<Submitted<UsageSession>> {
        return this.#submitPrivate({ name: 'billing:AcceptSession', args: [sessionId], parties: await this.#sessionParties(sessionId), readBack: () => this.getSession(sessionId) }, options);
    }

    /** Either party declines (or withdraws) a proposed session; a budget held for it is refunded. */
    async declineSession(sessionId: string, options?: SubmitOptions): Promise<Submitted<DeclinedSession>> {
        return this.#submitPrivate({ name: 'billing:DeclineSession', args: [sessionId], parties: await this.#sessionParties(sessionId), readBack: () => this.#sessionWith(sessionId, true) }, options);
    }

    /**
     * Signs a compute task with the payer's key and starts the session it describes; the chaincode
     * verifies the signature before it takes the budget into escrow. Submitted by the resource's
     * operator, the signature (by a key registered for an account of the tenant's organisation) is
     * the tenant's consent and the session is `active` at once; submitted by the tenant, it is a proposal.
     */
    startSignedSession(task: ComputeTask, privateKey: KeyObject | string, options?: SubmitOptions): Promise<Submitted<UsageSession>> {
        return this.startSession(signComputeTask(task, privateKey), options);
    }

    /**
     * Stops an active session. A per-second session closes at once with its usage. For per-call
     * and per-GB plans `meters` is a reading the other party must {@link confirmStop}; calling
     * stopSession again on a `stopping` session answers with your own reading instead.
     */
    async stopSession(sessionId: string, meters: StopMeters = {}, options?: SubmitOptions): Promise<Submitted<StoppedSession>> {
        const request = meters.calls === undefined && meters.bytes === undefined ? undefined : meters;
        return this.#submitPrivate({ name: 'billing:StopSession', args: [sessionId], request, parties: await this.#sessionParties(sessionId), readBack: () => this.#sessionWith(sessionId) }, options);
    }

    /** The other party confirms a stopping session's reading: the usage is recorded (and paid from escrow). */
    async confirmStop(sessionId: string, options?: SubmitOptions): Promise<Submitted<ClosedSession>> {
        const readBack = async (): Promise<ClosedSession> => {
            const { session, usage } = await this.#sessionWith(sessionId);
            if (usage === undefined) {
                throw new InvalidStateError({ code: 'INVALID_STATE', message: `session ${sessionId} was confirmed but names no usage record` });
            }
            return { session, usage };
        };
        return this.#submitPrivate({ name: 'billing:ConfirmStop', args: [sessionId], parties: await this.#sessionParties(sessionId), readBack }, options);
    }

    /**
     * Settles a token-paid session after its deadline; anyone may call it. A running per-second
     * session pays for its time up to the deadline and refunds the rest; others are refunded in full.
     */
    async refundExpiredSession(sessionId: string): Promise<Submitted<ExpiredSession>> {
        const readBack = async (): Promise<ExpiredSession> => {
            const { session, escrow, usage } = await this.#sessionWith(sessionId, true);
            if (escrow === undefined) {
                throw new InvalidStateError({ code: 'INVALID_STATE', message: `session ${sessionId} was refunded but holds no escrow` });
            }
            return { session, escrow, ...(usage ? { usage } : {}) };
        };
        return this.#submitPrivate({ name: 'billing:RefundExpiredSession', args: [sessionId], parties: await this.#sessionParties(sessionId), readBack });
    }

    /** A session. */
    getSession(sessionId: string): Promise<UsageSession> {
        return this.evaluate('billing:GetSession', [sessionId]);
    }

    /**
     * Reports CT operations or user-plane traffic done for an IT application (B6), as the CT entity.
     * It is billed only once the tenant calls {@link acceptCtOperation}.
     */
    recordCtOperation(request: CtOperationRequest, options?: SubmitOptions): Promise<Submitted<CtOperationProposal>> {
        return this.#submitPrivate({ name: 'billing:RecordCtOperation', args: [request.operationId], request, readBack: () => this.getCtOperation(request.operationId) }, options);
    }

    async #operationParties(operationId: string): Promise<string[]> {
        const operation = await this.getCtOperation(operationId);
        return [operation.operatorMspId, operation.tenantMspId];
    }

    /** The tenant accepts a reported CT operation: it is priced as reported and added to its invoice line. */
    async acceptCtOperation(operationId: string, options?: SubmitOptions): Promise<Submitted<UsageRecord>> {
        const parties = await this.#operationParties(operationId);
        return this.#submitPrivate({ name: 'billing:AcceptCtOperation', args: [operationId], parties, readBack: () => this.getUsageRecord(`ct:${operationId}`) }, options);
    }

    /** The tenant declines a reported CT operation (or its reporter withdraws it); nothing is billed. */
    async declineCtOperation(operationId: string, options?: SubmitOptions): Promise<Submitted<CtOperationProposal>> {
        const parties = await this.#operationParties(operationId);
        return this.#submitPrivate({ name: 'billing:DeclineCtOperation', args: [operationId], parties, readBack: () => this.getCtOperation(operationId) }, options);
    }

    /** A reported CT operation and whether the tenant accepted it. */
    getCtOperation(operationId: string): Promise<CtOperationProposal> {
        return this.evaluate('billing:GetCtOperation', [operationId]);
    }

    /** A usage record (`session:<id>` or `ct:<operationId>`). */
    getUsageRecord(recordId: string): Promise<UsageRecord> {
        return this.evaluate('billing:GetUsageRecord', [recordId]);
    }

    // ---- settlement (B4, B5) ----

    /** Closes a tenant's period (`YYYY-MM`, or a shorter cycle's period such as `YYYY-MM-DDTHH:MM`) for the caller's operator organisation and issues the invoice. */
    async closeBillingPeriod(tenantMspId: string, period: string): Promise<Submitted<Invoice>> {
        // The invoice id names the caller's organisation as operator, which only the chaincode's result tells this client.
        return this.#submitPrivate({ name: 'settlement:CloseBillingPeriod', args: [tenantMspId, period], readBack: (ids) => this.getInvoice(ids.invoiceId ?? '') });
    }

    /** An invoice by id (`operatorMspId|tenantMspId|period`). */
    getInvoice(invoiceId: string): Promise<Invoice> {
        return this.evaluate('settlement:GetInvoice', [invoiceId]);
    }

    /** A page of a tenant's invoices. */
    listInvoices(tenantMspId: string, options?: PageOptions): Promise<Page<Invoice>> {
        return this.evaluate('settlement:ListInvoices', [tenantMspId, ...pageArgs(options)]);
    }

    /** Every invoice of a tenant the caller may see, read a page at a time as the caller iterates. */
    invoicesAll(tenantMspId: string, options: PageOptions = {}): AsyncGenerator<Invoice, void, undefined> {
        return iterateAll((bookmark) => this.listInvoices(tenantMspId, { ...options, bookmark }), options.bookmark);
    }

    /** The running totals of a period, open or closed. */
    listPeriodLines(invoiceId: string): Promise<InvoiceLine[]> {
        return this.evaluate('settlement:ListPeriodLines', [invoiceId]);
    }

    /** A page of one line's usage records, in line order. */
    listLineUsage(invoiceId: string, lineId: string, options?: PageOptions): Promise<Page<UsageRecord>> {
        return this.evaluate('settlement:ListLineUsage', [invoiceId, lineId, ...pageArgs(options)]);
    }

    /** Every usage record of one line, page after page. */
    async listAllLineUsage(invoiceId: string, lineId: string, pageSize = 500): Promise<UsageRecord[]> {
        const records: UsageRecord[] = [];
        for await (const record of this.lineUsageAll(invoiceId, lineId, { pageSize })) {
            records.push(record);
        }
        return records;
    }

    /** Every usage record of one line, read a page at a time as the caller iterates. */
    lineUsageAll(invoiceId: string, lineId: string, options: PageOptions = {}): AsyncGenerator<UsageRecord, void, undefined> {
        return iterateAll((bookmark) => this.listLineUsage(invoiceId, lineId, { ...options, bookmark }), options.bookmark);
    }

    // ---- completeness and retention (docs/security/confidentiality.md) ----

    /** Every public line counter of a pair's period: how many usage records each line holds. */
    getPeriodLineCounts(invoiceId: string): Promise<LineCount[]> {
        return this.evaluate('settlement:GetPeriodLineCounts', [invoiceId]);
    }

    /** The public hashes of usage records of the pair an invoice id names, read in chunks of MAX_HASHED_RECORDS (empty where none is held). */
    async getUsageRecordHashes(invoiceId: string, recordIds: readonly string[]): Promise<UsageRecordHash[]> {
        const hashes: UsageRecordHash[] = [];
        for (let start = 0; start < recordIds.length; start += MAX_HASHED_RECORDS) {
            hashes.push(...(await this.evaluate<UsageRecordHash[]>('settlement:GetUsageRecordHashes', [invoiceId, JSON.stringify(recordIds.slice(start, start + MAX_HASHED_RECORDS))])));
        }
        return hashes;
    }

    /** A page of one line's usage records exactly as stored (salt included), for disclosure to an auditor. */
    discloseLineUsage(invoiceId: string, lineId: string, options?: PageOptions): Promise<Page<StoredUsageRecord>> {
        return this.evaluate('settlement:DiscloseLineUsage', [invoiceId, lineId, ...pageArgs(options)]);
    }

    /** What a party hands an auditor: every line of a period with all its records as stored. */
    async discloseInvoiceUsage(invoiceId: string): Promise<BillingDisclosure> {
        const lines: DisclosedLine[] = [];
        for (const line of await this.listPeriodLines(invoiceId)) {
            const records: StoredUsageRecord[] = [];
            for await (const record of iterateAll((bookmark) => this.discloseLineUsage(invoiceId, line.lineId, { pageSize: 500, bookmark }))) {
                records.push(record);
            }
            lines.push({ lineId: line.lineId, records });
        }
        return { invoiceId, lines };
    }

    /**
     * Checks a disclosure an auditor was given against the chain with {@link verifyDisclosure}: the public line
     * counters and the records' public hashes, which any peer answers, member of the pair's collection or not.
     */
    async checkDisclosure(disclosure: BillingDisclosure): Promise<DisclosureCheck> {
        const counts = await this.getPeriodLineCounts(disclosure.invoiceId);
        const recordIds = disclosure.lines.flatMap((line) => line.records.map((record) => record.recordId));
        const hashes = recordIds.length === 0 ? [] : await this.getUsageRecordHashes(disclosure.invoiceId, recordIds);
        return verifyDisclosure(disclosure, { counts, hashes });
    }

    /**
     * Purges the pair's private records of every settled period from `from` to before `before`
     * (docs/security/confidentiality.md, retention). The first party's call proposes (`status: 'proposed'`), the other party's same call purges. Both
     * parties' peers endorse, the only ones holding the collection.
     */
    purgeBillingRecords(operatorMspId: string, tenantMspId: string, from: string, before: string): Promise<Submitted<BillingPurge>> {
        return this.submit('settlement:PurgeBillingRecords', [operatorMspId, tenantMspId, from, before], { endorsingOrganizations: [operatorMspId, tenantMspId] });
    }

    /** A page of the tenants the caller's operator organisation has usage for in a period. */
    listPeriodTenants(period: string, options?: PageOptions): Promise<Page<string>> {
        return this.evaluate('settlement:ListPeriodTenants', [period, ...pageArgs(options)]);
    }

    /** Every tenant to invoice for a period, read a page at a time as the caller iterates. */
    periodTenantsAll(period: string, options: PageOptions = {}): AsyncGenerator<string, void, undefined> {
        return iterateAll((bookmark) => this.listPeriodTenants(period, { ...options, bookmark }), options.bookmark);
    }

    /**
     * Reads an invoice, every usage record of its lines and the plans they name, and recomputes
     * each line offline with {@link verifyInvoice}.
     */
    async fetchAndVerifyInvoice(invoiceId: string): Promise<VerifiedInvoice> {
        const invoice = await this.getInvoice(invoiceId);
        const records: UsageRecord[] = [];
        for (const line of invoice.lines) {
            records.push(...(await this.listAllLineUsage(invoiceId, line.lineId)));
        }
        const versions = [...new Set(invoice.lines.map((line) => `${line.resourceId}\n${String(line.planVersion)}`))];
        const plans: PricePlan[] = [];
        for (const version of versions) {
            const [resourceId = '', number = '0'] = version.split('\n');
            plans.push(await this.getPricePlan(resourceId, Number(number)));
        }
        return { invoice, records, plans, verification: verifyInvoice(invoice, records, plans) };
    }

    /**
     * The tenant disputes invoice lines, optionally citing an evidence record: it must exist and not be revoked
     * (CITED_EVIDENCE_NOT_FOUND, CITED_EVIDENCE_REVOKED), and what the evidence chaincode said is kept as `citedEvidence`.
     */
    raiseDispute(request: RaiseDisputeRequest): Promise<Submitted<BillingDispute>> {
        return this.#submitPrivate({ name: 'settlement:RaiseDispute', args: [request.disputeId], request, readBack: () => this.getDispute(request.disputeId) });
    }

    /**
     * Decides a dispute: an auditor organisation outside the invoice accepts (credit note) or
     * rejects it; the invoice's operator may only accept (concede). The operator's rejection is refused.
     */
    async resolveDispute(disputeId: string, decision: ResolveDisputeRequest): Promise<Submitted<BillingDispute>> {
        const dispute = await this.getDispute(disputeId);
        return this.#submitPrivate({ name: 'settlement:ResolveDispute', args: [disputeId], request: decision, parties: [dispute.operatorMspId, dispute.tenantMspId], readBack: () => this.getDispute(disputeId) });
    }

    /** A dispute and its outcome. */
    getDispute(disputeId: string): Promise<BillingDispute> {
        return this.evaluate('settlement:GetDispute', [disputeId]);
    }

    // ---- compute tokens (B8) ----

    /** Opens an account owned by the caller (in its organisation's token collection), optionally with its compute-task key (SPKI PEM). */
    async openAccount(accountId: string, taskKeyPem?: string): Promise<Submitted<TokenAccount>> {
        const submitted = await this.#submitToken<AccountIds>({ name: 'token:OpenAccount', args: [JSON.stringify({ accountId, ...(taskKeyPem === undefined ? {} : { taskKey: taskKeyPem }) })] });
        return { ...submitted, result: await this.getAccount(accountId) };
    }

    /** Registers or replaces the P-256 key that signs the account's compute tasks. */
    async setTaskKey(accountId: string, publicKeyPem: string): Promise<Submitted<TokenAccount>> {
        const submitted = await this.#submitToken<AccountIds>({ name: 'token:SetTaskKey', args: [accountId, publicKeyPem], debit: accountId });
        return { ...submitted, result: await this.getAccount(accountId) };
    }

    /** Mints tokens into an account (a credit note: the issuer never reads the balance); issuers only. */
    mint(accountId: string, amount: number): Promise<Submitted<AccountIds>> {
        return this.#submitToken({ name: 'token:Mint', args: [accountId, String(amount)] });
    }

    /** Transfers tokens from an account the caller owns, disclosed to the endorsers; the source account afterwards. */
    async transfer(fromAccountId: string, toAccountId: string, amount: number): Promise<Submitted<TokenAccount>> {
        const submitted = await this.#submitToken<AccountIds>({ name: 'token:Transfer', args: [fromAccountId, toAccountId, String(amount)], debit: fromAccountId });
        return { ...submitted, result: await this.getAccount(fromAccountId) };
    }

    /** An account, its unspent credit notes folded into the balance; its owner and auditors, through a peer of its collection. */
    getAccount(accountId: string): Promise<TokenAccount> {
        return this.evaluate('token:GetAccount', [accountId]);
    }

    /** What the owner discloses to debit an account (the SDK's debits send it themselves). */
    getDisclosure(accountId: string): Promise<TokenDisclosure> {
        return this.evaluate('token:GetDisclosure', [accountId]);
    }

    /** An escrow (`session:<id>` or `purchase:<id>`). */
    getEscrow(escrowId: string): Promise<Escrow> {
        return this.evaluate('token:GetEscrow', [escrowId]);
    }

    /** Total tokens minted. */
    getSupply(): Promise<TokenSupply> {
        return this.evaluate('token:GetSupply', []);
    }

    // ---- marketplace (B7) ----

    /** Lists a resource. */
    createListing(request: CreateListingRequest): Promise<Submitted<MarketListing>> {
        return this.submit('marketplace:CreateListing', [JSON.stringify(request)]);
    }

    /** Takes a listing off the market. */
    withdrawListing(listingId: string): Promise<Submitted<MarketListing>> {
        return this.submit('marketplace:WithdrawListing', [listingId]);
    }

    /** A listing. */
    getListing(listingId: string): Promise<MarketListing> {
        return this.evaluate('marketplace:GetListing', [listingId]);
    }

    /** A page of active listings of one kind (or all kinds). */
    searchListings(kind: ListingKind | undefined, options?: PageOptions): Promise<Page<MarketListing>> {
        return this.evaluate('marketplace:SearchListings', [kind ?? '', ...pageArgs(options)]);
    }

    /** Every active listing (of one kind), read a page at a time as the caller iterates. */
    listingsAll(kind: ListingKind | undefined, options: PageOptions = {}): AsyncGenerator<MarketListing, void, undefined> {
        return iterateAll((bookmark) => this.searchListings(kind, { ...options, bookmark }), options.bookmark);
    }

    /**
     * Buys units of a listing, paying into escrow. The purchase and its escrow are private to the seller's and buyer's
     * organisations (their pair collection; NO_PAIR_COLLECTION where they share none): the request goes in the
     * transient map and the purchase is read back once committed.
     */
    async purchaseListing(request: PurchaseRequest, options: SubmitOptions = {}): Promise<Submitted<MarketPurchase>> {
        // The price comes from the buyer's token account, in its owner's collection: the buyer discloses it, and the
        // endorsers are named, since the gateway would look for a peer that is a member of both collections.
        const disclosure = await disclosureOf((name, args) => this.evaluate(name, args), request.buyerAccountId);
        const parties = await this.#endorsers.organisations(disclosedOwner(disclosure));
        return this.#submitPrivate(
            { name: 'marketplace:PurchaseListing', args: [request.purchaseId], request, parties, readBack: () => this.getPurchase(request.purchaseId) },
            { ...options, transientData: { ...disclosureEntry(disclosure), ...options.transientData } },
        );
    }

    /** The purchase's two organisations, which endorse its transactions (their peers alone hold it). */
    async #purchaseParties(purchaseId: string): Promise<{ purchase: MarketPurchase; parties: string[] }> {
        const purchase = await this.getPurchase(purchaseId);
        // Its escrow pays and refunds into the two organisations' token collections, which the chaincode's policy endorses too.
        return { purchase, parties: await this.#endorsers.organisations(purchase.sellerMspId, purchase.buyerMspId) };
    }

    /** The seller encrypts the access information for the buyer's key and releases it. */
    async deliverAccess(purchaseId: string, accessInfo: string | Uint8Array): Promise<Submitted<MarketPurchase>> {
        const { purchase, parties } = await this.#purchaseParties(purchaseId);
        const envelope = encryptAccessInfo(accessInfo, purchase.encryptionKey, purchaseId);
        return this.#submitPrivate({ name: 'marketplace:DeliverAccess', args: [purchaseId, JSON.stringify(envelope)], parties, readBack: () => this.getPurchase(purchaseId) });
    }

    /** The buyer reads and decrypts the access information of a delivered purchase. */
    async readAccess(purchaseId: string, buyerPrivateKey: KeyObject | string): Promise<Buffer> {
        const purchase = await this.getPurchase(purchaseId);
        if (!purchase.accessEnvelope) {
            throw new InvalidStateError({ code: 'INVALID_STATE', message: `purchase ${purchaseId} has no access information yet (status ${purchase.status})` });
        }
        return decryptAccessInfo(purchase.accessEnvelope, buyerPrivateKey, purchaseId);
    }

    /** The seller records the units used (in the transient map: they price the payment); the escrow pays for them and refunds the rest. */
    async completePurchase(purchaseId: string, usedUnits: number): Promise<Submitted<MarketPurchase>> {
        const { parties } = await this.#purchaseParties(purchaseId);
        return this.#submitPrivate({ name: 'marketplace:CompletePurchase', args: [purchaseId], request: { usedUnits }, parties, readBack: () => this.getPurchase(purchaseId) });
    }

    /** Refunds a purchase: the buyer before delivery; the buyer, the seller or an auditor once the deadline and a grace of twice the timestamp tolerance have passed. */
    async refundPurchase(purchaseId: string): Promise<Submitted<MarketPurchase>> {
        const { parties } = await this.#purchaseParties(purchaseId);
        return this.#submitPrivate({ name: 'marketplace:RefundPurchase', args: [purchaseId], parties, readBack: () => this.getPurchase(purchaseId) });
    }

    /**
     * The buyer rates the provider 1 to 5 after a completed purchase it paid for; once per buyer organisation and
     * provider, never its own organisation's. The reputation is public; the public rating names no buyer (a salted
     * commitment to the purchase, which the purchase keeps as `ratingCommitment` and `ratingSalt`).
     */
    async ratePurchase(purchaseId: string, rating: 1 | 2 | 3 | 4 | 5): Promise<Submitted<ProviderReputation>> {
        const { parties } = await this.#purchaseParties(purchaseId);
        // The reputation is public, so the chaincode returns it: nothing to read back.
        return this.#submitPrivate({ name: 'marketplace:RatePurchase', args: [purchaseId, String(rating)], parties, readBack: (reputation) => Promise.resolve(reputation as unknown as ProviderReputation) });
    }

    /** A purchase. */
    getPurchase(purchaseId: string): Promise<MarketPurchase> {
        return this.evaluate('marketplace:GetPurchase', [purchaseId]);
    }

    /** A provider's reputation. */
    getReputation(providerId: string): Promise<ProviderReputation> {
        return this.evaluate('marketplace:GetReputation', [providerId]);
    }
}
