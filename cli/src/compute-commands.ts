import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
    aggregateAttestation,
    COMPUTE_TIERS,
    type ComputeOrder,
    ComputeExchangeClient,
    type ComputeTaskRecord,
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
import { list, type OptionSpecs, parseCommand, positiveInteger, requiredText, text, UsageError, type Values } from './args';
import type { CommandContext, CommandGroup } from './context';
import { actionResolver, commandGroup, type Handler } from './dispatch';
import type { CommandHelp } from './help';
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

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

function oneOf<T extends string>(values: Values, name: string, allowed: readonly T[]): T {
    const value = requiredText(values, name);
    if (!(allowed as readonly string[]).includes(value)) {
        throw new UsageError(`--${name} must be one of ${allowed.join(', ')}`);
    }
    return value as T;
}

function count(values: Values, name: string): number {
    const value = requiredText(values, name);
    if (!/^\d{1,16}$/.test(value)) {
        throw new UsageError(`--${name} must be a whole number`);
    }
    return Number(value);
}

async function client(context: CommandContext): Promise<ComputeExchangeClient> {
    return new ComputeExchangeClient(await context.contract('resource-billing'));
}

/** A subcommand that takes only a task id. */
function onTask(act: (compute: ComputeExchangeClient, taskId: string) => Promise<{ result: ComputeTaskRecord }>): Handler {
    return async (context, args) => {
        const { positionals } = parseCommand(args, {}, ['taskId']);
        context.record((await act(await client(context), positionals[0] ?? '')).result);
        return 0;
    };
}

const ORDER_OPTIONS = {
    account: { type: 'string' }, kind: { type: 'string' }, units: { type: 'string' }, 'max-price': { type: 'string' }, deadline: { type: 'string' }, input: { type: 'string' },
    key: { type: 'string' }, task: { type: 'string' }, tier: { type: 'string' }, site: { type: 'string' }, verifiers: { type: 'string' }, threshold: { type: 'string' },
} as const satisfies OptionSpecs;

function orderFrom(values: Values, inputDigest: string): ComputeOrder {
    const order: ComputeOrder = {
        taskId: text(values, 'task') ?? `task-${String(Date.now())}`,
        accountId: requiredText(values, 'account'),
        kind: oneOf<ResourceKind>(values, 'kind', RESOURCE_KINDS),
        units: count(values, 'units'),
        maxPricePerUnit: count(values, 'max-price'),
        deadline: new Date(requiredText(values, 'deadline')).toISOString(),
        inputDigest,
    };
    if (text(values, 'tier') !== undefined) {
        order.preferredTier = oneOf<ComputeTier>(values, 'tier', COMPUTE_TIERS);
    }
    const site = text(values, 'site');
    if (site !== undefined) {
        order.preferredSiteId = site;
    }
    const verifiers = text(values, 'verifiers');
    if (verifiers !== undefined) {
        order.verifierIds = verifiers.split(',').filter((id) => id !== '');
        order.threshold = count(values, 'threshold');
    }
    return order;
}

const offerPublish: Handler = async (context, args) => {
    const options = { resource: { type: 'string' }, capacity: { type: 'string' }, price: { type: 'string' }, tier: { type: 'string' }, latency: { type: 'string' } } as const;
    const { values, positionals } = parseCommand(args, options, ['offerId']);
    const request = {
        offerId: positionals[0] ?? '',
        resourceId: requiredText(values, 'resource'),
        capacity: count(values, 'capacity'),
        pricePerUnit: count(values, 'price'),
        tier: oneOf<ComputeTier>(values, 'tier', COMPUTE_TIERS),
        latencyClass: oneOf<LatencyClass>(values, 'latency', LATENCY_CLASSES),
    };
    context.record((await (await client(context)).publishOffer(request)).result);
    return 0;
};

const offerWithdraw: Handler = async (context, args) => {
    const { positionals } = parseCommand(args, {}, ['offerId']);
    context.record((await (await client(context)).withdrawOffer(positionals[0] ?? '')).result);
    return 0;
};

const offerShow: Handler = async (context, args) => {
    const { positionals } = parseCommand(args, {}, ['offerId']);
    context.record(await (await client(context)).getOffer(positionals[0] ?? ''));
    return 0;
};

const offerList: Handler = async (context, args) => {
    const { values } = parseCommand(args, { kind: { type: 'string' }, 'page-size': { type: 'string' }, bookmark: { type: 'string' } }, []);
    const kind = oneOf<ResourceKind>(values, 'kind', RESOURCE_KINDS);
    const page = await (await client(context)).listOffers(kind, { pageSize: positiveInteger(values, 'page-size'), bookmark: text(values, 'bookmark') });
    context.showRows(page, page.records, ['offerId', 'siteId', 'tier', 'latencyClass', 'pricePerUnit', 'capacity', 'reserved']);
    return 0;
};

