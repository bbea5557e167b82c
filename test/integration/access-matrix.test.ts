import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Contract } from '@hyperledger/fabric-gateway';
import { ASSET_TRANSIENT_KEY } from '@edgetrust/schemas';
import { generateKeyPairSync } from 'node:crypto';
import { makeCertificate, type TestCertificate } from '../../chaincode/device-identity/testing/certificates';
import {
    BillingClient,
    type CallerIdentity,
    ComputeExchangeClient,
    DeviceIdentityClient,
    encryptAccessInfo,
    EvidenceClient,
    generateAccessKeyPair,
    generateVerifierKey,
    MerkleTree,
    signComputeOrder,
    signRegistration,
    signRotation,
    toEdgeTrustError,
} from '../../gateway-sdk/src';
import { closeMinute, minutesFromNow } from '../support/billing';
import { withIssuedClient } from '../support/crafted-client';
import { sha256 } from '../support/evidence';
import { closeConnections, connectAs, describedTransactions, testProfile, uniqueId } from '../support/network';

// The fixture makes some fifty transactions before the first cell; on a shared two-core machine that can take minutes.
jest.setTimeout(300_000);

/*
 * Access matrix (issue 11, item 5) on the real network. The transactions come from each chaincode's own metadata
 * (org.hyperledger.fabric:GetMetadata); the expected outcome of each transaction for each caller is the table in
 * access-matrix.json. Every call is an evaluation (simulated on a peer, never ordered), so the matrix writes nothing
 * and cannot disturb tests running beside it; the records it needs (a site, sessions, a CT report, accounts, a listing,
 * purchases) are created once with fresh ids. A cell passes when the call is refused with ACCESS_DENIED exactly where
 * the table says ACCESS_DENIED, is NOT refused with ACCESS_DENIED where it says allowed (nor with INVALID_ARGUMENT or
 * NOT_FOUND, which would mean its arguments never reached the decision), and fails with the very code the table names
 * otherwise (a later rule, after the access decision passed).
 */

interface Row {
    chaincode: string;
    transaction: string;
    caller: string;
    expected: string;
}

interface Matrix {
    callers: Record<string, string[]>;
    uncovered: Record<string, Record<string, string> | string>;
    rows: Row[];
}

const matrix = JSON.parse(readFileSync(join(__dirname, 'access-matrix.json'), 'utf8')) as Matrix;
const CHAINCODES = ['resource-billing', 'evidence', 'device-identity'];
const run = uniqueId('acl');
const fake = `Acl${String(process.pid)}x${String(Date.now())}MSP`;

/** The ids of the records the cells act on. */
interface Fixture {
    site: string;
    gpu: string;
    metered: string;
    upf: string;
    proposed: string;
    active: string;
    stopping: string;
    closed: string;
    ctOperation: string;
    edgeAccount: string;
    cloudAccount: string;
    listing: string;
    paid: string;
    delivered: string;
    providerId: string;
    period: string;
    /** A closed invoice (EdgeOrg operator, CloudOrg tenant), one of its lines, and an open dispute about that line. */
    invoice: string;
    line: string;
    dispute: string;
    evidence: string;
    /** A batch of two items (their digests) and a process trace of two steps (its first and second record). */
    batch: string;
    batchItems: string[];
    firstStep: string;
    secondStep: string;
    manufacturer: string;
    registrar: string;
    offer: string;
    gpuPaid: string;
    verifier: string;
    task: string;
    /** The owners' disclosures of the two accounts (token:GetDisclosure), as a debit sends them; cells never write, so they stay current. */
    disclosures: { edge: string; cloud: string };
    /** A personal record of EdgeOrg/User1 and its private content digest. */
    personal: string;
    personalDigest: string;
    /** An artifact version EdgeOrg's admin published, and its digest. */
    artifact: { name: string; version: string; digest: string };
    /** A data-set transfer from EdgeOrg/User1 to all of CloudOrg and to EdgeOrg/with-role by name. */
    transfer: string;
    transferDigest: string;
    devices: DeviceFixture;
}

/** The device identity records the cells act on (who owns what: access-matrix.json's description). */
interface DeviceFixture {
    /** Each caller as the chaincode sees it: what registration proofs are bound to. */
    identities: Record<string, CallerIdentity>;
    /** The appointed registrar of the manufacturer (CloudOrg/with-role). */
    registrar: string;
    /** An active device the registrar registered (and owns), with its key; one it registered and suspended. */
    device: TestCertificate & { id: string };
    suspended: string;
    /** App A owned by EdgeOrg/with-role; apps B and C owned by CloudOrg/User1; C is trusted to talk to A. */
    appA: string;
    appB: string;
    appC: string;
    /** An equipment asset of EdgeOrg, its tag and site. */
    asset: string;
    tag: string;
    site: string;
}

