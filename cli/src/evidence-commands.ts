import { pageFooter } from './paging';
import {
    type EdgeTrustEvent,
    type EvidenceKind,
    type EvidenceReceipt,
    EvidenceClient,
    type FileDigest,
    followChaincodeEvents,
    hashFile,
    verifyReceipt,
} from '@edgetrust/gateway-sdk';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import type { CommandContext, CommandGroup } from './context';
import { commandGroup, type Handler } from './dispatch';
import type { CommandHelp } from './help';
import {
    ANCHOR_OPTIONS,
    anchorRequestFrom,
    ARTIFACT_OPTIONS,
    artifactRequestFrom,
    list,
    parseCommand,
    positiveInteger,
    QUERY_OPTIONS,
    queryFrom,
    requiredText,
    SOURCE_OPTIONS,
    sourceFrom,
    text,
    UsageError,
} from './evidence-args';
import {
    artifactCheckView,
    BATCH_COLUMNS,
    batchReport,
    batchSummaries,
    batchRow,
    eventLine,
    findReceiptEntry,
    HISTORY_COLUMNS,
    historyRows,
    offlineReceiptView,
    parseReceiptsFile,
    RECORD_COLUMNS,
    recordRow,
    recordView,
    type ReceiptEntry,
    receiptCheckView,
    type ReceiptsFile,
    serializeReceiptsFile,
    shortDigest,
    TRACE_COLUMNS,
    traceRows,
    verificationView,
} from './evidence-format';

const USAGE = `usage: edgetrust evidence <command> [arguments] [options]

commands:
  anchor <file>                  hash a file (streaming) and anchor its digest
        [--id ID] [--kind KIND] [--name NAME] [--media-type TYPE] [--source-type device|app|org] [--source-id ID]
        [--tag TAG ...] [--attributes JSON]
  verify <file> [--id ID]        hash a file and verify it (against any record when --id is left out); exit 1 unless it matches
  verify-digest <digest> [--id ID]  verify a SHA-256 digest (hex) you computed yourself; exit 1 unless it matches
  read <id>                      one record
  history <id>                   every version of a record, newest first
  query --by source|kind|tag|org|submitter|time   records (or --batches) a page at a time
        [--source-type T --source-id ID] [--kind KIND] [--tag TAG] [--msp-id MSP] [--submitter-id ID]
        [--from ISO-TIME] [--to ISO-TIME] [--page-size N] [--bookmark B]
  revoke <id> --reason TEXT      mark a record revoked
  batch <folder>                 hash every file of a folder, anchor Merkle roots, write a receipt per file
        [--receipts FILE (default <folder>.receipts.json)] [--max-items N] [--name NAME] [--kind KIND] [--tag TAG ...]
        [--source-type T] [--source-id ID]
  verify-receipt <receipts.json> [file]   check a file's receipt (every file of the folder when left out) against
        [--offline]              the ledger; exit 1 if any is invalid. --offline: only self-consistency, no ledger
  watch [--checkpoint FILE] [--start-block N] [--count N]   print evidence events as they commit; Ctrl-C stops
  artifact publish <file> --name NAME --version V [--type app|patch|config-baseline|vm-image|container-image] [--vendor V] [--id ID]
  artifact check <file> --name NAME --version V     exit 0 only when the file may be loaded
  artifact revoke --name NAME --version V --reason TEXT
  trace <id> [--forward] [--max-steps N]            walk a process trace back to its first step (or forward)`;


const SOURCE_HELP = '--source-type device|app|org, --source-id ID   who produced the data (default: this command line)';
const PAGE_HELP = '--page-size N, --bookmark B   one page at a time; the bookmark of the next page is printed on stderr';

