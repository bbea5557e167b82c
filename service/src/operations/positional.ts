import { routeArgumentSchema, routeBodySchema, routedTransaction, type RoutedClient, type TransactionSpec } from '@edgetrust/schemas';
import { type TSchema, Type } from '@sinclair/typebox';
import type { Clients, Fields, Operation, OperationInput } from './table';

/**
 * A compact form for operations whose arguments are plain values, in the client method's order:
 * `p:name` a path parameter, `q:name` a query parameter (`q:name?` optional), `b:name` a body field (`b:name?`),
 * `B` the whole body as one request object, `page` the `{ pageSize, bookmark }` options object from the query,
 * `pageSize` / `bookmark` those two as separate positional arguments. `b:name=property` names the property of the
 * transaction's request object when the HTTP field is named after the SDK argument instead.
 * Every schema comes from the transaction the method calls (`@edgetrust/schemas`, see its routes.ts).
 */
export type Argument = string;

export interface PositionalOperation {
    name: string;
    method: Operation['method'];
    /** Below the chaincode's prefix. */
    path: string;
    args: readonly Argument[];
    summary: string;
    /** The chaincode transaction, when it is not the method's name in PascalCase. */
    transaction?: string;
    /** The result's schema, when the client method answers something else than the transaction. */
    response?: TSchema;
}

interface ParsedArgument {
    where: string;
    name: string;
    property: string;
    optional: boolean;
}

function parse(arg: Argument): ParsedArgument {
    const [where = '', raw = ''] = arg.split(':');
    const optional = raw.endsWith('?');
    const [name = '', property = name] = raw.replace(/\?$/, '').split('=');
    return { where, name, property, optional };
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
    const { where, name } = parse(arg);
    const read = VALUE_OF[where];
    if (!read) {
        throw new Error(`unknown argument form ${arg}`);
    }
    return read(name, input);
}

interface ArgumentSchemas {
    params: Record<string, TSchema>;
    query: Record<string, TSchema>;
    body: Record<string, TSchema>;
    wholeBody?: TSchema;
}

const maybe = (schema: TSchema, optional: boolean): TSchema => (optional ? Type.Optional(schema) : schema);

function schemasOf(spec: TransactionSpec, args: readonly Argument[]): ArgumentSchemas {
    const schemas: ArgumentSchemas = { params: {}, query: {}, body: {} };
    const paging = (): void => {
        schemas.query.pageSize = Type.Optional(routeArgumentSchema(spec, 'pageSize'));
        schemas.query.bookmark = Type.Optional(routeArgumentSchema(spec, 'bookmark'));
    };
    for (const arg of args) {
        const { where, name, property, optional } = parse(arg);
        if (where === 'p') {
            schemas.params[name] = routeArgumentSchema(spec, name, property);
        } else if (where === 'q') {
            schemas.query[name] = maybe(routeArgumentSchema(spec, name, property), optional);
        } else if (where === 'b') {
            schemas.body[name] = maybe(routeArgumentSchema(spec, name, property), optional);
        } else if (where === 'B') {
            schemas.wholeBody = routeBodySchema(spec);
        } else {
            paging();
        }
    }
    return schemas;
}

/** The route-table operations of one client from their compact forms. */
export function positionalOperations(chaincode: keyof Clients & RoutedClient, prefix: string, list: readonly PositionalOperation[]): Operation[] {
    return list.map((op) => {
        const spec = routedTransaction(chaincode, op.name, op.transaction);
        const where = `${chaincode}.${op.name}`;
        let schemas: ArgumentSchemas;
        try {
            schemas = schemasOf(spec, op.args);
        } catch (err) {
            throw new Error(`${where}: ${err instanceof Error ? err.message : String(err)}`);
        }
        const { params, query, body, wholeBody } = schemas;
        const fields = (f: Fields): Fields | undefined => (Object.keys(f).length > 0 ? f : undefined);
        const bodyFields = fields(body);
        return {
            name: op.name,
            chaincode,
            submits: spec.type === 'submit',
            method: op.method,
            path: `${prefix}${op.path}`,
            summary: op.summary,
            description: `${spec.description} Callers: ${spec.callers}.`,
            ...(fields(params) ? { params } : {}),
            ...(fields(query) ? { query } : {}),
            ...(wholeBody ? { body: wholeBody } : bodyFields ? { body: bodyFields } : {}),
            response: op.response ?? spec.returns,
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
