import { type TSchema, Type } from '@sinclair/typebox';
import { schemaTable, type SchemaSource } from './source';

// TODO(@edgetrust/schemas): the shared wire-model package (`chaincode/schemas`, TypeBox schemas of every request and
// record) replaces this file: `wire.ts` already takes the evidence schemas from it and falls back to this table only
// for names it does not map yet (billing, device identity: the package has their schemas). This is the one place the service describes
// those shapes itself; every
// shape is deliberately open (`additionalProperties: true`) beyond the fields named, because the chaincode, not this
// file, is the authority on what it accepts (a refused field comes back as INVALID_ARGUMENT, 400).

const open = { additionalProperties: true } as const;
const id = Type.String({ minLength: 1, maxLength: 256 });
const digest = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256, lower-case hex' });
const anyRecord = Type.Object({}, { ...open, description: 'A record as the chaincode returns it' });

const EvidenceSource = Type.Object({ type: Type.Union([Type.Literal('device'), Type.Literal('app'), Type.Literal('org')]), id }, open);
const EvidenceRecord = Type.Object(
    {
        id,
        kind: Type.String(),
        digest: Type.String(),
        name: Type.String(),
        size: Type.Integer(),
        source: EvidenceSource,
        status: Type.String(),
        submitterMspId: Type.String(),
        anchoredAt: Type.String(),
        txId: Type.String(),
    },
    open,
);

const table: Record<string, TSchema> = {
    Id: id,
    Digest: digest,
    Text: Type.String(),
    Count: Type.Integer({ minimum: 0 }),
    PageSize: Type.Integer({ minimum: 1, maximum: 1000 }),
    Bookmark: Type.String(),
    StringList: Type.Array(Type.String()),
    AnyRecord: anyRecord,
    AnyList: Type.Array(anyRecord),
    Nothing: Type.Null(),
    Json: Type.Unknown(),
    EvidenceSource,
    AnchorRequest: Type.Object(
        {
            id,
            kind: Type.Optional(Type.String()),
            digest: Type.Optional(digest),
            name: Type.String(),
            size: Type.Optional(Type.Integer({ minimum: 0 })),
            mediaType: Type.Optional(Type.String()),
            source: EvidenceSource,
            tags: Type.Optional(Type.Array(Type.String())),
            attributes: Type.Optional(Type.Object({}, open)),
            payload: Type.Optional(Type.Object({ encoding: Type.Union([Type.Literal('utf8'), Type.Literal('base64')]), data: Type.String() })),
            witnessMspId: Type.Optional(Type.String()),
        },
        open,
    ),
    BatchMetadata: Type.Object(
        { batchId: Type.Optional(id), name: Type.Optional(Type.String()), source: EvidenceSource, kind: Type.Optional(Type.String()), tags: Type.Optional(Type.Array(Type.String())), witnessMspId: Type.Optional(Type.String()) },
        open,
    ),
    EvidenceQuery: Type.Object(
        {
            by: Type.Union(['source', 'kind', 'tag', 'org', 'submitter', 'time'].map((by) => Type.Literal(by))),
            pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            bookmark: Type.Optional(Type.String()),
        },
        open,
    ),
    EvidenceRecord,
    EvidenceBatch: Type.Object({ id, root: Type.String(), count: Type.Integer(), treeAlgorithm: Type.String(), txId: Type.String() }, open),
    EvidenceVerification: Type.Object(
        { outcome: Type.Union([Type.Literal('match'), Type.Literal('mismatch'), Type.Literal('not_found')]), digest: Type.String(), comparedBy: Type.String(), record: Type.Optional(EvidenceRecord) },
        open,
    ),
    InclusionVerification: Type.Object({ outcome: Type.String(), batchId: Type.String(), itemDigest: Type.String(), leafIndex: Type.Integer() }, open),
    EvidenceReceipt: Type.Object(
        {
            algorithm: Type.Optional(Type.String()),
            channel: Type.Optional(Type.String()),
            chaincode: Type.Optional(Type.String()),
            itemDigest: digest,
            leafIndex: Type.Integer({ minimum: 0 }),
            treeSize: Type.Integer({ minimum: 1 }),
            proof: Type.Array(Type.String()),
            root: Type.String(),
            batchId: Type.String(),
            transactionId: Type.String(),
            blockNumber: Type.Union([Type.Integer(), Type.String()]),
        },
        open,
    ),
    EvidencePage: Type.Object({ records: Type.Array(anyRecord), bookmark: Type.String(), fetchedRecordsCount: Type.Integer() }, open),
    EvidenceBatchPage: Type.Object({ records: Type.Array(anyRecord), bookmark: Type.String() }, open),
    HistoryList: Type.Array(Type.Object({ txId: Type.String(), timestamp: Type.String(), isDelete: Type.Boolean(), record: Type.Optional(EvidenceRecord) }, open)),
};

/** The service's interim schema source; see the TODO above. */
export const interimSchemas: SchemaSource = schemaTable(table);
