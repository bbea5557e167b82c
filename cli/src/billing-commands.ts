import { encodeBookmark } from './paging';
import { type BillingDisclosure, BillingClient, generateAccessKeyPair } from '@edgetrust/gateway-sdk';
import { readFile, writeFile } from 'node:fs/promises';
import {
    BillingUsageError,
    CT_OPTIONS,
    ctOperationFrom,
    deadlineFrom,
    generatedId,
    LISTING_OPTIONS,
    listingFrom,
    listingKind,
    METER_OPTIONS,
    metersFrom,
    optional,
    optionalNumber,
    PAGE_OPTIONS,
    pageFrom,
    type Parsed,
    parseBillingCommand,
    PLAN_OPTIONS,
    planFrom,
    RAISE_OPTIONS,
    raiseDisputeFrom,
    rating,
    required,
    RESOLVE_OPTIONS,
    resolveDisputeFrom,
    RESOURCE_OPTIONS,
    resourceRequestFrom,
    START_OPTIONS,
    startRequestFrom,
    wholeNumber,
} from './billing-args';
import {
    accountView,
    ctOperationView,
    disputeView,
    escrowView,
    INVOICE_COLUMNS,
    invoiceRow,
    invoiceView,
    LINE_COLUMNS,
    lineRow,
    LISTING_COLUMNS,
    listingRow,
    planView,
    purchaseView,
    RESOURCE_COLUMNS,
    resourceRow,
    sessionView,
    USAGE_COLUMNS,
    usageRow,
    usageView,
    VERIFICATION_COLUMNS,
    verificationRows,
} from './billing-format';
import type { CommandContext, CommandGroup } from './context';
import { actionResolver, commandGroup, type Handler, type Resolve } from './dispatch';
import type { CommandHelp } from './help';

const USAGE = `usage: edgetrust billing <command> [arguments] [options]

catalog (operators register, everyone reads):
  site register <siteId> --name N --location L      site show <siteId>
  resources <siteId> [--page-size N] [--bookmark B]  a site's resources
  resource register <resourceId> --site S --kind K --name N --unit second|call|gb --rate R
        [--cycle month|day|hour|minute] [--payee ACCOUNT] [--description D] [--attribute k=v ...]
  resource show <resourceId>
  plan show <resourceId> [--version N]               plan publish <resourceId> --unit U --rate R [--cycle C]
  roles                                              who is governor, operator, tenant, auditor, issuer, CT entity
sessions and usage (each record one party makes for the other waits for the other's acceptance):
  session start --resource R --app A [--session ID] [--tenant MSP] [--plan-version N]
        [--account ACCOUNT --budget TOKENS --deadline ISO-TIME]      proposes; bills nothing yet
  session accept <sessionId>                         the other organisation accepts: billing starts
  session decline <sessionId>                        either party, while proposed; refunds a budget
  session stop <sessionId> [--calls N | --bytes N]   per-second: closes; metered: a reading to confirm
  session confirm <sessionId>                        the other party confirms the reading: usage recorded
  session show <sessionId>
  ct record --resource R --tenant MSP --app A (--calls N | --bytes N) [--operation ID]   CT entity reports
  ct accept <operationId>    ct decline <operationId>    ct show <operationId>         the tenant decides
  usage show <recordId>
invoices and disputes:
  invoice close <tenantMspId> <period>               period YYYY-MM (or YYYY-MM-DD, YYYY-MM-DDTHH, YYYY-MM-DDTHH:MM)
  invoice list <tenantMspId> [--page-size N] [--bookmark B]
  invoice show <invoiceId>                           header and lines; invoiceId = operatorMsp|tenantMsp|period
  invoice lines <invoiceId>                          running totals, also of a period still open
  invoice usage <invoiceId> <lineId> [--page-size N] [--bookmark B]
  invoice verify <invoiceId>                         recompute every line from the chain; exit 1 on a mismatch
  invoice disclose <invoiceId> [--out FILE]          every record of the period as stored, for an auditor
  invoice check-disclosure <disclosureFile>          auditor: all records, matching their public hashes? exit 1 if not
  purge <operatorMspId> <tenantMspId> --from PERIOD --before PERIOD   purge settled periods; one party proposes, the other purges
  dispute raise <invoiceId> --line LINE [--line ...] --reason R [--evidence ID] [--id ID]
  dispute resolve <disputeId> (--accept [--credit LINE=AMOUNT ...] [--reason R] | --reject --reason R)
        an auditor decides; the invoice's operator may only --accept (concede)
  dispute show <disputeId>
compute tokens:
  token open <accountId> [--task-key PUBLIC-KEY.pem] token balance <accountId>
  token mint <accountId> <amount>                    token transfer <from> <to> <amount>
  token supply                                       token escrow <escrowId>
marketplace:
  market list --kind K --title T --unit U --price P --payee ACCOUNT [--id ID] [--description D] [--config k=v ...]
  market search [--kind K] [--page-size N] [--bookmark B]      market show <listingId>
  market buy <listingId> --units N --account ACCOUNT [--deadline ISO-TIME | --hours N] [--id ID] [--key-out FILE]
        writes a new P-256 key to --key-out (default <purchaseId>.key.pem): only it decrypts the access information
  market deliver <purchaseId> (--access TEXT | --access-file FILE)   encrypts for the buyer's key
  market access <purchaseId> --key FILE              decrypt the access information (buyer)
  market complete <purchaseId> --used N              market rate <purchaseId> <1-5>
  market purchase <purchaseId>`;


