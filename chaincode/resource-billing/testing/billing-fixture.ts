import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { identities, MemoryLedger, type TestIdentity, type TransactionOptions } from '../../common/testing/memory-ledger';
import { BillingContract } from '../src/billing-contract';
import { ComputeExchangeContract } from '../src/compute-exchange-contract';
import { MarketplaceContract } from '../src/marketplace-contract';
import { setClock } from '../src/peer-clock';
import { SettlementContract } from '../src/settlement-contract';
import { TokenContract } from '../src/token-contract';
import { EVIDENCE_CHAINCODE } from '../src/evidence-citation';
import { Key } from '../src/keys';
import {
    BillingDispute,
    ComputeProviderStats,
    ComputeTaskRecord,
    ComputeVerifier,
    CtOperationProposal,
    EdgeResource,
    EdgeSite,
    Escrow,
    EvidenceRecord,
    firstViolation,
    Invoice,
    InvoiceLine,
    MarketListing,
    MarketPurchase,
    PricePlan,
    ProviderRating,
    ProviderReputation,
    RoleGrant,
    type TSchema,
    TokenAccount,
    TokenCreditNote,
    TokenSupply,
    UsageRecord,
    UsageSession,
} from '../../schemas/src';
import { ACCESS_ALGORITHM, LineCount } from '../../schemas/src';

/** The schema of every record kind the chaincode stores (index entries and the governance marker have none). */
const STORED: Readonly<Record<string, TSchema>> = {
    [Key.Role]: RoleGrant,
    [Key.Site]: EdgeSite,
    [Key.Resource]: EdgeResource,
    [Key.Plan]: PricePlan,
    [Key.Session]: UsageSession,
    [Key.CtOperation]: CtOperationProposal,
    [Key.Usage]: UsageRecord,
    [Key.Line]: InvoiceLine,
    [Key.LineCount]: LineCount,
    [Key.Invoice]: Invoice,
    [Key.Dispute]: BillingDispute,
    [Key.Account]: TokenAccount,
    [Key.TokenCreditNote]: TokenCreditNote,
    [Key.Escrow]: Escrow,
    [Key.Supply]: TokenSupply,
    [Key.Listing]: MarketListing,
    [Key.Purchase]: MarketPurchase,
    [Key.Reputation]: ProviderReputation,
    [Key.ProviderRating]: ProviderRating,
    [Key.ComputeTask]: ComputeTaskRecord,
    [Key.ComputeVerifier]: ComputeVerifier,
    [Key.ComputeProvider]: ComputeProviderStats,
};

/** Test identities beyond the shared ones: an auditor organisation and an organisation with no role. */
export const people = {
    ...identities,
    cloudUser2: { mspId: 'CloudOrgMSP', name: 'User2@cloud.edgetrust.local' },
    auditor: { mspId: 'AuditOrgMSP', name: 'Auditor1@audit.edgetrust.local' },
    stranger: { mspId: 'OtherOrgMSP', name: 'User1@other.edgetrust.local' },
} satisfies Record<string, TestIdentity>;

export const GPU = { resourceId: 'gpu-1', siteId: 'site-a', kind: 'gpu', name: 'A100 slice', payeeAccountId: 'edge-payee', plan: { unit: 'second', rate: 10 } };
export const API = { resourceId: 'qos-api', siteId: 'site-a', kind: 'qos', name: 'QoS on demand', plan: { unit: 'call', rate: 25 } };
export const TRAFFIC = { resourceId: 'upf-traffic', siteId: 'site-a', kind: 'user-plane', name: 'Local breakout traffic', plan: { unit: 'gb', rate: 300 } };

type ReadBack = (ctx: Context) => Promise<string>;

/** What the SDK's typed client sends with a private transaction: the confidential request and a salt, in the transient map. */
/** An access envelope of the shape DeliverAccess checks, with random contents: the chaincode cannot open one anyway. */
export function accessEnvelopeOfShape(): string {
    return JSON.stringify({
        algorithm: ACCESS_ALGORITHM,
        ephemeralPublicKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
        iv: randomBytes(12).toString('base64'),
        ciphertext: randomBytes(48).toString('base64'),
        tag: randomBytes(16).toString('base64'),
    });
}

