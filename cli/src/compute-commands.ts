import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
    aggregateAttestation,
    COMPUTE_TIERS,
    type ComputeOrder,
    ComputeExchangeClient,
    type ComputeTier,
    CONTEST_OUTCOMES,
    type ContestOutcome,
    generateVerifierKey,
    LATENCY_CLASSES,
    type LatencyClass,
    signComputeOrder,
    signResult,
} from '@edgetrust/gateway-sdk';
import { RESOURCE_KINDS, type ResourceKind } from '@edgetrust/schemas';
import type { CommandContext, CommandGroup } from './context';
import { type CommandHelp, commandUsage } from './help';
import { loadCheckpoint, nextAction, saveCheckpoint, type TaskProgress, type WorkerCheckpoint } from './worker-checkpoint';

const USAGE = `usage: edgetrust compute <command> [arguments] [options]

compute-power trading (CFN): offers, signed tasks matched to capacity, results, attestation, payment
  offer publish <offerId> --resource R --capacity N --price P --tier T --latency L    operators
  offer withdraw <offerId>   offer show <offerId>   offer list --kind K
  task submit --account A --kind K --units N --max-price P --deadline ISO --input FILE --key PEM
        [--task ID] [--tier T] [--site S] [--verifiers v1,v2,v3 --threshold K]    signs, escrows, is matched
  task show <taskId>   task take <taskId>   task decline <taskId>   task expire <taskId>
  result <taskId> (--file F | --digest D)          the provider submits the result digest
  accept <taskId>                                  the requester accepts the result: payment released
  verifier new <verifierId> --out FILE             a BLS key (secret in FILE), registered with its proof of possession
  attest sign <taskId> --digest D --key FILE       one verifier's signature (hex)
  attest submit <taskId> --sig verifierId=hex ...  aggregates k signatures; the chaincode verifies them
  contest <taskId> --reason R                      the requester refuses the result; the regulator decides
  resolve <taskId> --outcome pay-provider|refund-requester --reason R              auditor organisations
  stats <providerMspId>                            completed and missed tasks
  worker --run '<command>' --site S --inputs DIR [--checkpoint FILE]
                                                   follows tasks assigned to site S: takes each, runs the
                                                   command with the input file (by digest) on stdin,
                                                   submits sha256 of its output; restarted, resumes from
                                                   FILE (.edgetrust/compute-worker-S.json)`;

const HELP: Readonly<Record<string, CommandHelp>> = {
    offer: { usage: 'publish <offerId> --resource R --capacity N --price P --tier T --latency L\nwithdraw|show <offerId>\nlist --kind K', description: 'Publishes, withdraws, shows or lists compute offers.', details: [`tiers: ${COMPUTE_TIERS.join(', ')}; latency classes: ${LATENCY_CLASSES.join(', ')}`] },
    task: { usage: 'submit --account A --kind K --units N --max-price P --deadline ISO --input FILE --key PEM [--task ID] [--tier T] [--site S] [--verifiers LIST --threshold K]\nshow|take|decline|expire <taskId>', description: 'Submits a signed compute task, or shows, takes on, declines or expires one.' },
    result: { usage: '<taskId> (--file F | --digest D)', description: 'Submits the digest of a running task’s result, as its provider.' },
    accept: { usage: '<taskId>', description: 'Accepts a submitted result as the requester, which releases the payment.' },
    verifier: { usage: 'new <verifierId> --out FILE', description: 'Creates a BLS12-381 verifier key, keeps the secret in FILE and registers the public key.' },
    attest: { usage: 'sign <taskId> --digest D --key FILE\nsubmit <taskId> --sig verifierId=hex ...', description: 'Signs a result as one verifier, or submits k aggregated signatures.' },
    contest: { usage: '<taskId> --reason R', description: 'Contests a submitted result as the requester; an auditor organisation decides.' },
    resolve: { usage: '<taskId> --outcome pay-provider|refund-requester --reason R', description: 'Decides a contested result, as an auditor organisation that is neither party.' },
    stats: { usage: '<providerMspId>', description: 'Shows a provider organisation’s completed and missed tasks.' },
    worker: {
        usage: "--run '<command>' --site S --inputs DIR [--checkpoint FILE] [--once]",
        description: 'Runs as the provider worker of a site: takes assigned tasks, runs the command on their input, submits the result digest.',
        details: ['Keeps a checkpoint (default .edgetrust/compute-worker-<site>.json): restarted, it neither runs a task again whose result it computed nor skips one it took or that was assigned meanwhile.'],
    },
};

class ComputeUsageError extends Error {}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