const taskSubmit: Handler = async (context, args) => {
    const { values } = parseCommand(args, ORDER_OPTIONS, []);
    const input = await readFile(requiredText(values, 'input'));
    const request = signComputeOrder(orderFrom(values, sha256(input)), await readFile(requiredText(values, 'key'), 'utf8'));
    context.record((await (await client(context)).submitTask(request)).result);
    return 0;
};

const taskShow: Handler = async (context, args) => {
    const { positionals } = parseCommand(args, {}, ['taskId']);
    context.record(await (await client(context)).getTask(positionals[0] ?? ''));
    return 0;
};

const result: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, { file: { type: 'string' }, digest: { type: 'string' } }, ['taskId']);
    const resultDigest = text(values, 'digest') ?? sha256(await readFile(requiredText(values, 'file')));
    context.record((await (await client(context)).submitResult(positionals[0] ?? '', { resultDigest })).result);
    return 0;
};

const verifierNew: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, { out: { type: 'string' } }, ['verifierId']);
    const out = requiredText(values, 'out');
    const { secretKey, request } = generateVerifierKey(positionals[0] ?? '');
    await writeFile(out, `${secretKey}\n`, { mode: 0o600 });
    context.record((await (await client(context)).registerVerifier(request)).result);
    return 0;
};

const attestSign: Handler = async (_context, args) => {
    const { values, positionals } = parseCommand(args, { digest: { type: 'string' }, key: { type: 'string' } }, ['taskId']);
    console.log(signResult(positionals[0] ?? '', requiredText(values, 'digest'), (await readFile(requiredText(values, 'key'), 'utf8')).trim()));
    return 0;
};

const attestSubmit: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, { sig: { type: 'string', multiple: true } }, ['taskId']);
    const signatures = list(values, 'sig').map((pair) => {
        const [verifierId = '', signature = ''] = pair.split('=');
        return { verifierId, signature };
    });
    const attestation = aggregateAttestation(signatures);
    context.record((await (await client(context)).attestResult(positionals[0] ?? '', attestation)).result);
    return 0;
};

const contest: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, { reason: { type: 'string' } }, ['taskId']);
    const reason = requiredText(values, 'reason');
    context.record((await (await client(context)).contestResult(positionals[0] ?? '', reason)).result);
    return 0;
};

const resolve: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, { outcome: { type: 'string' }, reason: { type: 'string' } }, ['taskId']);
    const [outcome, reason] = [oneOf<ContestOutcome>(values, 'outcome', CONTEST_OUTCOMES), requiredText(values, 'reason')];
    context.record((await (await client(context)).resolveContest(positionals[0] ?? '', outcome, reason)).result);
    return 0;
};

const stats: Handler = async (context, args) => {
    const { positionals } = parseCommand(args, {}, ['providerMspId']);
    context.record(await (await client(context)).getProviderStats(positionals[0] ?? ''));
    return 0;
};

const worker: Handler = async (context, args) => {
    const options = { run: { type: 'string' }, site: { type: 'string' }, inputs: { type: 'string' }, checkpoint: { type: 'string' }, once: { type: 'boolean' } } as const;
    const { values } = parseCommand(args, options, []);
    const siteId = requiredText(values, 'site');
    const checkpoint = text(values, 'checkpoint') ?? defaultCheckpoint(siteId);
    return runWorker(context, requiredText(values, 'run'), siteId, requiredText(values, 'inputs'), values.once === true, checkpoint);
};

/** Each command, by its action ('' for a command without one). */
const COMMANDS: Readonly<Record<string, Readonly<Record<string, Handler>>>> = {
    offer: { publish: offerPublish, withdraw: offerWithdraw, show: offerShow, list: offerList },
    task: {
        submit: taskSubmit,
        show: taskShow,
        take: onTask((compute, taskId) => compute.acceptTask(taskId)),
        decline: onTask((compute, taskId) => compute.declineTask(taskId)),
        expire: onTask((compute, taskId) => compute.expireTask(taskId)),
    },
    result: { '': result },
    accept: { '': onTask((compute, taskId) => compute.acceptResult(taskId)) },
    verifier: { new: verifierNew },
    attest: { sign: attestSign, submit: attestSubmit },
    contest: { '': contest },
    resolve: { '': resolve },
    stats: { '': stats },
    worker: { '': worker },
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

/** `edgetrust compute ...`: offers, signed tasks, results, attestation, payment and the provider worker. */
export const computeCommands: CommandGroup = commandGroup({
    name: 'compute',
    summary: 'compute-power trading: offers, signed tasks, results, BLS attestation, payment, provider worker',
    usage: USAGE,
    help: HELP,
    commands: { names: Object.keys(COMMANDS), resolve: actionResolver(COMMANDS) },
});
