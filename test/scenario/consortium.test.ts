import { createHash } from 'node:crypto';
import type { Contract } from '@hyperledger/fabric-gateway';
import { BillingClient, type Connection } from '../../gateway-sdk/src';
import { addOrganization, joinableOrganization, type Network, removeOrganization, stopOrganizationNodes } from '../../test-network-scripts/src';
import { testNetwork } from '../support/consortium';
import { billingParties, registerResource, startAgreedSession } from '../support/billing';
import { closeConnections, connectAs, testProfile, uniqueId } from '../support/network';

// Joining takes a configuration update, a peer start, a channel join and an approval per chaincode.
jest.setTimeout(600_000);

const log = (line: string): void => {
    process.stdout.write(`[consortium] ${line}\n`);
};

/** What `read` answers once it succeeds, retried every 2 s until `timeoutMs` has passed (then its last error). */
async function eventually<T>(read: () => Promise<T>, timeoutMs: number): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
        try {
            return await read();
        } catch (err) {
            if (Date.now() > until) {
                throw err;
            }
            await new Promise((resolve) => setTimeout(resolve, 2000));
        }
    }
}

function anchorRequest(id: string): string {
    const digest = createHash('sha256').update(id).digest('hex');
    return JSON.stringify({ id, digest, name: id, size: 1, mediaType: 'text/plain', source: { type: 'device', id: 'consortium-test' } });
}

/** An application that keeps anchoring evidence through its own connection, counting what committed and what failed. */
class Application {
    committed = 0;
    readonly failures: string[] = [];
    #running = true;
    readonly #done: Promise<void>;

    constructor(contract: Contract, prefix: string) {
        this.#done = (async () => {
            for (let n = 0; this.#running; n++) {
                try {
                    await contract.submitTransaction('Anchor', anchorRequest(`${prefix}-${String(n)}`));
                    this.committed++;
                } catch (err) {
                    this.failures.push(err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err));
                }
            }
        })();
    }

    async stop(): Promise<{ committed: number; failures: string[] }> {
        this.#running = false;
        await this.#done;
        return { committed: this.committed, failures: this.failures };
    }
}

/**
 * Consortium operations on the running network (issue 15, B10): RegulatorOrg joins while an EdgeOrg application
 * keeps submitting, is granted the billing auditor role by the governor through the chaincode, reads another
 * organisation's billing records, and leaves again, after which the orderers refuse its transactions.
 */
describe('an organisation joins and leaves the running network', () => {
    const regulatorSpec = joinableOrganization('RegulatorOrg');
    let network: Network;
    let edgeEvidence: Contract;
    let sessionId: string;

    beforeAll(async () => {
        network = testNetwork();
        const edge: Connection = await connectAs('EdgeOrg');
        edgeEvidence = edge.gateway.getNetwork(testProfile().channel).getContract('evidence');
        const parties = await billingParties();
        const gpu = await registerResource(parties.edge.client, 'consortium-gpu', { kind: 'gpu', name: 'audited slice', plan: { unit: 'second', rate: 7 } });
        sessionId = uniqueId('consortium-session');
        await startAgreedSession(parties.cloud, parties.edge, { sessionId, resourceId: gpu.resourceId, appId: 'consortium-app' });
        await parties.edge.client.stopSession(sessionId);
    });

    afterAll(async () => {
        closeConnections();
        await stopOrganizationNodes(network, 'RegulatorOrg', log);
    });

    it('RegulatorOrg joins while an application keeps submitting, and reads every billing record as auditor', async () => {
        expect(regulatorSpec).toBeDefined();
        const application = new Application(edgeEvidence, uniqueId('consortium-join'));
        network = await addOrganization(network, regulatorSpec!, log);
        const load = await application.stop();
        expect(load.failures).toEqual([]);
        expect(load.committed).toBeGreaterThan(0);

        expect(Object.keys(testProfile().organizations)).toContain('RegulatorOrg');
        const regulator = await connectAs('RegulatorOrg');
        expect(regulator.mspId).toBe('RegulatorOrgMSP');
        const billing = new BillingClient(regulator.gateway.getNetwork(testProfile().channel).getContract('resource-billing'));
        expect((await billing.listRoles()).filter((g) => g.mspId === 'RegulatorOrgMSP').map((g) => g.role)).toEqual(['auditor']);
        // A session between EdgeOrg and CloudOrg, and its usage record: neither is the regulator's, both are readable by an auditor.
        // They are private data of the pair's collection, which the regulator joined as auditor with the new definition:
        // its peer fetches what was committed before by reconciliation (every 10 s on the test network).
        expect(await eventually(() => billing.getSession(sessionId), 90_000)).toMatchObject({ sessionId, operatorMspId: 'EdgeOrgMSP', tenantMspId: 'CloudOrgMSP' });
        expect(await billing.getUsageRecord(`session:${sessionId}`)).toMatchObject({ recordId: `session:${sessionId}`, rate: 7 });
        // Its own evidence goes through its own gateway, endorsed where the policy says and ordered as a member's.
        const evidence = regulator.gateway.getNetwork(testProfile().channel).getContract('evidence');
        await evidence.submitTransaction('Anchor', anchorRequest(uniqueId('regulator-member')));
    });

    it('RegulatorOrg leaves while an application keeps submitting; then its transactions are refused and its role is gone', async () => {
        const regulator = await connectAs('RegulatorOrg');
        const evidence = regulator.gateway.getNetwork(testProfile().channel).getContract('evidence');
        const application = new Application(edgeEvidence, uniqueId('consortium-leave'));
        network = await removeOrganization(network, 'RegulatorOrg', log, { stopNodes: false });
        const load = await application.stop();
        expect(load.failures).toEqual([]);
        expect(load.committed).toBeGreaterThan(0);

        expect(Object.keys(testProfile().organizations)).not.toContain('RegulatorOrg');
        // Its peer still runs, but the channel no longer knows its MSP: the orderers refuse what it submits.
        await expect(evidence.submitTransaction('Anchor', anchorRequest(uniqueId('regulator-removed')))).rejects.toThrow();
        const parties = await billingParties();
        expect((await parties.edge.client.listRoles()).some((g) => g.mspId === 'RegulatorOrgMSP')).toBe(false);
    });
});
