import { createHash } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { identities, MemoryLedger, type TestIdentity } from '../../common/testing/memory-ledger';
import { conforms, EVIDENCE_TRANSACTIONS, type EvidenceTransactionName, firstViolation, KIND_ATTRIBUTES, nodeHash, leafHash } from '../../schemas/src';
import { EvidenceContract } from './evidence-contract';
import { KIND_FIELDS } from './record-kinds';

// What the chaincode returns is what its contract metadata says: every transaction's answer meets its schema.
const contract = new EvidenceContract();
const hex = (text: string): string => createHash('sha256').update(text).digest('hex');
const ledger = new MemoryLedger();
const checked = new Set<EvidenceTransactionName>();

async function call(name: EvidenceTransactionName, who: TestIdentity, run: (ctx: Context) => Promise<string>, transient?: Map<string, Uint8Array>): Promise<unknown> {
    const submit = EVIDENCE_TRANSACTIONS[name].type === 'submit';
    const json = submit ? await ledger.submit(who, run, transient === undefined ? {} : { transient }) : await ledger.evaluate(who, run);
    const value = JSON.parse(json) as unknown;
    expect(firstViolation(EVIDENCE_TRANSACTIONS[name].returns, value, name)).toBeUndefined();
    checked.add(name);
    return value;
}

