import { createHash, generateKeyPairSync } from 'node:crypto';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type ComputeTaskRecord, signComputeOrder } from '../../gateway-sdk/src';
import { computeParty, registerResource, sleep } from '../support/billing';
import { closeConnections, uniqueId } from '../support/network';

jest.setTimeout(400_000);

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

    it('keeps a checkpoint: killed and restarted, the worker neither runs a task twice nor skips one', async () => {
        const [edge, cloud] = [await computeParty('EdgeOrg'), await computeParty('CloudOrg')];
        const dir = mkdtempSync(join(tmpdir(), 'edgetrust-compute-restart-'));
        const [inputs, runs, slow, checkpoint] = [join(dir, 'inputs'), join(dir, 'runs.log'), join(dir, 'slow'), join(dir, 'checkpoint.json')];
        const frames = ['one', 'two (slow)', 'three'].map((name) => Buffer.from(`frame ${name} ${uniqueId('f')}`));
        mkdirSync(inputs);
        for (const [i, frame] of frames.entries()) {
            writeFileSync(join(inputs, `frame-${String(i)}.bin`), frame);
        }
        writeFileSync(slow, '');
        const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
        const [payee, wallet] = [uniqueId('restart-payee'), uniqueId('restart-wallet')];
        await edge.client.openAccount(payee);
        await cloud.client.openAccount(wallet, keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
        await edge.client.mint(wallet, 100);
        const resource = await registerResource(edge.client, 'restart-fpga', { kind: 'fpga', name: 'restart FPGA', payeeAccountId: payee, plan: { unit: 'second', rate: 1 } });
        const offerId = uniqueId('restart-offer');
        await edge.compute.publishOffer({ offerId, resourceId: resource.resourceId, capacity: 4, pricePerUnit: 10, tier: 'regional', latencyClass: 'standard' });

        // The command logs each run it completes. While the marker file exists, a "slow" frame hangs and then fails
        // without logging (so the run the kill interrupts, orphaned, never counts as completed).
        const command = `input=$(cat); case "$input" in *slow*) if [ -f '${slow}' ]; then sleep 60; exit 1; fi;; esac; printf '%s\\n' "$input" >> '${runs}'; printf %s "$input" | tr a-z A-Z`;
        const workerLog: string[] = [];
        const startWorker = (): ChildProcess => {
            const worker = spawn(process.execPath, [CLI, 'compute', 'worker', '--run', command, '--site', resource.siteId, '--inputs', inputs, '--checkpoint', checkpoint, '--org', 'EdgeOrg', '--profile', profile()], { stdio: ['ignore', 'pipe', 'pipe'] });
            worker.stdout.on('data', (d: Buffer) => workerLog.push(d.toString()));
            worker.stderr.on('data', (d: Buffer) => workerLog.push(d.toString()));
            return worker;
        };
        const stop = async (worker: ChildProcess, signal: NodeJS.Signals): Promise<void> => {
            const closed = new Promise((done) => worker.on('close', done));
            worker.kill(signal);
            await closed;
        };
        const submitTask = async (frame: Buffer): Promise<string> => {
            const taskId = uniqueId('restart-task');
            const order = { taskId, accountId: wallet, kind: 'fpga' as const, units: 1, maxPricePerUnit: 10, preferredSiteId: resource.siteId, deadline: new Date(Date.now() + 900_000).toISOString(), inputDigest: sha256(frame) };
            expect((await cloud.compute.submitTask(signComputeOrder(order, keys.privateKey))).result).toMatchObject({ status: 'assigned', offerId });
            return taskId;
        };
        const statusOf = async (taskId: string): Promise<string> => (await cloud.compute.getTask(taskId)).status;
        const waitFor = async (taskId: string, status: string): Promise<void> => {
            const until = Date.now() + 120_000;
            while ((await statusOf(taskId)) !== status) {
                if (Date.now() > until) {
                    throw new Error(`task ${taskId} is ${await statusOf(taskId)}, not ${status}; worker: ${workerLog.join('')}`);
                }
                await sleep(1_000);
            }
        };

        let worker = startWorker();
        try {
            const first = await submitTask(frames[0] ?? Buffer.alloc(0));
            await waitFor(first, 'submitted');
            // Killed while the command runs on the second frame: the task is taken on the ledger, its result not computed.
            const second = await submitTask(frames[1] ?? Buffer.alloc(0));
            await waitFor(second, 'running');
            await stop(worker, 'SIGKILL');
            // Assigned while no worker runs.
            const third = await submitTask(frames[2] ?? Buffer.alloc(0));
            expect(await statusOf(third)).toBe('assigned');

            rmSync(slow);
            worker = startWorker();
            await waitFor(second, 'submitted');
            await waitFor(third, 'submitted');
            for (const [taskId, frame] of [[first, frames[0]], [second, frames[1]], [third, frames[2]]] as const) {
                expect((await cloud.compute.getTask(taskId)).result?.resultDigest).toBe(sha256((frame ?? Buffer.alloc(0)).toString().toUpperCase()));
            }
            // Each frame ran to completion exactly once: the first was not run again after the restart.
            expect(readFileSync(runs, 'utf8').trim().split('\n').sort()).toEqual(frames.map((f) => f.toString()).sort());
            expect(existsSync(checkpoint)).toBe(true);
            expect((JSON.parse(readFileSync(checkpoint, 'utf8')) as { tasks: Record<string, { phase: string }> }).tasks).toMatchObject({ [first]: { phase: 'done' }, [second]: { phase: 'done' }, [third]: { phase: 'done' } });
        } finally {
            await stop(worker, 'SIGTERM');
            await edge.compute.withdrawOffer(offerId);
        }
    });
});
