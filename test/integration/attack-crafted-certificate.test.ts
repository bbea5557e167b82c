import { createHash } from 'node:crypto';
import { AccessDeniedError, BillingClient, connect, type Connection, DeviceIdentityClient, EvidenceClient } from '../../gateway-sdk/src';
import { type Subject, withIssuedClient } from '../support/crafted-client';
import { testProfile, uniqueId } from '../support/network';

jest.setTimeout(120_000);

/*
 * Attack (issue 9, finding 1) on the real network: EdgeOrg's own CA issues a client certificate
 * (OU=client, as Fabric CA would to any enrolled member who asks for these L/O values) whose L value
 * carries `/OU=admin`, or whose O value carries `/CN=<a colleague>`. fabric-shim renders the first as
 * `/L=x\/OU=admin/OU=client/CN=eve`; the chaincodes must read the certificate's own OU and CN.
 */
const EDGE = 'EdgeOrg';
const opened: Connection[] = [];
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

async function as(name: string, subject?: Subject): Promise<{ evidence: EvidenceClient; devices: DeviceIdentityClient; billing: BillingClient }> {
    const base = testProfile();
    const profile = subject === undefined ? base : withIssuedClient(base, EDGE, name, subject);
    const connection = await connect({ profile, organization: EDGE, user: name });
    opened.push(connection);
    const network = connection.gateway.getNetwork(profile.channel);
    return {
        evidence: new EvidenceClient(network.getContract(profile.chaincodes.evidence ?? 'evidence')),
        devices: new DeviceIdentityClient(network.getContract(profile.chaincodes['device-identity'] ?? 'device-identity')),
        billing: new BillingClient(network.getContract(profile.chaincodes['resource-billing'] ?? 'resource-billing')),
    };
}

const client = (cn: string, smuggled: Subject): Subject => [['C', 'US'], ['ST', 'California'], ...smuggled, ['OU', 'client'], ['CN', cn]];

function artifact(version: string): Parameters<EvidenceClient['anchor']>[0] {
    return {
        id: uniqueId(`it-crafted-artifact-${version}`),
        kind: 'artifact',
        digest: sha256(`image ${version} ${uniqueId('x')}`),
        name: 'edge analytics image',
        size: 1024,
        source: { type: 'org', id: 'app-vendor' },
        attributes: { artifactType: 'container-image', artifactName: uniqueId('it-crafted-image'), version },
    };
}

describe('crafted client certificates against the real network', () => {
    afterAll(() => opened.splice(0).forEach((c) => c.close()));

    it('an EdgeOrg client whose L value carries /OU=admin is no administrator in any chaincode', async () => {
        const eve = await as('eve-admin', client(uniqueId('eve'), [['L', 'San Francisco/OU=admin']]));
        const me = await eve.devices.whoAmI();
        // Fabric accepted the certificate and the shim's id string does contain the smuggled OU …
        expect(me).toMatchObject({ mspId: 'EdgeOrgMSP', orgAdmin: false, registryAdmin: false });
        expect(me.id).toContain('OU=admin');
        // … but every administrator transaction is refused.
        await expect(eve.evidence.setRoles('eve', ['publisher'])).rejects.toThrow(AccessDeniedError);
        await expect(eve.evidence.setOrgPolicy('submitter-role')).rejects.toThrow(AccessDeniedError);
        await expect(eve.devices.registerManufacturer({ id: uniqueId('it-rogue'), name: 'Rogue', mspId: 'EdgeOrgMSP' })).rejects.toThrow(AccessDeniedError);
        await expect(eve.devices.addRegistryAdministrator('CloudOrgMSP')).rejects.toThrow(AccessDeniedError);
        await expect(eve.billing.grantRole('CloudOrgMSP', 'operator')).rejects.toThrow(AccessDeniedError);
        await expect(eve.evidence.anchor(artifact('1.0.0'))).rejects.toThrow(AccessDeniedError);
    });

    it("an EdgeOrg client whose O value carries /CN=<a publisher> does not inherit the publisher's role", async () => {
        const aliceName = uniqueId('alice');
        const admin = await as('Admin');
        await admin.evidence.setRoles(aliceName, ['publisher']);
        // The genuine holder of that CN publishes (the control: the grant works) …
        const alice = await as('alice', client(aliceName, [['L', 'San Francisco']]));
        await expect(alice.evidence.anchor(artifact('1.0.0'))).resolves.toMatchObject({ result: { kind: 'artifact' } });
        // … a client with O="x/CN=<alice>" (rendered /O=x\/CN=alice/OU=client/CN=eve) does not.
        const eve = await as('eve-cn', client(uniqueId('eve'), [['O', `x/CN=${aliceName}`]]));
        await expect(eve.evidence.anchor(artifact('2.0.0'))).rejects.toThrow(AccessDeniedError);
    });
});
