import { createHash } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { isEmpty } from '../../common/src';
import { privateCollectionOf } from './personal-evidence';

/*
 * Who may create an organisation's governance keys (its role grants and its policy). Key-level policies guard
 * every change of a key that exists, but a key's creation falls under the chaincode-level policy, OR(any
 * member's peer): a modified peer of another organisation could create a grant in this organisation's name.
 * So the owner also writes a mark, the value's copy, into its own private data collection, whose
 * collection-level endorsement policy (collections.json) is "a peer of the owner": Fabric checks that for new
 * keys too. Readers honour a grant or policy only when the mark's hash (which every peer holds, members or not)
 * matches the value; an unmarked one counts as never written.
 */

/** Writes the owner's mark of a governance value; the transaction then needs a peer of the owner organisation. */
export async function putOwnerMark(ctx: Context, ownerMspId: string, key: string, value: Uint8Array): Promise<void> {
    await ctx.stub.putPrivateData(privateCollectionOf(ownerMspId), key, value);
}

/** The value if its owner marked it, else an empty value (as if the key had never been written). */
export async function markedValue(ctx: Context, ownerMspId: string, key: string, value: Uint8Array): Promise<Uint8Array> {
    if (isEmpty(value)) {
        return value;
    }
    const mark = await ctx.stub.getPrivateDataHash(privateCollectionOf(ownerMspId), key);
    return !isEmpty(mark) && Buffer.from(mark).equals(createHash('sha256').update(value).digest()) ? value : new Uint8Array();
}
