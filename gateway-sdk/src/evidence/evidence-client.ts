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
    PersonalPurge,
    EvidenceRoleGrant,
    TraceWalk,
    TransferAcknowledgement,
    TransferStatus,
    EvidenceVerification,
} from './models';
import { type EvidenceReceipt, type ReceiptProblem, verifyReceipt } from './receipt';
import { iterateAll } from '../paging';
import { freshSalt } from '../private-salt';

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
    /** The salt used (32 random bytes, base64); it is also kept in the owner's private collection. The public digest is SHA-256(salt bytes || content digest bytes). */
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

/** Options of an {@link EvidenceClient}. */
export interface EvidenceClientOptions {
    /**
     * Your organisation's MSP id. Needed for witnessed anchoring: the client then asks the gateway for
     * endorsements of your organisation and the witness's, and by default anchors witnessed whenever your
     * organisation's policy names a supervisor.
     */
    mspId?: string;
}

/** Options of one anchoring. */
export interface AnchorOptions {
    /**
     * The witness organisation; by default your organisation's supervisor, if its policy names one. Pass `false`
     * to anchor unwitnessed (refused by the chaincode when your organisation has a supervisor).
     */
    witness?: string | false;
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
    readonly #mspId: string | undefined;
    #supervisor: Promise<string | undefined> | undefined;

    /**
     * @param contract - The evidence chaincode's contract from fabric-gateway.
     * @param options - Your MSP id, for witnessed anchoring.
     */
    constructor(contract: Contract, options: EvidenceClientOptions = {}) {
        super(contract);
        this.#mspId = options.mspId;
    }

    /**
     * Anchors a record of any public kind; witnessed when `options.witness` or the request names a witness, or
     * your organisation's policy names a supervisor (read once per client, see {@link EvidenceClient.refreshPolicy}).
     */
    async anchor<K extends EvidenceKind>(request: AnchorRequest<K>, options: AnchorOptions = {}): Promise<Submitted<EvidenceRecord>> {
        const witness = await this.#witnessFor(request.witnessMspId, options);
        const witnessed = witness === undefined ? request : { ...request, witnessMspId: witness };
        return this.submit('Anchor', [JSON.stringify(witnessed)], { endorsingOrganizations: this.#endorsersFor(witness) });
    }

    /** Forgets the supervisor read from your organisation's policy, e.g. after its admins changed it. */
    refreshPolicy(): void {
        this.#supervisor = undefined;
    }

    async #witnessFor(requested: string | undefined, options: AnchorOptions): Promise<string | undefined> {
        if (options.witness === false) {
            return undefined;
        }
        const named = options.witness ?? requested;
        if (named !== undefined || this.#mspId === undefined) {
            return named;
        }
        const own = this.#mspId;
        this.#supervisor ??= this.readOrgPolicy(own).then(
            (policy) => policy.supervisorMspId,
            (err: unknown) => {
                this.#supervisor = undefined;
                throw err;
            },
        );
        return this.#supervisor;
    }

    /** A witnessed anchoring must be endorsed by your organisation and the witness's; the gateway is told so. */
    #endorsersFor(witness: string | undefined): string[] | undefined {
        if (witness === undefined) {
            return undefined;
        }
        if (this.#mspId === undefined) {
            throw new TypeError('witnessed anchoring needs your MSP id: new EvidenceClient(contract, { mspId })');
        }
        return [this.#mspId, witness];
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
        options: AnchorOptions = {},
    ): Promise<Submitted<EvidenceRecord> & { file: FileDigest }> {
        const file = await hashFile(path, onProgress);
        return { ...(await this.anchor({ ...request, digest: file.digest, size: file.size }, options)), file };
    }