async function billingClient(context: CommandContext): Promise<BillingClient> {
    return new BillingClient(await context.contract('resource-billing'));
}

/** With --json the SDK object as is, else a two-column view of it. */
function show(context: CommandContext, raw: unknown, view: Record<string, unknown>): number {
    context.show(raw, view);
    return 0;
}

/** With --json the SDK object as is, else a table. */
function showRows(context: CommandContext, raw: unknown, rows: Record<string, unknown>[], columns: readonly string[]): number {
    context.showRows(raw, rows, columns);
    return 0;
}

/** Tells where the next page starts, on stderr so tables stay clean. */
function nextPage(context: CommandContext, bookmark: string): void {
    if (bookmark !== '' && !context.options.json) {
        console.error(`more: --bookmark ${encodeBookmark(bookmark)}`);
    }
}

function parse(args: string[], options: Parameters<typeof parseBillingCommand>[1], names: readonly string[]): Parsed & { arg: (i: number) => string } {
    const parsed = parseBillingCommand(args, options, names);
    return { ...parsed, arg: (i) => parsed.positionals[i] ?? '' };
}

// ---- catalog ----

const siteRegister: Handler = async (context, args) => {
    const { values, arg } = parse(args, { name: { type: 'string' }, location: { type: 'string' } }, ['siteId']);
    const request = { siteId: arg(0), name: required(values, 'name'), location: required(values, 'location') };
    const { result, transactionId } = await (await billingClient(context)).registerSite(request);
    return show(context, result, { ...result, transaction: transactionId });
};

const siteShow: Handler = async (context, args) => {
    const site = await (await billingClient(context)).getSite(parse(args, {}, ['siteId']).arg(0));
    return show(context, site, { ...site });
};

const resources: Handler = async (context, args) => {
    const { values, arg } = parse(args, PAGE_OPTIONS, ['siteId']);
    const page = await (await billingClient(context)).listSiteResources(arg(0), pageFrom(values));
    showRows(context, page, page.records.map(resourceRow), RESOURCE_COLUMNS);
    nextPage(context, page.bookmark);
    return 0;
};

const resourceRegister: Handler = async (context, args) => {
    const { values, arg } = parse(args, RESOURCE_OPTIONS, ['resourceId']);
    const { result, transactionId } = await (await billingClient(context)).registerResource(resourceRequestFrom(arg(0), values));
    return show(context, result, { ...resourceRow(result), transaction: transactionId });
};

const resourceShow: Handler = async (context, args) => {
    const client = await billingClient(context);
    const resource = await client.getResource(parse(args, {}, ['resourceId']).arg(0));
    const plan = await client.getPricePlan(resource.resourceId, resource.planVersion);
    return show(context, { resource, plan }, { ...resourceRow(resource), price: planView(plan).price, attributes: resource.attributes, registered: resource.registeredAt });
};

const planShow: Handler = async (context, args) => {
    const { values, arg } = parse(args, { version: { type: 'string' } }, ['resourceId']);
    const client = await billingClient(context);
    const version = optionalNumber(values, 'version', 1) ?? (await client.getResource(arg(0))).planVersion;
    const plan = await client.getPricePlan(arg(0), version);
    return show(context, plan, planView(plan));
};