/** Each command's own help: `edgetrust evidence <command> --help`. */
const HELP: Readonly<Record<string, CommandHelp>> = {
    anchor: {
        usage: '<file> [--id ID] [--kind KIND] [--name NAME] [--media-type TYPE] [--source-type device|app|org] [--source-id ID] [--tag TAG ...] [--attributes JSON]',
        description: 'Hashes a file (streaming, with a progress bar) and anchors its SHA-256 digest and size as an evidence record; the file itself stays with you.',
        details: [
            '--id ID            record id (default: the file name and the start of its digest)',
            '--kind KIND        generic (default), video-segment, iot-reading-batch, inspection-report, om-log, alarm, performance-sample, …',
            '--name, --media-type   shown with the record (default: the file name and a type guessed from its extension)',
            SOURCE_HELP,
            '--tag TAG          searchable tag, repeatable',
            "--attributes JSON  the kind's attributes, e.g. '{\"cameraId\":\"cam7\"}'",
        ],
    },
    verify: {
        usage: '<file> [--id ID]',
        description: 'Hashes a file and checks its digest against the ledger; exit 0 only when it matches an anchored record.',
        details: ['--id ID   compare with this record only (default: any record that carries the digest)'],
    },
    'verify-digest': {
        usage: '<digest> [--id ID]',
        description: 'Checks a SHA-256 digest (64 hex characters) you computed yourself against the ledger; exit 0 only when it matches.',
        details: ['--id ID   compare with this record only (default: any record that carries the digest)'],
    },
    read: { usage: '<id>', description: 'Prints one evidence record: digest, kind, source, submitter, status.' },
    history: { usage: '<id>', description: 'Prints every version of a record, newest first, with who changed it and when.' },
    query: {
        usage: '--by source|kind|tag|org|submitter|time [--batches] [--source-type T --source-id ID] [--kind KIND] [--tag TAG] [--msp-id MSP] [--submitter-id ID] [--from ISO-TIME] [--to ISO-TIME] [--page-size N] [--bookmark B]',
        description: 'Lists records (or, with --batches, anchored batches) by one index, a page at a time.',
        details: ['--by      the index: source, kind, tag, org (--msp-id), submitter (--submitter-id) or time (--from/--to)', PAGE_HELP],
    },
    revoke: { usage: '<id> --reason TEXT', description: 'Marks a record revoked, with a reason; the record and its history stay on the ledger.' },
    batch: {
        usage: '<folder> [--receipts FILE] [--max-items N] [--name NAME] [--kind KIND] [--tag TAG ...] [--source-type T] [--source-id ID]',
        description: 'Hashes every file of a folder, anchors one RFC 6962 Merkle root per batch and writes a receipt (inclusion proof) per file.',
        details: [
            '--receipts FILE   where the receipts go (default <folder>.receipts.json)',
            '--max-items N     at most N files per batch (default 10000)',
            '--name, --kind, --tag   metadata of every batch',
            SOURCE_HELP,
            "Prints a row per file, then each batch's Merkle root (hex) on stderr.",
        ],
    },
    'verify-receipt': {
        usage: '<receipts.json> [file] [--offline]',
        description: "Checks files against their receipts from `evidence batch` (every file of the folder when none is named); exit 1 if any is not valid.",
        details: [
            'By default each receipt is checked against the ledger: its channel and chaincode, and that its batch root is on chain.',
            '--offline   no network: checks only that each file still has its digest and that the proof leads to the root written',
            '            in the receipt. That shows the receipt is self-consistent (CONSISTENT), not that the root was ever anchored:',
            '            a forged receipts file can be self-consistent too.',
        ],
    },
    watch: {
        usage: '[--checkpoint FILE] [--start-block N] [--count N]',
        description: 'Prints evidence events as they commit; Ctrl-C stops.',
        details: ['--checkpoint FILE   resume after the last event seen, with no gap and no duplicate', '--start-block N     start from this block', '--count N           stop after N events'],
    },
    artifact: {
        usage: 'publish <file> --name NAME --version V [--type app|patch|config-baseline|vm-image|container-image] [--vendor V] [--id ID]\ncheck <file> --name NAME --version V\nrevoke --name NAME --version V --reason TEXT',
        description: 'Software artifacts (apps, patches, configuration baselines, images): publish a digest, check a file before loading it (exit 0 only when it may be loaded), revoke a version.',
    },
    trace: {
        usage: '<id> [--forward] [--max-steps N]',
        description: 'Walks a process trace from a step back to its first step, or forward through every later step.',
        details: ['--forward       walk forward instead of back', '--max-steps N   stop after N steps (default 100)'],
    },
};

async function evidenceClient(context: CommandContext): Promise<EvidenceClient> {
    // With our MSP id the client witnesses anchoring by default where our organisation names a supervisor.
    return new EvidenceClient(await context.contract('evidence'), { mspId: (await context.connection()).mspId });
}

