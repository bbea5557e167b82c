import { billingOperations } from './billing';
import { computeOperations } from './compute';
import { deviceIdentityOperations } from './device-identity';
import { evidenceOperations } from './evidence';
import type { Clients, Operation } from './table';

/** The route table: every operation of the four typed clients. */
export const allOperations: readonly Operation[] = [...evidenceOperations, ...billingOperations, ...deviceIdentityOperations, ...computeOperations];

/**
 * The typed clients' methods that are not endpoints, and why: what they need stays with the caller (a local file to
 * hash, a private key to sign or decrypt with) or lives in the caller's process (iterators over pages, caches,
 * batchers). The route-table test fails for a client method that is neither an endpoint nor listed here.
 */
export const NOT_ENDPOINTS: Readonly<Record<keyof Clients, Readonly<Record<string, string>>>> = {
    evidence: {
        anchorFile: 'hashes a local file: the client hashes its own and calls anchor, or the agent does',
        verifyFile: 'hashes a local file: the client hashes its own and calls verify',
        checkArtifactFile: 'hashes a local file: the client hashes its own and calls checkArtifact',
        queryAll: 'iterates pages in-process: follow bookmark of query',
        queryBatchesAll: 'iterates pages in-process: follow bookmark of queryBatches',
        createBatcher: 'an in-process batcher: the agent batches, anchorBatch anchors a root',
        refreshPolicy: "clears the client's in-process policy cache",
    },
    billing: {
        startSignedSession: 'takes the account private key: sign the task client-side and call startSession',
        readAccess: "takes the buyer's private key: read the purchase and decrypt client-side",
        getDisclosure: "read and sent by the SDK's own debits (transfer, startSession, purchases, tasks) through the caller's peer",
        listAllLineUsage: 'iterates pages in-process: follow bookmark of listLineUsage',
        discloseInvoiceUsage: 'iterates lines and pages in-process: listPeriodLines, then discloseLineUsage of each line',
        checkDisclosure: "the auditor's own check: read getPeriodLineCounts and getUsageRecordHashes and call the SDK's verifyDisclosure",
        siteResourcesAll: 'iterates pages in-process: follow bookmark of listSiteResources',
        invoicesAll: 'iterates pages in-process: follow bookmark of listInvoices',
        lineUsageAll: 'iterates pages in-process: follow bookmark of listLineUsage',
        periodTenantsAll: 'iterates pages in-process: follow bookmark of listPeriodTenants',
        listingsAll: 'iterates pages in-process: follow bookmark of searchListings',
    },
    deviceIdentity: {
        rotateWithKey: 'takes the old private key: sign the rotation client-side and call rotateCertificate',
        statusLookup: 'an in-process lookup for the certificate status cache; call checkCertificate',
    },
    compute: {},
};