/** One evaluation: its arguments, and transient data for the transactions that take it. */
interface Call {
    arguments: string[];
    transientData?: Record<string, string>;
}

const buyerKey = generateAccessKeyPair();
const taskKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
let serial = 0;
const fresh = (what: string): string => `${run}-${what}-${String(serial++)}`;

/**
 * A registration as `caller` would send it: a fresh self-signed certificate and its key's proof of possession,
 * bound to that caller (as DeviceIdentityClient makes it), so only the access decision can refuse it.
 */
function registration(f: Fixture, caller: string, kind: 'device' | 'app', manufacturerId: string): { id: string; certificatePem: string; proof: string } {
    const registrant = f.devices.identities[caller];
    if (registrant === undefined) {
        throw new Error(`no identity for ${caller}`);
    }
    const id = fresh(kind);
    const certificate = makeCertificate({ commonName: id });
    const proof = signRegistration(certificate.privateKey, { channel: registrant.channel, kind, manufacturerId, id, certificatePem: certificate.pem, registrant: { mspId: registrant.mspId, id: registrant.id } });
    return { id, certificatePem: certificate.pem, proof };
}

/** A rotation of the fixture's device to a fresh certificate, signed by the device's old key. */
function rotation(f: Fixture): string {
    const next = makeCertificate({ commonName: f.devices.device.id });
    return JSON.stringify({ certificatePem: next.pem, signature: signRotation(f.devices.device.privateKey, f.devices.device.pem, next.pem) });
}

/**
 * A call on the pair's private billing records as BillingClient sends it: ids in the arguments, the request and a
 * salt in the transient map (docs/security/confidentiality.md).
 */
function privately(args: string[], request?: unknown): Call {
    return { arguments: args, transientData: { ...SALT, ...(request === undefined ? {} : { request: JSON.stringify(request) }) } };
}

/** The salt entry every transaction writing private records carries (billing, equipment assets, personal evidence). */
const SALT = { salt: Buffer.from('ef'.repeat(32), 'hex').toString('base64') };

/** A token call as BillingClient sends it: a salt, and the owner's disclosure of the account it debits. */
function debiting(args: string[], disclosure?: string, request?: unknown): Call {
    const call = privately(args, request);
    return { ...call, transientData: { ...call.transientData, ...(disclosure === undefined ? {} : { account: disclosure }) } };
}