const planPublish: Handler = async (context, args) => {
    const { values, arg } = parse(args, PLAN_OPTIONS, ['resourceId']);
    const { result } = await (await billingClient(context)).publishPricePlan(arg(0), planFrom(values));
    return show(context, result, planView(result));
};

const roles: Handler = async (context, args) => {
    parse(args, {}, []);
    const grants = await (await billingClient(context)).listRoles();
    const rows = grants.map((g) => ({ organisation: g.mspId, role: g.role, 'granted by': g.grantedByMspId, at: g.grantedAt }));
    return showRows(context, grants, rows, ['organisation', 'role', 'granted by', 'at']);
};

// ---- sessions and usage ----

const sessionStart: Handler = async (context, args) => {
    const { values } = parse(args, START_OPTIONS, []);
    const { result, transactionId } = await (await billingClient(context)).startSession(startRequestFrom(values));
    return show(context, result, { ...sessionView(result), transaction: transactionId });
};

const sessionAccept: Handler = async (context, args) => {
    const { result, transactionId } = await (await billingClient(context)).acceptSession(parse(args, {}, ['sessionId']).arg(0));
    return show(context, result, { ...sessionView(result), transaction: transactionId });
};

const sessionDecline: Handler = async (context, args) => {
    const { result, transactionId } = await (await billingClient(context)).declineSession(parse(args, {}, ['sessionId']).arg(0));
    return show(context, result, { ...sessionView(result.session), refunded: result.escrow?.refunded ?? '', transaction: transactionId });
};

const sessionStop: Handler = async (context, args) => {
    const { values, arg } = parse(args, METER_OPTIONS, ['sessionId']);
    const { result, transactionId } = await (await billingClient(context)).stopSession(arg(0), metersFrom(values));
    const usage = result.usage ? { quantity: usageView(result.usage).quantity, amount: result.usage.amount } : {};
    return show(context, result, { ...sessionView(result.session), ...usage, transaction: transactionId });
};

const sessionConfirm: Handler = async (context, args) => {
    const { result, transactionId } = await (await billingClient(context)).confirmStop(parse(args, {}, ['sessionId']).arg(0));
    return show(context, result, { ...sessionView(result.session), quantity: usageView(result.usage).quantity, amount: result.usage.amount, transaction: transactionId });
};

const sessionShow: Handler = async (context, args) => {
    const session = await (await billingClient(context)).getSession(parse(args, {}, ['sessionId']).arg(0));
    return show(context, session, sessionView(session));
};

const ctRecord: Handler = async (context, args) => {
    const { values } = parse(args, CT_OPTIONS, []);
    const { result, transactionId } = await (await billingClient(context)).recordCtOperation(ctOperationFrom(values));
    return show(context, result, { ...ctOperationView(result), transaction: transactionId });
};

const ctAccept: Handler = async (context, args) => {
    const { result, transactionId } = await (await billingClient(context)).acceptCtOperation(parse(args, {}, ['operationId']).arg(0));
    return show(context, result, { ...usageView(result), transaction: transactionId });
};

const ctDecline: Handler = async (context, args) => {
    const { result, transactionId } = await (await billingClient(context)).declineCtOperation(parse(args, {}, ['operationId']).arg(0));
    return show(context, result, { ...ctOperationView(result), transaction: transactionId });
};

const ctShow: Handler = async (context, args) => {
    const operation = await (await billingClient(context)).getCtOperation(parse(args, {}, ['operationId']).arg(0));
    return show(context, operation, ctOperationView(operation));
};

const usageShow: Handler = async (context, args) => {
    const record = await (await billingClient(context)).getUsageRecord(parse(args, {}, ['recordId']).arg(0));
    return show(context, record, usageView(record));
};

// ---- invoices and disputes ----

/** Prints an invoice's header, then its lines. */
function printInvoice(context: CommandContext, invoice: Parameters<typeof invoiceView>[0]): number {
    if (context.options.json) {
        context.json(invoice);
        return 0;
    }
    context.record(invoiceView(invoice));
    context.table(invoice.lines.map(lineRow), LINE_COLUMNS);
    return 0;
}

const invoiceClose: Handler = async (context, args) => {
    const { arg } = parse(args, {}, ['tenantMspId', 'period']);
    return printInvoice(context, (await (await billingClient(context)).closeBillingPeriod(arg(0), arg(1))).result);
};

