import { type TSchema, Type } from '@sinclair/typebox';
import { MARKETPLACE_CONTRACT, SETTLEMENT_CONTRACT, TOKEN_CONTRACT, BILLING_CONTRACT } from './billing/transactions';
import { COMPUTE_EXCHANGE_CONTRACT } from './compute/transactions';
import type { TransactionSpec, TransactionTable } from './contract-metadata';
import { DEVICE_IDENTITY_TRANSACTIONS } from './device-identity/transactions';
import { MAX_PAGE_SIZE, Text } from './primitives';

/*
 * What the REST API (`edgetrust serve`) takes its route schemas from for the clients whose endpoints are made from
 * the transaction tables: a path, query or body argument has the schema of the transaction parameter it becomes, so
 * the service checks exactly what the chaincode checks (an invoice id in a path carries '|', as the chaincode's
 * InvoiceIdText allows). HTTP differs from the chaincode's text arguments only where JSON has a better type: the
 * numbers below travel as JSON numbers, not decimal text.
 */

/** The transactions behind each typed client that is routed from its table, by the client's name. */
export const ROUTED_CLIENT_TRANSACTIONS = {
    billing: { ...BILLING_CONTRACT.transactions, ...SETTLEMENT_CONTRACT.transactions, ...TOKEN_CONTRACT.transactions, ...MARKETPLACE_CONTRACT.transactions },
    deviceIdentity: DEVICE_IDENTITY_TRANSACTIONS,
    compute: COMPUTE_EXCHANGE_CONTRACT.transactions,
} as const satisfies Readonly<Record<string, TransactionTable>>;

export type RoutedClient = keyof typeof ROUTED_CLIENT_TRANSACTIONS;

/** A JSON number in HTTP where the chaincode takes decimal text (the SDK method takes a number). */
export const HTTP_NUMBER_ARGUMENTS: Readonly<Record<string, TSchema>> = {
    amount: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'a positive number of tokens' }),
    usedUnits: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'units used, at most the units bought' }),
    rating: Type.Integer({ minimum: 1, maximum: 5, description: '1 to 5 stars' }),
    pageSize: Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, description: `page size, 1 to ${String(MAX_PAGE_SIZE)}` }),
};

/** HTTP arguments no transaction parameter describes: the SDK turns them into one (deliverAccess encrypts accessInfo). */
export const HTTP_ONLY_ARGUMENTS: Readonly<Record<string, TSchema>> = {
    accessInfo: Text(4096, "access information in plain text; the service's SDK encrypts it to the buyer's key"),
};

/** The transaction a client method calls: its name in PascalCase, in the client's table. */
export function routedTransaction(client: RoutedClient, method: string, transaction = method.charAt(0).toUpperCase() + method.slice(1)): TransactionSpec {
    const spec = (ROUTED_CLIENT_TRANSACTIONS[client] as TransactionTable)[transaction];
    if (spec === undefined) {
        throw new Error(`${client}.${method}: no transaction ${transaction}`);
    }
    return spec;
}

function isObjectSchema(schema: TSchema): boolean {
    return schema.type === 'object' && typeof schema.properties === 'object';
}

/**
 * The request objects of a transaction as its SDK method takes them: its object-typed parameters, then the objects it
 * reads from the transient map (private records). A salt is never an HTTP field: it is a text entry of its own
 * (SALT_TRANSIENT_KEY), not a request object, and the SDK draws one per transaction.
 */
function requestObjects(spec: TransactionSpec): TSchema[] {
    const fromArguments = spec.parameters.map(([, schema]) => schema).filter(isObjectSchema);
    // The owner's disclosure of a debited token account is read and sent by the SDK itself, never by an HTTP caller.
    const fromTransient = (spec.transient ?? [])
        .filter(([entry]) => entry !== 'account')
        .map(([, schema]) => schema)
        .filter(isObjectSchema);
    return [...fromArguments, ...fromTransient];
}

/**
 * The schema of one named HTTP argument of a transaction: a JSON number where {@link HTTP_NUMBER_ARGUMENTS} says so,
 * else the parameter of that name, else the property of that name of its request-object parameter
 * (`suspendCertificate`'s `comment` is `StatusChangeRequest.comment`), else an {@link HTTP_ONLY_ARGUMENTS} entry.
 * Throws for any other name, so that a route naming an argument the chaincode does not know fails at start-up.
 */
export function routeArgumentSchema(spec: TransactionSpec, name: string, property = name): TSchema {
    const numeric = HTTP_NUMBER_ARGUMENTS[name];
    if (numeric) {
        return numeric;
    }
    const parameter = spec.parameters.find(([p]) => p === name)?.[1];
    if (parameter) {
        return parameter;
    }
    for (const schema of requestObjects(spec)) {
        const nested = (schema.properties as Record<string, TSchema>)[property];
        if (nested) {
            return nested;
        }
    }
    const httpOnly = HTTP_ONLY_ARGUMENTS[name];
    if (httpOnly) {
        return httpOnly;
    }
    throw new Error(`no parameter ${name} in the transaction (parameters: ${spec.parameters.map(([p]) => p).join(', ')})`);
}

/** The request object a transaction takes as a whole JSON body: its one request object, in the arguments or the transient map. */
export function routeBodySchema(spec: TransactionSpec): TSchema {
    const objects = requestObjects(spec);
    if (objects.length !== 1 || !objects[0]) {
        throw new Error(`expected one request object, found ${String(objects.length)}`);
    }
    return objects[0];
}