function sendPrivately(ctx: Context, request?: unknown): void {
    const transient = ctx.stub.getTransient();
    // A salt per transaction, as the SDK draws one (random there; derived from the transaction id here, so tests repeat).
    transient.set('salt', Buffer.from(createHash('sha256').update(`salt ${ctx.stub.getTxID()}`).digest().toString('base64')));
    if (request !== undefined) {
        transient.set('request', Buffer.from(typeof request === 'string' ? request : JSON.stringify(request)));
    }
}

/** A fresh salt for a transaction that has none yet: the SDK sends one with every token and billing transaction. */
function salted(ctx: Context): void {
    if (!ctx.stub.getTransient().has('salt')) {
        sendPrivately(ctx);
    }
}

/** What the SDK sends to debit an account: its owner's disclosure (token:GetDisclosure, transient entry `account`). */
function sendDisclosure(ctx: Context, world: BillingWorld, accountId: string | undefined): void {
    const disclosure = accountId === undefined ? undefined : world.disclosureOf(accountId);
    if (disclosure !== undefined && !ctx.stub.getTransient().has('account')) {
        ctx.stub.getTransient().set('account', Buffer.from(disclosure));
    }
}

function idOf(requestJson: string, field: string): string {
    const value = (JSON.parse(requestJson) as Record<string, unknown>)[field];
    return typeof value === 'string' ? value : '';
}

/**
 * The billing contract as the SDK's typed client presents it (gateway-sdk/src/billing/billing-client.ts): private
 * transactions take the request shapes of @edgetrust/schemas, send them (and the salt) in the transient map, and
 * give back the records read after the commit, since the chaincode returns ids only. Tests keep calling
 * `world.billing.StartSession(ctx, request)`; `world.billingContract` is the contract itself.
 */
class ClientShapedBilling extends BillingContract {
    readonly #world: BillingWorld;

    constructor(world: BillingWorld) {
        super();
        this.#world = world;
    }

    override async StartSession(ctx: Context, request: string): Promise<string> {
        sendPrivately(ctx, request);
        sendDisclosure(ctx, this.#world, (JSON.parse(request) as { payment?: { accountId?: string } }).payment?.accountId);
        const sessionId = idOf(request, 'sessionId');
        this.#world.readBack((c) => this.GetSession(c, sessionId));
        return super.StartSession(ctx, sessionId);
    }

    override async AcceptSession(ctx: Context, sessionId: string): Promise<string> {
        sendPrivately(ctx);
        this.#world.readBack((c) => this.GetSession(c, sessionId));
        return super.AcceptSession(ctx, sessionId);
    }

    override async DeclineSession(ctx: Context, sessionId: string): Promise<string> {
        sendPrivately(ctx);
        this.#world.readBack((c) => this.#sessionWith(c, sessionId, ['escrow']));
        return super.DeclineSession(ctx, sessionId);
    }

    override async StopSession(ctx: Context, sessionId: string, meters = ''): Promise<string> {
        sendPrivately(ctx, meters === '' ? undefined : meters);
        this.#world.readBack((c) => this.#sessionWith(c, sessionId, ['usage']));
        return super.StopSession(ctx, sessionId);
    }

    override async ConfirmStop(ctx: Context, sessionId: string): Promise<string> {
        sendPrivately(ctx);
        this.#world.readBack((c) => this.#sessionWith(c, sessionId, ['usage']));
        return super.ConfirmStop(ctx, sessionId);
    }

    override async RefundExpiredSession(ctx: Context, sessionId: string): Promise<string> {
        sendPrivately(ctx);
        this.#world.readBack((c) => this.#sessionWith(c, sessionId, ['escrow', 'usage']));
        return super.RefundExpiredSession(ctx, sessionId);
    }

    override async RecordCtOperation(ctx: Context, request: string): Promise<string> {
        sendPrivately(ctx, request);
        const operationId = idOf(request, 'operationId');
        this.#world.readBack((c) => this.GetCtOperation(c, operationId));
        return super.RecordCtOperation(ctx, operationId);
    }

    override async AcceptCtOperation(ctx: Context, operationId: string): Promise<string> {
        sendPrivately(ctx);
        this.#world.readBack((c) => this.GetUsageRecord(c, `ct:${operationId}`));
        return super.AcceptCtOperation(ctx, operationId);
    }

    override async DeclineCtOperation(ctx: Context, operationId: string): Promise<string> {
        sendPrivately(ctx);
        this.#world.readBack((c) => this.GetCtOperation(c, operationId));
        return super.DeclineCtOperation(ctx, operationId);
    }

    /** The session with the escrow and usage record it names, where it names them (the results before ids only). */
    async #sessionWith(ctx: Context, sessionId: string, parts: ('escrow' | 'usage')[]): Promise<string> {
        const session = JSON.parse(await this.GetSession(ctx, sessionId)) as UsageSession;
        const result: Record<string, unknown> = { session };
        if (parts.includes('escrow') && session.payment) {
            result.escrow = JSON.parse(await this.#world.token.GetEscrow(ctx, session.payment.escrowId)) as unknown;
        }
        if (parts.includes('usage') && session.usageRecordId !== undefined) {
            result.usage = JSON.parse(await this.GetUsageRecord(ctx, session.usageRecordId)) as unknown;
        }
        return JSON.stringify(result);
    }
}

/** The settlement contract as the SDK's typed client presents it; see {@link ClientShapedBilling}. */
class ClientShapedSettlement extends SettlementContract {
    readonly #world: BillingWorld;