const invoiceList: Handler = async (context, args) => {
    const { values, arg } = parse(args, PAGE_OPTIONS, ['tenantMspId']);
    const page = await (await billingClient(context)).listInvoices(arg(0), pageFrom(values));
    showRows(context, page, page.records.map(invoiceRow), INVOICE_COLUMNS);
    nextPage(context, page.bookmark);
    return 0;
};

const invoiceShow: Handler = async (context, args) => printInvoice(context, await (await billingClient(context)).getInvoice(parse(args, {}, ['invoiceId']).arg(0)));

const invoiceLines: Handler = async (context, args) => {
    const lines = await (await billingClient(context)).listPeriodLines(parse(args, {}, ['invoiceId']).arg(0));
    return showRows(context, lines, lines.map(lineRow), LINE_COLUMNS);
};

const invoiceUsage: Handler = async (context, args) => {
    const { values, arg } = parse(args, PAGE_OPTIONS, ['invoiceId', 'lineId']);
    const page = await (await billingClient(context)).listLineUsage(arg(0), arg(1), pageFrom(values));
    showRows(context, page, page.records.map(usageRow), USAGE_COLUMNS);
    nextPage(context, page.bookmark);
    return 0;
};

const invoiceVerify: Handler = async (context, args) => {
    const verified = await (await billingClient(context)).fetchAndVerifyInvoice(parse(args, {}, ['invoiceId']).arg(0));
    showRows(context, verified.verification, verificationRows(verified.verification), VERIFICATION_COLUMNS);
    if (!context.options.json) {
        const { verification, records } = verified;
        console.error(`${verification.invoiceId}: ${verification.ok ? 'every line matches' : 'MISMATCH'} (${String(verification.lines.length)} lines, ${String(records.length)} usage records recomputed)`);
    }
    return verified.verification.ok ? 0 : 1;
};

/** Writes what a party hands an auditor: every line of a period with its records as stored (salt included). */
const invoiceDisclose: Handler = async (context, args) => {
    const { values, arg } = parse(args, { out: { type: 'string' } }, ['invoiceId']);
    const disclosure = await (await billingClient(context)).discloseInvoiceUsage(arg(0));
    const text = `${JSON.stringify(disclosure, null, 2)}\n`;
    const file = optional(values, 'out');
    if (file === undefined) {
        process.stdout.write(text);
    } else {
        await writeFile(file, text, { flag: 'wx' });
        console.error(`${disclosure.invoiceId}: ${String(disclosure.lines.length)} lines, ${String(disclosure.lines.reduce((n, line) => n + line.records.length, 0))} usage records written to ${file}`);
    }
    return 0;
};

/** The auditor's check of a disclosure file against the public line counters and hashes; exit 1 when incomplete. */
const invoiceCheckDisclosure: Handler = async (context, args) => {
    const file = parse(args, {}, ['disclosureFile']).arg(0);
    const check = await (await billingClient(context)).checkDisclosure(JSON.parse(await readFile(file, 'utf8')) as BillingDisclosure);
    showRows(context, check, check.problems.map((problem) => ({ problem })), ['problem']);
    if (!context.options.json) {
        console.error(`${check.invoiceId}: ${check.complete ? 'complete: every record of every line, each matching its public hash' : 'INCOMPLETE OR ALTERED'}`);
    }
    return check.complete ? 0 : 1;
};

/** Proposes, or (the other party) carries out, the purge of a pair's settled periods before a period. */
const purge: Handler = async (context, args) => {
    const { values, arg } = parse(args, { from: { type: 'string' }, before: { type: 'string' } }, ['operatorMspId', 'tenantMspId']);
    const { result } = await (await billingClient(context)).purgeBillingRecords(arg(0), arg(1), required(values, 'from'), required(values, 'before'));
    return show(context, result, { status: result.status, proposedBy: result.proposedByMspId, from: result.from, before: result.before, periods: result.periods.join(' '), purgedKeys: result.purgedKeys });
};

const disputeRaise: Handler = async (context, args) => {
    const { values, arg } = parse(args, RAISE_OPTIONS, ['invoiceId']);
    const { result } = await (await billingClient(context)).raiseDispute(raiseDisputeFrom(arg(0), values));
    return show(context, result, disputeView(result));
};

const disputeResolve: Handler = async (context, args) => {
    const { values, arg } = parse(args, RESOLVE_OPTIONS, ['disputeId']);
    const { result } = await (await billingClient(context)).resolveDispute(arg(0), resolveDisputeFrom(values));
    return show(context, result, disputeView(result));
};

