import type { Clients, Fields, Operation, OperationInput } from './table';

/**
 * A compact form for operations whose arguments are plain values, in the client method's order:
 * `p:name` a path parameter, `q:name` a query parameter (`q:name?` optional), `b:name` a body field (`b:name?`),
 * `B` the whole body as one request object, `page` the `{ pageSize, bookmark }` options object from the query,
 * `pageSize` / `bookmark` those two as separate positional arguments. Every value is checked against `schemaOf`.
 */
export type Argument = string;

export interface PositionalOperation {
    name: string;
    method: Operation['method'];
    /** Below the chaincode's prefix. */
    path: string;
    args: readonly Argument[];
    summary: string;
}

const SCHEMA_OF_NAME: Readonly<Record<string, string>> = {
    pageSize: 'PageSize',
    amount: 'Count',
    usedUnits: 'Count',
    rating: 'Count',
    version: 'Count',
    leafIndex: 'Count',
};

function schemaOf(name: string): string {
    return SCHEMA_OF_NAME[name] ?? 'Text';
}

const VALUE_OF: Readonly<Record<string, (name: string, input: OperationInput) => unknown>> = {
    p: (name, { params }) => (name === 'version' ? Number(params[name]) : params[name]),
    q: (name, { query }) => query[name],
    b: (name, { body }) => (body as Record<string, unknown>)[name],
    B: (_name, { body }) => body ?? {},
    page: (_name, { query }) => ({ ...(query.pageSize === undefined ? {} : { pageSize: query.pageSize }), ...(query.bookmark === undefined ? {} : { bookmark: query.bookmark }) }),
    pageSize: (_name, { query }) => query.pageSize,
    bookmark: (_name, { query }) => query.bookmark ?? '',
};

function value(arg: Argument, input: OperationInput): unknown {
    const [where = '', raw = ''] = arg.split(':');
    const read = VALUE_OF[where];
    if (!read) {
        throw new Error(`unknown argument form ${arg}`);
    }
    return read(raw.replace(/\?$/, ''), input);
}

interface ArgumentSchemas {
    params: Record<string, string>;
    query: Record<string, string>;
    body: Record<string, string>;
    wholeBody: boolean;
}

/**
 * Path parameters that are not plain identifiers: invoice ids (`operator|tenant|period`) and invoice line ids
 * (`resource|planVersion|app`) carry `|`, which the identifier rule refuses; the chaincode checks them in full.
 */
const PATH_PARAMETER_SCHEMAS: Readonly<Record<string, string>> = { version: 'Text', invoiceId: 'InvoiceId', lineId: 'Text' };

function schemasOf(args: readonly Argument[]): ArgumentSchemas {
    const schemas: ArgumentSchemas = { params: {}, query: {}, body: {}, wholeBody: false };
    for (const arg of args) {
        const [where, raw = ''] = arg.split(':');
        const optional = raw.endsWith('?') ? '?' : '';
        const name = raw.replace(/\?$/, '');
        if (where === 'p') {
            schemas.params[name] = PATH_PARAMETER_SCHEMAS[name] ?? 'Id';
        } else if (where === 'q') {
            schemas.query[name] = schemaOf(name) + optional;
        } else if (where === 'b') {
            schemas.body[name] = schemaOf(name) + optional;
        } else if (where === 'B') {
            schemas.wholeBody = true;
        } else {
            schemas.query.pageSize = 'PageSize?';
            schemas.query.bookmark = 'Bookmark?';
        }
    }
    return schemas;
}

/** The route-table operations of one client from their compact forms. */
export function positionalOperations(chaincode: keyof Clients, prefix: string, list: readonly PositionalOperation[]): Operation[] {
    return list.map((op) => {
        const { params, query, body, wholeBody } = schemasOf(op.args);
        const fields = (f: Fields): Fields | undefined => (Object.keys(f).length > 0 ? f : undefined);
        const bodyFields = fields(body);
        return {
            name: op.name,
            chaincode,
            submits: op.method !== 'GET',
            method: op.method,
            path: `${prefix}${op.path}`,
            summary: op.summary,
            ...(fields(params) ? { params } : {}),
            ...(fields(query) ? { query } : {}),
            ...(wholeBody ? { body: 'AnyRecord' } : bodyFields ? { body: bodyFields } : {}),
            response: 'Json',
            call: (clients: Clients, input: OperationInput): Promise<unknown> => {
                const client = clients[chaincode] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
                const method = client[op.name];
                if (typeof method !== 'function') {
                    throw new Error(`${chaincode} client has no method ${op.name}`);
                }
                return method.apply(client, op.args.map((a) => value(a, input)));
            },
        };
    });
}