/** Arguments for each covered transaction: valid enough to reach the access decision. */
const ARGUMENTS: Readonly<Record<string, (f: Fixture, caller: string) => string[] | Call>> = {
    'billing:BootstrapGovernance': () => [],
    'billing:GrantRole': () => [fake, 'auditor'],
    'billing:RevokeRole': () => [fake, 'auditor'],
    'billing:ListRoles': () => [],
    'billing:RegisterSite': () => [JSON.stringify({ siteId: fresh('site'), name: 'acl site', location: 'edge-site-a' })],
    'billing:RegisterResource': (f) => [JSON.stringify({ resourceId: fresh('res'), siteId: f.site, kind: 'gpu', name: 'acl gpu', plan: { unit: 'second', rate: 1, cycle: 'minute' } })],
    'billing:PublishPricePlan': (f) => [f.gpu, JSON.stringify({ unit: 'second', rate: 2, cycle: 'minute' })],
    'billing:GetSite': (f) => [f.site],
    'billing:GetResource': (f) => [f.gpu],
    'billing:GetPricePlan': (f) => [f.gpu, '1'],
    'billing:ListSiteResources': (f) => [f.site, '10', ''],
    'billing:StartSession': (f) => {
        const sessionId = fresh('s');
        return privately([sessionId], { sessionId, resourceId: f.gpu, appId: `${run}-app`, tenantMspId: 'CloudOrgMSP' });
    },
    'billing:AcceptSession': (f) => privately([f.proposed]),
    'billing:DeclineSession': (f) => privately([f.proposed]),
    'billing:StopSession': (f) => privately([f.active]),
    'billing:ConfirmStop': (f) => privately([f.stopping]),
    'billing:RefundExpiredSession': (f) => privately([f.active]),
    'billing:GetSession': (f) => [f.active],
    'billing:RecordCtOperation': (f) => {
        const operationId = fresh('ct');
        return privately([operationId], { operationId, resourceId: f.upf, tenantMspId: 'CloudOrgMSP', appId: `${run}-app`, bytes: 1_000_000 });
    },
    'billing:AcceptCtOperation': (f) => privately([f.ctOperation]),
    'billing:DeclineCtOperation': (f) => privately([f.ctOperation]),
    'billing:GetCtOperation': (f) => [f.ctOperation],
    'billing:GetUsageRecord': (f) => [`session:${f.closed}`],
    'settlement:CloseBillingPeriod': (f) => privately(['CloudOrgMSP', f.period]),
    'settlement:ListPeriodTenants': (f) => [f.period, '10', ''],
    'settlement:ListInvoices': () => ['CloudOrgMSP', '10', ''],
    'settlement:ListPeriodLines': (f) => [`EdgeOrgMSP|CloudOrgMSP|${f.period}`],
    'settlement:GetInvoice': (f) => [f.invoice],
    'settlement:ListLineUsage': (f) => [f.invoice, f.line, '10', ''],
    'settlement:GetPeriodLineCounts': (f) => [f.invoice],
    'settlement:GetUsageRecordHashes': (f) => [f.invoice, JSON.stringify([`session:${f.closed}`])],
    'settlement:DiscloseLineUsage': (f) => [f.invoice, f.line, '10', ''],
    'settlement:PurgeBillingRecords': () => ['EdgeOrgMSP', 'CloudOrgMSP', '2000-01', '2000-02'],
    'settlement:RaiseDispute': (f) => {
        const disputeId = fresh('dispute');
        return privately([disputeId], { disputeId, invoiceId: f.invoice, lineIds: [f.line], reason: 'access matrix' });
    },
    'settlement:ResolveDispute': (f) => privately([f.dispute], { outcome: 'accepted' }),
    'settlement:GetDispute': (f) => [f.dispute],
    'token:OpenAccount': () => privately([JSON.stringify({ accountId: fresh('acct') })]),
    'token:SetTaskKey': (f) => debiting([f.edgeAccount, buyerKey.publicKeyPem], f.disclosures.edge),
    'token:Mint': (f) => privately([f.cloudAccount, '5']),
    'token:Transfer': (f) => debiting([f.cloudAccount, f.edgeAccount, '1'], f.disclosures.cloud),
    'token:GetAccount': (f) => [f.cloudAccount],
    'token:GetDisclosure': (f) => [f.cloudAccount],
    'token:GetEscrow': (f) => [`purchase:${f.paid}`],
    'token:GetSupply': () => [],
    'marketplace:CreateListing': (f) => [JSON.stringify({ listingId: fresh('listing'), kind: 'gpu', title: 'acl', unit: 'hour', unitPrice: 10, payeeAccountId: f.edgeAccount })],
    'marketplace:WithdrawListing': (f) => [f.listing],
    'marketplace:GetListing': (f) => [f.listing],
    'marketplace:SearchListings': () => ['gpu', '10', ''],
    'marketplace:PurchaseListing': (f) => {
        const purchaseId = fresh('p');
        return debiting([purchaseId], f.disclosures.cloud, { purchaseId, listingId: f.listing, buyerAccountId: f.cloudAccount, units: 1, deadline: minutesFromNow(60), encryptionKey: buyerKey.publicKeyPem });
    },
    'marketplace:DeliverAccess': (f) => privately([f.paid, JSON.stringify(encryptAccessInfo('acl://access', buyerKey.publicKeyPem, f.paid))]),
    'marketplace:CompletePurchase': (f) => privately([f.delivered], { usedUnits: 1 }),
    'marketplace:RefundPurchase': (f) => privately([f.paid]),
    'marketplace:RatePurchase': (f) => privately([f.delivered, '4']),
    'marketplace:GetPurchase': (f) => [f.paid],
    'marketplace:GetReputation': (f) => [f.providerId],
    SetRoles: () => [JSON.stringify({ commonName: fresh('cn'), roles: ['submitter'] })],
    Anchor: () => [JSON.stringify({ id: fresh('ev'), name: 'acl reading', source: { type: 'device', id: 'acl-1' }, payload: { encoding: 'utf8', data: 'acl' } })],
    Read: (f) => [f.evidence],
    VerifyContent: (f) => [f.evidence, Buffer.from('acl').toString('base64')],
    Query: () => [JSON.stringify({ by: 'source', source: { type: 'device', id: 'acl-1' }, pageSize: 10 })],
    AnchorBatch: (f) => [new MerkleTree(f.batchItems).root, String(f.batchItems.length), JSON.stringify({ batchId: fresh('batch'), source: { type: 'device', id: 'acl-1' } })],
    ReadBatch: (f) => [f.batch],
    VerifyInclusion: (f) => [f.batch, f.batchItems[1] ?? '', '1', JSON.stringify(new MerkleTree(f.batchItems).proof(1))],
    QueryBatches: () => [JSON.stringify({ by: 'source', source: { type: 'device', id: 'acl-1' }, pageSize: 10 })],
    TraceBackward: (f) => [f.secondStep, '10'],
    TraceForward: (f) => [f.firstStep, '10'],
    Verify: (f) => [f.evidence, sha256('acl')],
    History: (f) => [f.evidence],
    Revoke: (f) => [f.evidence, 'access matrix'],
    ReadRoles: () => ['EdgeOrgMSP', 'User1@edge.edgetrust.local'],
    SetOrgPolicy: () => [JSON.stringify({ anchoring: 'any-member' })],
    ReadOrgPolicy: () => ['EdgeOrgMSP'],
    InitRegistry: () => [],
    AddRegistryAdministrator: () => [fake],
    RemoveRegistryAdministrator: () => [fake],
    ReadRegistry: () => [],
    RegisterManufacturer: () => [JSON.stringify({ id: fresh('maker'), name: 'acl maker', mspId: 'CloudOrgMSP' })],
    AuthorizeRegistrar: (f) => [f.manufacturer, f.registrar],
    // The appointed registrar: withdrawing one that is none would be NOT_FOUND for the allowed callers.
    WithdrawRegistrar: (f) => [f.manufacturer, f.devices.registrar],
    ReadManufacturer: (f) => [f.manufacturer],
    ListManufacturers: () => ['10', ''],
    WhoAmI: () => [],
    RegisterDevice: (f, caller) => [JSON.stringify({ manufacturerId: f.manufacturer, ...registration(f, caller, 'device', f.manufacturer) })],
    RegisterDevices: (f, caller) => [
        JSON.stringify({ manufacturerId: f.manufacturer, lot: fresh('lot'), devices: [registration(f, caller, 'device', f.manufacturer), registration(f, caller, 'device', f.manufacturer)] }),
    ],
    RegisterApplication: (f, caller) => [JSON.stringify({ ...registration(f, caller, 'app', ''), name: 'acl app' })],
    ReadDevice: (f) => [f.devices.device.id],
    ReadDeviceByFingerprint: (f) => [f.devices.device.fingerprint],
    CheckCertificate: (f) => [f.devices.device.fingerprint],
    CheckCertificates: (f) => [JSON.stringify({ fingerprints: [f.devices.device.fingerprint] })],
    ListDevicesByManufacturer: (f) => [f.manufacturer, '10', ''],
    SuspendCertificate: (f) => [f.devices.device.id, JSON.stringify({ comment: 'access matrix' })],
    ReinstateCertificate: (f) => [f.devices.suspended, JSON.stringify({ comment: 'access matrix' })],
    RevokeCertificate: (f) => [f.devices.device.id, JSON.stringify({ reason: 'keyCompromise' })],
    RotateCertificate: (f) => [f.devices.device.id, rotation(f)],
    GrantTrust: (f) => [JSON.stringify({ from: f.devices.appB, to: f.devices.appA, purpose: 'access matrix' })],
    RevokeTrust: (f) => [f.devices.appC, f.devices.appA],
    CheckTrust: (f) => [f.devices.appC, f.devices.appA],
    ListTrustFrom: (f) => [f.devices.appC, '10', ''],
    ListTrustTo: (f) => [f.devices.appA, '10', ''],
    RegisterAsset: (f) => {
        const id = fresh('asset');
        return { arguments: [id], transientData: { [ASSET_TRANSIENT_KEY]: JSON.stringify({ id, tag: fresh('tag'), type: 'base_station', site: f.devices.site }), ...SALT } };
    },
    TransitionAsset: (f) => ({ arguments: [f.devices.asset], transientData: { [ASSET_TRANSIENT_KEY]: JSON.stringify({ to: 'installed', location: 'rack 1' }), ...SALT } }),
    ReadAsset: (f) => [f.devices.asset],
    ReadAssetByTag: (f) => [f.devices.tag],
    AssetHistory: (f) => [f.devices.asset, '10', ''],
    ListAssetsBySite: (f) => [f.devices.site, '', '10', ''],
    ListAssetsByState: () => ['in_stock', '10', ''],
    AnchorPersonal: () => ({
        arguments: [JSON.stringify({ id: fresh('personal'), kind: 'personal-document', size: 12, attributes: { documentType: 'contract' } })],
        transientData: { personal: JSON.stringify({ contentDigest: sha256('acl personal'), name: 'acl personal', source: { type: 'device', id: 'acl-1' } }), ...SALT },
    }),
    ReadPrivate: (f) => [f.personal],
    PurgePersonal: (f) => [f.personal],
    VerifyPersonal: (f) => [f.personal, f.personalDigest],
    CheckArtifact: (f) => [f.artifact.name, f.artifact.version, f.artifact.digest],
    AcknowledgeTransfer: (f) => [f.transfer, f.transferDigest],
    ReadTransfer: (f) => [f.transfer],
    'compute:PublishOffer': (f) => [JSON.stringify({ offerId: fresh('offer'), resourceId: f.gpuPaid, capacity: 1, pricePerUnit: 1, tier: 'edge', latencyClass: 'low' })],
    'compute:WithdrawOffer': (f) => [f.offer],
    'compute:GetOffer': (f) => [f.offer],
    'compute:ListOffers': () => ['storage', '10', ''],
    'compute:RegisterVerifier': () => [JSON.stringify(generateVerifierKey(fresh('verifier')).request)],
    'compute:GetVerifier': (f) => [f.verifier],
    'compute:SubmitTask': (f) => debiting([JSON.stringify(signComputeOrder(computeOrder(fresh('task'), f.cloudAccount), taskKey.privateKey))], f.disclosures.cloud),
    'compute:AcceptTask': (f) => [f.task],
    'compute:DeclineTask': (f) => privately([f.task]),
    'compute:SubmitResult': (f) => [f.task, JSON.stringify({ resultDigest: sha256('acl result') })],
    'compute:AcceptResult': (f) => [f.task],
    'compute:AttestResult': (f) => [f.task, JSON.stringify({ verifierIds: [f.verifier], signature: 'ab'.repeat(96) })],
    'compute:ContestResult': (f) => [f.task, JSON.stringify({ reason: 'acl' })],
    'compute:ResolveContest': (f) => [f.task, JSON.stringify({ outcome: 'refund-requester', reason: 'acl' })],
    'compute:ExpireTask': (f) => [f.task],
    'compute:GetTask': (f) => [f.task],
    'compute:GetProviderStats': () => ['EdgeOrgMSP'],
};

