import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import {
    accessDenied,
    alreadyExists,
    caller,
    callerCommonName,
    collect,
    INDEX_VALUE,
    invalidArgument,
    invalidState,
    isEmpty,
    isOrgAdmin,
    marshal,
    notFound,
    parseArgument,
    readJSON,
    requireDigest,
    requireIdentifier,
    requireOneOf,
    requireOrgAdmin,
    requireOwnersForChanges,
    requireText,
    requireTimelyProposal,
    toJSON,
    txTime,
    unmarshal,
} from '../../common/src';
import {
    ANCHORING_POLICIES,
    callerHasRole,
    OrgPolicy,
    orgPolicyFrom,
    policyKey,
    readOrgPolicy,
    readRoleGrant,
    requireAnchoringRight,
    requireCommonName,
    requireRole,
    requireRoles,
    RoleGrant,
    roleKey,
} from './access-policy';
import { matchRecipient, recipientsOf, TransferAcknowledgement, TransferStatus } from './data-transfer';
import { BatchMetadata, EvidenceBatch, parseInteger, parseProof, TREE_ALGORITHM, validateBatch } from './evidence-batch';
import { digestMismatch, predecessorNotFound } from './evidence-errors';
import { EvidenceQuery, IndexFamily, parseQuery, queryIndexWrites, readQueryPage } from './evidence-index';
import {
    AnchorRequest,
    decodePayload,
    EvidenceRecord,
    sha256Hex,
    ValidAnchorRequest,
    validateAnchorRequest,
} from './evidence-record';
import { rootFromInclusionProof } from '../../schemas/src';
import { PersonalEvidence, privateCollectionOf, readPersonalInput, saltedDigest } from './personal-evidence';
import { recipientSlot } from './record-kinds';
import { isSealed, putSeal, WitnessSeal, witnessFor, WitnessStatus } from './witness';
import { markedValue, putOwnerMark } from './owner-mark';
import { getStates, putStates, StateWrite } from '../../common/src';

const RECORD_PREFIX = 'evidence~';
const BATCH_PREFIX = 'batch~';
const DIGEST_INDEX = 'evidence~digest~id';
const SUCCESSOR_INDEX = 'evidence~next';
const ARTIFACT_INDEX = 'evidence~artifact';
const ACK_INDEX = 'evidence~ack';
const BATCH_ROOT_INDEX = 'batch~root';

/** Verifying by content sends the content to the peer; beyond this, hash locally and verify by digest. */
export const VERIFY_CONTENT_LIMIT_BYTES = 1024 * 1024;
export const MAX_TRACE_STEPS = 1000;

export type VerifyOutcome = 'match' | 'mismatch' | 'not_found';
/** What a verification compared: the digest, the stored data itself (E2), or a personal record's private digest. */
export type Comparison = 'digest' | 'content' | 'private-digest';
export type ArtifactVerdict = 'approved' | 'mismatch' | 'revoked' | 'not_published';

/** The answer of every Verify transaction: match / mismatch / not found, and when and by whom. */
export interface Verification {
    outcome: VerifyOutcome;
    digest: string;
    comparedBy: Comparison;
    record?: EvidenceRecord;
    anchoredAt?: string;
    anchoredByMspId?: string;
    anchoredById?: string;
    status?: EvidenceRecord['status'];
    /** For witnessed records: the witness organisation and whether its seal is on the ledger. */
    witness?: WitnessStatus;
}

/** One entry of a record's history (E5), newest first as Fabric returns it. */
export interface HistoryEntry {
    txId: string;
    timestamp: string;
    isDelete: boolean;
    record?: EvidenceRecord;
}

/** A walk along a process trace (E9); `steps` are oldest first. `complete` is false when maxSteps cut it short. */
export interface TraceWalk {
    traceId: string;
    steps: EvidenceRecord[];
    complete: boolean;
}

@Info({ title: 'EvidenceContract', description: 'Notarize edge data by digest, in batches or privately, and verify it later' })
export class EvidenceContract extends Contract {
    constructor() {
        super('evidence');
    }

