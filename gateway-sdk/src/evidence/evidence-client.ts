import { randomBytes } from 'node:crypto';
import type { Contract } from '@hyperledger/fabric-gateway';
import { channelOf } from '../contract-channel';
import { ContractClient, type Submitted } from '../contract-client';
import { type AnchoredBatch, EvidenceBatcher, type EvidenceBatcherOptions } from './batcher';
import { type FileDigest, hashFile, type ProgressListener, sha256Hex } from './hashing';
import type {
    AnchorRequest,
    ArtifactCheck,
    BatchMetadata,
    EvidenceBatch,
    EvidenceKind,
    EvidenceQuery,
    EvidenceRecord,
    EvidenceRole,
    EvidenceHistoryEntry,
    InclusionVerification,
    EvidenceOrgPolicy,
    EvidencePage,
    PersonalEvidence,
    EvidenceRoleGrant,
    TraceWalk,
    TransferAcknowledgement,
    TransferStatus,
    EvidenceVerification,
} from './models';
import { type EvidenceReceipt, type ReceiptProblem, verifyReceipt } from './receipt';

/** A personal document to anchor privately: the document itself, or only its digest. */
export interface PersonalDocument {
    /** The document; its SHA-256 is computed here. */
    content?: Uint8Array;
    /** SHA-256 of the document, hex, when the content is not at hand. */
    contentDigest?: string;
    /** Keep a private copy of the document on the owner's peers (at most 64 KiB). Default false. */
    storeContent?: boolean;
}

/** The result of {@link EvidenceClient.anchorPersonal}. */
export interface AnchoredPersonal extends Submitted<EvidenceRecord> {
    /** The salt used; it is also kept in the owner's private collection. */
    salt: string;
    contentDigest: string;
}

/** A receipt checked against the ledger. */
export interface ReceiptCheck {
    /**
     * True when the proof is valid offline, the receipt names this client's channel and chaincode (or names
     * none, as older receipts), and the chaincode confirms the root and size of that batch.
     */
    valid: boolean;
    /** The first reason it is not valid. */
    problem?: ReceiptProblem;
    offline: ReturnType<typeof verifyReceipt>;
    onChain: InclusionVerification;
}

/** Batcher options without the anchor function, which the client supplies. */
export type BatcherOptions = Omit<EvidenceBatcherOptions, 'anchor'>;

/**
 * Typed client of the evidence chaincode: anchor, verify, batch, trace, publish and sync records.
 * Chaincode errors arrive as typed EdgeTrustErrors (domain codes such as `DIGEST_MISMATCH`,
 * `PAYLOAD_TOO_LARGE`, `PREDECESSOR_NOT_FOUND` keep their code on the base class).
 * @example
 * const evidence = new EvidenceClient(network.getContract('evidence'));
 * const { result } = await evidence.anchorFile('cam7.mp4', { id: 'cam7/0001', name: 'cam7.mp4', source: { type: 'device', id: 'cam7' } });
 */
export class EvidenceClient extends ContractClient {
    /** @param contract - The evidence chaincode's contract from fabric-gateway. */
    // eslint-disable-next-line @typescript-eslint/no-useless-constructor -- makes ContractClient's protected constructor public
    constructor(contract: Contract) {
        super(contract);
    }

    /** Anchors a record of any public kind. */
    anchor<K extends EvidenceKind>(request: AnchorRequest<K>): Promise<Submitted<EvidenceRecord>> {
        return this.submit('Anchor', [JSON.stringify(request)]);
    }

    /**
     * Hashes a file by streaming (with progress) and anchors its digest and size.
     * @param path - The file, of any size.
     * @param request - Everything but digest and size.
     * @param onProgress - Hashing progress.
     */
    async anchorFile<K extends EvidenceKind>(
        path: string,
        request: Omit<AnchorRequest<K>, 'digest' | 'size' | 'payload'>,
        onProgress?: ProgressListener,
    ): Promise<Submitted<EvidenceRecord> & { file: FileDigest }> {
        const file = await hashFile(path, onProgress);
        return { ...(await this.anchor({ ...request, digest: file.digest, size: file.size })), file };
    }