/** Streams a file through SHA-256 with a progress bar on stderr. */
async function hashWithProgress(context: CommandContext, path: string): Promise<FileDigest> {
    const bar = context.progress(`hashing ${basename(path)}`, (await stat(path)).size);
    try {
        return await hashFile(path, (p) => bar.update(p.bytesHashed));
    } finally {
        bar.stop();
    }
}

const anchor: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, ANCHOR_OPTIONS, ['file']);
    const file = positionals[0] ?? '';
    // Check the options before hashing what may be a large file.
    anchorRequestFrom(values, file, { digest: '0'.repeat(64), size: 0 });
    const request = anchorRequestFrom(values, file, await hashWithProgress(context, file));
    const { result, transactionId, blockNumber } = await (await evidenceClient(context)).anchor(request);
    context.show({ record: result, transactionId, blockNumber }, { ...recordView(result), block: blockNumber });
    return 0;
};

const ID_OPTION = { id: { type: 'string' } } as const;

const verify: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, ID_OPTION, ['file']);
    const digest = (await hashWithProgress(context, positionals[0] ?? '')).digest;
    const verification = await (await evidenceClient(context)).verify(text(values, 'id') ?? '', digest);
    context.show(verification, verificationView(verification));
    return verification.outcome === 'match' ? 0 : 1;
};

const verifyDigest: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, ID_OPTION, ['digest']);
    const verification = await (await evidenceClient(context)).verify(text(values, 'id') ?? '', positionals[0] ?? '');
    context.show(verification, verificationView(verification));
    return verification.outcome === 'match' ? 0 : 1;
};

const read: Handler = async (context, args) => {
    const { positionals } = parseCommand(args, {}, ['id']);
    const record = await (await evidenceClient(context)).read(positionals[0] ?? '');
    context.show(record, recordView(record));
    return 0;
};

const history: Handler = async (context, args) => {
    const { positionals } = parseCommand(args, {}, ['id']);
    const entries = await (await evidenceClient(context)).history(positionals[0] ?? '');
    context.showRows(entries, historyRows(entries), HISTORY_COLUMNS);
    return 0;
};

const query: Handler = async (context, args) => {
    const { values } = parseCommand(args, QUERY_OPTIONS, []);
    const evidenceQuery = queryFrom(values);
    const client = await evidenceClient(context);
    const page = values.batches === true ? await client.queryBatches(evidenceQuery) : await client.query(evidenceQuery);
    const rows = values.batches === true ? (page.records as Parameters<typeof batchRow>[0][]).map(batchRow) : (page.records as Parameters<typeof recordRow>[0][]).map(recordRow);
    context.showRows(page, rows, values.batches === true ? BATCH_COLUMNS : RECORD_COLUMNS);
    if (!context.options.json) {
        console.error(pageFooter(page));
    }
    return 0;
};

const revoke: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, { reason: { type: 'string' } }, ['id']);
    const { result, transactionId, blockNumber } = await (await evidenceClient(context)).revoke(positionals[0] ?? '', requiredText(values, 'reason'));
    context.show({ record: result, transactionId, blockNumber }, { ...recordView(result), block: blockNumber });
    return 0;
};

/** Every regular file under a folder, recursively, as sorted relative paths. */
export async function listFiles(folder: string): Promise<string[]> {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true });
    return entries
        .filter((e) => e.isFile())
        .map((e) => relative(folder, join(e.parentPath, e.name)))
        .sort();
}

const BATCH_OPTIONS = {
    receipts: { type: 'string' },
    'max-items': { type: 'string' },
    name: { type: 'string' },
    kind: { type: 'string' },
    tag: { type: 'string', multiple: true },
    ...SOURCE_OPTIONS,
} as const;

/** Hashes every file with one progress bar for the whole folder and hands each digest over as soon as it is known. */
async function hashFolder(context: CommandContext, folder: string, paths: readonly string[], onDigest: (path: string, file: FileDigest) => void): Promise<void> {
    const sizes = await Promise.all(paths.map(async (p) => (await stat(join(folder, p))).size));
    const bar = context.progress(`hashing ${String(paths.length)} files`, sizes.reduce((a, b) => a + b, 0));
    let done = 0;
    try {
        for (const path of paths) {
            const file = await hashFile(join(folder, path), (p) => bar.update(done + p.bytesHashed));
            done += file.size;
            onDigest(path, file);
        }
    } finally {
        bar.stop();
    }
}

