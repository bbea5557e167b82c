import type { Context } from 'fabric-contract-api';
import { INDEX_VALUE, marshal, notFound, putOwnedStates, readJSON } from '../../common/src';
import { key, ObjectType } from './keys';
import type { TrustRelationship } from '../../schemas/src';

// Ledger reads and writes of app trust relationships and their reverse (by target) index.

export function trustKey(ctx: Context, from: string, to: string): string {
    return key(ctx, ObjectType.Trust, from, to);
}

export async function findTrust(ctx: Context, from: string, to: string): Promise<TrustRelationship | undefined> {
    return readJSON<TrustRelationship>(ctx, trustKey(ctx, from, to), 'trust relationship');
}

export async function readTrust(ctx: Context, from: string, to: string): Promise<TrustRelationship> {
    const relationship = await findTrust(ctx, from, to);
    if (!relationship) {
        throw notFound(`no trust relationship from ${from} to ${to}`);
    }
    return relationship;
}

/**
 * Writes a relationship and its reverse index entry.
 * @param authorities - The organisations that answer for the target (its owner's, or the registry administrators for the platform): only their peers may change the relationship later.
 */
export async function putTrust(ctx: Context, relationship: TrustRelationship, authorities: readonly string[]): Promise<void> {
    const relationshipKey = trustKey(ctx, relationship.from, relationship.to);
    const indexKey = key(ctx, ObjectType.TrustByTarget, relationship.to, relationship.from);
    await putOwnedStates(
        ctx,
        [
            [relationshipKey, marshal(relationship)],
            [indexKey, INDEX_VALUE],
        ],
        authorities,
    );
}