    /**
     * Anchors the digest (or small data, whole) and metadata of a record of any public kind (E1, E2, E7,
     * E9, E10, E11). The request is JSON (see AnchorRequest). Any member of an organisation whose policy
     * is `any-member` may call it, otherwise the submitter role; artifacts need the publisher role. Witnessed
     * (see witness.ts) when the request names `witnessMspId` or the caller's organisation names a supervisor.
     */
    @Transaction()
    @Returns('string')
    async Anchor(ctx: Context, requestJson: string): Promise<string> {
        requireTimelyProposal(ctx);
        const raw = parseArgument<Partial<AnchorRequest>>(requestJson, 'request');
        const request = validateAnchorRequest(raw);
        if (request.kind === 'personal-document') {
            throw invalidArgument('personal documents are anchored with AnchorPersonal, so that their data stays private');
        }
        const { policy, taken } = await this.#anchoringState(ctx, recordKey(request.id));
        await requireAnchoringRight(ctx, 'Anchor', policy);
        const witness = witnessFor(raw.witnessMspId, policy, caller(ctx).mspId);
        await this.#checkKindRules(ctx, request);
        if (taken) {
            throw alreadyExists(`evidence ${request.id} is already anchored`);
        }
        const record = newRecord(ctx, request, witness);
        const json = toJSON(record);
        await this.#writeNewRecord(ctx, record, json);
        emit(ctx, anchorEventName(record), anchorEventPayload(record));
        return json;
    }

    /**
     * Anchors a personal document (E8): transient entry `personal` = { salt, contentDigest, content? } goes to
     * the caller's organisation's private collection; the public record carries only SHA-256(salt || contentDigest).
     * Same right as Anchor. The request's `digest` may be left out (it is computed) and `payload` is refused.
     */
    @Transaction()
    @Returns('string')
    async AnchorPersonal(ctx: Context, requestJson: string): Promise<string> {
        requireTimelyProposal(ctx);
        const raw = parseArgument<Partial<AnchorRequest>>(requestJson, 'request');
        if ((raw.kind ?? 'personal-document') !== 'personal-document' || raw.payload !== undefined) {
            throw invalidArgument('AnchorPersonal takes kind personal-document and no on-chain payload');
        }
        const input = readPersonalInput(ctx);
        const digest = saltedDigest(input.salt, input.contentDigest);
        if (raw.digest !== undefined && raw.digest !== digest) {
            throw digestMismatch('digest must be left out or be SHA-256(salt || contentDigest)');
        }
        const request = validateAnchorRequest({ ...raw, kind: 'personal-document', digest });
        const { policy, taken } = await this.#anchoringState(ctx, recordKey(request.id));
        await requireAnchoringRight(ctx, 'AnchorPersonal', policy);
        const witness = witnessFor(raw.witnessMspId, policy, caller(ctx).mspId);
        if (taken) {
            throw alreadyExists(`evidence ${request.id} is already anchored`);
        }
        const record: EvidenceRecord = {
            ...newRecord(ctx, request, witness),
            digestScheme: 'salted-sha256',
            privateCollection: privateCollectionOf(caller(ctx).mspId),
        };
        const personal: PersonalEvidence = { id: record.id, ownerMspId: record.submitterMspId, ...input, storedAt: record.anchoredAt, txId: record.txId };
        await ctx.stub.putPrivateData(record.privateCollection ?? '', record.id, marshal(personal));
        const json = toJSON(record);
        await this.#writeNewRecord(ctx, record, json);
        emit(ctx, 'PersonalEvidenceAnchored', anchorEventPayload(record));
        return json;
    }