    /**
     * Anchors a personal document: data or digest and a fresh 32-byte salt go privately (transient data) to the
     * owner organisation's collection; only SHA-256(salt || digest) is public.
     * @param endorsingOrganizations - Pass your own MSP id: only peers of the owner's organisation hold its collection.
     */
    anchorPersonal(
        request: Omit<AnchorRequest<'personal-document'>, 'kind' | 'digest' | 'payload'>,
        document: Readonly<PersonalDocument>,
        endorsingOrganizations?: string[],
    ): Promise<AnchoredPersonal> {
        const contentDigest = document.content ? sha256Hex(document.content) : document.contentDigest;
        if (contentDigest === undefined) {
            return Promise.reject(new TypeError('a personal document needs content or contentDigest'));
        }
        const salt = randomBytes(32).toString('hex');
        const content = document.storeContent && document.content ? Buffer.from(document.content).toString('base64') : undefined;
        const personal = Buffer.from(JSON.stringify({ salt, contentDigest, ...(content ? { content } : {}) }));
        return this.submit<EvidenceRecord>('AnchorPersonal', [JSON.stringify({ ...request, kind: 'personal-document' })], {
            transientData: { personal },
            endorsingOrganizations,
        }).then((submitted) => ({ ...submitted, salt, contentDigest }));
    }

    /** The record with this id; a NotFoundError if there is none. */
    read(id: string): Promise<EvidenceRecord> {
        return this.evaluate('Read', [id]);
    }

    /** The private side of a personal record; for its submitter and its organisation's privacy readers. */
    readPrivate(id: string): Promise<PersonalEvidence> {
        return this.evaluate('ReadPrivate', [id]);
    }

    /**
     * Verifies a digest against a record, or against any record when `id` is empty.
     * @returns match / mismatch / not_found, with when and by whom.
     */
    verify(id: string, digest: string): Promise<EvidenceVerification> {
        return this.evaluate('Verify', [id, digest]);
    }

    /** Hashes a file by streaming and verifies its digest against a record (or any record when `id` is empty). */
    async verifyFile(id: string, path: string, onProgress?: ProgressListener): Promise<EvidenceVerification> {
        return this.verify(id, (await hashFile(path, onProgress)).digest);
    }

    /** Sends content (at most 1 MiB) to be compared on chain; data stored whole is compared byte for byte. */
    verifyContent(id: string, content: Uint8Array): Promise<EvidenceVerification> {
        return this.evaluate('VerifyContent', [id, Buffer.from(content).toString('base64')]);
    }

    /** Checks a document against a personal record's private digest (owner organisation only). */
    verifyPersonal(id: string, content: Uint8Array): Promise<EvidenceVerification> {
        return this.evaluate('VerifyPersonal', [id, sha256Hex(content)]);
    }

    /** Marks a record revoked; for its submitter, its organisation's admins and revokers. */
    revoke(id: string, reason: string): Promise<Submitted<EvidenceRecord>> {
        return this.submit('Revoke', [id, reason]);
    }

    /** Every version of a record, newest first. */
    history(id: string): Promise<EvidenceHistoryEntry[]> {
        return this.evaluate('History', [id]);
    }

    /** One page of records matching a query. */
    query(query: Readonly<EvidenceQuery>): Promise<EvidencePage<EvidenceRecord>> {
        return this.evaluate('Query', [JSON.stringify(query)]);
    }

    /** Every record matching a query, following bookmarks page by page. */
    async *queryAll(query: Readonly<EvidenceQuery>): AsyncGenerator<EvidenceRecord> {
        let bookmark = query.bookmark ?? '';
        do {
            const page = await this.query({ ...query, bookmark });
            yield* page.records;
            bookmark = page.bookmark;
        } while (bookmark !== '');
    }

    /** One page of batches matching a query. */
    queryBatches(query: Readonly<EvidenceQuery>): Promise<EvidencePage<EvidenceBatch>> {
        return this.evaluate('QueryBatches', [JSON.stringify(query)]);
    }

    /** Anchors the RFC 6962 root of `count` item digests. */
    anchorBatch(root: string, count: number, metadata: Readonly<BatchMetadata>): Promise<Submitted<EvidenceBatch>> {
        return this.submit('AnchorBatch', [root, String(count), JSON.stringify(metadata)]);
    }

    /** The batch with this id. */
    readBatch(batchId: string): Promise<EvidenceBatch> {
        return this.evaluate('ReadBatch', [batchId]);
    }

    /** Has the chaincode check an inclusion proof against a batch's root. */
    verifyInclusion(batchId: string, itemDigest: string, leafIndex: number, proof: readonly string[]): Promise<InclusionVerification> {
        return this.evaluate('VerifyInclusion', [batchId, itemDigest, String(leafIndex), JSON.stringify(proof)]);
    }