const disputeShow: Handler = async (context, args) => {
    const dispute = await (await billingClient(context)).getDispute(parse(args, {}, ['disputeId']).arg(0));
    return show(context, dispute, disputeView(dispute));
};

// ---- compute tokens ----

const tokenOpen: Handler = async (context, args) => {
    const { values, arg } = parse(args, { 'task-key': { type: 'string' } }, ['accountId']);
    const keyFile = optional(values, 'task-key');
    const taskKey = keyFile === undefined ? undefined : await readFile(keyFile, 'utf8');
    const { result } = await (await billingClient(context)).openAccount(arg(0), taskKey);
    return show(context, result, accountView(result));
};

const tokenBalance: Handler = async (context, args) => {
    const account = await (await billingClient(context)).getAccount(parse(args, {}, ['accountId']).arg(0));
    return show(context, account, accountView(account));
};

const tokenMint: Handler = async (context, args) => {
    const { arg } = parse(args, {}, ['accountId', 'amount']);
    const { result } = await (await billingClient(context)).mint(arg(0), wholeNumber(arg(1), 'amount', 1));
    // The issuer never reads the account (it is in its owner's collection): the mint says what it credited.
    return show(context, result, { accountId: result.accountId, minted: result.amount });
};

const tokenTransfer: Handler = async (context, args) => {
    const { arg } = parse(args, {}, ['from', 'to', 'amount']);
    const { result } = await (await billingClient(context)).transfer(arg(0), arg(1), wholeNumber(arg(2), 'amount', 1));
    return show(context, result, accountView(result));
};

const tokenSupply: Handler = async (context, args) => {
    parse(args, {}, []);
    const supply = await (await billingClient(context)).getSupply();
    return show(context, supply, { minted: supply.minted });
};

const tokenEscrow: Handler = async (context, args) => {
    const escrow = await (await billingClient(context)).getEscrow(parse(args, {}, ['escrowId']).arg(0));
    return show(context, escrow, escrowView(escrow));
};

// ---- marketplace ----

const marketList: Handler = async (context, args) => {
    const { values } = parse(args, LISTING_OPTIONS, []);
    const { result } = await (await billingClient(context)).createListing(listingFrom(values));
    return show(context, result, listingRow(result));
};

const marketSearch: Handler = async (context, args) => {
    const { values } = parse(args, { ...PAGE_OPTIONS, kind: { type: 'string' } }, []);
    const page = await (await billingClient(context)).searchListings(listingKind(values), pageFrom(values));
    showRows(context, page, page.records.map(listingRow), LISTING_COLUMNS);
    nextPage(context, page.bookmark);
    return 0;
};

const marketShow: Handler = async (context, args) => {
    const listing = await (await billingClient(context)).getListing(parse(args, {}, ['listingId']).arg(0));
    return show(context, listing, { ...listingRow(listing), description: listing.description, payee: listing.payeeAccountId, status: listing.status });
};

const BUY_OPTIONS = { units: { type: 'string' }, account: { type: 'string' }, deadline: { type: 'string' }, hours: { type: 'string' }, id: { type: 'string' }, 'key-out': { type: 'string' } } as const;

const marketBuy: Handler = async (context, args) => {
    const { values, arg } = parse(args, BUY_OPTIONS, ['listingId']);
    const purchaseId = optional(values, 'id') ?? generatedId('purchase');
    const units = wholeNumber(required(values, 'units'), '--units', 1);
    const keys = generateAccessKeyPair();
    const keyFile = optional(values, 'key-out') ?? `${purchaseId}.key.pem`;
    // Written before buying (and never overwritten): without it the access information could not be read.
    await writeFile(keyFile, keys.privateKeyPem, { mode: 0o600, flag: 'wx' });
    const request = { purchaseId, listingId: arg(0), buyerAccountId: required(values, 'account'), units, deadline: deadlineFrom(values), encryptionKey: keys.publicKeyPem };
    const { result } = await (await billingClient(context)).purchaseListing(request);
    if (!context.options.json) {
        console.error(`private key for the access information: ${keyFile}`);
    }
    return show(context, result, purchaseView(result));
};