    /** The anchored record with this id. Any channel member. */
    @Transaction(false)
    @Returns('string')
    async Read(ctx: Context, id: string): Promise<string> {
        return toJSON(await this.#readRecord(ctx, id));
    }

    /** The private side of a personal record. Its submitter, or its organisation's privacy-reader role (admins). */
    @Transaction(false)
    @Returns('string')
    async ReadPrivate(ctx: Context, id: string): Promise<string> {
        return toJSON(await this.#readPersonal(ctx, await this.#readRecord(ctx, id)));
    }

    /**
     * Says whether a digest matches what was anchored (E3): with an id, `match` or `mismatch` against that
     * record; with an empty id, `match` if any record carries the digest. Any channel member.
     */
    @Transaction(false)
    @Returns('string')
    async Verify(ctx: Context, id: string, digest: string): Promise<string> {
        const wanted = requireDigest(digest, 'digest');
        const record = id === '' ? await this.#findByDigest(ctx, wanted) : await this.#findRecord(ctx, id);
        if (!record) {
            return toJSON(verification('not_found', wanted, 'digest'));
        }
        return toJSON(await withWitness(ctx, verification(record.digest === wanted ? 'match' : 'mismatch', wanted, 'digest', record)));
    }

    /**
     * Verifies content (base64, at most 1 MiB): a record stored whole (E2) is compared byte for byte,
     * any other by the content's SHA-256. An empty id searches by digest. Any channel member.
     */
    @Transaction(false)
    @Returns('string')
    async VerifyContent(ctx: Context, id: string, contentBase64: string): Promise<string> {
        const content = decodeContent(contentBase64);
        const digest = sha256Hex(content);
        const record = id === '' ? await this.#findByDigest(ctx, digest) : await this.#findRecord(ctx, id);
        if (!record) {
            return toJSON(verification('not_found', digest, 'content'));
        }
        if (record.payload) {
            const same = decodePayload(record.payload).bytes.equals(content);
            return toJSON(await withWitness(ctx, verification(same ? 'match' : 'mismatch', digest, 'content', record)));
        }
        return toJSON(await withWitness(ctx, verification(record.digest === digest ? 'match' : 'mismatch', digest, 'digest', record)));
    }

    /** Checks a document's SHA-256 against a personal record's private digest. Same right as ReadPrivate. */
    @Transaction(false)
    @Returns('string')
    async VerifyPersonal(ctx: Context, id: string, contentDigest: string): Promise<string> {
        const wanted = requireDigest(contentDigest, 'contentDigest');
        const record = await this.#readRecord(ctx, id);
        const personal = await this.#readPersonal(ctx, record);
        return toJSON(await withWitness(ctx, verification(personal.contentDigest === wanted ? 'match' : 'mismatch', wanted, 'private-digest', record)));
    }

    /**
     * Marks a record revoked, with reason. Its submitter, an admin of its organisation, or a holder of the
     * revoker role there (publisher role too, for artifacts). Revoked artifacts are refused by CheckArtifact.
     */
    @Transaction()
    @Returns('string')
    async Revoke(ctx: Context, id: string, reason: string): Promise<string> {
        requireTimelyProposal(ctx);
        const why = requireText(reason, 'reason', 512);
        const record = await this.#readRecord(ctx, id);
        if (record.status === 'revoked') {
            throw invalidState(`evidence ${id} was revoked already`);
        }
        await requireRevoker(ctx, record);
        const who = caller(ctx);
        const revocation = { revokedAt: txTime(ctx), revokedByMspId: who.mspId, revokedById: who.id, reason: why, txId: ctx.stub.getTxID() };
        const revoked: EvidenceRecord = { ...record, status: 'revoked', revocation };
        await ctx.stub.putState(recordKey(id), marshal(revoked));
        emit(ctx, revoked.kind === 'artifact' ? 'ArtifactRevoked' : 'EvidenceRevoked', { ...anchorEventPayload(revoked), revocation });
        return toJSON(revoked);
    }

    /** Every version of a record with who and when, newest first (E5). Any channel member. */
    @Transaction(false)
    @Returns('string')
    async History(ctx: Context, id: string): Promise<string> {
        const iterator = await ctx.stub.getHistoryForKey(recordKey(requireIdentifier(id, 'id')));
        const entries = await collect(iterator, (m): HistoryEntry => ({
            txId: m.txId,
            timestamp: new Date(Number(m.timestamp.seconds.toString()) * 1000 + Math.floor(m.timestamp.nanos / 1_000_000)).toISOString(),
            isDelete: m.isDelete,
            ...(m.isDelete ? {} : { record: unmarshal<EvidenceRecord>(m.value, 'evidence record') }),
        }));
        if (entries.length === 0) {
            throw notFound(`evidence ${id} does not exist`);
        }
        return toJSON(entries);
    }

    /** Records by source, kind, tag, org, submitter or time range, a page at a time (E6; see EvidenceQuery). Any channel member. */
    @Transaction(false)
    @Returns('string')
    async Query(ctx: Context, queryJson: string): Promise<string> {
        return this.#query(ctx, 'evidence', queryJson, (id) => this.#findRecord(ctx, id));
    }

    /**
     * Anchors the RFC 6962 root of `count` item digests (E4). metadataJson: { batchId?, name?, source, kind?, tags? };
     * the batch id defaults to the transaction id. Same right as Anchor.
     */
    @Transaction()
    @Returns('string')
    async AnchorBatch(ctx: Context, root: string, count: string, metadataJson: string): Promise<string> {
        requireTimelyProposal(ctx);
        const metadata = parseArgument<Partial<BatchMetadata>>(metadataJson, 'metadata');
        const valid = validateBatch(root, count, metadata, ctx.stub.getTxID());
        const { policy, taken } = await this.#anchoringState(ctx, batchKey(valid.id));
        await requireAnchoringRight(ctx, 'AnchorBatch', policy);
        const who = caller(ctx);
        const witness = witnessFor(metadata.witnessMspId, policy, who.mspId);
        if (taken) {
            throw alreadyExists(`batch ${valid.id} is already anchored`);
        }
        const batch: EvidenceBatch = {
            ...valid,
            treeAlgorithm: TREE_ALGORITHM,
            submitterMspId: who.mspId,
            submitterId: who.id,
            anchoredAt: txTime(ctx),
            txId: ctx.stub.getTxID(),
            ...(witness === undefined ? {} : { witnessMspId: witness }),
        };
        const json = toJSON(batch);
        const writes: StateWrite[] = [
            [batchKey(batch.id), Buffer.from(json)],
            [ctx.stub.createCompositeKey(BATCH_ROOT_INDEX, [batch.root, batch.id]), INDEX_VALUE],
            ...queryIndexWrites(ctx, 'batch', batch),
        ];
        await putStates(ctx, writes);
        await requireOwnersForChanges(ctx, writes.map(([key]) => key), ownersOf(batch));
        const seal = sealOf('batch', batch, batch.root);
        if (seal) {
            await putSeal(ctx, seal);
        }
        const { id, ...rest } = batch;
        emit(ctx, 'BatchAnchored', { batchId: id, ...rest });
        return json;
    }

    /** The anchored batch with this id. Any channel member. */
    @Transaction(false)
    @Returns('string')
    async ReadBatch(ctx: Context, batchId: string): Promise<string> {
        return toJSON(await this.#readBatch(ctx, batchId));
    }

    /**
     * Checks an RFC 6962 inclusion proof on chain: does the item digest at leafIndex lead to the batch's root?
     * proofJson is a JSON array of hex hashes, leaf to root. Any channel member.
     */
    @Transaction(false)
    @Returns('string')
    async VerifyInclusion(ctx: Context, batchId: string, itemDigest: string, leafIndex: string, proofJson: string): Promise<string> {
        const digest = requireDigest(itemDigest, 'itemDigest');
        const index = parseInteger(leafIndex, 'leafIndex');
        const proof = parseProof(proofJson);
        const batch = await readJSON<EvidenceBatch>(ctx, batchKey(requireIdentifier(batchId, 'batchId')), 'evidence batch');
        if (!batch) {
            return toJSON({ outcome: 'not_found' satisfies VerifyOutcome, batchId, itemDigest: digest, leafIndex: index });
        }
        const computed = rootFromInclusionProof(Buffer.from(digest, 'hex'), index, batch.count, proof)?.toString('hex');
        const outcome: VerifyOutcome = computed === batch.root ? 'match' : 'mismatch';
        const seal = sealOf('batch', batch, batch.root);
        const witness = seal ? { witness: { mspId: seal.witnessMspId, sealed: await isSealed(ctx, seal) } satisfies WitnessStatus } : {};
        return toJSON({ outcome, batchId, itemDigest: digest, leafIndex: index, computedRoot: computed ?? '', batch, ...witness });
    }

    /** Batches by source, kind, tag, org, submitter or time range (same query shape as Query). Any channel member. */
    @Transaction(false)
    @Returns('string')
    async QueryBatches(ctx: Context, queryJson: string): Promise<string> {
        return this.#query(ctx, 'batch', queryJson, (id) => readJSON<EvidenceBatch>(ctx, batchKey(id), 'evidence batch'));
    }

    /** Walks a process trace back from a step to its first step (E9). Any channel member. */
    @Transaction(false)
    @Returns('string')
    async TraceBackward(ctx: Context, id: string, maxSteps: string): Promise<string> {
        const limit = requireMaxSteps(maxSteps);
        let current = await this.#readProcessStep(ctx, id);
        const steps = [current];
        while (steps.length < limit && typeof current.attributes.predecessorId === 'string') {
            current = await this.#readRecord(ctx, current.attributes.predecessorId);
            steps.push(current);
        }
        const complete = current.attributes.predecessorId === undefined;
        return toJSON({ traceId: traceIdOf(current), steps: steps.reverse(), complete } satisfies TraceWalk);
    }

    /** Walks a process trace forward from a step through every later step, breadth first (E9). Any channel member. */
    @Transaction(false)
    @Returns('string')
    async TraceForward(ctx: Context, id: string, maxSteps: string): Promise<string> {
        const limit = requireMaxSteps(maxSteps);
        const start = await this.#readProcessStep(ctx, id);
        const steps = [start];
        const queue = [start.id];
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
            const successors = await this.#successorsOf(ctx, next);
            if (steps.length + successors.length > limit) {
                return toJSON({ traceId: traceIdOf(start), steps, complete: false } satisfies TraceWalk);
            }
            for (const successorId of successors) {
                steps.push(await this.#readRecord(ctx, successorId));
                queue.push(successorId);
            }
        }
        return toJSON({ traceId: traceIdOf(start), steps, complete: true } satisfies TraceWalk);
    }

    /**
     * Checks an artifact before it is loaded (E10): `approved` only when that version was published with this
     * digest and not revoked. Any channel member.
     */
    @Transaction(false)
    @Returns('string')
    async CheckArtifact(ctx: Context, artifactName: string, version: string, digest: string): Promise<string> {
        const key = artifactKey(ctx, requireIdentifier(artifactName, 'artifactName'), requireIdentifier(version, 'version'));
        const wanted = requireDigest(digest, 'digest');
        const idBytes = await ctx.stub.getState(key);
        const record = isEmpty(idBytes) ? undefined : await this.#readRecord(ctx, Buffer.from(idBytes).toString('utf8'));
        const verdict = artifactVerdict(record, wanted);
        return toJSON({ verdict, loadAllowed: verdict === 'approved', artifactName, version, digest: wanted, ...(record ? { record } : {}) });
    }

    /**
     * A named recipient of a data-set transfer acknowledges the digest it received (E11); a mismatch is
     * recorded as such. Only a recipient the transfer names, once.
     */
    @Transaction()
    @Returns('string')
    async AcknowledgeTransfer(ctx: Context, id: string, receivedDigest: string): Promise<string> {
        requireTimelyProposal(ctx);
        const received = requireDigest(receivedDigest, 'receivedDigest');
        const record = await this.#readTransfer(ctx, id);
        if (record.status === 'revoked') {
            throw invalidState(`transfer ${id} was revoked`);
        }
        const who = caller(ctx);
        const recipient = matchRecipient(record, who.mspId, callerCommonName(ctx));
        if (!recipient) {
            throw accessDenied(`${who.id} of ${who.mspId} is not a recipient of transfer ${id}`);
        }
        const key = ctx.stub.createCompositeKey(ACK_INDEX, [record.id, recipientSlot(recipient)]);
        if (!isEmpty(await ctx.stub.getState(key))) {
            throw alreadyExists(`recipient ${recipientSlot(recipient)} has acknowledged transfer ${id} already`);
        }
        const ack: TransferAcknowledgement = {
            transferId: record.id,
            recipient,
            receivedDigest: received,
            expectedDigest: record.digest,
            outcome: received === record.digest ? 'match' : 'mismatch',
            acknowledgedAt: txTime(ctx),
            acknowledgedByMspId: who.mspId,
            acknowledgedById: who.id,
            txId: ctx.stub.getTxID(),
        };
        await ctx.stub.putState(key, marshal(ack));
        await requireOwnersForChanges(ctx, [key], [who.mspId]);
        emit(ctx, 'TransferAcknowledged', ack);
        return toJSON(ack);
    }

    /** A data-set transfer with its acknowledgements, pending recipients and mismatch count. Any channel member. */
    @Transaction(false)
    @Returns('string')
    async ReadTransfer(ctx: Context, id: string): Promise<string> {
        const record = await this.#readTransfer(ctx, id);
        const iterator = await ctx.stub.getStateByPartialCompositeKey(ACK_INDEX, [record.id]);
        const acknowledgements = await collect(iterator, (kv) => unmarshal<TransferAcknowledgement>(kv.value, 'acknowledgement'));
        const done = new Set(acknowledgements.map((a) => recipientSlot(a.recipient)));
        const pending = recipientsOf(record).filter((r) => !done.has(recipientSlot(r)));
        const mismatches = acknowledgements.filter((a) => a.outcome === 'mismatch').length;
        return toJSON({ record, acknowledgements, pending, mismatches } satisfies TransferStatus);
    }

    /**
     * Sets the roles of one identity (by certificate CN) of the caller's own organisation; an empty list
     * removes them. requestJson: { commonName, roles }. Organisation admins only.
     */
    @Transaction()
    @Returns('string')
    async SetRoles(ctx: Context, requestJson: string): Promise<string> {
        requireTimelyProposal(ctx);
        const request = parseArgument<{ commonName?: unknown; roles?: unknown }>(requestJson, 'request');
        const name = requireCommonName(request.commonName);
        const roles = requireRoles(request.roles);
        requireOrgAdmin(ctx, 'SetRoles');
        const who = caller(ctx);
        const grant: RoleGrant = { mspId: who.mspId, commonName: name, roles, updatedAt: txTime(ctx), updatedById: who.id };
        // An empty list is kept as a grant of no roles, not deleted: deleting would drop the key's owner policy.
        const key = roleKey(ctx, who.mspId, name);
        const value = marshal(grant);
        await ctx.stub.putState(key, value);
        await requireOwnersForChanges(ctx, [key], [who.mspId]);
        await putOwnerMark(ctx, who.mspId, key, value);
        emit(ctx, 'RolesChanged', grant);
        return toJSON(grant);
    }

    /** The roles of one identity of an organisation (an empty list if none). Any channel member. */
    @Transaction(false)
    @Returns('string')
    async ReadRoles(ctx: Context, mspId: string, name: string): Promise<string> {
        const org = requireIdentifier(mspId, 'mspId');
        const cn = requireCommonName(name);
        return toJSON((await readRoleGrant(ctx, org, cn)) ?? { mspId: org, commonName: cn, roles: [] });
    }

    /**
     * Sets the caller's own organisation's policy. policyJson: { anchoring: 'any-member' | 'submitter-role', supervisorMspId? }:
     * with a supervisor, every record and batch of the organisation's members is witnessed by it. Admins only.
     */
    @Transaction()
    @Returns('string')
    async SetOrgPolicy(ctx: Context, policyJson: string): Promise<string> {
        requireTimelyProposal(ctx);
        const request = parseArgument<{ anchoring?: unknown; supervisorMspId?: unknown }>(policyJson, 'policy');
        const anchoring = requireOneOf(request.anchoring, 'anchoring', ANCHORING_POLICIES);
        requireOrgAdmin(ctx, 'SetOrgPolicy');
        const who = caller(ctx);
        const supervisor = witnessFor(request.supervisorMspId, { mspId: who.mspId, anchoring }, who.mspId);
        const policy: OrgPolicy = {
            mspId: who.mspId,
            anchoring,
            ...(supervisor === undefined ? {} : { supervisorMspId: supervisor }),
            updatedAt: txTime(ctx),
            updatedById: who.id,
        };
        const key = policyKey(ctx, who.mspId);
        const value = marshal(policy);
        await ctx.stub.putState(key, value);
        await requireOwnersForChanges(ctx, [key], [who.mspId]);
        await putOwnerMark(ctx, who.mspId, key, value);
        emit(ctx, 'OrgPolicyChanged', policy);
        return toJSON(policy);
    }

    /** An organisation's policy (`any-member` until its admins set one). Any channel member. */
    @Transaction(false)
    @Returns('string')
    async ReadOrgPolicy(ctx: Context, mspId: string): Promise<string> {
        return toJSON(await readOrgPolicy(ctx, requireIdentifier(mspId, 'mspId')));
    }

    async #checkKindRules(ctx: Context, request: ValidAnchorRequest): Promise<void> {
        if (request.kind === 'artifact') {
            await requireRole(ctx, 'publisher', 'Publishing an artifact');
            const { artifactName, version } = request.attributes as { artifactName: string; version: string };
            if (!isEmpty(await ctx.stub.getState(artifactKey(ctx, artifactName, version)))) {
                throw alreadyExists(`artifact ${artifactName} version ${version} is published already`);
            }
        }
        if (request.kind === 'process-step' && typeof request.attributes.predecessorId === 'string') {
            await this.#checkPredecessor(ctx, request.attributes.predecessorId, String(request.attributes.traceId));
        }
    }

    async #checkPredecessor(ctx: Context, predecessorId: string, traceId: string): Promise<void> {
        const predecessor = await this.#findRecord(ctx, predecessorId);
        if (!predecessor) {
            throw predecessorNotFound(`predecessor ${predecessorId} was never anchored`);
        }
        if (predecessor.kind !== 'process-step' || predecessor.attributes.traceId !== traceId) {
            throw invalidArgument(`predecessor ${predecessorId} is not a step of trace ${traceId}`);
        }
        if (predecessor.status === 'revoked') {
            throw invalidState(`predecessor ${predecessorId} was revoked`);
        }
    }

    /**
     * What every anchoring transaction reads first, in one message to the peer: the caller's organisation's
     * policy, and whether the new item's key is taken.
     */
    async #anchoringState(ctx: Context, key: string): Promise<{ policy: OrgPolicy; taken: boolean }> {
        const { mspId } = caller(ctx);
        const [policyBytes = new Uint8Array(), existing = new Uint8Array()] = await getStates(ctx, [policyKey(ctx, mspId), key]);
        return { policy: orgPolicyFrom(mspId, await markedValue(ctx, mspId, policyKey(ctx, mspId), policyBytes)), taken: !isEmpty(existing) };
    }

