import type { Context } from 'fabric-contract-api';
import { invalidArgument, requireDigest } from '../../common/src';
import { type Comparison, type EvidenceRecord, type EvidenceVerification, VERIFY_CONTENT_LIMIT_BYTES, type VerifyOutcome } from '../../schemas/src';
import { decodePayload, sha256Hex } from './evidence-record';
import { findByDigest, findRecord, readPersonal, readRecord } from './records';
import { sourceVerification } from './source-proof';
import { sealOf, witnessStatusOf } from './witness';

/*
 * Verification (E3): does what a client holds match what was anchored? Every answer says match, mismatch or
 * not found, what was compared, and when and by whom the record was anchored (with its witness, if any).
 */

/** Verify: a digest against a record (by id), or against any record carrying it (empty id). */
export async function verify(ctx: Context, id: string, digest: string): Promise<EvidenceVerification> {
    const wanted = requireDigest(digest, 'digest');
    const record = id === '' ? await findByDigest(ctx, wanted) : await findRecord(ctx, id);
    if (!record) {
        return verification('not_found', wanted, 'digest');
    }
    return withWitness(ctx, verification(record.digest === wanted ? 'match' : 'mismatch', wanted, 'digest', record));
}

/** VerifyContent: data stored whole is compared byte for byte, any other record by the content's SHA-256. */
export async function verifyContent(ctx: Context, id: string, contentBase64: string): Promise<EvidenceVerification> {
    const content = decodeContent(contentBase64);
    const digest = sha256Hex(content);
    const record = id === '' ? await findByDigest(ctx, digest) : await findRecord(ctx, id);
    if (!record) {
        return verification('not_found', digest, 'content');
    }
    if (record.payload) {
        const same = decodePayload(record.payload).bytes.equals(content);
        return withWitness(ctx, verification(same ? 'match' : 'mismatch', digest, 'content', record));
    }
    return withWitness(ctx, verification(record.digest === digest ? 'match' : 'mismatch', digest, 'digest', record));
}

/** VerifyPersonal: a document's SHA-256 against a personal record's private digest (same right as ReadPrivate). */
export async function verifyPersonal(ctx: Context, id: string, contentDigest: string): Promise<EvidenceVerification> {
    const wanted = requireDigest(contentDigest, 'contentDigest');
    const record = await readRecord(ctx, id);
    const personal = await readPersonal(ctx, record);
    return withWitness(ctx, verification(personal.contentDigest === wanted ? 'match' : 'mismatch', wanted, 'private-digest', record));
}

/** Adds the witness status of a witnessed record, and how a found record's source is known (signed or claimed). */
async function withWitness(ctx: Context, result: EvidenceVerification): Promise<EvidenceVerification> {
    if (!result.record) {
        return result;
    }
    const witness = await witnessStatusOf(ctx, sealOf('record', result.record, result.record.digest));
    const source = await sourceVerification(ctx, result.record.sourceProof);
    return witness ? { ...result, witness, source } : { ...result, source };
}

function verification(outcome: VerifyOutcome, digest: string, comparedBy: Comparison, record?: EvidenceRecord): EvidenceVerification {
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