const batch: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, BATCH_OPTIONS, ['folder']);
    const folder = resolve(positionals[0] ?? '');
    const receiptsPath = resolve(text(values, 'receipts') ?? `${folder}.receipts.json`);
    const kind = text(values, 'kind') as EvidenceKind | undefined;
    const metadata = { name: text(values, 'name') ?? basename(folder), source: sourceFrom(values), tags: list(values, 'tag'), ...(kind ? { kind } : {}) };
    const batcher = (await evidenceClient(context)).createBatcher({ metadata, maxItems: positiveInteger(values, 'max-items') ?? 10_000 });
    const pending: { path: string; size: number; receipt: Promise<EvidenceReceipt> }[] = [];
    const paths = await listFiles(folder);
    await hashFolder(context, folder, paths, (path, file) => {
        const receipt = batcher.add(file.digest);
        // Handled below with Promise.all; this only stops an early failure from counting as unhandled.
        receipt.catch(() => undefined);
        pending.push({ path, size: file.size, receipt });
    });
    await batcher.close();
    const items: ReceiptEntry[] = await Promise.all(pending.map(async (p) => ({ path: p.path, size: p.size, receipt: await p.receipt })));
    await writeFile(receiptsPath, serializeReceiptsFile({ folder, items }));
    const rows = items.map((i) => ({ file: i.path, size: i.size, digest: shortDigest(i.receipt.itemDigest), batch: i.receipt.batchId, leaf: i.receipt.leafIndex, block: i.receipt.blockNumber }));
    const json = {
        receiptsFile: receiptsPath,
        batches: batchSummaries(items),
        items: items.map((i) => ({ path: i.path, size: i.size, batchId: i.receipt.batchId, leafIndex: i.receipt.leafIndex })),
    };
    context.showRows(json, rows, ['file', 'size', 'digest', 'batch', 'leaf', 'block']);
    if (!context.options.json) {
        console.error(batchReport(items, receiptsPath).join('\n'));
    }
    return 0;
};

async function checkEntry(context: CommandContext, receipts: ReceiptsFile, entry: ReceiptEntry, offline: boolean): Promise<Record<string, unknown>> {
    const path = join(receipts.folder, entry.path);
    const digest = (await hashWithProgress(context, path)).digest;
    if (offline) {
        return offlineReceiptView(entry.path, entry.receipt, verifyReceipt(entry.receipt, digest));
    }
    const check = await (await evidenceClient(context)).verifyReceipt(entry.receipt, digest);
    return receiptCheckView(entry.path, entry.receipt, check);
}

const OFFLINE_NOTE =
    'offline: each proof was checked against the root written in its own receipt, never against the ledger, so a forged but ' +
    'self-consistent receipts file passes too; run without --offline to check that each root is on the ledger.';

function showReceiptChecks(context: CommandContext, results: readonly Record<string, unknown>[], offline: boolean): void {
    if (results.length === 1 && results[0]) {
        context.show(results[0], results[0]);
    } else {
        context.showRows(results, results, ['file', 'status', 'problem', 'batch', 'root']);
    }
    if (offline && !context.options.json) {
        console.error(OFFLINE_NOTE);
    }
}

const verifyReceiptCommand: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, { offline: { type: 'boolean' } }, ['receipts.json', 'file?']);
    const receipts = parseReceiptsFile(await readFile(positionals[0] ?? '', 'utf8'));
    const file = positionals[1];
    const entry = file === undefined ? undefined : findReceiptEntry(receipts, file);
    if (file !== undefined && !entry) {
        throw new UsageError(`${file} has no receipt in ${positionals[0] ?? ''}`);
    }
    const entries = entry ? [entry] : receipts.items;
    const results: Record<string, unknown>[] = [];
    for (const e of entries) {
        results.push(await checkEntry(context, receipts, e, values.offline === true));
    }
    showReceiptChecks(context, results, values.offline === true);
    return results.every((r) => r.valid === true) ? 0 : 1;
};

const WATCH_OPTIONS = { checkpoint: { type: 'string' }, 'start-block': { type: 'string' }, count: { type: 'string' } } as const;