const marketDeliver: Handler = async (context, args) => {
    const { values, arg } = parse(args, { access: { type: 'string' }, 'access-file': { type: 'string' } }, ['purchaseId']);
    const text = optional(values, 'access');
    const file = optional(values, 'access-file');
    if ((text === undefined) === (file === undefined)) {
        throw new BillingUsageError('give exactly one of --access or --access-file');
    }
    const accessInfo = text ?? (await readFile(file ?? ''));
    const { result } = await (await billingClient(context)).deliverAccess(arg(0), accessInfo);
    return show(context, result, purchaseView(result));
};

const marketAccess: Handler = async (context, args) => {
    const { values, arg } = parse(args, { key: { type: 'string' } }, ['purchaseId']);
    const plaintext = await (await billingClient(context)).readAccess(arg(0), await readFile(required(values, 'key'), 'utf8'));
    if (context.options.json) {
        context.json({ purchaseId: arg(0), accessInfo: plaintext.toString('utf8') });
    } else {
        process.stdout.write(`${plaintext.toString('utf8')}\n`);
    }
    return 0;
};

const marketComplete: Handler = async (context, args) => {
    const { values, arg } = parse(args, { used: { type: 'string' } }, ['purchaseId']);
    const { result } = await (await billingClient(context)).completePurchase(arg(0), wholeNumber(required(values, 'used'), '--used'));
    return show(context, result, purchaseView(result));
};

const marketRate: Handler = async (context, args) => {
    const { arg } = parse(args, {}, ['purchaseId', 'rating']);
    const { result } = await (await billingClient(context)).ratePurchase(arg(0), rating(arg(1)));
    const average = result.ratingCount === 0 ? 0 : result.ratingSum / result.ratingCount;
    return show(context, result, { provider: result.providerId, ratings: result.ratingCount, average: average.toFixed(2) });
};

const marketPurchase: Handler = async (context, args) => {
    const purchase = await (await billingClient(context)).getPurchase(parse(args, {}, ['purchaseId']).arg(0));
    return show(context, purchase, purchaseView(purchase));
};

/** Each command's own help: `edgetrust billing <command> --help`. */
const HELP: Readonly<Record<string, CommandHelp>> = {
    site: { usage: 'register <siteId> --name N --location L\nshow <siteId>', description: 'Edge sites of the catalog: operators register them, everyone reads them.' },
    resources: { usage: '<siteId> [--page-size N] [--bookmark B]', description: "Lists a site's resources, a page at a time." },
    resource: {
        usage: 'register <resourceId> --site S --kind K --name N --unit second|call|gb --rate R [--cycle month|day|hour|minute] [--payee ACCOUNT] [--description D] [--attribute k=v ...]\nshow <resourceId>',
        description: 'MEC resources (CPU, GPU, FPGA, storage, network capabilities) with their price plan: operators register them, everyone reads them.',
        details: ['--rate R    minor units per unit', '--cycle C   settlement period of the plan (default month)'],
    },
    plan: { usage: 'show <resourceId> [--version N]\npublish <resourceId> --unit U --rate R [--cycle C]', description: "A resource's price plans: show one version, or publish the next (operators)." },
    roles: { usage: '', description: 'Who is governor, operator, tenant, auditor, issuer and CT entity of the billing chaincode.' },
    session: {
        usage: 'start --resource R --app A [--session ID] [--tenant MSP] [--plan-version N] [--account ACCOUNT --budget TOKENS --deadline ISO-TIME]\nstop <sessionId> [--calls N | --bytes N]\nshow <sessionId>',
        description: "Usage sessions, endorsed by the operator's and the tenant's peers: start one, stop it (usage is measured from the transactions' timestamps), show it.",
    },
    ct: {
        usage: 'record --resource R --tenant MSP --app A (--calls N | --bytes N) [--operation ID]',
        description: 'Records an operation a CT entity (UPF, local breakout gateway) did for an IT application, in calls or bytes; the CT entity role only.',
    },
    usage: { usage: 'show <recordId>', description: 'Prints one usage record.' },
    invoice: {
        usage: 'close <tenantMspId> <period>\nlist <tenantMspId> [--page-size N] [--bookmark B]\nshow <invoiceId>\nlines <invoiceId>\nusage <invoiceId> <lineId> [--page-size N] [--bookmark B]\nverify <invoiceId>\ndisclose <invoiceId> [--out FILE]\ncheck-disclosure <disclosureFile>',
        description:
            'Invoices: close a period (YYYY-MM, or YYYY-MM-DD, YYYY-MM-DDTHH, YYYY-MM-DDTHH:MM), list, show, running totals of an open period, the usage of a line, and verify (recompute every line from the chain; exit 1 on a mismatch). disclose writes every record of the period as stored, for an auditor; check-disclosure checks such a file against the public line counters and hashes (exit 1 when a record is missing or altered).',
        details: ['invoiceId = operatorMsp|tenantMsp|period'],
    },
    dispute: {
        usage: 'raise <invoiceId> --line LINE [--line ...] --reason R [--evidence ID] [--id ID]\nresolve <disputeId> (--accept [--credit LINE=AMOUNT ...] [--reason R] | --reject --reason R)\nshow <disputeId>',
        description: 'Disputes of invoice lines: the tenant raises one, the operator accepts (with credits) or rejects it.',
    },
    token: {
        usage: 'open <accountId> [--task-key PUBLIC-KEY.pem]\nbalance <accountId>\nmint <accountId> <amount>\ntransfer <from> <to> <amount>\nsupply\nescrow <escrowId>',
        description: 'Compute tokens: open an account, mint (issuers), transfer, balances, total supply, escrows of sessions with a budget.',
    },
    purge: {
        usage: '<operatorMspId> <tenantMspId> --from PERIOD --before PERIOD',
        description: "Purges the pair's private usage records of every settled period from --from to before --before: the first party's call proposes, the other party's same call purges. Hashes stay in the blocks; invoices stay.",
    },
    market: {
        usage: 'list --kind K --title T --unit U --price P --payee ACCOUNT [--id ID] [--description D] [--config k=v ...]\nsearch [--kind K] [--page-size N] [--bookmark B]\nshow <listingId>\nbuy <listingId> --units N --account ACCOUNT [--deadline ISO-TIME | --hours N] [--id ID] [--key-out FILE]\ndeliver <purchaseId> (--access TEXT | --access-file FILE)\naccess <purchaseId> --key FILE\ncomplete <purchaseId> --used N\nrate <purchaseId> <1-5>\npurchase <purchaseId>',
        description: 'The shared-resource marketplace paid in compute tokens: list, search, buy, deliver access (encrypted for the buyer), read it, complete, rate.',
        details: ['buy writes a new P-256 key to --key-out (default <purchaseId>.key.pem): only it decrypts the access information'],
    },
};