function computeOrder(taskId: string, accountId: string): { taskId: string; accountId: string; kind: 'storage'; units: number; maxPricePerUnit: number; deadline: string; inputDigest: string } {
    return { taskId, accountId, kind: 'storage', units: 1, maxPricePerUnit: 10, deadline: minutesFromNow(60), inputDigest: sha256(taskId) };
}

/**
 * Just after the network came up, a gateway may not know the other organisation's peers from gossip yet and cannot plan
 * an AND endorsement (GATEWAY_9, "no combination of peers can be derived"): retries the first such submission until it can.
 */
async function onceEndorsersAreKnown(submit: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
        try {
            await submit();
            return;
        } catch (err) {
            if (toEdgeTrustError(err).code !== 'GATEWAY_9' || attempt >= 30) {
                throw err;
            }
            await new Promise((resolve) => setTimeout(resolve, 1000));
        }
    }
}

/** A batch of two items, and a process trace of two steps, anchored by EdgeOrg's user. */
async function evidenceFixture(evidence: EvidenceClient): Promise<{ batch: string; batchItems: string[]; firstStep: string; secondStep: string }> {
    const batchItems = [sha256('acl item 1'), sha256('acl item 2')];
    const batch = fresh('batch');
    await evidence.anchorBatch(new MerkleTree(batchItems).root, batchItems.length, { batchId: batch, source: { type: 'device', id: 'acl-1' } });
    const traceId = fresh('trace');
    const step = async (name: string, predecessorId?: string): Promise<string> => {
        const id = fresh(name);
        const attributes = { traceId, step: name, party: 'acl', ...(predecessorId === undefined ? {} : { predecessorId }) };
        await evidence.anchor({ id, name, kind: 'process-step', attributes, source: { type: 'device', id: 'acl-1' }, payload: { encoding: 'utf8', data: name } });
        return id;
    };
    const firstStep = await step('receive');
    return { batch, batchItems, firstStep, secondStep: await step('ship', firstStep) };
}