    /**
     * Every key a new record needs, written in one message to the peer: the record (`json`), its digest and
     * query indexes, and its kind's own index.
     */
    async #writeNewRecord(ctx: Context, record: EvidenceRecord, json: string): Promise<void> {
        const writes: StateWrite[] = [
            [recordKey(record.id), Buffer.from(json)],
            [ctx.stub.createCompositeKey(DIGEST_INDEX, [record.digest, record.id]), INDEX_VALUE],
            ...queryIndexWrites(ctx, 'evidence', record),
        ];
        const { predecessorId, artifactName, version } = record.attributes;
        if (record.kind === 'process-step' && typeof predecessorId === 'string') {
            writes.push([ctx.stub.createCompositeKey(SUCCESSOR_INDEX, [predecessorId, record.id]), INDEX_VALUE]);
        }
        if (record.kind === 'artifact') {
            writes.push([artifactKey(ctx, String(artifactName), String(version)), Buffer.from(record.id)]);
        }
        await putStates(ctx, writes);
        // The record and every index entry pointing at it: only its owners may later change or delete them.
        await requireOwnersForChanges(ctx, writes.map(([key]) => key), ownersOf(record));
        const seal = sealOf('record', record, record.digest);
        if (seal) {
            await putSeal(ctx, seal);
        }
    }

    async #findRecord(ctx: Context, id: string): Promise<EvidenceRecord | undefined> {
        return readJSON<EvidenceRecord>(ctx, recordKey(requireIdentifier(id, 'id')), 'evidence record');
    }

    async #readRecord(ctx: Context, id: string): Promise<EvidenceRecord> {
        const record = await this.#findRecord(ctx, id);
        if (!record) {
            throw notFound(`evidence ${id} does not exist`);
        }
        return record;
    }

    /**
     * The first record the digest index names that exists and carries the digest. Index entries are new keys
     * when written, so another organisation's modified peer could plant some; those are skipped, not trusted.
     */
    async #findByDigest(ctx: Context, digest: string): Promise<EvidenceRecord | undefined> {
        const iterator = await ctx.stub.getStateByPartialCompositeKey(DIGEST_INDEX, [digest]);
        try {
            for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
                const [, recordId = ''] = ctx.stub.splitCompositeKey(next.value.key).attributes;
                const record = await this.#findRecord(ctx, recordId);
                if (record?.digest === digest) {
                    return record;
                }
            }
            return undefined;
        } finally {
            await iterator.close();
        }
    }

    async #readPersonal(ctx: Context, record: EvidenceRecord): Promise<PersonalEvidence> {
        if (record.kind !== 'personal-document' || record.privateCollection === undefined) {
            throw invalidArgument(`evidence ${record.id} is not a personal record`);
        }
        await requirePrivateReader(ctx, record);
        const bytes = await ctx.stub.getPrivateData(record.privateCollection, record.id);
        if (isEmpty(bytes)) {
            throw notFound(`the private data of ${record.id} is not on this peer (collection ${record.privateCollection})`);
        }
        return unmarshal<PersonalEvidence>(bytes, 'personal evidence');
    }

    async #readBatch(ctx: Context, batchId: string): Promise<EvidenceBatch> {
        const batch = await readJSON<EvidenceBatch>(ctx, batchKey(requireIdentifier(batchId, 'batchId')), 'evidence batch');
        if (!batch) {
            throw notFound(`batch ${batchId} does not exist`);
        }
        return batch;
    }

    async #readProcessStep(ctx: Context, id: string): Promise<EvidenceRecord> {
        const record = await this.#readRecord(ctx, id);
        if (record.kind !== 'process-step') {
            throw invalidArgument(`evidence ${id} is a ${record.kind}, not a process step`);
        }
        return record;
    }

    async #readTransfer(ctx: Context, id: string): Promise<EvidenceRecord> {
        const record = await this.#readRecord(ctx, id);
        if (record.kind !== 'data-set-transfer') {
            throw invalidArgument(`evidence ${id} is a ${record.kind}, not a data-set transfer`);
        }
        return record;
    }

    async #successorsOf(ctx: Context, id: string): Promise<string[]> {
        const iterator = await ctx.stub.getStateByPartialCompositeKey(SUCCESSOR_INDEX, [id]);
        return collect(iterator, (kv) => ctx.stub.splitCompositeKey(kv.key).attributes[1] ?? '');
    }

    /** A page of a query; index entries naming no item (planted by somebody else's peer) are skipped. */
    async #query<T>(ctx: Context, family: IndexFamily, queryJson: string, read: (id: string) => Promise<T | undefined>): Promise<string> {
        const query = parseQuery(ctx, parseArgument<Partial<EvidenceQuery>>(queryJson, 'query'));
        const page = await readQueryPage(ctx, family, query);
        const records: T[] = [];
        for (const id of page.ids) {
            const item = await read(id);
            if (item !== undefined) {
                records.push(item);
            }
        }
        return toJSON({ records, bookmark: page.bookmark, fetchedRecordsCount: records.length });
    }
}

