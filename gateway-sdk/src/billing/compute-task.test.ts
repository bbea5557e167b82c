import { generateKeyPairSync } from 'node:crypto';
import { computeTaskBytes, signComputeTask, verifyComputeTask } from './compute-task';
import type { ComputeTask } from './models';

const task: ComputeTask = {
    sessionId: 's-1',
    resourceId: 'gpu-1',
    tenantMspId: 'CloudOrgMSP',
    appId: 'game-1',
    planVersion: 1,
    accountId: 'alice',
    budget: 500,
    deadline: '2026-01-01T01:00:00Z',
};

describe('compute tasks', () => {
    it('signs exactly the canonical JSON the chaincode rebuilds', () => {
        // Pinned identically in the chaincode's token tests (taskSigningBytes).
        expect(computeTaskBytes(task).toString('utf8')).toBe(
            '{"accountId":"alice","appId":"game-1","budget":500,"deadline":"2026-01-01T01:00:00.000Z","planVersion":1,"resourceId":"gpu-1","sessionId":"s-1","tenantMspId":"CloudOrgMSP"}',
        );
    });

    it('produces a start request whose signature verifies only for this task and key', () => {
        const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const request = signComputeTask(task, privateKey);
        expect(request).toMatchObject({ sessionId: 's-1', planVersion: 1, tenantMspId: 'CloudOrgMSP', payment: { accountId: 'alice', budget: 500, deadline: '2026-01-01T01:00:00.000Z' } });
        expect(verifyComputeTask(request, publicKey)).toBe(true);
        expect(verifyComputeTask({ ...request, payment: { accountId: 'alice', budget: 5000, deadline: '2026-01-01T01:00:00.000Z' } }, publicKey)).toBe(false);
        expect(verifyComputeTask(request, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey)).toBe(false);
        expect(verifyComputeTask({ ...request, signature: undefined }, publicKey)).toBe(false);
    });
});
