import * as wire from '@edgetrust/schemas';
import { Type, type TSchema } from '@sinclair/typebox';
import { withoutIds } from '../operations/table';
import { schemaTable, type SchemaSource } from './source';

/**
 * The shared wire-model schemas (`@edgetrust/schemas`) by the names the evidence routes use. The billing, device
 * identity and compute routes take theirs straight from the transaction tables (operations/positional.ts); the few
 * names below that are not chaincode shapes describe HTTP-only arguments.
 */
const FROM_WIRE: Readonly<Record<string, TSchema>> = {
    Digest: wire.Digest(),
    Id: wire.Identifier(),
    Text: Type.String(),
    Count: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    PageSize: wire.HTTP_NUMBER_ARGUMENTS.pageSize ?? Type.Integer({ minimum: 1, maximum: wire.MAX_PAGE_SIZE }),
    StringList: Type.Array(wire.Text()),
    Json: Type.Unknown(),
    AnyRecord: Type.Object({}, { additionalProperties: true, description: 'A record as the chaincode returns it' }),
    Bookmark: wire.Bookmark,
    EvidenceSource: wire.EvidenceSource,
    AnchorRequest: wire.AnchorRequest,
    BatchMetadata: wire.BatchMetadata,
    EvidenceQuery: wire.EvidenceQuery,
    EvidenceRecord: wire.EvidenceRecord,
    PersonalPurge: wire.PersonalPurge,
    EvidenceBatch: wire.EvidenceBatch,
    EvidenceVerification: wire.EvidenceVerification,
    InclusionVerification: wire.InclusionVerification,
    HistoryList: wire.EvidenceHistory,
    EvidencePage: wire.EvidenceRecordPage,
    EvidenceBatchPage: wire.EvidenceBatchPage,
    EvidenceReceipt: wire.EvidenceReceipt,
};

export const wireSchemas: SchemaSource = schemaTable(Object.fromEntries(Object.entries(FROM_WIRE).map(([name, schema]) => [name, withoutIds(schema)])));
