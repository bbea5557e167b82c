import { endorsingOrgsOf, setClock } from '../../common/src';
import { identities, MemoryLedger } from '../../common/testing/memory-ledger';
import { EvidenceContract } from './evidence-contract';
import { WITNESS_COLLECTION } from './witness';

/*
 * Finding 2: which organisations' peers Fabric will demand for later changes of each key (the key-level
 * policies the chaincode sets). Finding 3: proposal time bounded by the endorser's clock, and witnessed
 * anchoring. The real-network proof is test/integration/attack-tampered-peer.test.ts.
 */

const contract = new EvidenceContract();
const YEAR = 365 * 86_400_000;
const digest = 'c'.repeat(64);
const request = { id: 'cam-7/0001', digest, name: 'segment-0001.mp4', size: 1024, source: { type: 'device', id: 'cam-7' }, tags: ['video'] };

function compositeKey(objectType: string, attributes: string[]): string {
    return `\u0000${objectType}\u0000${attributes.map((a) => `${a}\u0000`).join('')}`;
}

describe('evidence key-level endorsement', () => {
    let ledger: MemoryLedger;
    const owners = (key: string): string[] => endorsingOrgsOf(ledger.readValidationParameter(key));

    beforeEach(() => {
        ledger = new MemoryLedger();
    });

    it("puts the submitter organisation's policy on a record and every index entry it writes", async () => {
        await ledger.submit(identities.edgeUser, (ctx) => contract.Anchor(ctx, JSON.stringify(request)));
        const written = [...ledger.snapshot().keys()];
        expect(written).toEqual(expect.arrayContaining([`evidence~${request.id}`, compositeKey('evidence~digest~id', [digest, request.id])]));
        expect(written.length).toBeGreaterThan(5);
        for (const key of written) {
            expect([key, owners(key)]).toEqual([key, ['EdgeOrgMSP']]);
        }
    });

    it("puts the owner organisation's policy on role grants, kept (not deleted) when emptied, and on its policy", async () => {
        await ledger.submit(identities.edgeAdmin, (ctx) => contract.SetRoles(ctx, JSON.stringify({ commonName: 'op-1', roles: ['revoker'] })));
        await ledger.submit(identities.edgeAdmin, (ctx) => contract.SetRoles(ctx, JSON.stringify({ commonName: 'op-1', roles: [] })));
        await ledger.submit(identities.cloudAdmin, (ctx) => contract.SetOrgPolicy(ctx, JSON.stringify({ anchoring: 'submitter-role' })));
        const grant = compositeKey('evidence~role', ['EdgeOrgMSP', 'op-1']);
        expect(ledger.get(grant)).toBeDefined();
        expect(owners(grant)).toEqual(['EdgeOrgMSP']);
        expect(owners(compositeKey('evidence~org-policy', ['CloudOrgMSP']))).toEqual(['CloudOrgMSP']);
        await expect(ledger.evaluate(identities.cloudUser, (ctx) => contract.ReadRoles(ctx, 'EdgeOrgMSP', 'op-1')).then(JSON.parse)).resolves.toMatchObject({ roles: [] });
    });
});