    constructor(world: BillingWorld) {
        super();
        this.#world = world;
    }

    override async CloseBillingPeriod(ctx: Context, tenantMspId: string, period: string): Promise<string> {
        sendPrivately(ctx);
        const invoiceId = `${ctx.clientIdentity.getMSPID()}|${tenantMspId}|${period}`;
        this.#world.readBack((c) => this.GetInvoice(c, invoiceId));
        return super.CloseBillingPeriod(ctx, tenantMspId, period);
    }

    override async RaiseDispute(ctx: Context, request: string): Promise<string> {
        sendPrivately(ctx, request);
        const disputeId = idOf(request, 'disputeId');
        this.#world.readBack((c) => this.GetDispute(c, disputeId));
        return super.RaiseDispute(ctx, disputeId);
    }

    override async ResolveDispute(ctx: Context, disputeId: string, decision = ''): Promise<string> {
        sendPrivately(ctx, decision === '' ? undefined : decision);
        this.#world.readBack((c) => this.GetDispute(c, disputeId));
        return super.ResolveDispute(ctx, disputeId);
    }
}

/** The token contract as the SDK's client presents it: debits disclose the account, results are read back. */
class ClientShapedToken extends TokenContract {
    readonly #world: BillingWorld;

    constructor(world: BillingWorld) {
        super();
        this.#world = world;
    }

    override async OpenAccount(ctx: Context, request: string): Promise<string> {
        const accountId = idOf(request, 'accountId');
        this.#world.readBack((c) => this.GetAccount(c, accountId));
        return super.OpenAccount(ctx, request);
    }