function oneOf<T extends string>(value: string | undefined, name: string, list: readonly T[]): T {
    if (value === undefined || !(list as readonly string[]).includes(value)) {
        throw new ComputeUsageError(`--${name} must be one of ${list.join(', ')}`);
    }
    return value as T;
}

function need(value: string | boolean | string[] | undefined, name: string): string {
    if (typeof value !== 'string' || value === '') {
        throw new ComputeUsageError(`--${name} is required`);
    }
    return value;
}

function count(value: string | boolean | string[] | undefined, name: string): number {
    const text = need(value, name);
    if (!/^\d{1,16}$/.test(text)) {
        throw new ComputeUsageError(`--${name} must be a whole number`);
    }
    return Number(text);
}

function positional(args: readonly string[], index: number, what: string): string {
    const value = args[index];
    if (value === undefined) {
        throw new ComputeUsageError(`${what} is required`);
    }
    return value;
}

type Values = Record<string, string | boolean | string[] | undefined>;
const OPTIONS = {
    resource: { type: 'string' }, capacity: { type: 'string' }, price: { type: 'string' }, tier: { type: 'string' }, latency: { type: 'string' }, kind: { type: 'string' },
    account: { type: 'string' }, units: { type: 'string' }, 'max-price': { type: 'string' }, deadline: { type: 'string' }, input: { type: 'string' }, key: { type: 'string' },
    task: { type: 'string' }, site: { type: 'string' }, verifiers: { type: 'string' }, threshold: { type: 'string' }, file: { type: 'string' }, digest: { type: 'string' },
    out: { type: 'string' }, sig: { type: 'string', multiple: true }, reason: { type: 'string' }, outcome: { type: 'string' }, run: { type: 'string' }, inputs: { type: 'string' },
    once: { type: 'boolean' }, checkpoint: { type: 'string' }, 'page-size': { type: 'string' }, bookmark: { type: 'string' },
    profile: { type: 'string' }, org: { type: 'string' }, user: { type: 'string' }, peer: { type: 'string' }, json: { type: 'boolean' },
} as const;

async function client(context: CommandContext): Promise<ComputeExchangeClient> {
    return new ComputeExchangeClient(await context.contract('resource-billing'));
}

function orderFrom(values: Values, inputDigest: string): ComputeOrder {
    const order: ComputeOrder = {
        taskId: typeof values.task === 'string' ? values.task : `task-${String(Date.now())}`,
        accountId: need(values.account, 'account'),
        kind: oneOf<ResourceKind>(need(values.kind, 'kind'), 'kind', RESOURCE_KINDS),
        units: count(values.units, 'units'),
        maxPricePerUnit: count(values['max-price'], 'max-price'),
        deadline: new Date(need(values.deadline, 'deadline')).toISOString(),
        inputDigest,
    };
    if (typeof values.tier === 'string') {
        order.preferredTier = oneOf<ComputeTier>(values.tier, 'tier', COMPUTE_TIERS);
    }
    if (typeof values.site === 'string') {
        order.preferredSiteId = values.site;
    }
    if (typeof values.verifiers === 'string') {
        order.verifierIds = values.verifiers.split(',').filter((id) => id !== '');
        order.threshold = count(values.threshold, 'threshold');
    }
    return order;
}

type Handler = (context: CommandContext, args: string[], values: Values) => Promise<number>;