    /**
     * Checks a receipt offline and against the ledger.
     * @param currentDigest - SHA-256 of the item as it is now; pinpoints an altered item.
     */
    async verifyReceipt(receipt: Readonly<EvidenceReceipt>, currentDigest?: string): Promise<ReceiptCheck> {
        const offline = verifyReceipt(receipt, currentDigest);
        const onChain = await this.verifyInclusion(receipt.batchId, currentDigest ?? receipt.itemDigest, receipt.leafIndex, receipt.proof);
        const batch = onChain.batch;
        const rootOnChain =
            onChain.outcome === 'match' && batch?.root === receipt.root && batch.count === receipt.treeSize && batch.treeAlgorithm === (receipt.algorithm ?? batch.treeAlgorithm);
        const problem = offline.problem ?? this.#ledgerMismatch(receipt) ?? (rootOnChain ? undefined : 'root-not-on-chain');
        return { valid: problem === undefined, ...(problem ? { problem } : {}), offline, onChain };
    }

    /** A receipt for another ledger proves nothing here, even if a batch of the same id happens to match. */
    #ledgerMismatch(receipt: Readonly<EvidenceReceipt>): ReceiptProblem | undefined {
        if (receipt.channel !== undefined && receipt.channel !== channelOf(this.contract)) {
            return 'channel-mismatch';
        }
        return receipt.chaincode !== undefined && receipt.chaincode !== this.contract.getChaincodeName() ? 'chaincode-mismatch' : undefined;
    }

    /** A batcher that anchors through this client; close it when done. */
    createBatcher(options: Readonly<BatcherOptions>): EvidenceBatcher {
        return new EvidenceBatcher({
            ...options,
            anchor: async (root, count, metadata): Promise<AnchoredBatch> => {
                const { result, transactionId, blockNumber } = await this.anchorBatch(root, count, metadata);
                return { channel: channelOf(this.contract), chaincode: this.contract.getChaincodeName(), batchId: result.id, transactionId, blockNumber };
            },
        });
    }

    /** Walks a process trace back from a step to its first step. */
    traceBackward(id: string, maxSteps = 100): Promise<TraceWalk> {
        return this.evaluate('TraceBackward', [id, String(maxSteps)]);
    }

    /** Walks a process trace forward from a step through every later step. */
    traceForward(id: string, maxSteps = 100): Promise<TraceWalk> {
        return this.evaluate('TraceForward', [id, String(maxSteps)]);
    }

    /** Checks an artifact before loading it: load only when `loadAllowed`. */
    checkArtifact(artifactName: string, version: string, digest: string): Promise<ArtifactCheck> {
        return this.evaluate('CheckArtifact', [artifactName, version, digest]);
    }

    /** Hashes an artifact file and checks it before loading. */
    async checkArtifactFile(artifactName: string, version: string, path: string, onProgress?: ProgressListener): Promise<ArtifactCheck> {
        return this.checkArtifact(artifactName, version, (await hashFile(path, onProgress)).digest);
    }

    /** As a named recipient, acknowledges the digest of the data set received. */
    acknowledgeTransfer(id: string, receivedDigest: string): Promise<Submitted<TransferAcknowledgement>> {
        return this.submit('AcknowledgeTransfer', [id, receivedDigest]);
    }

    /** A transfer with its acknowledgements, pending recipients and mismatches. */
    readTransfer(id: string): Promise<TransferStatus> {
        return this.evaluate('ReadTransfer', [id]);
    }

    /** Sets the roles of one identity (by CN) of the caller's organisation; admins only. Empty list removes. */
    setRoles(commonName: string, roles: EvidenceRole[]): Promise<Submitted<EvidenceRoleGrant>> {
        return this.submit('SetRoles', [JSON.stringify({ commonName, roles })]);
    }

    /** The roles of one identity of an organisation. */
    readRoles(mspId: string, commonName: string): Promise<EvidenceRoleGrant> {
        return this.evaluate('ReadRoles', [mspId, commonName]);
    }

    /** Sets the caller's organisation's anchoring policy; admins only. */
    setOrgPolicy(anchoring: EvidenceOrgPolicy['anchoring']): Promise<Submitted<EvidenceOrgPolicy>> {
        return this.submit('SetOrgPolicy', [JSON.stringify({ anchoring })]);
    }

    /** An organisation's policy. */
    readOrgPolicy(mspId: string): Promise<EvidenceOrgPolicy> {
        return this.evaluate('ReadOrgPolicy', [mspId]);
    }
}
