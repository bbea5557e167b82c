import type { Context } from 'fabric-contract-api';
import {
    accessDenied,
    alreadyExists,
    caller,
    collect,
    getStates,
    INDEX_VALUE,
    invalidArgument,
    invalidState,
    isEmpty,
    isOrgAdmin,
    LedgerState,
    marshal,
    notFound,
    parseArgument,
    putOwnedStates,
    readJSON,
    requireIdentifier,
    requireText,
    requireTimelyProposal,
    type StatePut,
    toJSON,
    txTime,
    unmarshal,
} from '../../common/src';
import type { AnchorRequest, EvidenceHistoryEntry, EvidenceOrgPolicy, EvidenceRecord, PersonalEvidence, PersonalPurge } from '../../schemas/src';
import { callerHasRole, orgPolicyFrom, policyKey, requireAnchoringRight, requireRole } from './access-policy';
import { predecessorNotFound, digestMismatch } from './evidence-errors';
import { queryIndexWrites } from './evidence-index';
import { type ValidAnchorRequest, validateAnchorRequest } from './evidence-record';
import { artifactKey, key, KeyType, recordKey } from './keys';
import { markedValue } from './owner-mark';
import { PERSONAL_PUBLIC_NAME, PERSONAL_TRANSIENT_KEY, privateCollectionOf, readPersonalInput, saltedDigest } from './personal-evidence';
import { validateCapture, verifyCapture, type VerifiedCapture } from './source-proof';
import { ownersOf, putSeal, sealOf, witnessFor } from './witness';

/*
 * The record aggregate: anchoring (E1, E2, E7–E11), reading, history (E5) and revocation of single records.
 * Every function checks its caller's right first and writes nothing before every check has passed.
 */

/** Anchor: a record of any public kind; its JSON (the text stored, and returned). */
export async function anchor(ctx: Context, requestJson: string): Promise<string> {
    requireTimelyProposal(ctx);
    const raw = parseArgument<Partial<AnchorRequest>>(requestJson, 'request');
    const request = validateAnchorRequest(raw);
    if (request.kind === 'personal-document') {
        throw invalidArgument('personal documents are anchored with AnchorPersonal, so that their data stays private');
    }
    const capture = raw.capture === undefined ? undefined : validateCapture(raw.capture, request.source);
    const { policy, taken } = await anchoringState(ctx, recordKey(request.id));
    await requireAnchoringRight(ctx, 'Anchor', policy);
    const witness = witnessFor(raw.witnessMspId, policy, caller(ctx).mspId);
    await checkKindRules(ctx, request);
    if (taken) {
        throw alreadyExists(`evidence ${request.id} is already anchored`);
    }
    const verified = capture === undefined ? undefined : await verifyCapture(ctx, capture, request.digest, request.source);
    const record = newRecord(ctx, request, witness, verified);
    const json = toJSON(record);
    await writeNewRecord(ctx, record, json, verified);
    emit(ctx, anchorEventName(record), anchorEventPayload(record));
    return json;
}

/** AnchorPersonal (E8): the private side to the owner's collection, the salted digest on the ledger. */
export async function anchorPersonal(ctx: Context, requestJson: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const raw = parseArgument<Partial<AnchorRequest>>(requestJson, 'request');
    if ((raw.kind ?? 'personal-document') !== 'personal-document' || raw.payload !== undefined || raw.capture !== undefined) {
        throw invalidArgument('AnchorPersonal takes kind personal-document, no on-chain payload and no signed capture');
    }
    if (raw.name !== undefined || raw.source !== undefined || raw.tags !== undefined) {
        throw invalidArgument(`name, source and tags of a personal record go in transient entry "${PERSONAL_TRANSIENT_KEY}", never in the transaction`);
    }
    const input = readPersonalInput(ctx);
    const digest = saltedDigest(state.salt(), input.contentDigest);
    if (raw.digest !== undefined && raw.digest !== digest) {
        throw digestMismatch('digest must be left out or be SHA-256(salt || contentDigest)');
    }
    // The public record names only its owner organisation; what can identify a person is in the private side.
    const publicSide = { name: PERSONAL_PUBLIC_NAME, source: { type: 'org' as const, id: caller(ctx).mspId } };
    const request = validateAnchorRequest({ ...raw, ...publicSide, kind: 'personal-document', digest });
    const { policy, taken } = await anchoringState(ctx, recordKey(request.id));
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
    // Salted with the transaction's salt as it is stored, so PersonalEvidence.salt is that salt.
    const personal: Omit<PersonalEvidence, 'salt'> = { id: record.id, ownerMspId: record.submitterMspId, ...input, storedAt: record.anchoredAt, txId: record.txId };
    state.put(record.id, personal, record.privateCollection);
    const json = toJSON(record);
    await writeNewRecord(ctx, record, json);
    await state.commit('PersonalEvidenceAnchored', anchorEventPayload(record));
    return json;
}

