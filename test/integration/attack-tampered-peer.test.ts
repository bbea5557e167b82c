import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { Connection } from '../../gateway-sdk/src';
import { type CommittedTransaction, DeviceIdentityClient, EvidenceClient, findCommittedTransaction } from '../../gateway-sdk/src';
import { loadNetwork, type Network, swapChaincodeServer } from '../../test-network-scripts/src';
import { endorsementFailure, submitShifted } from '../support/backdate';
import { datedCertificate } from '../support/device-identity';
import { closeConnections, connectAs, readBlock, testProfile, uniqueId } from '../support/network';

/*
 * The tampered-peer attack (issue 9, finding 2) on the real network. CloudOrg runs its own chaincode servers
 * (topology: chaincodeServers per-organization) and swaps them for a modified chaincode that writes whatever it
 * is told, with no access check (tampered-chaincode/). Its writes to keys that EdgeOrg owns must be refused by
 * Fabric's validation on every peer (ENDORSEMENT_POLICY_FAILURE), because those keys carry EdgeOrg's key-level
 * endorsement policy, and must change nothing. Also: a record claiming a witness can't be sealed by the
 * recorder's peer alone (finding 3).
 */

jest.setTimeout(180_000);

const TAMPERED_MODULE = join(__dirname, 'tampered-chaincode');
const DAY = 86_400_000;
const YEAR = 365 * DAY;

/** The network the connection profile belongs to (scripts/test.mjs puts the profile in the network's folder). */
function testNetwork(): Network {
    const file = process.env.EDGETRUST_CONNECTION_PROFILE ?? '';
    const ports = Object.values(testProfile().organizations).flatMap((org) => org.peers.map((p) => Number(p.endpoint.split(':').pop())));
    // Peers listen from portBase + 100 on (test-network-scripts/src/topology.ts).
    return loadNetwork({ dir: dirname(file), portBase: Math.min(...ports) - 100 });
}

/** A composite key exactly as fabric-shim's createCompositeKey builds it. */
function compositeKey(objectType: string, attributes: string[]): string {
    return `\u0000${objectType}\u0000${attributes.map((a) => `${a}\u0000`).join('')}`;
}

interface TamperedWrite {
    key: string;
    value?: string;
    delete?: true;
    collection?: string;
}

function sha256(text: string): string {
    return createHash('sha256').update(text).digest('hex');
}