/** A personal record, a published artifact and a data-set transfer (its recipients: all of CloudOrg, and `namedRecipient` of EdgeOrg). */
async function privateAndSharedEvidence(
    user: EvidenceClient,
    admin: EvidenceClient,
    namedRecipient: string,
): Promise<Pick<Fixture, 'personal' | 'personalDigest' | 'artifact' | 'transfer' | 'transferDigest'>> {
    const source = { type: 'device', id: 'acl-1' } as const;
    const personal = fresh('personal');
    const personalDigest = sha256('acl personal document');
    // Only EdgeOrg's peers hold its collection, so only they endorse.
    await user.anchorPersonal({ id: personal, name: 'acl personal', source, size: 12, attributes: { documentType: 'contract' } }, { contentDigest: personalDigest }, ['EdgeOrgMSP']);
    const artifact = { name: fresh('artifact'), version: '1.0', digest: sha256('acl image') };
    await admin.anchor({ id: fresh('artifact'), name: 'acl image', source, digest: artifact.digest, size: 9, kind: 'artifact', attributes: { artifactType: 'container-image', artifactName: artifact.name, version: artifact.version } });
    const transfer = fresh('transfer');
    const transferDigest = sha256('acl data set');
    await user.anchor({
        id: transfer,
        name: 'acl data set',
        source,
        digest: transferDigest,
        size: 12,
        kind: 'data-set-transfer',
        attributes: { dataSetId: fresh('data-set'), recipients: [{ mspId: 'CloudOrgMSP' }, { mspId: 'EdgeOrgMSP', name: namedRecipient }] },
    });
    return { personal, personalDigest, artifact, transfer, transferDigest };
}

