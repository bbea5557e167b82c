import type { Context } from 'fabric-contract-api';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { invalidState } from './errors';
import { putStatesWithPolicy, setStateValidationParameters, type StatePut } from './state-batch';

/*
 * Key-level (state-based) endorsement. The chaincode-level policy of evidence and device identity is
 * OR(any member's peer), so that one organisation can act for itself; but validation never re-runs the
 * chaincode's access checks, so a peer running modified chaincode could write anybody's keys. Every key an
 * organisation owns therefore carries its own policy, "a peer of each owner organisation", set when the
 * key is written: any later change or deletion of the key is valid only with the owners' endorsements,
 * whatever the endorsing chaincode claims. Fabric checks this policy instead of the chaincode's for keys
 * that already carry one; a key's creation is still governed by the chaincode-level policy
 * (docs/security/endorsement.md says what that leaves open).
 */

/** The policy "one peer of every one of these organisations" (AND), in Fabric's encoding, for setStateValidationParameter. */
export function peersOf(mspIds: readonly string[]): Uint8Array {
    if (mspIds.length === 0) {
        // "All of no organisations" would be satisfied by any endorsement at all.
        throw invalidState('a key-level policy needs at least one organisation');
    }
    const policy = new KeyEndorsementPolicy();
    // Sorted and deduplicated, so every endorser writes the same bytes.
    policy.addOrgs('PEER', ...[...new Set(mspIds)].sort());
    return policy.getPolicy();
}

/** The organisations whose peers a key-level policy requires; empty when the key has none. */
export function endorsingOrgsOf(policy: Uint8Array): string[] {
    return policy.length === 0 ? [] : new KeyEndorsementPolicy(policy).listOrgs().sort();
}

/** Makes any later change of these keys need a peer of each owner organisation. */
export async function requireOwnersForChanges(ctx: Context, keys: readonly string[], ownerMspIds: readonly string[]): Promise<void> {
    const policy = peersOf(ownerMspIds);
    // In one message to the peer where it accepts write batches (state-batch.ts), else one call per key.
    await setStateValidationParameters(ctx, keys.map((key) => [key, policy] as const));
}

/** Writes new keys that only their owners may later change: values and policies in one message where the peer batches. */
export async function putOwnedStates(ctx: Context, writes: readonly StatePut[], ownerMspIds: readonly string[]): Promise<void> {
    await putStatesWithPolicy(ctx, writes, peersOf(ownerMspIds));
}

/** The organisations the key-level policy of a committed key requires (empty: the chaincode's policy applies). */
export async function keyOwners(ctx: Context, key: string): Promise<string[]> {
    return endorsingOrgsOf(await ctx.stub.getStateValidationParameter(key));
}
