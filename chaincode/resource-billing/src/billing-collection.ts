import { invalidArgument, LedgerState, readTransientJSON } from '../../common/src';
import type { Parties } from './counterparty';
import { Key } from './keys';

/*
 * Confidentiality of an operator–tenant pair's billing records (issue 9 finding 8, docs/security/confidentiality.md):
 * sessions, usage records, CT operations, running invoice lines, invoices, disputes and session escrow live in the
 * pair's private data collection (and so do marketplace purchases between the two organisations, market-listing.ts), whose members are the two organisations (and the auditor organisation, where one
 * runs a peer). Every other peer and the orderer see only hashes of keys and values.
 */

/**
 * The pair's collection. Fabric allows only letters, digits, '-' and '_' in collection names, so the parts are
 * joined with '_' (the design's `billing~<operator>~<tenant>`); the deploy generates the same names from
 * network/topology.json's roles (test-network-scripts/src/collections.ts).
 */
export function pairCollection(parties: Parties): string {
    return `billing_${parties.operatorMspId}_${parties.tenantMspId}`;
}

/**
 * The token collection of an organisation (docs/security/confidentiality.md): its accounts and the credit notes
 * others append to them. Members are the owner and the auditor organisations; the deploy generates one per
 * organisation (`ownerCollections`, test-network-scripts/src/collections.ts).
 */
export function tokenCollection(ownerMspId: string): string {
    return `tokens_${ownerMspId}`;
}

/** The public route of a token account: which organisation's collection holds it. */
export interface AccountRoute {
    ownerMspId: string;
}

export async function readAccountRoute(state: LedgerState, accountId: string): Promise<AccountRoute | undefined> {
    return state.read<AccountRoute>(state.key(Key.Route, 'account', accountId), 'account route');
}

export function putAccountRoute(state: LedgerState, accountId: string, ownerMspId: string): void {
    state.put(state.key(Key.Route, 'account', accountId), { ownerMspId });
}

/** What a record id names, for its public route. */
export type RoutedKind = 'session' | 'ct-operation' | 'dispute' | 'purchase';

/**
 * The public route of a record known only by its id (a session, CT operation, dispute or marketplace purchase): which pair holds it.
 * It says no more than every write set already does (the collection name is public), and lets a query find the
 * record without being told the pair. Its existence also keeps an id from being used again by another pair.
 */
export async function readRoute(state: LedgerState, kind: RoutedKind, id: string): Promise<Parties | undefined> {
    return state.read<Parties>(state.key(Key.Route, kind, id), 'private route');
}

export function putRoute(state: LedgerState, kind: RoutedKind, id: string, parties: Parties): void {
    state.put(state.key(Key.Route, kind, id), { operatorMspId: parties.operatorMspId, tenantMspId: parties.tenantMspId });
}

/** The transient-map entry that carries a transaction's confidential request. */
export const REQUEST_TRANSIENT_KEY = 'request';

/**
 * The confidential request of a transaction, from the transient map (never written to the transaction, unlike its
 * arguments), parsed as JSON; INVALID_ARGUMENT when it is missing or not JSON.
 */
export function transientRequest(state: LedgerState, what: string): unknown {
    return readTransientJSON(state.ctx, REQUEST_TRANSIENT_KEY, what);
}

/** The id an argument routes by must be the request's own. */
export function requireSameId(argument: string, inRequest: string, field: string): void {
    if (argument !== inRequest) {
        throw invalidArgument(`the ${field} argument (${argument}) differs from the request's ${field} (${inRequest})`);
    }
}