const watch: Handler = async (context, args) => {
    const { values } = parseCommand(args, WATCH_OPTIONS, []);
    const startBlock = text(values, 'start-block');
    const limit = positiveInteger(values, 'count');
    const network = (await context.connection()).gateway.getNetwork(context.profile.channel);
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once('SIGINT', stop);
    console.error('following evidence events; Ctrl-C stops');
    let seen = 0;
    try {
        const options = { network, chaincode: context.profile.chaincodes.evidence ?? 'evidence', checkpointFile: text(values, 'checkpoint'), signal: controller.signal };
        await followChaincodeEvents({ ...options, ...(startBlock ? { startBlock: BigInt(startBlock) } : {}) }, (event: EdgeTrustEvent) => {
            console.log(context.options.json ? JSON.stringify(event, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) : eventLine(event));
            if (limit !== undefined && ++seen >= limit) {
                controller.abort();
            }
            return Promise.resolve();
        });
    } finally {
        process.off('SIGINT', stop);
    }
    return 0;
};

const artifactPublish: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, ARTIFACT_OPTIONS, ['file']);
    const file = positionals[0] ?? '';
    artifactRequestFrom(values, file, { digest: '0'.repeat(64), size: 0 });
    const request = artifactRequestFrom(values, file, await hashWithProgress(context, file));
    const { result, transactionId, blockNumber } = await (await evidenceClient(context)).anchor(request);
    context.show({ record: result, transactionId, blockNumber }, { ...recordView(result), block: blockNumber });
    return 0;
};

const artifactCheck: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, ARTIFACT_OPTIONS, ['file']);
    const name = requiredText(values, 'name');
    const version = requiredText(values, 'version');
    const digest = (await hashWithProgress(context, positionals[0] ?? '')).digest;
    const check = await (await evidenceClient(context)).checkArtifact(name, version, digest);
    context.show(check, artifactCheckView(check));
    return check.loadAllowed ? 0 : 1;
};

const artifactRevoke: Handler = async (context, args) => {
    const { values } = parseCommand(args, ARTIFACT_OPTIONS, []);
    const reason = requiredText(values, 'reason');
    const client = await evidenceClient(context);
    // The check answers with the published record whatever the digest, which gives its id.
    const check = await client.checkArtifact(requiredText(values, 'name'), requiredText(values, 'version'), '0'.repeat(64));
    const id = text(values, 'id') ?? check.record?.id;
    if (id === undefined) {
        throw new UsageError(`${check.artifactName} ${check.version} was never published`);
    }
    const { result, transactionId, blockNumber } = await client.revoke(id, reason);
    context.show({ record: result, transactionId, blockNumber }, { ...recordView(result), block: blockNumber });
    return 0;
};

const ARTIFACT_COMMANDS: Readonly<Record<string, Handler>> = { publish: artifactPublish, check: artifactCheck, revoke: artifactRevoke };

const artifact: Handler = (context, args) => {
    const [action, ...rest] = args;
    const handler = action === undefined ? undefined : ARTIFACT_COMMANDS[action];
    if (!handler) {
        throw new UsageError(`artifact needs one of ${Object.keys(ARTIFACT_COMMANDS).join(', ')}`);
    }
    return handler(context, rest);
};

const trace: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, { forward: { type: 'boolean' }, 'max-steps': { type: 'string' } }, ['id']);
    const client = await evidenceClient(context);
    const id = positionals[0] ?? '';
    const maxSteps = positiveInteger(values, 'max-steps') ?? 100;
    const walk = values.forward === true ? await client.traceForward(id, maxSteps) : await client.traceBackward(id, maxSteps);
    context.showRows(walk, traceRows(walk), TRACE_COLUMNS);
    if (!context.options.json) {
        console.error(`trace ${walk.traceId}: ${String(walk.steps.length)} steps${walk.complete ? '' : ' (cut short by --max-steps)'}`);
    }
    return 0;
};

const COMMANDS: Readonly<Record<string, Handler>> = {
    anchor,
    verify,
    'verify-digest': verifyDigest,
    read,
    history,
    query,
    revoke,
    batch,
    'verify-receipt': verifyReceiptCommand,
    watch,
    artifact,
    trace,
};

/** `edgetrust evidence ...`: notarization at the edge from the command line. */
export const evidenceCommands: CommandGroup = commandGroup({
    name: 'evidence',
    summary: 'anchor, verify, batch, query and follow evidence records',
    usage: USAGE,
    help: HELP,
    commands: COMMANDS,
});