    override async SetTaskKey(ctx: Context, accountId: string, publicKeyPem: string): Promise<string> {
        sendDisclosure(ctx, this.#world, accountId);
        this.#world.readBack((c) => this.GetAccount(c, accountId));
        return super.SetTaskKey(ctx, accountId, publicKeyPem);
    }

    override async Transfer(ctx: Context, fromAccountId: string, toAccountId: string, amount: string): Promise<string> {
        sendDisclosure(ctx, this.#world, fromAccountId);
        this.#world.readBack((c) => this.GetAccount(c, fromAccountId));
        return super.Transfer(ctx, fromAccountId, toAccountId, amount);
    }
}

/**
 * The marketplace contract as the SDK's typed client presents it; see {@link ClientShapedBilling}. A purchase's
 * request and a completion's units go in the transient map; every purchase transaction (and a rating) sends a salt; a purchase discloses the buyer's account.
 */
class ClientShapedMarket extends MarketplaceContract {
    readonly #world: BillingWorld;

    constructor(world: BillingWorld) {
        super();
        this.#world = world;
    }

    override async PurchaseListing(ctx: Context, request: string): Promise<string> {
        sendPrivately(ctx, request);
        sendDisclosure(ctx, this.#world, idOf(request, 'buyerAccountId'));
        const purchaseId = idOf(request, 'purchaseId');
        this.#world.readBack((c) => this.GetPurchase(c, purchaseId));
        return super.PurchaseListing(ctx, purchaseId);
    }

    override async DeliverAccess(ctx: Context, purchaseId: string, envelope: string): Promise<string> {
        sendPrivately(ctx);
        this.#world.readBack((c) => this.GetPurchase(c, purchaseId));
        return super.DeliverAccess(ctx, purchaseId, envelope);
    }

    override async CompletePurchase(ctx: Context, purchaseId: string, usedUnits = ''): Promise<string> {
        // Numeric text as the SDK's number; anything else as it is, so bad input still reaches the chaincode.
        sendPrivately(ctx, { usedUnits: /^\d{1,16}$/.test(usedUnits) ? Number(usedUnits) : usedUnits });
        this.#world.readBack((c) => this.GetPurchase(c, purchaseId));
        return super.CompletePurchase(ctx, purchaseId);
    }

    override async RefundPurchase(ctx: Context, purchaseId: string): Promise<string> {
        sendPrivately(ctx);
        this.#world.readBack((c) => this.GetPurchase(c, purchaseId));
        return super.RefundPurchase(ctx, purchaseId);
    }

    override async RatePurchase(ctx: Context, purchaseId: string, rating: string): Promise<string> {
        sendPrivately(ctx);
        return super.RatePurchase(ctx, purchaseId, rating);
    }
}

/** The compute exchange as the SDK's client presents it: a task discloses the paying account. */
class ClientShapedCompute extends ComputeExchangeContract {
    readonly #world: BillingWorld;

    constructor(world: BillingWorld) {
        super();
        this.#world = world;
    }

    override async SubmitTask(ctx: Context, request: string): Promise<string> {
        sendDisclosure(ctx, this.#world, (JSON.parse(request) as { order?: { accountId?: string } }).order?.accountId);
        return super.SubmitTask(ctx, request);
    }
}

/** A ledger with the billing contracts, the peer clock following the ledger's clock, and the evidence chaincode on its channel. */
export class BillingWorld {
    readonly ledger = new MemoryLedger();
    readonly billingContract = new BillingContract();
    readonly settlementContract = new SettlementContract();
    readonly billing = new ClientShapedBilling(this);
    readonly settlement = new ClientShapedSettlement(this);
    readonly token = new ClientShapedToken(this);
    readonly tokenContract = new TokenContract();
    readonly marketContract = new MarketplaceContract();
    readonly market = new ClientShapedMarket(this);
    readonly compute = new ClientShapedCompute(this);
    /** Evidence records on the channel, answered as the evidence chaincode's Read answers (its EvidenceRecord). */
    readonly evidence = new Map<string, EvidenceRecord>();

    /** `withEvidence: false` leaves the evidence chaincode off the channel (citations then fail closed). */
    constructor({ withEvidence = true }: { withEvidence?: boolean } = {}) {
        setClock(() => this.ledger.now);
        // The SDK salts every transaction; a test that sets the transient map itself sends exactly what it set.
        const submit = this.ledger.submit.bind(this.ledger);
        this.ledger.submit = <T>(who: TestIdentity, fn: (ctx: Context) => Promise<T>, options?: TransactionOptions): Promise<T> =>
            submit(who, options?.transient === undefined ? (ctx: Context): Promise<T> => (salted(ctx), fn(ctx)) : fn, options);
        if (withEvidence) {
            this.ledger.linkChaincode(EVIDENCE_CHAINCODE, (_ctx, fn, [id = '']) => {
                const record = this.evidence.get(id);
                if (fn !== 'Read' || !record) {
                    return Promise.reject(new Error(`NOT_FOUND: evidence ${id} does not exist`));
                }
                return Promise.resolve(JSON.stringify(record));
            });
        }
    }

    /** An evidence record of `digest` anchored by `who`, as the evidence chaincode would store it (checked against its schema). */
    anchorEvidence(who: TestIdentity, id: string, digest: string): void {
        const record: EvidenceRecord = {
            id,
            kind: 'generic',
            digest,
            digestScheme: 'sha256',
            name: id,
            size: 1,
            mediaType: 'application/octet-stream',
            source: { type: 'app', id: 'billing-test' },
            tags: [],
            attributes: {},
            status: 'active',
            submitterMspId: who.mspId,
            submitterId: who.name,
            anchoredAt: new Date(this.ledger.now).toISOString(),
            txId: `evidence-${id}`,
        };
        const problem = firstViolation(EvidenceRecord, record, 'evidence record');
        if (problem !== undefined) {
            throw new Error(problem);
        }
        this.evidence.set(id, record);
    }

    revokeEvidence(who: TestIdentity, id: string): void {
        const record = this.evidence.get(id);
        if (!record) {
            throw new Error(`no evidence ${id}`);
        }
        const revocation = { revokedAt: new Date(this.ledger.now).toISOString(), revokedByMspId: who.mspId, revokedById: who.name, reason: 'withdrawn in a test', txId: `revoke-${id}` };
        this.evidence.set(id, { ...record, status: 'revoked', revocation });
    }

    #readBack: ReadBack | undefined;

    #takeReadBack(): ReadBack | undefined {
        const readBack = this.#readBack;
        this.#readBack = undefined;
        return readBack;
    }

    /** What a client-shaped private transaction reads once it has committed (its chaincode result holds ids only). */
    readBack(query: ReadBack): void {
        this.#readBack = query;
    }

    /**
     * The disclosure an account's owner would send to debit it (what token:GetDisclosure returns on the owner's peer):
     * the committed bytes of the account and of its unspent credit notes; undefined for an account never opened.
     */
    disclosureOf(accountId: string): string | undefined {
        const route = this.ledger.snapshot().get(`\u0000${Key.Route}\u0000account\u0000${accountId}\u0000`);
        if (route === undefined) {
            return undefined;
        }
        const { ownerMspId } = JSON.parse(Buffer.from(route, 'base64').toString('utf8')) as { ownerMspId: string };
        const store = this.ledger.privateSnapshot().get(`tokens_${ownerMspId}`) ?? new Map<string, string>();
        const account = store.get(`\u0000${Key.Account}\u0000${accountId}\u0000`) ?? '';
        const notePrefix = `\u0000${Key.TokenCreditNote}\u0000${accountId}\u0000`;
        const notes = [...store].filter(([key]) => key.startsWith(notePrefix)).sort(([a], [b]) => (a < b ? -1 : 1)).map(([, value]) => value);
        return JSON.stringify({ accountId, account, notes });
    }

    /** Submits and parses the JSON result; for a private transaction, the records it changed, read after the commit. */
    async submit<T = Record<string, unknown>>(who: TestIdentity, fn: (ctx: Context) => Promise<unknown>, options?: TransactionOptions): Promise<T> {
        this.#readBack = undefined;
        let result: unknown;
        try {
            result = await this.ledger.submit(who, fn, options);
        } finally {
            this.expectStateFitsSchemas();
        }
        const readBack = this.#takeReadBack();
        if (readBack !== undefined) {
            result = await this.ledger.evaluate(who, readBack, { timeStepMillis: 0 });
        }
        return (typeof result === 'string' ? JSON.parse(result) : undefined) as T;
    }

    async evaluate<T = Record<string, unknown>>(who: TestIdentity, fn: (ctx: Context) => Promise<string>): Promise<T> {
        return JSON.parse(await this.ledger.evaluate(who, fn)) as T;
    }

    /** Expects a coded rejection that changed neither state nor events. */
    async expectRejected(who: TestIdentity, fn: (ctx: Context) => Promise<unknown>, pattern: RegExp, options?: TransactionOptions): Promise<void> {
        const before = this.ledger.snapshot();
        const privateBefore = this.ledger.privateSnapshot();
        const events = this.ledger.events.length;
        await expect(this.ledger.submit(who, fn, options)).rejects.toThrow(pattern);
        this.#readBack = undefined;
        expect(this.ledger.snapshot()).toEqual(before);
        expect(this.ledger.privateSnapshot()).toEqual(privateBefore);
        expect(this.ledger.events).toHaveLength(events);
    }

    /** EdgeOrg governs, operates, issues tokens and runs CT entities; CloudOrg is a tenant; AuditOrg audits. */
    async setUpRoles(): Promise<void> {
        await this.submit(people.edgeAdmin, (ctx) => this.billing.BootstrapGovernance(ctx));
        for (const [mspId, role] of [
            ['EdgeOrgMSP', 'operator'],
            ['EdgeOrgMSP', 'issuer'],
            ['EdgeOrgMSP', 'ct-entity'],
            ['CloudOrgMSP', 'tenant'],
            ['AuditOrgMSP', 'auditor'],
        ] as const) {
            await this.submit(people.edgeAdmin, (ctx) => this.billing.GrantRole(ctx, mspId, role));
        }
    }

    /** Roles, token accounts (alice funded with 10 000), site-a with a GPU, a QoS API and user-plane traffic. */
    async setUp(): Promise<void> {
        await this.setUpRoles();
        await this.submit(people.edgeUser, (ctx) => this.token.OpenAccount(ctx, JSON.stringify({ accountId: 'edge-payee' })));
        await this.submit(people.cloudUser, (ctx) => this.token.OpenAccount(ctx, JSON.stringify({ accountId: 'alice' })));
        await this.submit(people.edgeUser, (ctx) => this.token.Mint(ctx, 'alice', '10000'));
        await this.submit(people.edgeUser, (ctx) => this.billing.RegisterSite(ctx, JSON.stringify({ siteId: 'site-a', name: 'Site A', location: 'Shenzhen MEC 1' })));
        for (const resource of [GPU, API, TRAFFIC]) {
            await this.submit(people.edgeUser, (ctx) => this.billing.RegisterResource(ctx, JSON.stringify(resource)));
        }
    }

    /** A session both parties agreed to: `proposer` proposes it, `accepter` (the other organisation) accepts it. */
    async startSession<T = Record<string, unknown>>(request: string, proposer: TestIdentity = people.cloudUser, accepter: TestIdentity = people.edgeUser): Promise<T> {
        const proposed = await this.submit<{ sessionId: string; status: string }>(proposer, (ctx) => this.billing.StartSession(ctx, request));
        if (proposed.status === 'active') {
            return proposed as T;
        }
        return this.submit<T>(accepter, (ctx) => this.billing.AcceptSession(ctx, proposed.sessionId));
    }

    /** A CT operation its ct-entity reported (EdgeOrg) and its tenant (CloudOrg) accepted; the usage record. */
    async recordCtOperation<T = Record<string, unknown>>(request: string, accepter: TestIdentity = people.cloudUser, options?: TransactionOptions): Promise<T> {
        const proposal = await this.submit<{ operationId: string }>(people.edgeUser, (ctx) => this.billing.RecordCtOperation(ctx, request), options);
        return this.submit<T>(accepter, (ctx) => this.billing.AcceptCtOperation(ctx, proposal.operationId), options);
    }

    /**
     * Every record on the ledger has the shape its schema in the schema package says, so the SDK's types (which
     * are those schemas) describe what clients really receive. Checked after every submission of every test.
     */
    expectStateFitsSchemas(): void {
        const privateRecords = [...this.ledger.privateSnapshot().values()].flatMap((store) => [...store]);
        for (const [key, value] of [...this.ledger.snapshot(), ...privateRecords]) {
            const objectType = key.split('\u0000')[1] ?? '';
            const schema = STORED[objectType];
            if (schema !== undefined) {
                // A private record's salt protects its public hash and is no part of the record (common/src/ledger-state.ts).
                const { salt: _salt, ...record } = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as Record<string, unknown>;
                const problem = firstViolation(schema, record, objectType);
                if (problem !== undefined) {
                    throw new Error(`stored ${objectType} does not fit its schema: ${problem}`);
                }
            }
        }
    }

    /** Decoded committed state (public, and private without its salt) whose composite key has this object type. */
    stateOf<T>(objectType: string): T[] {
        const prefix = `\u0000${objectType}\u0000`;
        const privateRecords = [...this.ledger.privateSnapshot().values()].flatMap((store) => [...store]);
        return [...this.ledger.snapshot(), ...privateRecords]
            .filter(([key]) => key.startsWith(prefix))
            .map(([, value]) => {
                const { salt: _salt, ...record } = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as Record<string, unknown>;
                return record as T;
            });
    }
}
