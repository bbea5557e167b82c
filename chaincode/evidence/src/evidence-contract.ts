import { Context, Contract, Info, Transaction } from 'fabric-contract-api';
import { requireIdentifier, toJSON } from '../../common/src';
import { readOrgPolicy, rolesOf, setOrgPolicy, setRoles } from './access-policy';
import { checkArtifact } from './artifact';
import { acknowledgeTransfer, transferStatus } from './data-transfer';
import { anchorBatch, findBatch, readBatch, verifyInclusion } from './evidence-batch';
import { queryPage } from './evidence-index';
import { traceBackward, traceForward } from './process-trace';
import { anchor, anchorPersonal, findRecord, history, purgePersonal, readPersonal, readRecord, revoke } from './records';
import { verify, verifyContent, verifyPersonal } from './verification';

/**
 * The evidence contract: a routing table. Each transaction's request and return shapes, what it does and who may
 * call it are in the schema package's table (schemas/src/evidence/transactions.ts), which META-INF/metadata.json
 * is generated from; the rules are in the aggregate modules (records, verification, evidence-batch,
 * process-trace, artifact, data-transfer, access-policy). Every result is canonical JSON text.
 */
@Info({ title: 'EvidenceContract', description: 'Notarize edge data by digest, in batches or privately, and verify it later' })
export class EvidenceContract extends Contract {
    constructor() {
        super('evidence');
    }

    @Transaction()
    async Anchor(ctx: Context, request: string): Promise<string> {
        return anchor(ctx, request);
    }

    @Transaction()
    async AnchorPersonal(ctx: Context, request: string): Promise<string> {
        return anchorPersonal(ctx, request);
    }

    @Transaction(false)
    async Read(ctx: Context, id: string): Promise<string> {
        return toJSON(await readRecord(ctx, id));
    }

    @Transaction(false)
    async ReadPrivate(ctx: Context, id: string): Promise<string> {
        return toJSON(await readPersonal(ctx, await readRecord(ctx, id)));
    }

    @Transaction()
    async PurgePersonal(ctx: Context, id: string): Promise<string> {
        return toJSON(await purgePersonal(ctx, id));
    }

    @Transaction(false)
    async Verify(ctx: Context, id: string, digest: string): Promise<string> {
        return toJSON(await verify(ctx, id, digest));
    }

    @Transaction(false)
    async VerifyContent(ctx: Context, id: string, contentBase64: string): Promise<string> {
        return toJSON(await verifyContent(ctx, id, contentBase64));
    }

    @Transaction(false)
    async VerifyPersonal(ctx: Context, id: string, contentDigest: string): Promise<string> {
        return toJSON(await verifyPersonal(ctx, id, contentDigest));
    }

    @Transaction()
    async Revoke(ctx: Context, id: string, reason: string): Promise<string> {
        return toJSON(await revoke(ctx, id, reason));
    }

    @Transaction(false)
    async History(ctx: Context, id: string): Promise<string> {
        return toJSON(await history(ctx, id));
    }

    @Transaction(false)
    async Query(ctx: Context, query: string): Promise<string> {
        return toJSON(await queryPage(ctx, 'evidence', query, (id) => findRecord(ctx, id)));
    }

    @Transaction()
    async AnchorBatch(ctx: Context, root: string, count: string, metadata: string): Promise<string> {
        return anchorBatch(ctx, root, count, metadata);
    }

    @Transaction(false)
    async ReadBatch(ctx: Context, batchId: string): Promise<string> {
        return toJSON(await readBatch(ctx, batchId));
    }

    @Transaction(false)
    async VerifyInclusion(ctx: Context, batchId: string, itemDigest: string, leafIndex: string, proof: string): Promise<string> {
        return toJSON(await verifyInclusion(ctx, batchId, itemDigest, leafIndex, proof));
    }

    @Transaction(false)
    async QueryBatches(ctx: Context, query: string): Promise<string> {
        return toJSON(await queryPage(ctx, 'batch', query, (id) => findBatch(ctx, id)));
    }

    @Transaction(false)
    async TraceBackward(ctx: Context, id: string, maxSteps: string): Promise<string> {
        return toJSON(await traceBackward(ctx, id, maxSteps));
    }

    @Transaction(false)
    async TraceForward(ctx: Context, id: string, maxSteps: string): Promise<string> {
        return toJSON(await traceForward(ctx, id, maxSteps));
    }

    @Transaction(false)
    async CheckArtifact(ctx: Context, artifactName: string, version: string, digest: string): Promise<string> {
        return toJSON(await checkArtifact(ctx, artifactName, version, digest));
    }

    @Transaction()
    async AcknowledgeTransfer(ctx: Context, id: string, receivedDigest: string): Promise<string> {
        return toJSON(await acknowledgeTransfer(ctx, id, receivedDigest));
    }

    @Transaction(false)
    async ReadTransfer(ctx: Context, id: string): Promise<string> {
        return toJSON(await transferStatus(ctx, id));
    }

    @Transaction()
    async SetRoles(ctx: Context, request: string): Promise<string> {
        return toJSON(await setRoles(ctx, request));
    }

    @Transaction(false)
    async ReadRoles(ctx: Context, mspId: string, commonName: string): Promise<string> {
        return toJSON(await rolesOf(ctx, mspId, commonName));
    }

    @Transaction()
    async SetOrgPolicy(ctx: Context, policy: string): Promise<string> {
        return toJSON(await setOrgPolicy(ctx, policy));
    }

    @Transaction(false)
    async ReadOrgPolicy(ctx: Context, mspId: string): Promise<string> {
        return toJSON(await readOrgPolicy(ctx, requireIdentifier(mspId, 'mspId')));
    }
}