const COMMANDS: Record<string, Handler> = {
    async offer(context, args, values) {
        const compute = await client(context);
        const [action = '', offerId = ''] = args;
        if (action === 'publish') {
            const offer = await compute.publishOffer({
                offerId: positional(args, 1, 'offerId'),
                resourceId: need(values.resource, 'resource'),
                capacity: count(values.capacity, 'capacity'),
                pricePerUnit: count(values.price, 'price'),
                tier: oneOf<ComputeTier>(need(values.tier, 'tier'), 'tier', COMPUTE_TIERS),
                latencyClass: oneOf<LatencyClass>(need(values.latency, 'latency'), 'latency', LATENCY_CLASSES),
            });
            context.record(offer.result);
        } else if (action === 'withdraw') {
            context.record((await compute.withdrawOffer(positional(args, 1, 'offerId'))).result);
        } else if (action === 'show') {
            context.record(await compute.getOffer(positional(args, 1, 'offerId')));
        } else if (action === 'list') {
            const page = await compute.listOffers(oneOf<ResourceKind>(need(values.kind, 'kind'), 'kind', RESOURCE_KINDS), { pageSize: typeof values['page-size'] === 'string' ? Number(values['page-size']) : undefined, bookmark: typeof values.bookmark === 'string' ? values.bookmark : undefined });
            context.showRows(page, page.records, ['offerId', 'siteId', 'tier', 'latencyClass', 'pricePerUnit', 'capacity', 'reserved']);
        } else {
            throw new ComputeUsageError(`unknown offer action ${JSON.stringify(action)}${offerId}`);
        }
        return 0;
    },
    async task(context, args, values) {
        const compute = await client(context);
        const [action = ''] = args;
        if (action === 'submit') {
            const input = await readFile(need(values.input, 'input'));
            const request = signComputeOrder(orderFrom(values, sha256(input)), await readFile(need(values.key, 'key'), 'utf8'));
            context.record((await compute.submitTask(request)).result);
            return 0;
        }
        const taskId = positional(args, 1, 'taskId');
        if (action === 'show') {
            context.record(await compute.getTask(taskId));
        } else if (action === 'take') {
            context.record((await compute.acceptTask(taskId)).result);
        } else if (action === 'decline') {
            context.record((await compute.declineTask(taskId)).result);
        } else if (action === 'expire') {
            context.record((await compute.expireTask(taskId)).result);
        } else {
            throw new ComputeUsageError(`unknown task action ${JSON.stringify(action)}`);
        }
        return 0;
    },
    async result(context, args, values) {
        const taskId = positional(args, 0, 'taskId');
        const resultDigest = typeof values.digest === 'string' ? values.digest : sha256(await readFile(need(values.file, 'file')));
        context.record((await (await client(context)).submitResult(taskId, { resultDigest })).result);
        return 0;
    },
    async accept(context, args) {
        context.record((await (await client(context)).acceptResult(positional(args, 0, 'taskId'))).result);
        return 0;
    },
    async verifier(context, args, values) {
        if (args[0] !== 'new') {
            throw new ComputeUsageError('verifier new <verifierId> --out FILE');
        }
        const { secretKey, request } = generateVerifierKey(positional(args, 1, 'verifierId'));
        await writeFile(need(values.out, 'out'), `${secretKey}\n`, { mode: 0o600 });
        context.record((await (await client(context)).registerVerifier(request)).result);
        return 0;
    },
    async attest(context, args, values) {
        const taskId = positional(args, 1, 'taskId');
        if (args[0] === 'sign') {
            console.log(signResult(taskId, need(values.digest, 'digest'), (await readFile(need(values.key, 'key'), 'utf8')).trim()));
            return 0;
        }
        if (args[0] !== 'submit') {
            throw new ComputeUsageError('attest sign|submit <taskId>');
        }
        const signatures = (Array.isArray(values.sig) ? values.sig : []).map((pair) => {
            const [verifierId = '', signature = ''] = pair.split('=');
            return { verifierId, signature };
        });
        context.record((await (await client(context)).attestResult(taskId, aggregateAttestation(signatures))).result);
        return 0;
    },
    async contest(context, args, values) {
        context.record((await (await client(context)).contestResult(positional(args, 0, 'taskId'), need(values.reason, 'reason'))).result);
        return 0;
    },
    async resolve(context, args, values) {
        const outcome = oneOf<ContestOutcome>(need(values.outcome, 'outcome'), 'outcome', CONTEST_OUTCOMES);
        context.record((await (await client(context)).resolveContest(positional(args, 0, 'taskId'), outcome, need(values.reason, 'reason'))).result);
        return 0;
    },
    async stats(context, args) {
        context.record(await (await client(context)).getProviderStats(positional(args, 0, 'providerMspId')));
        return 0;
    },
    async worker(context, _args, values) {
        const siteId = need(values.site, 'site');
        const checkpoint = typeof values.checkpoint === 'string' ? values.checkpoint : defaultCheckpoint(siteId);
        return runWorker(context, need(values.run, 'run'), siteId, need(values.inputs, 'inputs'), values.once === true, checkpoint);
    },
};

/** Runs `command` through the shell with `input` on stdin; its stdout is the result. */
function execute(command: string, input: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, { shell: true, stdio: ['pipe', 'pipe', 'inherit'] });
        const chunks: Buffer[] = [];
        child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`'${command}' exited with ${String(code)}`))));
        child.stdin.end(input);
    });
}

/** A site's default checkpoint file, under the working directory's .edgetrust folder. */
function defaultCheckpoint(siteId: string): string {
    return join('.edgetrust', `compute-worker-${siteId}.json`);
}

/** What the worker needs while it handles tasks: its client, site, inputs by digest, command and checkpoint. */
interface Worker {
    compute: ComputeExchangeClient;
    siteId: string;
    inputsDir: string;
    byDigest: ReadonlyMap<string, string>;
    command: string;
    checkpoint: WorkerCheckpoint;
    checkpointFile: string;
}

