import { chaincodeProcess, governanceEnv } from './nodes';
import { loadNetwork } from './topology';

describe('governance organisation of each chaincode server', () => {
    it('names the governor of network/topology.json by MSP id, and nothing for a chaincode without governance', () => {
        const network = loadNetwork({ dir: '/tmp/edgetrust-governance-test' });
        const byName = new Map(network.chaincodes.map((c) => [c.name, c]));
        const billing = byName.get('resource-billing');
        const devices = byName.get('device-identity');
        const evidence = byName.get('evidence');
        if (!billing || !devices || !evidence) {
            throw new Error('topology lacks a chaincode');
        }
        expect(governanceEnv(network, billing)).toEqual({ EDGETRUST_GOVERNANCE_MSP_ID: 'EdgeOrgMSP' });
        const server = devices.servers[0];
        if (!server) {
            throw new Error('device identity has no chaincode server');
        }
        expect(chaincodeProcess(network, devices, server, 'device-identity:0').env).toMatchObject({ EDGETRUST_GOVERNANCE_MSP_ID: 'EdgeOrgMSP' });
        expect(governanceEnv(network, evidence)).toEqual({});
    });
});