describe('a CloudOrg peer running tampered chaincode (real network)', () => {
    const network = testNetwork();
    const channel = testProfile().channel;
    let cloud: Connection;
    let edgeAdmin: Connection;
    let edgeUser: Connection;

    /** Submits the tampered chaincode's raw writes, endorsed by CloudOrg's peer only, and reads how the block judged it. */
    async function tamper(chaincode: string, writes: TamperedWrite[]): Promise<CommittedTransaction> {
        const commit = await cloud.gateway.getNetwork(channel).getContract(chaincode).submitAsync('TamperWrite', {
            arguments: [JSON.stringify(writes)],
            endorsingOrganizations: ['CloudOrgMSP'],
        });
        const status = await commit.getStatus();
        const committed = findCommittedTransaction(await readBlock(cloud.gateway, channel, status.blockNumber), status.transactionId);
        if (!committed) {
            throw new Error(`transaction ${status.transactionId} not found in block ${String(status.blockNumber)}`);
        }
        return committed;
    }

    /** Like tamper, for writes the peer itself may refuse to endorse (e.g. a non-member client's private write). */
    async function tamperOutcome(chaincode: string, writes: TamperedWrite[]): Promise<string> {
        try {
            return (await tamper(chaincode, writes)).validationCode;
        } catch (err) {
            return `refused at endorsement: ${err instanceof Error ? err.message : String(err)}`;
        }
    }

    /** Waits until CloudOrg's peer runs the swapped server (it reconnects on the next invocation). */
    async function untilServing(chaincode: string): Promise<void> {
        for (let attempt = 1; ; attempt++) {
            try {
                await cloud.gateway.getNetwork(channel).getContract(chaincode).evaluate('TamperWrite', { arguments: ['[]'] });
                return;
            } catch (err) {
                if (attempt >= 20) {
                    throw err;
                }
                await new Promise((resolve) => setTimeout(resolve, 500));
            }
        }
    }

    beforeAll(async () => {
        cloud = await connectAs('CloudOrg');
        edgeAdmin = await connectAs('EdgeOrg', { user: 'Admin' });
        edgeUser = await connectAs('EdgeOrg');
        for (const chaincode of ['evidence', 'device-identity']) {
            await swapChaincodeServer(network, chaincode, 'CloudOrg', TAMPERED_MODULE, { EDGETRUST_TAMPERED_CHAINCODE: chaincode });
            await untilServing(chaincode);
        }
    });

    afterAll(async () => {
        closeConnections();
        for (const chaincode of ['evidence', 'device-identity']) {
            await swapChaincodeServer(network, chaincode, 'CloudOrg');
        }
    });

    const evidenceOf = (connection: Connection): EvidenceClient =>
        new EvidenceClient(connection.gateway.getNetwork(channel).getContract('evidence'), { mspId: connection.mspId });
    const registryOf = (connection: Connection): DeviceIdentityClient => new DeviceIdentityClient(connection.gateway.getNetwork(channel).getContract('device-identity'));

    describe('evidence', () => {

        it("can't change EdgeOrg's role grants or its organisation policy", async () => {
            const edge = evidenceOf(edgeAdmin);
            const operator = uniqueId('it-operator');
            await edge.setRoles(operator, ['revoker']);
            await edge.setOrgPolicy('any-member');

            const grant = await tamper('evidence', [
                { key: compositeKey('evidence~role', ['EdgeOrgMSP', operator]), value: JSON.stringify({ mspId: 'EdgeOrgMSP', commonName: operator, roles: ['privacy-reader', 'publisher', 'revoker', 'submitter'] }) },
            ]);
            expect(grant).toMatchObject({ validationCode: 'ENDORSEMENT_POLICY_FAILURE', endorserMspIds: ['CloudOrgMSP'] });
            const policy = await tamper('evidence', [
                { key: compositeKey('evidence~org-policy', ['EdgeOrgMSP']), value: JSON.stringify({ mspId: 'EdgeOrgMSP', anchoring: 'submitter-role' }) },
            ]);
            expect(policy.validationCode).toBe('ENDORSEMENT_POLICY_FAILURE');
            const deleted = await tamper('evidence', [{ key: compositeKey('evidence~role', ['EdgeOrgMSP', operator]), delete: true }]);
            expect(deleted.validationCode).toBe('ENDORSEMENT_POLICY_FAILURE');

            await expect(edge.readRoles('EdgeOrgMSP', operator)).resolves.toMatchObject({ roles: ['revoker'] });
            await expect(edge.readOrgPolicy('EdgeOrgMSP')).resolves.toMatchObject({ anchoring: 'any-member' });
        });

        it("can create a grant in EdgeOrg's name (a new key), which counts for nothing without EdgeOrg's mark", async () => {
            const edge = evidenceOf(edgeUser);
            const stranger = uniqueId('it-stranger');
            const key = compositeKey('evidence~role', ['EdgeOrgMSP', stranger]);
            const value = JSON.stringify({ mspId: 'EdgeOrgMSP', commonName: stranger, roles: ['publisher'] });
            // Creation falls under the chaincode-level OR policy: valid, and honestly so reported.
            expect((await tamper('evidence', [{ key, value }])).validationCode).toBe('VALID');
            await expect(edge.readRoles('EdgeOrgMSP', stranger)).resolves.toMatchObject({ roles: [] });
            // The mark lives in EdgeOrg's collection, whose collection-level policy needs an EdgeOrg peer.
            const marked = await tamperOutcome('evidence', [{ collection: 'EdgeOrgMSPPrivateEvidence', key, value }]);
            expect(marked).not.toBe('VALID');
            await expect(edge.readRoles('EdgeOrgMSP', stranger)).resolves.toMatchObject({ roles: [] });
        });

        it("can't rewrite or unindex EdgeOrg's records", async () => {
            const edge = evidenceOf(edgeUser);
            const content = `reading ${uniqueId('it-sbe')}`;
            const digest = sha256(content);
            const { result: record } = await edge.anchor({ id: uniqueId('it-sbe-record'), digest, name: 'reading.txt', size: content.length, source: { type: 'device', id: 'meter-1' } });

            const forged = { ...record, digest: sha256('something else') };
            const rewrite = await tamper('evidence', [{ key: `evidence~${record.id}`, value: JSON.stringify(forged) }]);
            expect(rewrite.validationCode).toBe('ENDORSEMENT_POLICY_FAILURE');
            const unindex = await tamper('evidence', [{ key: compositeKey('evidence~digest~id', [digest, record.id]), delete: true }]);
            expect(unindex.validationCode).toBe('ENDORSEMENT_POLICY_FAILURE');

            await expect(edge.read(record.id)).resolves.toEqual(record);
            await expect(edge.verify(record.id, digest)).resolves.toMatchObject({ outcome: 'match' });
            await expect(edge.verify('', digest)).resolves.toMatchObject({ outcome: 'match', record: { id: record.id } });
        });

        it('witnessed anchoring: sealed only with the witness organisation, never by the recorder alone', async () => {
            const recorder = evidenceOf(cloud);
            const content = `video segment ${uniqueId('it-witness')}`;
            const request = { id: uniqueId('it-witnessed'), digest: sha256(content), name: 'cam7.mp4', size: content.length, source: { type: 'device' as const, id: 'cam-7' } };

            // Honest: the SDK asks both organisations' peers; the record names its witness and its seal is on the ledger.
            const witnessed = await recorder.anchor(request, { witness: 'EdgeOrgMSP' });
            expect(witnessed.result).toMatchObject({ submitterMspId: 'CloudOrgMSP', witnessMspId: 'EdgeOrgMSP' });
            const block = await readBlock(cloud.gateway, channel, witnessed.blockNumber);
            expect(new Set(findCommittedTransaction(block, witnessed.transactionId)?.endorserMspIds)).toEqual(new Set(['CloudOrgMSP', 'EdgeOrgMSP']));
            await expect(recorder.verify(request.id, request.digest)).resolves.toMatchObject({ outcome: 'match', witness: { mspId: 'EdgeOrgMSP', sealed: true } });
            // Changing a witnessed record needs both organisations too; the gateway finds that from the key's policy.
            const revoked = await recorder.revoke(request.id, 'superseded by a re-recording');
            const revokedIn = await readBlock(cloud.gateway, channel, revoked.blockNumber);
            expect(new Set(findCommittedTransaction(revokedIn, revoked.transactionId)?.endorserMspIds)).toEqual(new Set(['CloudOrgMSP', 'EdgeOrgMSP']));

            // Tampered: the recorder's own peer writes a record that claims EdgeOrg as witness, with the seal.
            const claimed = { ...witnessed.result, id: uniqueId('it-forged-witness'), anchoredAt: '2025-01-01T00:00:00.000Z', txId: 'forged' };
            const seal = { item: 'record', id: claimed.id, digest: claimed.digest, anchoredAt: claimed.anchoredAt, submitterMspId: 'CloudOrgMSP', witnessMspId: 'EdgeOrgMSP', txId: claimed.txId };
            const sealed = await tamper('evidence', [
                { key: `evidence~${claimed.id}`, value: JSON.stringify(claimed) },
                { collection: 'WitnessedEvidence', key: `record~${claimed.id}`, value: JSON.stringify(seal, Object.keys(seal).sort()) },
            ]);
            expect(sealed).toMatchObject({ validationCode: 'ENDORSEMENT_POLICY_FAILURE', endorserMspIds: ['CloudOrgMSP'] });
            await expect(recorder.verify(claimed.id, claimed.digest)).resolves.toMatchObject({ outcome: 'not_found' });

            // Without the seal the write is valid (a new key: the chaincode-level OR policy), but the claim counts for nothing.
            const unsealed = await tamper('evidence', [{ key: `evidence~${claimed.id}`, value: JSON.stringify(claimed) }]);
            expect(unsealed.validationCode).toBe('VALID');
            await expect(recorder.verify(claimed.id, claimed.digest)).resolves.toMatchObject({ outcome: 'match', witness: { mspId: 'EdgeOrgMSP', sealed: false } });
        });
    });

    describe('device identity', () => {

        it("can't change the registry administrators, EdgeOrg's manufacturers or EdgeOrg's assets", async () => {
            const registry = registryOf(edgeAdmin);
            const before = await registry.readRegistry();
            expect(before.mspIds).toContain('EdgeOrgMSP');
            // CloudOrg makes itself the only registry administrator.
            const administrators = await tamper('device-identity', [
                { key: compositeKey('registry', ['administrators']), value: JSON.stringify({ mspIds: ['CloudOrgMSP'] }) },
            ]);
            expect(administrators).toMatchObject({ validationCode: 'ENDORSEMENT_POLICY_FAILURE', endorserMspIds: ['CloudOrgMSP'] });
            await expect(registry.readRegistry()).resolves.toEqual(before);

            const { result: manufacturer } = await registry.registerManufacturer({ id: uniqueId('it-mfr'), name: 'Edge Sensors', mspId: 'EdgeOrgMSP' });
            const rogue = { ...manufacturer, registrars: [{ mspId: 'CloudOrgMSP', id: 'x509::/CN=rogue::/CN=ca' }] };
            const appoint = await tamper('device-identity', [{ key: compositeKey('manufacturer', [manufacturer.id]), value: JSON.stringify(rogue) }]);
            expect(appoint.validationCode).toBe('ENDORSEMENT_POLICY_FAILURE');
            await expect(registry.readManufacturer(manufacturer.id)).resolves.toEqual(manufacturer);
            // A manufacturer key nobody wrote yet is new (chaincode-level OR policy), but one the registry does not list does not exist.
            const planted = { ...rogue, id: uniqueId('it-planted-mfr'), mspId: 'CloudOrgMSP' };
            expect((await tamper('device-identity', [{ key: compositeKey('manufacturer', [planted.id]), value: JSON.stringify(planted) }])).validationCode).toBe('VALID');
            await expect(registry.readManufacturer(planted.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });

            // Assets are EdgeOrg's private data: a write to its collection needs an EdgeOrg peer (the collection's endorsement policy).
            const { result: asset } = await registry.registerAsset({ id: uniqueId('it-asset'), tag: uniqueId('tag'), type: 'server', site: 'edge-site-a' });
            const stolen = await tamperOutcome('device-identity', [
                { collection: 'EdgeOrgMSPAssets', key: compositeKey('asset', [asset.id]), value: JSON.stringify({ ...asset, ownerMspId: 'CloudOrgMSP', salt: '00'.repeat(16) }) },
            ]);
            expect(stolen).not.toBe('VALID');
            await expect(registry.readAsset(asset.id)).resolves.toEqual(asset);
        });
    });

    describe('time (proposals backdated by their client)', () => {
        const anchorArgs = (id: string, witnessMspId?: string): string[] => {
            const content = `reading ${id}`;
            return [JSON.stringify({ id, digest: sha256(content), name: 'r.txt', size: content.length, source: { type: 'device', id: 'meter-1' }, ...(witnessMspId ? { witnessMspId } : {}) })];
        };

        /** The endorsement error of a shifted proposal, or 'committed' if it went through. */
        async function shifted(connection: Connection, chaincode: string, name: string, args: string[], endorsingOrganizations: string[], shiftMillis: number): Promise<string> {
            const contract = connection.gateway.getNetwork(channel).getContract(chaincode);
            try {
                const submitted = await submitShifted(connection.gateway, contract, name, { arguments: args, endorsingOrganizations }, shiftMillis);
                return (await submitted.getStatus()).successful ? 'committed' : 'not committed';
            } catch (err) {
                return endorsementFailure(err);
            }
        }

        // Fabric's own peers refuse proposals more than peer.authentication.timewindow (15 min by default, a setting of
        // each organisation's own peers) off their clock; the chaincode's bound is 15 s, checked by every endorser.
        const FABRIC_WINDOW = /request unauthorized due to incorrect timestamp|TIMESTAMP_OUT_OF_TOLERANCE/;
        const TEN_MINUTES = 10 * 60_000;

        it("an honest peer refuses a record backdated by a year or by 10 minutes; the recorder's own tampered peer takes 10 minutes, unwitnessed", async () => {
            expect(await shifted(edgeUser, 'evidence', 'Anchor', anchorArgs(uniqueId('it-backdated-year')), ['EdgeOrgMSP'], -YEAR)).toMatch(FABRIC_WINDOW);
            expect(await shifted(edgeUser, 'evidence', 'Anchor', anchorArgs(uniqueId('it-backdated-edge')), ['EdgeOrgMSP'], -TEN_MINUTES)).toMatch(
                /EdgeOrgMSP: .*TIMESTAMP_OUT_OF_TOLERANCE/,
            );
            // Residual risk, documented: an organisation's own modified peer dates its own unwitnessed records as it likes.
            const id = uniqueId('it-backdated-cloud');
            expect(await shifted(cloud, 'evidence', 'Anchor', anchorArgs(id), ['CloudOrgMSP'], -TEN_MINUTES)).toBe('committed');
            const record = await evidenceOf(cloud).read(id);
            expect(Date.now() - Date.parse(record.anchoredAt)).toBeGreaterThan(TEN_MINUTES - 60_000);
            expect(record.witnessMspId).toBeUndefined();
        });

        it("a witnessed record can't be backdated: the witness's peer refuses though the recorder's peer accepts", async () => {
            const id = uniqueId('it-backdated-witnessed');
            const outcome = await shifted(cloud, 'evidence', 'Anchor', anchorArgs(id, 'EdgeOrgMSP'), ['CloudOrgMSP', 'EdgeOrgMSP'], -TEN_MINUTES);
            expect(outcome).toMatch(/EdgeOrgMSP: .*TIMESTAMP_OUT_OF_TOLERANCE/);
            expect(outcome).not.toMatch(/CloudOrgMSP: .*TIMESTAMP_OUT_OF_TOLERANCE/);
            await expect(evidenceOf(cloud).verify(id, sha256(`reading ${id}`))).resolves.toMatchObject({ outcome: 'not_found' });
        });

        it('an honest peer refuses expired certificates registered with a timestamp from when they were valid', async () => {
            // Expired 9 days ago, proposal 10 days back: beyond Fabric's own window already.
            const longExpired = datedCertificate(new Date(Date.now() - 20 * DAY), new Date(Date.now() - 9 * DAY), 'expired.app.test');
            const first = uniqueId('it-expired-app');
            expect(await shifted(edgeUser, 'device-identity', 'RegisterApplication', [JSON.stringify({ id: first, certificatePem: longExpired.pem })], ['EdgeOrgMSP'], -10 * DAY)).toMatch(FABRIC_WINDOW);
            // Expired 5 minutes ago, proposal 10 minutes back: inside Fabric's window, refused by the chaincode's bound.
            const justExpired = datedCertificate(new Date(Date.now() - 20 * DAY), new Date(Date.now() - 5 * 60_000), 'just-expired.app.test');
            const second = uniqueId('it-just-expired-app');
            expect(await shifted(edgeUser, 'device-identity', 'RegisterApplication', [JSON.stringify({ id: second, certificatePem: justExpired.pem })], ['EdgeOrgMSP'], -TEN_MINUTES)).toMatch(
                /EdgeOrgMSP: .*TIMESTAMP_OUT_OF_TOLERANCE/,
            );
            for (const id of [first, second]) {
                await expect(registryOf(edgeUser).readDevice(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
            }
        });
    });

    it('leaves honest work to the gateway: it finds the key-level policies of the keys a transaction writes', async () => {
        // A CloudOrg-operated manufacturer's key needs EdgeOrg (registry administrator) and CloudOrg; CloudOrg's admin
        // appoints a registrar through CloudOrg's gateway without naming endorsers, and the gateway asks both.
        const cloudAdmin = await connectAs('CloudOrg', { user: 'Admin' });
        const registry = new DeviceIdentityClient(edgeAdmin.gateway.getNetwork(channel).getContract('device-identity'));
        const { result: manufacturer } = await registry.registerManufacturer({ id: uniqueId('it-cloud-mfr'), name: 'Cloud Cameras', mspId: 'CloudOrgMSP' });
        const cloudRegistry = new DeviceIdentityClient(cloudAdmin.gateway.getNetwork(channel).getContract('device-identity'));
        const registrar = await new DeviceIdentityClient(cloud.gateway.getNetwork(channel).getContract('device-identity')).whoAmI();
        const appointed = await cloudRegistry.authorizeRegistrar(manufacturer.id, { mspId: registrar.mspId, id: registrar.id });
        const block = await readBlock(cloud.gateway, channel, appointed.blockNumber);
        expect(findCommittedTransaction(block, appointed.transactionId)).toMatchObject({ validationCode: 'VALID' });
        expect(new Set(findCommittedTransaction(block, appointed.transactionId)?.endorserMspIds)).toEqual(new Set(['CloudOrgMSP', 'EdgeOrgMSP']));
    });
});