describe('evidence wire shapes', () => {
    it('every transaction returns what its schema in the contract metadata describes', async () => {
        const user = identities.edgeUser;
        const admin = identities.edgeAdmin;
        const source = { type: 'device', id: 'cam-7' };
        await call('SetRoles', admin, (ctx) => contract.SetRoles(ctx, JSON.stringify({ commonName: admin.name, roles: ['publisher', 'revoker'] })));
        await call('ReadRoles', user, (ctx) => contract.ReadRoles(ctx, admin.mspId, admin.name));
        await call('SetOrgPolicy', admin, (ctx) => contract.SetOrgPolicy(ctx, JSON.stringify({ anchoring: 'any-member' })));
        await call('ReadOrgPolicy', user, (ctx) => contract.ReadOrgPolicy(ctx, user.mspId));
        const video = { id: 'seg-1', name: 'segment', digest: hex('seg'), size: 3, source, tags: ['site-a'], attributes: { cameraId: 'cam-7', startTime: '2026-01-01T00:00:00Z', endTime: '2026-01-01T00:01:00Z' } };
        await call('Anchor', user, (ctx) => contract.Anchor(ctx, JSON.stringify(video)));
        await call('Anchor', user, (ctx) => contract.Anchor(ctx, JSON.stringify({ id: 'note-1', name: 'note', payload: { encoding: 'utf8', data: 'hello' }, source })));
        await call('Read', user, (ctx) => contract.Read(ctx, 'seg-1'));
        await call('Verify', user, (ctx) => contract.Verify(ctx, '', hex('seg')));
        await call('VerifyContent', user, (ctx) => contract.VerifyContent(ctx, 'note-1', Buffer.from('hello').toString('base64')));
        await call('History', user, (ctx) => contract.History(ctx, 'seg-1'));
        await call('Query', user, (ctx) => contract.Query(ctx, JSON.stringify({ by: 'tag', tag: 'site-a' })));
        await call('Revoke', user, (ctx) => contract.Revoke(ctx, 'seg-1', 'recorded twice'));
        const step = (id: string, predecessorId?: string): object => ({ id, name: id, digest: hex(id), size: 1, source, kind: 'process-step', attributes: { traceId: 't-1', step: id, party: 'EdgeOrg', ...(predecessorId ? { predecessorId } : {}) } });
        await call('Anchor', user, (ctx) => contract.Anchor(ctx, JSON.stringify(step('s-1'))));
        await call('Anchor', user, (ctx) => contract.Anchor(ctx, JSON.stringify(step('s-2', 's-1'))));
        await call('TraceBackward', user, (ctx) => contract.TraceBackward(ctx, 's-2', '10'));
        await call('TraceForward', user, (ctx) => contract.TraceForward(ctx, 's-1', '10'));
        const artifact = { id: 'app-1.0', name: 'app', digest: hex('app'), size: 1, source, kind: 'artifact', attributes: { artifactType: 'app', artifactName: 'app', version: '1.0' } };
        await call('Anchor', admin, (ctx) => contract.Anchor(ctx, JSON.stringify(artifact)));
        await call('CheckArtifact', user, (ctx) => contract.CheckArtifact(ctx, 'app', '1.0', hex('app')));
        const transfer = { id: 'tr-1', name: 'sync', digest: hex('set'), size: 1, source, kind: 'data-set-transfer', attributes: { dataSetId: 'set-1', recipients: [{ mspId: 'CloudOrgMSP' }] } };
        await call('Anchor', user, (ctx) => contract.Anchor(ctx, JSON.stringify(transfer)));
        await call('AcknowledgeTransfer', identities.cloudUser, (ctx) => contract.AcknowledgeTransfer(ctx, 'tr-1', hex('set')));
        await call('ReadTransfer', user, (ctx) => contract.ReadTransfer(ctx, 'tr-1'));
        const items = [hex('a'), hex('b')].map((digest) => Buffer.from(digest, 'hex'));
        const root = nodeHash(leafHash(items[0]!), leafHash(items[1]!)).toString('hex');
        await call('AnchorBatch', user, (ctx) => contract.AnchorBatch(ctx, root, '2', JSON.stringify({ batchId: 'b-1', source })));
        await call('ReadBatch', user, (ctx) => contract.ReadBatch(ctx, 'b-1'));
        await call('VerifyInclusion', user, (ctx) => contract.VerifyInclusion(ctx, 'b-1', items[0]!.toString('hex'), '0', JSON.stringify([leafHash(items[1]!).toString('hex')])));
        await call('QueryBatches', user, (ctx) => contract.QueryBatches(ctx, JSON.stringify({ by: 'org', mspId: user.mspId })));
        const document = Buffer.from('a contract');
        const personal = new Map([
            ['personal', Buffer.from(JSON.stringify({ contentDigest: createHash('sha256').update(document).digest('hex'), name: 'contract', source }))],
            ['salt', Buffer.from(Buffer.alloc(16, 0xab).toString('base64'))],
        ]);
        await call('AnchorPersonal', user, (ctx) => contract.AnchorPersonal(ctx, JSON.stringify({ id: 'p-1', size: document.length, attributes: { documentType: 'contract' } })), personal);
        await call('ReadPrivate', user, (ctx) => contract.ReadPrivate(ctx, 'p-1'));
        await call('VerifyPersonal', user, (ctx) => contract.VerifyPersonal(ctx, 'p-1', createHash('sha256').update(document).digest('hex')));
        await call('PurgePersonal', user, (ctx) => contract.PurgePersonal(ctx, 'p-1'));
        expect([...checked].sort()).toEqual(Object.keys(EVIDENCE_TRANSACTIONS).sort());
    });

    it('accepts a request that meets the schema of the transaction table and refuses one that does not', () => {
        const request = { id: 'seg-1', name: 'segment', digest: hex('seg'), size: 3, source: { type: 'device', id: 'cam-7' } };
        expect(conforms(EVIDENCE_TRANSACTIONS.Anchor.parameters[0][1], request)).toBe(true);
        expect(conforms(EVIDENCE_TRANSACTIONS.Anchor.parameters[0][1], { ...request, source: { type: 'satellite', id: 'x' } })).toBe(false);
    });
});

describe('the kind table (record-kinds.ts)', () => {
    it('checks exactly the attributes, required and optional, that the schema package defines for each kind', () => {
        for (const [kind, schema] of Object.entries(KIND_ATTRIBUTES)) {
            const fields = KIND_FIELDS[kind as keyof typeof KIND_FIELDS].fields;
            const properties = (schema as { properties?: Record<string, unknown> }).properties ?? {};
            const required = (schema as { required?: string[] }).required ?? [];
            expect({ kind, fields: Object.keys(fields).sort() }).toEqual({ kind, fields: Object.keys(properties).sort() });
            expect({ kind, required: Object.keys(fields).filter((field) => fields[field]?.required).sort() }).toEqual({ kind, required: [...required].sort() });
        }
    });
});
