import { execFile, spawn } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { ComputeTaskRecord } from '../../gateway-sdk/src';
import { computeParty, registerResource } from '../support/billing';
import { closeConnections, uniqueId } from '../support/network';

jest.setTimeout(240_000);

const CLI = resolve(__dirname, '..', '..', 'cli', 'dist', 'main.js');
const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const profile = (): string => process.env.EDGETRUST_CONNECTION_PROFILE ?? '';

async function cli(org: string, ...args: string[]): Promise<ComputeTaskRecord> {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'compute', ...args, '--org', org, '--profile', profile(), '--json']);
    return JSON.parse(stdout) as ComputeTaskRecord;
}

/**
 * The same flow through the CLI: the requester submits a signed task with `edgetrust compute task submit`, the
 * provider's `edgetrust compute worker --run` takes it, runs the command on the input and submits the result digest,
 * and the requester accepts it with `edgetrust compute accept`, which pays the provider.
 */
describe('scenario: a compute task through the CLI and its provider worker', () => {
    afterAll(closeConnections);

    it('submits, runs in the worker, accepts and pays', async () => {
        const [edge, cloud] = [await computeParty('EdgeOrg'), await computeParty('CloudOrg')];
        const dir = mkdtempSync(join(tmpdir(), 'edgetrust-compute-'));
        const inputs = join(dir, 'inputs');
        const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
        writeFileSync(join(dir, 'task-key.pem'), keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
        const input = Buffer.from(`camera frame ${uniqueId('frame')}`);
        mkdirSync(inputs);
        writeFileSync(join(inputs, 'frame.bin'), input);
        const [payee, wallet] = [uniqueId('cli-payee'), uniqueId('cli-wallet')];
        await edge.client.openAccount(payee);
        await cloud.client.openAccount(wallet, keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
        await edge.client.mint(wallet, 100);
        const resource = await registerResource(edge.client, 'cli-gpu', { kind: 'fpga', name: 'CLI FPGA', payeeAccountId: payee, plan: { unit: 'second', rate: 1 } });
        const offerId = uniqueId('cli-offer');
        await edge.compute.publishOffer({ offerId, resourceId: resource.resourceId, capacity: 4, pricePerUnit: 35, tier: 'regional', latencyClass: 'standard' });

        const worker = spawn(process.execPath, [CLI, 'compute', 'worker', '--run', 'tr a-z A-Z', '--site', resource.siteId, '--inputs', inputs, '--once', '--org', 'EdgeOrg', '--profile', profile()], { stdio: ['ignore', 'pipe', 'pipe'] });
        const workerLog: string[] = [];
        worker.stdout.on('data', (d: Buffer) => workerLog.push(d.toString()));
        worker.stderr.on('data', (d: Buffer) => workerLog.push(d.toString()));
        const workerDone = new Promise<number | null>((done) => worker.on('close', done));

        const taskId = uniqueId('cli-task');
        const submitted = await cli('CloudOrg', 'task', 'submit', '--task', taskId, '--account', wallet, '--kind', 'fpga', '--units', '1', '--max-price', '40', '--deadline', new Date(Date.now() + 600_000).toISOString(), '--input', join(inputs, 'frame.bin'), '--key', join(dir, 'task-key.pem'), '--site', resource.siteId);
        expect(submitted).toMatchObject({ status: 'assigned', offerId, siteId: resource.siteId });

        expect(await workerDone).toBe(0);
        const afterWorker = await cloud.compute.getTask(taskId);
        expect(afterWorker.status).toBe('submitted');
        expect(afterWorker.result?.resultDigest).toBe(sha256(input.toString().toUpperCase()));
        expect(workerLog.join('')).toContain(`task ${taskId}: result`);

        const accepted = await cli('CloudOrg', 'accept', taskId);
        expect(accepted).toMatchObject({ status: 'completed', paid: 35, refunded: 5 });
        expect((await edge.client.getAccount(payee)).balance).toBe(35);
        await edge.compute.withdrawOffer(offerId);
    });
});