function recordKey(id: string): string {
    return RECORD_PREFIX + id;
}

function batchKey(id: string): string {
    return BATCH_PREFIX + id;
}

function artifactKey(ctx: Context, artifactName: string, version: string): string {
    return ctx.stub.createCompositeKey(ARTIFACT_INDEX, [artifactName, version]);
}

function emit(ctx: Context, name: string, payload: unknown): void {
    ctx.stub.setEvent(name, marshal(payload));
}

function newRecord(ctx: Context, request: ValidAnchorRequest, witnessMspId: string | undefined): EvidenceRecord {
    const who = caller(ctx);
    return {
        ...request,
        digestScheme: 'sha256',
        status: 'active',
        submitterMspId: who.mspId,
        submitterId: who.id,
        anchoredAt: txTime(ctx),
        txId: ctx.stub.getTxID(),
        ...(witnessMspId === undefined ? {} : { witnessMspId }),
    };
}

/** Who must endorse any later change of an anchored item: its submitter's organisation, and its witness's. */
function ownersOf(item: { submitterMspId: string; witnessMspId?: string }): string[] {
    return item.witnessMspId === undefined ? [item.submitterMspId] : [item.submitterMspId, item.witnessMspId];
}

/** The seal a witnessed record or batch must have; undefined when it has no witness. */
function sealOf(
    item: WitnessSeal['item'],
    anchored: { id: string; anchoredAt: string; submitterMspId: string; witnessMspId?: string; txId: string },
    digest: string,
): WitnessSeal | undefined {
    if (anchored.witnessMspId === undefined) {
        return undefined;
    }
    const { id, anchoredAt, submitterMspId, witnessMspId, txId } = anchored;
    return { item, id, digest, anchoredAt, submitterMspId, witnessMspId, txId };
}

