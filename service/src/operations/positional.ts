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

function value(arg: Argument, input: OperationInput): unknown {
    const [where, raw = ''] = arg.split(':');
    const name = raw.replace(/\?$/, '');
    const query = input.query;
    switch (where) {
        case 'p':
            return name === 'version' ? Number(input.params[name]) : input.params[name];
        case 'q':
            return query[name];
        case 'b':
            return (input.body as Record<string, unknown>)[name];
        case 'B':
            return input.body ?? {};
        case 'page':
            return { ...(query.pageSize === undefined ? {} : { pageSize: query.pageSize }), ...(query.bookmark === undefined ? {} : { bookmark: query.bookmark }) };
        case 'pageSize':
            return query.pageSize;
        case 'bookmark':
            return query.bookmark ?? '';
        default:
            throw new Error(`unknown argument form ${arg}`);
    }
}

/** The route-table operations of one client from their compact forms. */
export function positionalOperations(chaincode: keyof Clients, prefix: string, list: readonly PositionalOperation[]): Operation[] {
    return list.map((op) => {
        const params: Record<string, string> = {};
        const query: Record<string, string> = {};
        const body: Record<string, string> = {};
        let wholeBody = false;
        for (const arg of op.args) {
            const [where, raw = ''] = arg.split(':');
            const optional = raw.endsWith('?') ? '?' : '';
            const name = raw.replace(/\?$/, '');
            if (where === 'p') {
                params[name] = name === 'version' ? 'Text' : 'Id';
            } else if (where === 'q') {
                query[name] = schemaOf(name) + optional;
            } else if (where === 'b') {
                body[name] = schemaOf(name) + optional;
            } else if (where === 'B') {
                wholeBody = true;
            } else {
                query.pageSize = 'PageSize?';
                query.bookmark = 'Bookmark?';
            }
        }
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