describe("evidence governance keys created in another organisation's name", () => {
    it('count for nothing without the owner\'s mark, which only the owner\'s peers can write', async () => {
        const ledger = new MemoryLedger();
        const grant = compositeKey('evidence~role', ['EdgeOrgMSP', identities.edgeUser.name]);
        const policy = compositeKey('evidence~org-policy', ['EdgeOrgMSP']);
        // What a modified CloudOrg peer can create (new keys fall under the chaincode-level OR policy): the public keys.
        await ledger.submit(identities.cloudUser, async (ctx) => {
            await ctx.stub.putState(grant, Buffer.from(JSON.stringify({ mspId: 'EdgeOrgMSP', commonName: identities.edgeUser.name, roles: ['publisher'] })));
            await ctx.stub.putState(policy, Buffer.from(JSON.stringify({ mspId: 'EdgeOrgMSP', anchoring: 'submitter-role' })));
        });
        const roles = JSON.parse(await ledger.evaluate(identities.cloudUser, (ctx) => contract.ReadRoles(ctx, 'EdgeOrgMSP', identities.edgeUser.name))) as { roles: string[] };
        expect(roles.roles).toEqual([]);
        await expect(ledger.evaluate(identities.cloudUser, (ctx) => contract.ReadOrgPolicy(ctx, 'EdgeOrgMSP')).then(JSON.parse)).resolves.toMatchObject({ anchoring: 'any-member' });
        // The planted policy does not lock EdgeOrg's members out, nor does the planted grant let one publish.
        await expect(ledger.submit(identities.edgeUser, (ctx) => contract.Anchor(ctx, JSON.stringify(request)))).resolves.toContain(request.id);
        const artifact = { ...request, id: 'fw-1', kind: 'artifact', attributes: { artifactType: 'patch', artifactName: 'fw', version: '1.0.0' } };
        await expect(ledger.submit(identities.edgeUser, (ctx) => contract.Anchor(ctx, JSON.stringify(artifact)))).rejects.toThrow(/^ACCESS_DENIED: .*publisher/);
    });

    it("honours what the owner's admins set, marked in the owner's collection", async () => {
        const ledger = new MemoryLedger();
        await ledger.submit(identities.edgeAdmin, (ctx) => contract.SetRoles(ctx, JSON.stringify({ commonName: identities.edgeUser.name, roles: ['publisher'] })));
        expect(ledger.privateData('EdgeOrgMSPPrivateEvidence', compositeKey('evidence~role', ['EdgeOrgMSP', identities.edgeUser.name]))).toBeDefined();
        const roles = JSON.parse(await ledger.evaluate(identities.cloudUser, (ctx) => contract.ReadRoles(ctx, 'EdgeOrgMSP', identities.edgeUser.name))) as { roles: string[] };
        expect(roles.roles).toEqual(['publisher']);
    });
});

describe('evidence index entries planted by another organisation (new keys)', () => {
    it('are skipped by Verify and Query instead of trusted or failing them', async () => {
        const ledger = new MemoryLedger();
        await ledger.submit(identities.edgeUser, (ctx) => contract.Anchor(ctx, JSON.stringify(request)));
        await ledger.submit(identities.edgeUser, (ctx) => contract.Anchor(ctx, JSON.stringify({ ...request, id: 'aaa-other', digest: 'd'.repeat(64) })));
        // Sorted before the real entry: one naming no record, one naming a record with another digest.
        await ledger.submit(identities.cloudUser, async (ctx) => {
            await ctx.stub.putState(compositeKey('evidence~digest~id', [digest, '0-nothing']), Buffer.from([0]));
            await ctx.stub.putState(compositeKey('evidence~digest~id', [digest, 'aaa-other']), Buffer.from([0]));
            await ctx.stub.putState(compositeKey('evidence~by-kind', ['generic', '2026-01-01', '2026-01-01T00:00:00.000Z', '0-nothing']), Buffer.from([0]));
        });
        const verified = JSON.parse(await ledger.evaluate(identities.cloudUser, (ctx) => contract.Verify(ctx, '', digest))) as unknown;
        expect(verified).toMatchObject({ outcome: 'match', record: { id: request.id } });
        const page = JSON.parse(await ledger.evaluate(identities.cloudUser, (ctx) => contract.Query(ctx, JSON.stringify({ by: 'kind', kind: 'generic' })))) as { records: { id: string }[] };
        expect(page.records.map((r) => r.id).sort()).toEqual(['aaa-other', request.id].sort());
    });
});

describe('evidence proposal time (bounded by the endorsing peer)', () => {
    let ledger: MemoryLedger;

    beforeEach(() => {
        ledger = new MemoryLedger();
    });

    afterAll(() => setClock());

    it.each([
        ['backdated by a year', -YEAR],
        ['dated a minute ahead', 60_000],
    ])('refuses an anchoring %s and writes nothing', async (_label, skew) => {
        setClock(() => ledger.now - skew);
        await expect(ledger.submit(identities.edgeUser, (ctx) => contract.Anchor(ctx, JSON.stringify(request)))).rejects.toThrow(/^TIMESTAMP_OUT_OF_TOLERANCE: /);
        await expect(ledger.submit(identities.edgeAdmin, (ctx) => contract.SetOrgPolicy(ctx, JSON.stringify({ anchoring: 'any-member' })))).rejects.toThrow(
            /^TIMESTAMP_OUT_OF_TOLERANCE: /,
        );
        await expect(ledger.submit(identities.edgeUser, (ctx) => contract.AnchorBatch(ctx, digest, '4', JSON.stringify({ source: request.source })))).rejects.toThrow(
            /^TIMESTAMP_OUT_OF_TOLERANCE: /,
        );
        expect(ledger.snapshot().size).toBe(0);
    });

    it('accepts a proposal within the tolerance', async () => {
        setClock(() => ledger.now + 10_000);
        await expect(ledger.submit(identities.edgeUser, (ctx) => contract.Anchor(ctx, JSON.stringify(request)))).resolves.toContain(request.id);
    });
});