    /**
     * Anchors a personal document: data or digest, a fresh 32-byte salt, and the record's name, source and tags
     * (they can identify a person) go privately (transient data) to the owner organisation's collection; only
     * SHA-256(salt || digest) is public, under the name `personal-document` with the owner organisation as source.
     * @param endorsingOrganizations - Pass your own MSP id: only peers of the owner's organisation hold its collection.
     *   By default (with the client's `mspId`): your organisation, and the witness when the record is witnessed.
     */
    async anchorPersonal(
        request: Omit<AnchorRequest<'personal-document'>, 'kind' | 'digest' | 'payload'>,
        document: Readonly<PersonalDocument>,
        endorsingOrganizations?: string[],
        options: AnchorOptions = {},
    ): Promise<AnchoredPersonal> {
        const contentDigest = document.content ? sha256Hex(document.content) : document.contentDigest;
        if (contentDigest === undefined) {
            throw new TypeError('a personal document needs content or contentDigest');
        }
        const { salt, transientData: saltEntry } = freshSalt();
        const content = document.storeContent && document.content ? Buffer.from(document.content).toString('base64') : undefined;
        const { name, source, tags, ...publicPart } = request;
        const personal = Buffer.from(JSON.stringify({ contentDigest, ...(content ? { content } : {}), name, source, ...(tags ? { tags } : {}) }));
        const witness = await this.#witnessFor(request.witnessMspId, options);
        const witnessed = witness === undefined ? publicPart : { ...publicPart, witnessMspId: witness };
        const endorsers = endorsingOrganizations ?? this.#endorsersFor(witness) ?? (this.#mspId === undefined ? undefined : [this.#mspId]);
        const submitted = await this.submit<EvidenceRecord>('AnchorPersonal', [JSON.stringify({ ...witnessed, kind: 'personal-document' })], {
            transientData: { personal, ...saltEntry },
            endorsingOrganizations: endorsers,
        });
        return { ...submitted, salt, contentDigest };
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
     * Erases the private side of a personal record (right to erasure): document, salt, name, source and tags are
     * purged from every peer of the owner organisation; the public record and its salted digest stay.
     * For its submitter and its organisation's administrators and privacy readers; `NOT_FOUND` once erased.
     * @param endorsingOrganizations - Only peers of the owner organisation hold its collection; by default, the client's `mspId`.
     */
    purgePersonal(id: string, endorsingOrganizations?: string[]): Promise<Submitted<PersonalPurge>> {
        const endorsers = endorsingOrganizations ?? (this.#mspId === undefined ? undefined : [this.#mspId]);
        return this.submit('PurgePersonal', [id], { endorsingOrganizations: endorsers });
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
    queryAll(query: Readonly<EvidenceQuery>): AsyncGenerator<EvidenceRecord, void, undefined> {
        return iterateAll((bookmark) => this.query({ ...query, bookmark }), query.bookmark);
    }

    /** One page of batches matching a query. */
    queryBatches(query: Readonly<EvidenceQuery>): Promise<EvidencePage<EvidenceBatch>> {
        return this.evaluate('QueryBatches', [JSON.stringify(query)]);
    }

    /** Every batch matching a query, following bookmarks page by page. */
    queryBatchesAll(query: Readonly<EvidenceQuery>): AsyncGenerator<EvidenceBatch, void, undefined> {
        return iterateAll((bookmark) => this.queryBatches({ ...query, bookmark }), query.bookmark);
    }

    /** Anchors the RFC 6962 root of `count` item digests. */
    async anchorBatch(root: string, count: number, metadata: Readonly<BatchMetadata>, options: AnchorOptions = {}): Promise<Submitted<EvidenceBatch>> {
        const witness = await this.#witnessFor(metadata.witnessMspId, options);
        const witnessed = witness === undefined ? metadata : { ...metadata, witnessMspId: witness };
        return this.submit('AnchorBatch', [root, String(count), JSON.stringify(witnessed)], { endorsingOrganizations: this.#endorsersFor(witness) });
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
                const where = { channel: channelOf(this.contract), chaincode: this.contract.getChaincodeName(), batchId: result.id, transactionId, blockNumber };
                return result.sourceProof ? { ...where, sourceProof: result.sourceProof } : where;
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

    /**
     * Sets the caller's organisation's anchoring policy; admins only.
     * @param supervisorMspId - The organisation that must witness every record and batch of yours from now on.
     */
    setOrgPolicy(anchoring: EvidenceOrgPolicy['anchoring'], supervisorMspId?: string): Promise<Submitted<EvidenceOrgPolicy>> {
        this.refreshPolicy();
        return this.submit('SetOrgPolicy', [JSON.stringify({ anchoring, ...(supervisorMspId === undefined ? {} : { supervisorMspId }) })]);
    }

    /** An organisation's policy. */
    readOrgPolicy(mspId: string): Promise<EvidenceOrgPolicy> {
        return this.evaluate('ReadOrgPolicy', [mspId]);
    }
}