/** `<command> <action>` handlers; a command without actions has its handler under ''. */
const COMMANDS: Readonly<Record<string, Readonly<Record<string, Handler>>>> = {
    site: { register: siteRegister, show: siteShow },
    resources: { '': resources },
    resource: { register: resourceRegister, show: resourceShow },
    plan: { show: planShow, publish: planPublish },
    roles: { '': roles },
    session: { start: sessionStart, accept: sessionAccept, decline: sessionDecline, stop: sessionStop, confirm: sessionConfirm, show: sessionShow },
    ct: { record: ctRecord, accept: ctAccept, decline: ctDecline, show: ctShow },
    usage: { show: usageShow },
    invoice: { close: invoiceClose, list: invoiceList, show: invoiceShow, lines: invoiceLines, usage: invoiceUsage, verify: invoiceVerify, disclose: invoiceDisclose, 'check-disclosure': invoiceCheckDisclosure },
    purge: { '': purge },
    dispute: { raise: disputeRaise, resolve: disputeResolve, show: disputeShow },
    token: { open: tokenOpen, balance: tokenBalance, mint: tokenMint, transfer: tokenTransfer, supply: tokenSupply, escrow: tokenEscrow },
    market: {
        list: marketList,
        search: marketSearch,
        show: marketShow,
        buy: marketBuy,
        deliver: marketDeliver,
        access: marketAccess,
        complete: marketComplete,
        rate: marketRate,
        purchase: marketPurchase,
    },
};

/** Finds the handler of `command [action]` and the arguments left for it. */
export const resolveBillingCommand: Resolve = actionResolver(COMMANDS);

/** `edgetrust billing ...`: the MEC catalog, sessions, invoices, disputes, tokens and marketplace. */
export const billingCommands: CommandGroup = commandGroup({
    name: 'billing',
    summary: 'MEC resources, usage sessions, invoices and disputes, compute tokens, marketplace',
    usage: USAGE,
    help: HELP,
    commands: { names: Object.keys(COMMANDS), resolve: resolveBillingCommand },
});