/** Adds the witness status to a verification of a witnessed record. */
async function withWitness(ctx: Context, result: Verification): Promise<Verification> {
    const seal = result.record ? sealOf('record', result.record, result.record.digest) : undefined;
    return seal ? { ...result, witness: { mspId: seal.witnessMspId, sealed: await isSealed(ctx, seal) } } : result;
}

/** Kinds others act on get their own event name, so listeners can subscribe to just those. */
function anchorEventName(record: EvidenceRecord): string {
    switch (record.kind) {
        case 'process-step':
            return 'ProcessStepRecorded';
        case 'artifact':
            return 'ArtifactPublished';
        case 'data-set-transfer':
            return 'DataTransferAnnounced';
        default:
            return 'EvidenceAnchored';
    }
}

/** Everything public about a record except data stored whole, which can be up to the payload cap. */
function anchorEventPayload(record: EvidenceRecord): Omit<EvidenceRecord, 'payload'> & { hasPayload: boolean } {
    const { payload, revocation: _revocation, ...rest } = record;
    return { ...rest, hasPayload: payload !== undefined };
}

function verification(outcome: VerifyOutcome, digest: string, comparedBy: Comparison, record?: EvidenceRecord): Verification {
    if (!record) {
        return { outcome, digest, comparedBy };
    }
    return {
        outcome,
        digest,
        comparedBy,
        record,
        anchoredAt: record.anchoredAt,
        anchoredByMspId: record.submitterMspId,
        anchoredById: record.submitterId,
        status: record.status,
    };
}

