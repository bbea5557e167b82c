/**
 * Every key this chaincode writes, with the attributes that follow the object type. Records and index entries are
 * composite keys, so each kind can be listed with Fabric's bookmark pagination (LevelDB has no rich queries). Ids
 * are validated identifiers, so no part can hold the composite-key separator. The values are the ledger's: changing
 * one orphans every entry written under it.
 */
export const Key = {
    /** (none): who bootstrapped governance; its existence makes BootstrapGovernance a one-off. */
    Governance: 'billing.governance',
    /** role, mspId: one organisation holding one role. */
    Role: 'billing.role',
    /** siteId */
    Site: 'billing.site',
    /** resourceId */
    Resource: 'billing.resource',
    /** siteId, resourceId (index): a site's resources. */
    ResourceBySite: 'billing.resource-by-site',
    /** resourceId, version padded to six digits, so versions sort in order. */
    Plan: 'billing.plan',
    /**
     * kind (session, ct-operation, dispute, purchase, account), id: the pair (an account: the owner organisation) whose collection holds the record (public; see
     * billing-collection.ts). The records below marked "pair collection" are private data of that pair.
     */
    Route: 'billing.route',
    /** sessionId (pair collection) */
    Session: 'billing.session',
    /** operationId: a reported CT operation until its tenant decides (pair collection). */
    CtOperation: 'billing.ct-operation',
    /** recordId (session:<id> or ct:<id>) (pair collection) */
    Usage: 'billing.usage',
    /** operator, tenant, period, resourceId, version, appId: a running total, the future invoice line (pair collection). */
    Line: 'billing.line',
    /** tenant, period, operator: tenant first (pair collection). */
    Invoice: 'billing.invoice',
    /**
     * operator, tenant, period: the line keys of a pair's period (pair collection). Fabric neither pages nor
     * re-validates range queries on private data, so closing a period reads this record and each line by key: a
     * usage that changes a line, or opens a new one, between the close's simulation and its commit then makes the
     * close fail (MVCC_READ_CONFLICT) instead of issuing an invoice without it.
     */
    PeriodLines: 'billing.period-lines',
    /**
     * operator, tenant, period, lineRef (SHA-256 of the line id): the line's record count, public, so that a
     * disclosure of the line's records can be checked for completeness (line-count.ts). One per line, written with
     * the line itself, so it serialises nothing the private line does not already serialise.
     */
    LineCount: 'billing.line-count',
    /**
     * operator, tenant, first period purged, first period kept: a purge one party proposed, until the other carries it out (public: it
     * names only the pair and a period, which the collection's writes and TenantByPeriod show anyway).
     */
    PurgeProposal: 'billing.purge-proposal',
    /** tenant, period, operator (index, public): which invoices exist, so ListInvoices can page without reading them. */
    InvoiceByTenant: 'billing.invoice-by-tenant',
    /** operator, tenant, period, lineId, lineSeq padded to ten digits, recordId (index, pair collection): a line's records in order. */
    UsageByLine: 'billing.usage-by-line',
    /**
     * operator, tenant, period, lineId, lineSeq padded to ten digits: the id of the line's record at that position
     * (pair collection). A transaction that ran a range query on private data may not write (Fabric refuses it), so
     * PurgeBillingRecords finds a line's records through these keys, read one by one, not through UsageByLine.
     */
    LineRecord: 'billing.line-record',
    /** operator, period, tenant (index): whom an operator invoices for a period. */
    TenantByPeriod: 'billing.tenant-by-period',
    /** disputeId (pair collection) */
    Dispute: 'billing.dispute',
    /** accountId (the owner's token collection; its public route names the owner organisation) */
    Account: 'token.account',
    /** accountId, txId, index padded to four digits: a credit note not yet folded into the account (owner's token collection). */
    TokenCreditNote: 'token.credit-note',
    /** escrowId (<purpose>:<referenceId>); a session's or purchase's escrow is in its pair collection. */
    Escrow: 'token.escrow',
    /**
     * accountId: tokens minted into that account. Kept per account, never as one total: a single key every mint
     * reads and writes made concurrent mints conflict (bench/src/determinism.ts). Older versions wrote one total
     * under the bare key, which the same range still reads.
     */
    Supply: 'token.supply',
    /** listingId */
    Listing: 'market.listing',
    /** kind, listingId (index): active listings only. */
    ListingByKind: 'market.listing-by-kind',
    /** purchaseId (pair collection of the seller's and buyer's organisations; its route is public) */
    Purchase: 'market.purchase',
    /** providerId: ratings summed (public). */
    Reputation: 'market.reputation',
    /**
     * providerId, buyerMspId: a rating written before ratings stopped naming their buyer (public, no longer written). Still
     * read, so that an organisation that rated a provider then cannot rate it again.
     */
    Rating: 'market.rating',
    /** providerId, commitment (SHA-256(salt ‖ purchaseId)): one public rating, value and weight, naming no buyer. */
    ProviderRating: 'market.provider-rating',
    /**
     * providerId, buyerMspId (index, pair collection): the buyer organisation has rated the provider. Private, so the
     * once-per-organisation rule holds without a public key naming the buyer; the seller's organisation is the
     * provider's, so one provider and buyer organisation always meet in the same collection.
     */
    RatedByBuyer: 'market.rated-by-buyer',
    /** offerId: a compute offer without its reservations. */
    ComputeOffer: 'compute.offer',
    /**
     * offerId: the units reserved on an offer. One key per offer that every reservation and release reads and
     * writes, so two concurrent tasks for its last units conflict (MVCC_READ_CONFLICT) instead of oversubscribing.
     */
    ComputeCapacity: 'compute.capacity',
    /** kind, offerId (index): active offers only; matching walks it. */
    ComputeOfferByKind: 'compute.offer-by-kind',
    /** taskId */
    ComputeTask: 'compute.task',
    /** verifierId: a BLS12-381 public key whose proof of possession was checked. */
    ComputeVerifier: 'compute.verifier',
    /** providerMspId: completed and missed tasks. */
    ComputeProvider: 'compute.provider',
} as const;

/** Plan versions padded so that composite keys sort in version order. */
export function versionKey(version: number): string {
    return String(version).padStart(6, '0');
}

/** Position of a record in its line, padded so the index lists records in lineSeq order. */
export function lineSeqKey(seq: number): string {
    return String(seq).padStart(10, '0');
}
