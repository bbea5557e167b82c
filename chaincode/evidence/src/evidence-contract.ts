import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { alreadyExists, caller, marshal, notFound, parseArgument, readJSON, requireDigest, requireIdentifier, toJSON, txTime } from '../../common/src';
import { AnchorRequest, EvidenceKind, EvidenceRecord, SourceType } from './evidence-record';

const RECORD_PREFIX = 'evidence~';
const DIGEST_INDEX = 'evidence~digest~id';

export type VerifyOutcome = 'match' | 'mismatch' | 'not_found';

@Info({ title: 'EvidenceContract', description: 'Notarize edge data by digest and verify it later' })
export class EvidenceContract extends Contract {
    constructor() {
        super('evidence');
    }

    /** Anchors the digest and metadata of a piece of edge data. The request is JSON (see AnchorRequest). */
    @Transaction()
    @Returns('string')
    async Anchor(ctx: Context, requestJson: string): Promise<string> {
        const request = EvidenceRecord.validateRequest(parseArgument<Partial<AnchorRequest>>(requestJson, 'request'));
        const key = recordKey(request.id);
        if ((await ctx.stub.getState(key)).length > 0) {
            throw alreadyExists(`evidence ${request.id} is already anchored`);
        }
        const who = caller(ctx);
        const record: EvidenceRecord = {
            ...request,
            kind: request.kind as EvidenceKind,
            source: { type: request.source.type as SourceType, id: request.source.id },
            tags: request.tags ?? [],
            submitterMspId: who.mspId,
            submitterId: who.id,
            anchoredAt: txTime(ctx),
            txId: ctx.stub.getTxID(),
        };
        await ctx.stub.putState(key, marshal(record));
        await ctx.stub.putState(ctx.stub.createCompositeKey(DIGEST_INDEX, [record.digest, record.id]), new Uint8Array([0]));
        ctx.stub.setEvent('EvidenceAnchored', marshal({ id: record.id, digest: record.digest, kind: record.kind, txId: record.txId }));
        return toJSON(record);
    }

    /** The anchored record with this id. */
    @Transaction(false)
    @Returns('string')
    async Read(ctx: Context, id: string): Promise<string> {
        return toJSON(await this.#readRecord(ctx, id));
    }

    /**
     * Says whether a digest matches what was anchored: with an id, `match` or `mismatch`
     * against that record; with an empty id, `match` if any record carries the digest.
     */
    @Transaction(false)
    @Returns('string')
    async Verify(ctx: Context, id: string, digest: string): Promise<string> {
        const wanted = requireDigest(digest, 'digest');
        if (id !== '') {
            const record = await readJSON<EvidenceRecord>(ctx, recordKey(requireIdentifier(id, 'id')), 'evidence record');
            if (!record) {
                return toJSON({ outcome: 'not_found' satisfies VerifyOutcome, digest: wanted });
            }
            const outcome: VerifyOutcome = record.digest === wanted ? 'match' : 'mismatch';
            return toJSON({ outcome, digest: wanted, record });
        }
        const iterator = await ctx.stub.getStateByPartialCompositeKey(DIGEST_INDEX, [wanted]);
        try {
            const first = await iterator.next();
            if (first.done) {
                return toJSON({ outcome: 'not_found' satisfies VerifyOutcome, digest: wanted });
            }
            const [, recordId = ''] = ctx.stub.splitCompositeKey(first.value.key).attributes;
            return toJSON({ outcome: 'match' satisfies VerifyOutcome, digest: wanted, record: await this.#readRecord(ctx, recordId) });
        } finally {
            await iterator.close();
        }
    }

    async #readRecord(ctx: Context, id: string): Promise<EvidenceRecord> {
        const record = await readJSON<EvidenceRecord>(ctx, recordKey(requireIdentifier(id, 'id')), 'evidence record');
        if (!record) {
            throw notFound(`evidence ${id} does not exist`);
        }
        return record;
    }
}

function recordKey(id: string): string {
    return RECORD_PREFIX + id;
}