/** Revoke: marks a record revoked, with reason. */
export async function revoke(ctx: Context, id: string, reason: string): Promise<EvidenceRecord> {
    requireTimelyProposal(ctx);
    const why = requireText(reason, 'reason', 512);
    const record = await readRecord(ctx, id);
    if (record.status === 'revoked') {
        throw invalidState(`evidence ${id} was revoked already`);
    }
    await requireRevoker(ctx, record);
    const who = caller(ctx);
    const revocation = { revokedAt: txTime(ctx), revokedByMspId: who.mspId, revokedById: who.id, reason: why, txId: ctx.stub.getTxID() };
    const revoked: EvidenceRecord = { ...record, status: 'revoked', revocation };
    await ctx.stub.putState(recordKey(id), marshal(revoked));
    emit(ctx, revoked.kind === 'artifact' ? 'ArtifactRevoked' : 'EvidenceRevoked', { ...anchorEventPayload(revoked), revocation });
    return revoked;
}

/** History: every version of a record, newest first. */
export async function history(ctx: Context, id: string): Promise<EvidenceHistoryEntry[]> {
    const iterator = await ctx.stub.getHistoryForKey(recordKey(requireIdentifier(id, 'id')));
    const entries = await collect(iterator, (m): EvidenceHistoryEntry => ({
        txId: m.txId,
        timestamp: new Date(Number(m.timestamp.seconds.toString()) * 1000 + Math.floor(m.timestamp.nanos / 1_000_000)).toISOString(),
        isDelete: m.isDelete,
        ...(m.isDelete ? {} : { record: unmarshal<EvidenceRecord>(m.value, 'evidence record') }),
    }));
    if (entries.length === 0) {
        throw notFound(`evidence ${id} does not exist`);
    }
    return entries;
}

/** ReadPrivate: the private side of a personal record, for its submitter or its organisation's privacy readers. */
export async function readPersonal(ctx: Context, record: EvidenceRecord): Promise<PersonalEvidence> {
    if (record.kind !== 'personal-document' || record.privateCollection === undefined) {
        throw invalidArgument(`evidence ${record.id} is not a personal record`);
    }
    await requirePrivateReader(ctx, record);
    const personal = await LedgerState.query(ctx).readWithSalt<Omit<PersonalEvidence, 'salt'>>(record.id, 'personal evidence', record.privateCollection);
    if (personal === undefined) {
        throw notFound(`the private data of ${record.id} is not on this peer (collection ${record.privateCollection})`);
    }
    return personal;
}

/**
 * PurgePersonal: erases the private side of a personal record (right to erasure). PurgePrivateData removes it from
 * every member peer, its history included; the public record and its salted digest stay, and without the salt they
 * link to nothing.
 */
export async function purgePersonal(ctx: Context, id: string): Promise<PersonalPurge> {
    const record = await readRecord(ctx, id);
    if (record.kind !== 'personal-document' || record.privateCollection === undefined) {
        throw invalidArgument(`evidence ${record.id} is not a personal record`);
    }
    await requirePurger(ctx, record);
    if (isEmpty(await ctx.stub.getPrivateDataHash(record.privateCollection, record.id))) {
        throw notFound(`the private side of ${record.id} was erased already`);
    }
    await ctx.stub.purgePrivateData(record.privateCollection, record.id);
    emit(ctx, 'PersonalEvidencePurged', { id: record.id });
    return { id: record.id, txId: ctx.stub.getTxID() };
}

export async function findRecord(ctx: Context, id: string): Promise<EvidenceRecord | undefined> {
    return readJSON<EvidenceRecord>(ctx, recordKey(requireIdentifier(id, 'id')), 'evidence record');
}

export async function readRecord(ctx: Context, id: string): Promise<EvidenceRecord> {
    const record = await findRecord(ctx, id);
    if (!record) {
        throw notFound(`evidence ${id} does not exist`);
    }
    return record;
}

/** A record that must be of one kind (a process step, a data-set transfer). */
export async function readRecordOfKind(ctx: Context, id: string, kind: EvidenceRecord['kind'], what: string): Promise<EvidenceRecord> {
    const record = await readRecord(ctx, id);
    if (record.kind !== kind) {
        throw invalidArgument(`evidence ${id} is a ${record.kind}, not a ${what}`);
    }
    return record;
}