/**
 * Device identity records with owners in every role (see DeviceFixture): the registrar appointed by CloudOrg's admin,
 * two devices it registers (one suspended), three applications, a trust relationship and an EdgeOrg asset.
 */
async function deviceFixture(as: (caller: string) => DeviceIdentityClient, callers: readonly string[], manufacturer: string): Promise<DeviceFixture> {
    const identities: Record<string, CallerIdentity> = {};
    for (const caller of callers) {
        identities[caller] = await as(caller).whoAmI();
    }
    const registrarIdentity = identities['CloudOrg/with-role'];
    if (registrarIdentity === undefined) {
        throw new Error('no CloudOrg/with-role caller');
    }
    const registrar = JSON.stringify({ mspId: registrarIdentity.mspId, id: registrarIdentity.id });
    await as('CloudOrg/Admin').authorizeRegistrar(manufacturer, { mspId: registrarIdentity.mspId, id: registrarIdentity.id });
    const factory = as('CloudOrg/with-role');
    const device = async (): Promise<TestCertificate & { id: string }> => {
        const id = fresh('device');
        const certificate = makeCertificate({ commonName: id });
        await factory.registerDevice({ manufacturerId: manufacturer, id, certificatePem: certificate.pem }, certificate.privateKey);
        return { ...certificate, id };
    };
    const active = await device();
    const suspended = (await device()).id;
    await factory.suspendCertificate(suspended, 'access matrix');
    const app = async (owner: string): Promise<string> => {
        const id = fresh('app');
        const certificate = makeCertificate({ commonName: id });
        await as(owner).registerApplication({ id, certificatePem: certificate.pem }, certificate.privateKey);
        return id;
    };
    const [appA, appB, appC] = [await app('EdgeOrg/with-role'), await app('CloudOrg/User1'), await app('CloudOrg/User1')];
    await as('EdgeOrg/with-role').grantTrust({ from: appC, to: appA, purpose: 'access matrix' });
    const [asset, tag, site] = [fresh('asset'), fresh('tag'), fresh('site')];
    await as('EdgeOrg/User1').registerAsset({ id: asset, tag, type: 'base_station', site });
    return { identities, registrar, device: active, suspended, appA, appB, appC, asset, tag, site };
}

/** Closes the operator's invoice to the tenant for a minute period and has the tenant dispute one of its lines. */
async function disputedInvoice(operator: BillingClient, tenant: BillingClient, period: string): Promise<{ invoice: string; line: string; dispute: string }> {
    const invoice = await closeMinute({ client: operator, mspId: 'EdgeOrgMSP' }, 'CloudOrgMSP', period);
    const line = invoice.lines[0]?.lineId;
    if (line === undefined) {
        throw new Error(`invoice ${invoice.invoiceId} has no lines`);
    }
    const dispute = fresh('dispute');
    await tenant.raiseDispute({ disputeId: dispute, invoiceId: invoice.invoiceId, lineIds: [line], reason: 'access matrix' });
    return { invoice: invoice.invoiceId, line, dispute };
}

/**
 * Users of their own for the callers that are not the network's Admin and User1: the organisation's CA issues them
 * (fresh common names), so granting one a role touches no identity another test relies on. Their common names by caller.
 */
function issueUsers(callers: readonly string[]): { profile: ReturnType<typeof testProfile>; issued: Map<string, string> } {
    let profile = testProfile();
    const issued = new Map<string, string>();
    for (const caller of callers.filter((c) => !c.endsWith('/Admin') && !c.endsWith('/User1'))) {
        const [organization = '', name = ''] = caller.split('/');
        const commonName = `${fresh(name)}.${organization.toLowerCase()}`;
        issued.set(caller, commonName);
        profile = withIssuedClient(profile, organization, name, [['C', 'US'], ['ST', 'California'], ['OU', 'client'], ['CN', commonName]]);
    }
    return { profile, issued };
}