function decodeContent(contentBase64: string): Buffer {
    if (contentBase64.length > Math.ceil(VERIFY_CONTENT_LIMIT_BYTES / 3) * 4) {
        throw invalidArgument(`content above ${String(VERIFY_CONTENT_LIMIT_BYTES)} bytes: hash it locally and use Verify`);
    }
    const content = Buffer.from(contentBase64, 'base64');
    if (content.toString('base64') !== contentBase64) {
        throw invalidArgument('content must be canonical base64');
    }
    return content;
}

function requireMaxSteps(maxSteps: string): number {
    const limit = parseInteger(maxSteps, 'maxSteps');
    if (limit < 1 || limit > MAX_TRACE_STEPS) {
        throw invalidArgument(`maxSteps must be from 1 to ${String(MAX_TRACE_STEPS)}`);
    }
    return limit;
}

function traceIdOf(record: EvidenceRecord): string {
    return String(record.attributes.traceId);
}

function artifactVerdict(record: EvidenceRecord | undefined, digest: string): ArtifactVerdict {
    if (!record) {
        return 'not_published';
    }
    if (record.status === 'revoked') {
        return 'revoked';
    }
    return record.digest === digest ? 'approved' : 'mismatch';
}

/** The submitter itself, or its organisation's admins / holders of `role` (and of revoker). */
async function requireRevoker(ctx: Context, record: EvidenceRecord): Promise<void> {
    const who = caller(ctx);
    if (who.mspId === record.submitterMspId) {
        if (who.id === record.submitterId || isOrgAdmin(ctx) || (await callerHasRole(ctx, 'revoker'))) {
            return;
        }
        if (record.kind === 'artifact' && (await callerHasRole(ctx, 'publisher'))) {
            return;
        }
    }
    throw accessDenied(`${who.id} of ${who.mspId} may not revoke evidence ${record.id}`);
}

/** Private data is for the owning organisation only: the submitter, or its privacy-reader role (admins). */
async function requirePrivateReader(ctx: Context, record: EvidenceRecord): Promise<void> {
    const who = caller(ctx);
    const allowed = who.mspId === record.submitterMspId && (who.id === record.submitterId || (await callerHasRole(ctx, 'privacy-reader')));
    if (!allowed) {
        throw accessDenied(`${who.id} of ${who.mspId} may not read the private data of ${record.id}`);
    }
}
