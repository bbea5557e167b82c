import * as wire from '@edgetrust/schemas';
import type { TSchema } from '@sinclair/typebox';
import { interimSchemas } from './interim';
import type { SchemaSource } from './source';

/**
 * The shared wire-model schemas (`@edgetrust/schemas`) by the names the route table uses. The evidence chaincode's
 * requests and records come from there; names not mapped here yet (billing, device identity, whose schemas the
 * package has) fall back to the interim source, which shrinks as names are added.
 */
const FROM_WIRE: Readonly<Record<string, TSchema>> = {
    Digest: wire.Digest(),
    Id: wire.Identifier(),
    InvoiceId: wire.InvoiceId(),
    Bookmark: wire.Bookmark,
    EvidenceSource: wire.EvidenceSource,
    AnchorRequest: wire.AnchorRequest,
    BatchMetadata: wire.BatchMetadata,
    EvidenceQuery: wire.EvidenceQuery,
    EvidenceRecord: wire.EvidenceRecord,
    EvidenceBatch: wire.EvidenceBatch,
    EvidenceVerification: wire.EvidenceVerification,
    InclusionVerification: wire.InclusionVerification,
    HistoryList: wire.EvidenceHistory,
    EvidencePage: wire.EvidenceRecordPage,
    EvidenceBatchPage: wire.EvidenceBatchPage,
};

/**
 * Each schema as plain JSON Schema without `$id`: the same named schema appears in many routes, and Ajv refuses a
 * second schema with an id it has already compiled.
 */
function withoutIds(schema: TSchema): TSchema {
    return JSON.parse(JSON.stringify(schema), (key, value: unknown) => (key === '$id' ? undefined : value)) as TSchema;
}

const resolved = new Map(Object.entries(FROM_WIRE).map(([name, schema]) => [name, withoutIds(schema)]));

export const wireSchemas: SchemaSource = {
    schema(name: string): TSchema {
        return resolved.get(name) ?? interimSchemas.schema(name);
    },
};