describe('witnessed anchoring', () => {
    let ledger: MemoryLedger;

    beforeEach(() => {
        ledger = new MemoryLedger();
    });

    it('seals a record the request says is witnessed, and needs both organisations for later changes', async () => {
        const record = JSON.parse(await ledger.submit(identities.cloudUser, (ctx) => contract.Anchor(ctx, JSON.stringify({ ...request, witnessMspId: 'EdgeOrgMSP' })))) as {
            witnessMspId: string;
        };
        expect(record.witnessMspId).toBe('EdgeOrgMSP');
        expect(ledger.privateData(WITNESS_COLLECTION, `record~${request.id}`)).toBeDefined();
        expect(endorsingOrgsOf(ledger.readValidationParameter(`evidence~${request.id}`))).toEqual(['CloudOrgMSP', 'EdgeOrgMSP']);
        const verified = JSON.parse(await ledger.evaluate(identities.edgeUser, (ctx) => contract.Verify(ctx, request.id, digest))) as unknown;
        expect(verified).toMatchObject({ outcome: 'match', witness: { mspId: 'EdgeOrgMSP', sealed: true } });
    });

    it("witnesses every record by the supervisor the recorder's organisation names, and refuses another or none", async () => {
        await ledger.submit(identities.cloudAdmin, (ctx) => contract.SetOrgPolicy(ctx, JSON.stringify({ anchoring: 'any-member', supervisorMspId: 'EdgeOrgMSP' })));
        const record = JSON.parse(await ledger.submit(identities.cloudUser, (ctx) => contract.Anchor(ctx, JSON.stringify(request)))) as { witnessMspId?: string };
        expect(record.witnessMspId).toBe('EdgeOrgMSP');
        const batch = JSON.parse(await ledger.submit(identities.cloudUser, (ctx) => contract.AnchorBatch(ctx, digest, '2', JSON.stringify({ source: request.source })))) as {
            id: string;
            witnessMspId?: string;
        };
        expect(batch.witnessMspId).toBe('EdgeOrgMSP');
        expect(ledger.privateData(WITNESS_COLLECTION, `batch~${batch.id}`)).toBeDefined();
        await expect(
            ledger.submit(identities.cloudUser, (ctx) => contract.Anchor(ctx, JSON.stringify({ ...request, id: 'other', witnessMspId: 'ThirdOrgMSP' }))),
        ).rejects.toThrow(/^INVALID_ARGUMENT: CloudOrgMSP records are witnessed by its supervisor EdgeOrgMSP/);
    });

    it("refuses the submitter's own organisation as witness or supervisor", async () => {
        await expect(ledger.submit(identities.edgeUser, (ctx) => contract.Anchor(ctx, JSON.stringify({ ...request, witnessMspId: 'EdgeOrgMSP' })))).rejects.toThrow(
            /^INVALID_ARGUMENT: the witness must be an organisation other than/,
        );
        await expect(
            ledger.submit(identities.edgeAdmin, (ctx) => contract.SetOrgPolicy(ctx, JSON.stringify({ anchoring: 'any-member', supervisorMspId: 'EdgeOrgMSP' }))),
        ).rejects.toThrow(/^INVALID_ARGUMENT: /);
    });

    it('reports a witness claim without a seal as unsealed', async () => {
        // What a recorder's modified peer can write on its own: the record, not the seal (see witness.ts).
        await ledger.submit(identities.cloudUser, (ctx) => contract.Anchor(ctx, JSON.stringify(request)));
        const stored = JSON.parse(Buffer.from(ledger.get(`evidence~${request.id}`) ?? []).toString()) as Record<string, unknown>;
        await ledger.submit(identities.cloudUser, (ctx) => ctx.stub.putState(`evidence~${request.id}`, Buffer.from(JSON.stringify({ ...stored, witnessMspId: 'EdgeOrgMSP' }))));
        const verified = JSON.parse(await ledger.evaluate(identities.edgeUser, (ctx) => contract.Verify(ctx, request.id, digest))) as unknown;
        expect(verified).toMatchObject({ outcome: 'match', witness: { mspId: 'EdgeOrgMSP', sealed: false } });
    });
});