/**
 * The first record the digest index names that exists and carries the digest. Index entries are new keys
 * when written, so another organisation's modified peer could plant some; those are skipped, not trusted.
 */
export async function findByDigest(ctx: Context, digest: string): Promise<EvidenceRecord | undefined> {
    const iterator = await ctx.stub.getStateByPartialCompositeKey(KeyType.DigestIndex, [digest]);
    try {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
            const [, recordId = ''] = ctx.stub.splitCompositeKey(next.value.key).attributes;
            const record = await findRecord(ctx, recordId);
            if (record?.digest === digest) {
                return record;
            }
        }
        return undefined;
    } finally {
        await iterator.close();
    }
}

/** The transaction's one event. */
export function emit(ctx: Context, name: string, payload: unknown): void {
    ctx.stub.setEvent(name, marshal(payload));
}

/**
 * What every anchoring transaction reads first, in one message to the peer: the caller's organisation's
 * policy, and whether the new item's key is taken.
 */
export async function anchoringState(ctx: Context, itemKey: string): Promise<{ policy: EvidenceOrgPolicy; taken: boolean }> {
    const { mspId } = caller(ctx);
    const [policyBytes = new Uint8Array(), existing = new Uint8Array()] = await getStates(ctx, [policyKey(ctx, mspId), itemKey]);
    return { policy: orgPolicyFrom(mspId, await markedValue(ctx, mspId, policyKey(ctx, mspId), policyBytes)), taken: !isEmpty(existing) };
}

async function checkKindRules(ctx: Context, request: ValidAnchorRequest): Promise<void> {
    if (request.kind === 'artifact') {
        await requireRole(ctx, 'publisher', 'Publishing an artifact');
        const { artifactName, version } = request.attributes as { artifactName: string; version: string };
        if (!isEmpty(await ctx.stub.getState(artifactKey(ctx, artifactName, version)))) {
            throw alreadyExists(`artifact ${artifactName} version ${version} is published already`);
        }
    }
    if (request.kind === 'process-step' && typeof request.attributes.predecessorId === 'string') {
        await checkPredecessor(ctx, request.attributes.predecessorId, String(request.attributes.traceId));
    }
}

async function checkPredecessor(ctx: Context, predecessorId: string, traceId: string): Promise<void> {
    const predecessor = await findRecord(ctx, predecessorId);
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
 * Every key a new record needs, written in one message to the peer: the record (`json`), its digest and
 * query indexes, and its kind's own index.
 */
async function writeNewRecord(ctx: Context, record: EvidenceRecord, json: string, verified?: VerifiedCapture): Promise<void> {
    const writes: StatePut[] = [
        [recordKey(record.id), Buffer.from(json)],
        [key(ctx, KeyType.DigestIndex, record.digest, record.id), INDEX_VALUE],
        ...queryIndexWrites(ctx, 'evidence', record),
    ];
    const { predecessorId, artifactName, version } = record.attributes;
    if (record.kind === 'process-step' && typeof predecessorId === 'string') {
        writes.push([key(ctx, KeyType.SuccessorIndex, predecessorId, record.id), INDEX_VALUE]);
    }
    if (record.kind === 'artifact') {
        writes.push([artifactKey(ctx, String(artifactName), String(version)), Buffer.from(record.id)]);
    }
    // The record and every index entry pointing at it: only its owners may later change or delete them. Values and
    // policies go in one message to the peer (common/src/state-batch.ts).
    await putOwnedStates(ctx, writes, ownersOf(record));
    if (verified) {
        // Not owned by the record's owners: any organisation may anchor the device's next capture.
        await ctx.stub.putState(...verified.sequenceWrite);
    }
    const seal = sealOf('record', record, record.digest);
    if (seal) {
        await putSeal(ctx, seal);
    }
}

function newRecord(ctx: Context, request: ValidAnchorRequest, witnessMspId: string | undefined, verified?: VerifiedCapture): EvidenceRecord {
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
        ...(verified === undefined ? {} : { sourceProof: verified.proof }),
    };
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

/** Erasure is for the owner organisation: the submitter, its administrators or its privacy-reader role. */
async function requirePurger(ctx: Context, record: EvidenceRecord): Promise<void> {
    const who = caller(ctx);
    const allowed = who.mspId === record.submitterMspId && (who.id === record.submitterId || isOrgAdmin(ctx) || (await callerHasRole(ctx, 'privacy-reader')));
    if (!allowed) {
        throw accessDenied(`${who.id} of ${who.mspId} may not erase the private data of ${record.id}`);
    }
}
