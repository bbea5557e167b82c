import type { BillingClient, ComputeExchangeClient, DeviceIdentityClient, EvidenceClient } from '@edgetrust/gateway-sdk';
import { type TSchema, Type, TypeGuard } from '@sinclair/typebox';
import type { SchemaSource } from '../schemas/source';

/** The typed clients of one caller, one per chaincode. */
export interface Clients {
    evidence: EvidenceClient;
    billing: BillingClient;
    deviceIdentity: DeviceIdentityClient;
    compute: ComputeExchangeClient;
}

/** What a handler receives: path parameters, query string and body, already checked against their schemas. */
export interface OperationInput {
    params: Record<string, string>;
    query: Record<string, unknown>;
    body: unknown;
}

/**
 * A schema: its name in the schema source (`?` at its end makes a field optional), or the schema itself (optional
 * when made with `Type.Optional`).
 */
export type SchemaRef = string | TSchema;

/** The body's fields by name. */
export type Fields = Readonly<Record<string, SchemaRef>>;

/**
 * One endpoint: a method of a typed client, by the same name (the OpenAPI operationId), with where each of its
 * arguments comes from. `submits` marks a transaction (answered as `{ result, transactionId, blockNumber }`,
 * idempotent with an `Idempotency-Key`, asynchronous on `Prefer: respond-async`); the others are queries.
 */
export interface Operation {
    name: string;
    chaincode: keyof Clients;
    submits: boolean;
    method: 'GET' | 'POST' | 'PUT' | 'DELETE';
    /** Fastify path, `:name` for path parameters (every one a schema-checked string). */
    path: string;
    summary: string;
    /** A longer description for OpenAPI (what the transaction does and who may call it). */
    description?: string;
    params?: Fields;
    query?: Fields;
    /** The schema when the body is one request, or its fields. */
    body?: SchemaRef | Fields;
    /** The schema of the client method's result (for a submission: of its `result`). */
    response: SchemaRef;
    call(clients: Clients, input: OperationInput): Promise<unknown>;
}

/** The route schema of an operation, resolved through a schema source: what Fastify validates and OpenAPI shows. */
export interface RouteSchema {
    operationId: string;
    summary: string;
    description?: string;
    tags: string[];
    params?: TSchema;
    querystring?: TSchema;
    body?: TSchema;
    response: Record<number, TSchema>;
}

/**
 * A schema as plain JSON Schema without `$id`: the same named schema appears in many routes, and Ajv refuses a
 * second schema with an id it has already compiled.
 */
export function withoutIds(schema: TSchema): TSchema {
    return JSON.parse(JSON.stringify(schema), (key, value: unknown) => (key === '$id' ? undefined : value)) as TSchema;
}

/** A schema by reference, as plain JSON Schema without `$id`. */
function resolve(ref: SchemaRef, schemas: SchemaSource): TSchema {
    return typeof ref === 'string' ? schemas.schema(ref) : withoutIds(ref);
}

function objectOf(fields: Fields, schemas: SchemaSource): TSchema {
    const properties: Record<string, TSchema> = {};
    for (const [name, ref] of Object.entries(fields)) {
        const optional = typeof ref === 'string' ? ref.endsWith('?') : TypeGuard.IsOptional(ref);
        const schema = resolve(typeof ref === 'string' && optional ? ref.slice(0, -1) : ref, schemas);
        properties[name] = optional ? Type.Optional(schema) : schema;
    }
    return Type.Object(properties, { additionalProperties: false });
}

/** What a submission answers: the client's `Submitted<T>` with the block number as a JSON number. */
export function submittedSchema(result: TSchema): TSchema {
    return Type.Object({ result, transactionId: Type.String(), blockNumber: Type.Integer() });
}

const problemSchema = Type.Object(
    { type: Type.String(), title: Type.String(), status: Type.Integer(), detail: Type.String(), code: Type.String(), transactionId: Type.Optional(Type.String()), stage: Type.Optional(Type.String()) },
    { description: 'RFC 9457 problem details (application/problem+json) with the EdgeTrust error code' },
);

/** The route schema of one operation from a schema source. */
export function routeSchemaOf(operation: Readonly<Operation>, schemas: SchemaSource): RouteSchema {
    const result = resolve(operation.response, schemas);
    const body = operation.body === undefined ? undefined : typeof operation.body === 'string' || TypeGuard.IsSchema(operation.body) ? resolve(operation.body, schemas) : objectOf(operation.body, schemas);
    const accepted = Type.Object({ operationId: Type.String(), transactionId: Type.String(), status: Type.String() }, { description: 'Accepted (Prefer: respond-async): follow GET /v1/operations/{operationId}' });
    return {
        operationId: operation.name,
        summary: operation.summary,
        ...(operation.description ? { description: operation.description } : {}),
        tags: [operation.chaincode],
        ...(operation.params ? { params: objectOf(operation.params, schemas) } : {}),
        ...(operation.query ? { querystring: objectOf(operation.query, schemas) } : {}),
        ...(body ? { body } : {}),
        response: {
            200: operation.submits ? submittedSchema(result) : result,
            ...(operation.submits ? { 202: accepted } : {}),
            '4xx': problemSchema,
            '5xx': problemSchema,
        } as Record<number, TSchema>,
    };
}

/** Reads a string field of a checked body or query. */
export function text(source: unknown, field: string): string {
    return String((source as Record<string, unknown>)[field]);
}

/** Reads an optional field of a checked body or query. */
export function optional<T>(source: unknown, field: string): T | undefined {
    return (source as Record<string, T | undefined>)[field];
}

/** Reads a field of a checked body or query as the type its schema guarantees. */
export function field<T>(source: unknown, name: string): T {
    return (source as Record<string, unknown>)[name] as T;
}