describe('access matrix on the real network', () => {
    const contracts = new Map<string, Contract>();
    let fixture: Fixture;

    const contractOf = (caller: string, chaincode: string): Contract => {
        const contract = contracts.get(`${caller} ${chaincode}`);
        if (!contract) {
            throw new Error(`no connection for ${caller}`);
        }
        return contract;
    };

    beforeAll(async () => {
        const callers = [...new Set(Object.values(matrix.callers).flat())];
        const { profile, issued } = issueUsers(callers);
        for (const caller of callers) {
            const [organization = '', user = ''] = caller.split('/');
            const network = (await connectAs(organization, { user, profile })).gateway.getNetwork(profile.channel);
            for (const chaincode of CHAINCODES) {
                contracts.set(`${caller} ${chaincode}`, network.getContract(profile.chaincodes[chaincode] ?? chaincode));
            }
        }
        for (const organization of ['EdgeOrg', 'CloudOrg']) {
            const commonName = issued.get(`${organization}/with-role`);
            if (commonName !== undefined) {
                await onceEndorsersAreKnown(() => new EvidenceClient(contractOf(`${organization}/Admin`, 'evidence')).setRoles(commonName, ['revoker', 'privacy-reader']));
            }
        }
        const evidence = fresh('evidence');
        await new EvidenceClient(contractOf('EdgeOrg/User1', 'evidence')).anchor({ id: evidence, name: 'acl reading', source: { type: 'device', id: 'acl-1' }, payload: { encoding: 'utf8', data: 'acl' } });
        const { batch, batchItems, firstStep, secondStep } = await evidenceFixture(new EvidenceClient(contractOf('EdgeOrg/User1', 'evidence')));
        const operator = new BillingClient(contractOf('EdgeOrg/User1', 'resource-billing'));
        const tenant = new BillingClient(contractOf('CloudOrg/User1', 'resource-billing'));
        const site = fresh('site');
        await onceEndorsersAreKnown(() => operator.registerSite({ siteId: site, name: 'acl site', location: 'edge-site-a' }));
        const resource = async (kind: 'gpu' | 'user-plane', unit: 'second' | 'call' | 'gb'): Promise<string> =>
            (await operator.registerResource({ resourceId: fresh(kind), siteId: site, kind, name: `acl ${kind}`, plan: { unit, rate: 3, cycle: 'minute' } })).result.resourceId;
        const [gpu, metered, upf] = [await resource('gpu', 'second'), await resource('gpu', 'call'), await resource('user-plane', 'gb')];
        const session = async (resourceId: string): Promise<string> => {
            const sessionId = fresh('session');
            await tenant.startSession({ sessionId, resourceId, appId: `${run}-app` });
            return sessionId;
        };
        const proposed = await session(gpu);
        const [active, stopping, closed] = [await session(gpu), await session(metered), await session(gpu)];
        for (const id of [active, stopping, closed]) {
            await operator.acceptSession(id);
        }
        await operator.stopSession(stopping, { calls: 3 });
        // Its usage falls in a minute period that the set-up closes (75 s after the minute began, at most) once the rest is made.
        await operator.stopSession(closed);
        const invoicedPeriod = (await operator.getUsageRecord(`session:${closed}`)).period;
        const ctOperation = fresh('ct');
        await operator.recordCtOperation({ operationId: ctOperation, resourceId: upf, tenantMspId: 'CloudOrgMSP', appId: `${run}-app`, bytes: 1_000_000 });
        const [edgeAccount, cloudAccount] = [fresh('edge-acct'), fresh('cloud-acct')];
        await operator.openAccount(edgeAccount);
        await tenant.openAccount(cloudAccount);
        await operator.mint(cloudAccount, 1000);
        const listing = (await operator.createListing({ listingId: fresh('listing'), kind: 'gpu', title: 'acl', unit: 'hour', unitPrice: 10, payeeAccountId: edgeAccount })).result;
        const purchase = async (): Promise<string> => {
            const purchaseId = fresh('purchase');
            await tenant.purchaseListing({ purchaseId, listingId: listing.listingId, buyerAccountId: cloudAccount, units: 2, deadline: minutesFromNow(60), encryptionKey: buyerKey.publicKeyPem });
            return purchaseId;
        };
        const [paid, delivered] = [await purchase(), await purchase()];
        await operator.deliverAccess(delivered, 'acl://access');
        const manufacturer = fresh('maker');
        await new DeviceIdentityClient(contractOf('EdgeOrg/Admin', 'device-identity')).registerManufacturer({ id: manufacturer, name: 'acl maker', mspId: 'CloudOrgMSP' });
        const { mspId, id } = await new DeviceIdentityClient(contractOf('CloudOrg/User1', 'device-identity')).whoAmI();
        const registrar = JSON.stringify({ mspId, id });
        const devices = await deviceFixture((caller) => new DeviceIdentityClient(contractOf(caller, 'device-identity')), matrix.callers['device-identity'] ?? [], manufacturer);
        const shared = await privateAndSharedEvidence(new EvidenceClient(contractOf('EdgeOrg/User1', 'evidence')), new EvidenceClient(contractOf('EdgeOrg/Admin', 'evidence')), issued.get('EdgeOrg/with-role') ?? '');
        const { invoice, line, dispute } = await disputedInvoice(operator, tenant, invoicedPeriod);
        const period = new Date().toISOString().slice(0, 16);
        // The compute exchange: an offer on a paid resource (storage, so the compute scenarios never match it), a verifier,
        // and one task assigned (not yet taken on).
        const gpuPaid = (await operator.registerResource({ resourceId: fresh('gpu-paid'), siteId: site, kind: 'storage', name: 'acl paid storage', payeeAccountId: edgeAccount, plan: { unit: 'second', rate: 1 } })).result.resourceId;
        const [exchangeOperator, exchangeTenant] = [new ComputeExchangeClient(contractOf('EdgeOrg/User1', 'resource-billing')), new ComputeExchangeClient(contractOf('CloudOrg/User1', 'resource-billing'))];
        const offer = fresh('offer');
        await exchangeOperator.publishOffer({ offerId: offer, resourceId: gpuPaid, capacity: 100, pricePerUnit: 1, tier: 'edge', latencyClass: 'low' });
        const verifier = fresh('verifier');
        await exchangeTenant.registerVerifier(generateVerifierKey(verifier).request);
        await tenant.setTaskKey(cloudAccount, taskKey.publicKey.export({ type: 'spki', format: 'pem' }).toString());
        const task = fresh('task');
        await exchangeTenant.submitTask(signComputeOrder(computeOrder(task, cloudAccount), taskKey.privateKey));
        const disclosures = { edge: JSON.stringify(await operator.getDisclosure(edgeAccount)), cloud: JSON.stringify(await tenant.getDisclosure(cloudAccount)) };
        fixture = { site, gpu, metered, upf, proposed, active, stopping, closed, ctOperation, edgeAccount, cloudAccount, listing: listing.listingId, paid, delivered, providerId: listing.providerId, period, invoice, line, dispute, evidence, batch, batchItems, firstStep, secondStep, manufacturer, registrar, offer, gpuPaid, verifier, task, disclosures, ...shared, devices };
    });

    afterAll(closeConnections);

    it('has a row for every caller of every transaction in the chaincodes\' metadata, or says why it is not covered', async () => {
        const missing: string[] = [];
        const covered: string[] = [];
        for (const chaincode of CHAINCODES) {
            const described = await describedTransactions(contractOf('EdgeOrg/User1', chaincode));
            // The default contract's transactions are called by their bare names (evidence, device identity).
            const single = new Set(described.map((t) => t.contract)).size === 1;
            const transactions = described.map((t) => (single ? t.name : t.qualified)).sort();
            const uncovered = matrix.uncovered[chaincode];
            for (const transaction of transactions) {
                const rows = matrix.rows.filter((r) => r.chaincode === chaincode && r.transaction === transaction);
                if (rows.length > 0) {
                    covered.push(`${chaincode} ${transaction}`);
                    expect(rows.map((r) => r.caller).sort()).toEqual([...(matrix.callers[chaincode] ?? [])].sort());
                } else if (typeof uncovered !== 'string' && uncovered?.[transaction] === undefined) {
                    missing.push(`${chaincode} ${transaction}`);
                }
            }
            // Rows for transactions the chaincode does not have would pass vacuously.
            const unknown = matrix.rows.filter((r) => r.chaincode === chaincode && !transactions.includes(r.transaction)).map((r) => r.transaction);
            expect(unknown).toEqual([]);
        }
        console.log(`access matrix: ${String(covered.length)} transactions covered, ${String(matrix.rows.length)} cells`);
        expect(missing).toEqual([]);
    });

    it('refuses with ACCESS_DENIED exactly where the table says so, and nowhere else', async () => {
        // One after another: a few hundred evaluations, light on a network other test files share.
        const outcomes: (string | undefined)[] = [];
        for (const row of matrix.rows) {
            outcomes.push(
                await (async (): Promise<string | undefined> => {
                const args = ARGUMENTS[row.transaction];
                if (!args) {
                    return `${row.chaincode} ${row.transaction} ${row.caller}: no arguments in the test`;
                }
                let actual = 'allowed';
                try {
                    const call = args(fixture, row.caller);
                    await contractOf(row.caller, row.chaincode).evaluate(row.transaction, Array.isArray(call) ? { arguments: call } : call);
                } catch (err) {
                    actual = toEdgeTrustError(err).code;
                }
                // An allowed cell refused as malformed or missing would pass vacuously: its arguments must reach the decision.
                const ok = row.expected === 'allowed' ? !['ACCESS_DENIED', 'INVALID_ARGUMENT', 'NOT_FOUND'].includes(actual) : actual === row.expected;
                return ok ? undefined : `${row.chaincode} ${row.transaction} as ${row.caller}: expected ${row.expected}, got ${actual}`;
                })(),
            );
        }
        const unexpected = outcomes.filter((o) => o !== undefined);
        console.log(`access matrix: ${String(matrix.rows.length)} cells, ${String(unexpected.length)} unexpected`);
        expect(unexpected).toEqual([]);
    });
});
