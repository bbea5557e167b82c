import type { Context } from 'fabric-contract-api';
import { isEmpty, requireDigest, requireIdentifier } from '../../common/src';
import type { ArtifactCheck, ArtifactVerdict, EvidenceRecord } from '../../schemas/src';
import { artifactKey } from './keys';
import { readRecord } from './records';

/*
 * Artifacts (E10): a publisher anchors an app version, patch, configuration baseline or image (kind artifact,
 * publisher role, once per name and version); edge nodes check before they load it.
 */

/** CheckArtifact: approved only when that version was published with this digest and not revoked. */
export async function checkArtifact(ctx: Context, artifactName: string, version: string, digest: string): Promise<ArtifactCheck> {
    const indexKey = artifactKey(ctx, requireIdentifier(artifactName, 'artifactName'), requireIdentifier(version, 'version'));
    const wanted = requireDigest(digest, 'digest');
    const idBytes = await ctx.stub.getState(indexKey);
    const record = isEmpty(idBytes) ? undefined : await readRecord(ctx, Buffer.from(idBytes).toString('utf8'));
    const verdict = artifactVerdict(record, wanted);
    return { verdict, loadAllowed: verdict === 'approved', artifactName, version, digest: wanted, ...(record ? { record } : {}) };
}

function artifactVerdict(record: EvidenceRecord | undefined, digest: string): ArtifactVerdict {
    if (!record) {
        return 'not_published';
    }
    if (record.status === 'revoked') {
        return 'revoked';
    }
    return record.digest === digest ? 'approved' : 'mismatch';
}