async function recordProgress(worker: Worker, taskId: string, step: TaskProgress): Promise<void> {
    worker.checkpoint.tasks[taskId] = step;
    await saveCheckpoint(worker.checkpointFile, worker.checkpoint);
}

/** Takes, runs and submits one task as far as the ledger and the checkpoint say is left; true when a result was submitted. */
async function handleTask(worker: Worker, taskId: string): Promise<boolean> {
    const { compute } = worker;
    const task = await compute.getTask(taskId);
    const action = nextAction(task, worker.siteId, worker.checkpoint.tasks[taskId]);
    if (action === 'skip') {
        return false;
    }
    const file = worker.byDigest.get(task.order.inputDigest);
    if (action !== 'submit' && file === undefined) {
        console.error(`task ${taskId}: no input with digest ${task.order.inputDigest} in ${worker.inputsDir}; declining`);
        await compute.declineTask(taskId);
        await recordProgress(worker, taskId, { phase: 'done' });
        return false;
    }
    if (action === 'take') {
        await compute.acceptTask(taskId);
        await recordProgress(worker, taskId, { phase: 'taken' });
    }
    if (action !== 'submit') {
        await recordProgress(worker, taskId, { phase: 'computed', resultDigest: sha256(await execute(worker.command, await readFile(file ?? ''))) });
    }
    const computed = worker.checkpoint.tasks[taskId];
    const submitted = await compute.submitResult(taskId, { resultDigest: computed?.phase === 'computed' ? computed.resultDigest : '' });
    await recordProgress(worker, taskId, { phase: 'done' });
    console.log(`task ${taskId}: result ${submitted.result.result?.resultDigest ?? ''} (tx ${submitted.transactionId})`);
    return true;
}

/**
 * The provider worker: follows ComputeTaskAssigned events for its site, from the block its checkpoint names (the
 * start of the chain the first time). Each step is checkpointed (worker-checkpoint.ts), so a worker killed and
 * restarted resumes where it was: it does not run a task whose result it computed, and it does not skip a task it
 * took and did not finish, nor one assigned while it was down.
 */
async function runWorker(context: CommandContext, command: string, siteId: string, inputsDir: string, once: boolean, checkpointFile: string): Promise<number> {
    const byDigest = new Map<string, string>();
    for (const name of await readdir(inputsDir)) {
        byDigest.set(sha256(await readFile(join(inputsDir, name))), join(inputsDir, name));
    }
    const worker: Worker = { compute: await client(context), siteId, inputsDir, byDigest, command, checkpoint: await loadCheckpoint(checkpointFile, siteId), checkpointFile };
    const connection = await context.connection();
    const network = connection.gateway.getNetwork(context.profile.channel);
    const events = await network.getChaincodeEvents(context.profile.chaincodes['resource-billing'] ?? 'resource-billing', { startBlock: BigInt(worker.checkpoint.nextBlock) });
    try {
        for await (const event of events) {
            if (event.eventName !== 'ComputeTaskAssigned') {
                continue;
            }
            // Replays resume at this block: an event of it may not be handled yet; handled tasks are skipped by their progress.
            if (worker.checkpoint.nextBlock !== event.blockNumber.toString()) {
                worker.checkpoint.nextBlock = event.blockNumber.toString();
                await saveCheckpoint(checkpointFile, worker.checkpoint);
            }
            const payload = JSON.parse(Buffer.from(event.payload).toString('utf8')) as { taskId: string; siteId: string };
            if (payload.siteId === siteId && (await handleTask(worker, payload.taskId)) && once) {
                return 0;
            }
        }
    } finally {
        events.close();
    }
    return 0;
}

export const computeCommands: CommandGroup = {
    name: 'compute',
    summary: 'compute-power trading: offers, signed tasks, results, BLS attestation, payment, provider worker',
    usage: USAGE,
    commands: Object.keys(COMMANDS),
    help: HELP,
    async run(context: CommandContext, command: string | undefined, args: string[]): Promise<number> {
        const handler = command === undefined ? undefined : COMMANDS[command];
        try {
            if (!handler) {
                throw new ComputeUsageError(`unknown command ${JSON.stringify(command ?? '')}`);
            }
            const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
            return await handler(context, positionals, values);
        } catch (err) {
            if (!(err instanceof ComputeUsageError) && !(err instanceof TypeError && 'code' in err)) {
                throw err;
            }
            console.error(`edgetrust compute: ${err.message}\n\n${commandUsage('compute', HELP, command) ?? USAGE}`);
            return 2;
        }
    },
};
