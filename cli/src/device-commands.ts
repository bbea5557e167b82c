import { decodeBookmark, pageFooter } from './paging';
import {
    type AssetState,
    type AssetTransitionRequest,
    DeviceIdentityClient,
    type DeviceIdentityPage,
    normalizeFingerprint,
    type RegisterAssetRequest,
    type RevocationReason,
    type Submitted,
} from '@edgetrust/gateway-sdk';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CommandContext, CommandGroup } from './context';
import type { CommandHelp } from './help';
import {
    ASSET_COLUMNS,
    ASSET_HISTORY_COLUMNS,
    assetHistoryRows,
    assetRow,
    assetView,
    callerView,
    certificateFileFingerprint,
    CERTIFICATE_COLUMNS,
    certificateRow,
    certificateView,
    DEVICE_HISTORY_COLUMNS,
    deviceHistoryRows,
    deviceIdFromFile,
    lookupView,
    looksLikeFingerprint,
    MANUFACTURER_COLUMNS,
    manufacturerRow,
    manufacturerView,
    statusReportView,
    TRUST_COLUMNS,
    trustDecisionView,
    trustRow,
} from './device-format';
import { parseCommand, type ParsedCommand, positiveInteger, requiredText, text, UsageError } from './args';
import { commandGroup, type Handler } from './dispatch';

/*
 * `edgetrust device …` and `edgetrust asset …`: the device identity registry (self-signed device and
 * application certificates on chain, manufacturers, app trust) and the equipment asset registry.
 * Argument parsing is shared with the evidence commands (evidence-args.ts).
 */

const DEVICE_USAGE = `usage: edgetrust device <command> [arguments] [options]

commands:
  whoami                                   the identity the chaincode sees: name it as registrar or owner
  register <id> --manufacturer M --cert FILE (--key DEVICE-KEY.pem | --proof BASE64) [--model X] [--lot L]
           [--owner-msp MSP --owner-id ID]
                                           register a device's self-signed certificate (manufacturer's registrars);
                                           its key proves possession (--key signs the registration here)
  register-lot --manufacturer M <cert.pem>... [--lot L] [--model X] [--proofs FILE.json]
                                           a production lot in one all-or-nothing transaction; ids are the file names,
                                           each device's key beside its certificate (cam-7.pem, cam-7.key), or proofs by id
  register-app <id> --cert FILE (--key KEY.pem | --proof BASE64) [--name N]
                                           register your own edge application's certificate
  status <id | fingerprint> | --cert FILE  may this certificate be trusted now? exit 1 unless trusted
  show <id> | --fingerprint FP             certificate, owner, manufacturer, status and history
  list --manufacturer M                    a manufacturer's devices [--page-size N] [--bookmark B]
  suspend <id> [--comment TEXT]            hold (certificateHold): owner, manufacturer or registry administrator
  reinstate <id> [--comment TEXT]          release a hold (removeFromCRL)
  revoke <id> --reason R [--comment TEXT] [--invalidity-date ISO-TIME]
                                           revoke for good: owner or manufacturer. R: unspecified, keyCompromise,
                                           affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn
  rotate <id> --cert NEW.pem (--key OLD-KEY.pem | --signature BASE64)
                                           replace the certificate; the old key signs the new fingerprint
  trust grant <from> <to> [--purpose TEXT] [--expires ISO-TIME]   let app <from> talk to app <to> (or "platform")
  trust revoke <from> <to>
  trust check <from> <to>                  exit 1 unless allowed
  trust list --from ID | --to ID           [--page-size N] [--bookmark B]
  manufacturer register <id> --name NAME --msp MSP        registry administrators
  manufacturer show <id>
  manufacturer list                        [--page-size N] [--bookmark B]
  manufacturer authorize <id> --registrar-msp MSP --registrar-id ID   appoint a registrar (see whoami)
  manufacturer withdraw <id> --registrar-msp MSP --registrar-id ID
  registry show | add <msp> | remove <msp> the organisations that administer the registry`;

const ASSET_USAGE = `usage: edgetrust asset <command> [arguments] [options]

states: in_stock → installed → in_use → lent / under_repair → replaced / retired (only legal moves are accepted)

commands:
  register <id> --tag QR-OR-BARCODE --type TYPE --site SITE [--location L] [--model M] [--serial SN]
        [--state in_stock|installed|in_use] [--note TEXT]       equipment of your organisation
  move <id> --to STATE [--site SITE] [--location L] [--note TEXT] [--lent-to WHO] [--replaced-by ID]
  show <id> | --tag TAG
  history <id>                             who, when and where for every change [--page-size N] [--bookmark B]
  list --site SITE [--state STATE] | --state STATE                [--page-size N] [--bookmark B]`;


const PAGE_HELP = '--page-size N, --bookmark B   one page at a time; the bookmark of the next page is printed on stderr';

/** Each device command's own help: `edgetrust device <command> --help`. */
const DEVICE_HELP: Readonly<Record<string, CommandHelp>> = {
    whoami: { usage: '', description: 'Prints the identity the chaincode sees for you (MSP id and id): name it as a registrar or as an owner.' },
    register: {
        usage: '<id> --manufacturer M --cert FILE [--model X] [--lot L] [--owner-msp MSP --owner-id ID]',
        description: "Registers a device's self-signed certificate on chain, no CA involved; for the manufacturer's registrars.",
        details: ['--cert FILE   the PEM certificate the device made', '--owner-msp, --owner-id   who owns the device (default: you)'],
    },
    'register-lot': {
        usage: '--manufacturer M <cert.pem>... [--lot L] [--model X]',
        description: 'Registers a production lot of devices in one all-or-nothing transaction; each device id is its file name.',
    },
    'register-app': { usage: '<id> --cert FILE [--name N]', description: "Registers your own edge application's self-signed certificate." },
    status: {
        usage: '<id | fingerprint> | --cert FILE',
        description: 'Says whether a certificate may be trusted now (active, not expired); exit 0 only when trusted.',
        details: ['--cert FILE   the certificate to check (PEM or DER), e.g. the one a peer presented in mutual TLS'],
    },
    show: { usage: '<id> | --fingerprint FP', description: 'Prints a certificate with its owner, manufacturer, status and history.' },
    list: { usage: '--manufacturer M [--page-size N] [--bookmark B]', description: "Lists a manufacturer's devices.", details: [PAGE_HELP] },
    suspend: {
        usage: '<id> [--comment TEXT]',
        description: 'Puts a certificate on hold (RFC 5280 certificateHold): its owner, its manufacturer or a registry administrator.',
    },
    reinstate: { usage: '<id> [--comment TEXT]', description: 'Releases a hold (RFC 5280 removeFromCRL): its owner, its manufacturer or a registry administrator.' },
    revoke: {
        usage: '<id> --reason R [--comment TEXT] [--invalidity-date ISO-TIME]',
        description: 'Revokes a certificate for good: its owner or its manufacturer only.',
        details: [
            '--reason R   unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn',
            '--invalidity-date   when the key is known or suspected to have been compromised (not in the future)',
        ],
    },
    rotate: {
        usage: '<id> --cert NEW.pem (--key OLD-KEY.pem | --signature BASE64)',
        description: 'Replaces a certificate by a new one; the old key signs the new fingerprint, which proves the owner holds it.',
    },
    trust: {
        usage: 'grant <from> <to> [--purpose TEXT] [--expires ISO-TIME]\nrevoke <from> <to>\ncheck <from> <to>\nlist --from ID | --to ID [--page-size N] [--bookmark B]',
        description: 'App trust: let app <from> talk to app <to> (or "platform"), withdraw it, check it (exit 0 only when allowed), list it.',
    },
    manufacturer: {
        usage: 'register <id> --name NAME --msp MSP\nshow <id>\nlist [--page-size N] [--bookmark B]\nauthorize <id> --registrar-msp MSP --registrar-id ID\nwithdraw <id> --registrar-msp MSP --registrar-id ID',
        description: 'Manufacturers (registered by registry administrators) and the registrars who may register their devices (see whoami).',
    },
    registry: { usage: 'show | add <msp> | remove <msp>', description: 'The organisations that administer the registry: show them, add or remove one.' },
};

/** Each asset command's own help: `edgetrust asset <command> --help`. */
const ASSET_HELP: Readonly<Record<string, CommandHelp>> = {
    register: {
        usage: '<id> --tag QR-OR-BARCODE --type TYPE --site SITE [--location L] [--model M] [--serial SN] [--state in_stock|installed|in_use] [--note TEXT]',
        description: 'Registers a piece of equipment of your organisation by its QR or bar code tag.',
    },
    move: {
        usage: '<id> --to STATE [--site SITE] [--location L] [--note TEXT] [--lent-to WHO] [--replaced-by ID]',
        description: 'Moves equipment to its next lifecycle state; only legal moves are accepted.',
        details: ['states: in_stock → installed → in_use → lent / under_repair → replaced / retired'],
    },
    show: { usage: '<id> | --tag TAG', description: 'Prints one piece of equipment, by id or by tag.' },
    history: { usage: '<id> [--page-size N] [--bookmark B]', description: 'Prints who changed a piece of equipment, when and where, for every change.', details: [PAGE_HELP] },
    list: { usage: '--site SITE [--state STATE] | --state STATE [--page-size N] [--bookmark B]', description: 'Lists equipment by site (and state) or by state.', details: [PAGE_HELP] },
};

const PAGE_OPTIONS = { 'page-size': { type: 'string' }, bookmark: { type: 'string' } } as const;

async function identityClient(context: CommandContext): Promise<DeviceIdentityClient> {
    return new DeviceIdentityClient(await context.contract('device-identity'));
}

/** Prints a submitted transaction's result: the SDK's object with --json, else the view and the block. */
function showSubmitted<T>(context: CommandContext, submitted: Submitted<T>, view: Record<string, unknown>): void {
    context.show(submitted, { ...view, transaction: submitted.transactionId, block: submitted.blockNumber });
}

/** Prints a page as a table with a footer on stderr, or the page as JSON. */
function showPage<T>(context: CommandContext, page: DeviceIdentityPage<T>, row: (record: T) => Record<string, unknown>, columns: readonly string[]): void {
    if (context.options.json) {
        context.json(page);
        return;
    }
    context.table(page.records.map(row), columns);
    console.error(pageFooter(page));
}

function paging(values: ParsedCommand['values']): [number, string] {
    return [positiveInteger(values, 'page-size') ?? 100, decodeBookmark(text(values, 'bookmark') ?? '')];
}

async function readCertificate(path: string): Promise<string> {
    return (await readCertificateBytes(path)).toString('utf8');
}

async function readCertificateBytes(path: string): Promise<Buffer> {
    try {
        return await readFile(path);
    } catch (err) {
        throw new UsageError(`cannot read certificate file ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
}

/** Runs the handler named by the first argument of a nested command (`trust grant`, `manufacturer list` …). */
function nested(name: string, handlers: Readonly<Record<string, Handler>>): Handler {
    return (context, args) => {
        const [action, ...rest] = args;
        const handler = action === undefined ? undefined : handlers[action];
        if (!handler) {
            throw new UsageError(`${name} needs one of ${Object.keys(handlers).join(', ')}`);
        }
        return handler(context, rest);
    };
}

// ---- certificates ----

const whoami: Handler = async (context, args) => {
    parseCommand(args, {}, []);
    const caller = await (await identityClient(context)).whoAmI();
    context.show(caller, callerView(caller));
    return 0;
};

const REGISTER_OPTIONS = {
    manufacturer: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    proof: { type: 'string' },
    model: { type: 'string' },
    lot: { type: 'string' },
    'owner-msp': { type: 'string' },
    'owner-id': { type: 'string' },
} as const;

function ownerFrom(values: ParsedCommand['values']): { mspId: string; id: string } | undefined {
    const mspId = text(values, 'owner-msp');
    const id = text(values, 'owner-id');
    if ((mspId === undefined) !== (id === undefined)) {
        throw new UsageError('--owner-msp and --owner-id go together');
    }
    return mspId === undefined || id === undefined ? undefined : { mspId, id };
}

/** Proof of possession: the certificate's key (the client signs the registration) or a proof signed elsewhere. */
async function possessionFrom(values: ParsedCommand['values']): Promise<{ key?: string; proof?: string }> {
    const keyFile = text(values, 'key');
    const proof = text(values, 'proof');
    if ((keyFile === undefined) === (proof === undefined)) {
        throw new UsageError("give exactly one of --key KEY.pem (the certificate's private key signs the registration) or --proof BASE64");
    }
    return keyFile === undefined ? { proof } : { key: await readKey(keyFile) };
}

async function readKey(path: string): Promise<string> {
    try {
        return await readFile(path, 'utf8');
    } catch (err) {
        throw new UsageError(`cannot read key file ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
}

const register: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, REGISTER_OPTIONS, ['id']);
    const certificatePem = await readCertificate(requiredText(values, 'cert'));
    const { key, proof } = await possessionFrom(values);
    const request = {
        manufacturerId: requiredText(values, 'manufacturer'),
        id: positionals[0] ?? '',
        certificatePem,
        proof,
        model: text(values, 'model'),
        lot: text(values, 'lot'),
        owner: ownerFrom(values),
    };
    const submitted = await (await identityClient(context)).registerDevice(request, key);
    showSubmitted(context, submitted, certificateView(submitted.result));
    return 0;
};

const registerLot: Handler = async (context, args) => {
    const options = { manufacturer: REGISTER_OPTIONS.manufacturer, lot: REGISTER_OPTIONS.lot, model: REGISTER_OPTIONS.model, proofs: { type: 'string' } } as const;
    // Any number of certificate files (the chaincode caps a lot at 500).
    const { values, positionals } = parseCommand(args, options, args.map(() => 'cert.pem?'));
    if (positionals.length === 0) {
        throw new UsageError('expected one or more certificate files');
    }
    const proofsFile = text(values, 'proofs');
    const proofs = proofsFile === undefined ? undefined : (JSON.parse(await readKey(proofsFile)) as Record<string, string>);
    const devices = await Promise.all(
        positionals.map(async (path) => ({ id: deviceIdFromFile(path), certificatePem: await readCertificate(path), proof: proofs?.[deviceIdFromFile(path)] })),
    );
    // Without proofs, each device's key is read from beside its certificate: lots/cam-7.pem and lots/cam-7.key.
    const keys: Record<string, string> = {};
    if (proofs === undefined) {
        for (const path of positionals) {
            keys[deviceIdFromFile(path)] = await readKey(join(dirname(path), `${deviceIdFromFile(path)}.key`));
        }
    }
    const request = { manufacturerId: requiredText(values, 'manufacturer'), lot: text(values, 'lot'), model: text(values, 'model'), devices };
    const submitted = await (await identityClient(context)).registerDevices(request, keys);
    if (context.options.json) {
        context.json(submitted);
    } else {
        context.table(submitted.result.devices.map(certificateRow), CERTIFICATE_COLUMNS);
        console.error(`${String(submitted.result.count)} devices of lot '${submitted.result.lot}' registered in transaction ${submitted.transactionId} (block ${String(submitted.blockNumber)})`);
    }
    return 0;
};

const registerApp: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, { cert: { type: 'string' }, key: { type: 'string' }, proof: { type: 'string' }, name: { type: 'string' } }, ['id']);
    const certificatePem = await readCertificate(requiredText(values, 'cert'));
    const { key, proof } = await possessionFrom(values);
    const submitted = await (await identityClient(context)).registerApplication({ id: positionals[0] ?? '', certificatePem, proof, name: text(values, 'name') }, key);
    showSubmitted(context, submitted, certificateView(submitted.result));
    return 0;
};

/** The fingerprint `status` asks about: from --cert, from a fingerprint argument, or the current one of an id. */
async function fingerprintToCheck(client: DeviceIdentityClient, values: ParsedCommand['values'], argument: string | undefined): Promise<string> {
    const certFile = text(values, 'cert');
    if ((certFile === undefined) === (argument === undefined)) {
        throw new UsageError('give an id, a fingerprint or --cert FILE');
    }
    if (certFile !== undefined) {
        return certificateFileFingerprint(certFile, await readCertificateBytes(certFile));
    }
    const wanted = argument ?? '';
    return looksLikeFingerprint(wanted) ? normalizeFingerprint(wanted) : (await client.readDevice(wanted)).certificate.fingerprint;
}

const status: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, { cert: { type: 'string' } }, ['id-or-fingerprint?']);
    const client = await identityClient(context);
    const report = await client.checkCertificate(await fingerprintToCheck(client, values, positionals[0]));
    context.show(report, statusReportView(report));
    return report.trusted ? 0 : 1;
};

const showDevice: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, { fingerprint: { type: 'string' } }, ['id?']);
    const fingerprint = text(values, 'fingerprint');
    if ((fingerprint === undefined) === (positionals[0] === undefined)) {
        throw new UsageError('give an id or --fingerprint FP');
    }
    const client = await identityClient(context);
    const lookup = fingerprint === undefined ? await client.readDevice(positionals[0] ?? '') : await client.readDeviceByFingerprint(fingerprint);
    if (context.options.json) {
        context.json(lookup);
        return 0;
    }
    context.record(lookupView(lookup));
    context.table(deviceHistoryRows(lookup.history), DEVICE_HISTORY_COLUMNS);
    return 0;
};

const listDevices: Handler = async (context, args) => {
    const { values } = parseCommand(args, { manufacturer: { type: 'string' }, ...PAGE_OPTIONS }, []);
    const page = await (await identityClient(context)).listDevicesByManufacturer(requiredText(values, 'manufacturer'), ...paging(values));
    showPage(context, page, certificateRow, CERTIFICATE_COLUMNS);
    return 0;
};

const suspend: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, { comment: { type: 'string' } }, ['id']);
    const submitted = await (await identityClient(context)).suspendCertificate(positionals[0] ?? '', text(values, 'comment'));
    showSubmitted(context, submitted, certificateView(submitted.result));
    return 0;
};

const reinstate: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, { comment: { type: 'string' } }, ['id']);
    const submitted = await (await identityClient(context)).reinstateCertificate(positionals[0] ?? '', text(values, 'comment'));
    showSubmitted(context, submitted, certificateView(submitted.result));
    return 0;
};

const revoke: Handler = async (context, args) => {
    const options = { reason: { type: 'string' }, comment: { type: 'string' }, 'invalidity-date': { type: 'string' } } as const;
    const { values, positionals } = parseCommand(args, options, ['id']);
    const submitted = await (await identityClient(context)).revokeCertificate(positionals[0] ?? '', {
        // The chaincode checks the reason against RFC 5280's list and names the accepted ones.
        reason: requiredText(values, 'reason') as RevocationReason,
        comment: text(values, 'comment'),
        invalidityDate: text(values, 'invalidity-date'),
    });
    showSubmitted(context, submitted, certificateView(submitted.result));
    return 0;
};

const rotate: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, { cert: { type: 'string' }, key: { type: 'string' }, signature: { type: 'string' } }, ['id']);
    const id = positionals[0] ?? '';
    const newCertificatePem = await readCertificate(requiredText(values, 'cert'));
    const keyFile = text(values, 'key');
    const signature = text(values, 'signature');
    if ((keyFile === undefined) === (signature === undefined)) {
        throw new UsageError('give exactly one of --key OLD-KEY.pem (sign here) or --signature BASE64 (signed on the device)');
    }
    const client = await identityClient(context);
    const submitted =
        keyFile === undefined
            ? await client.rotateCertificate(id, { certificatePem: newCertificatePem, signature: signature ?? '' })
            : // The old certificate is the one on chain: the proof must name exactly its fingerprint.
              await client.rotateWithKey(id, { oldPrivateKey: await readFile(keyFile, 'utf8'), oldCertificatePem: (await client.readDevice(id)).certificate.certificatePem, newCertificatePem });
    showSubmitted(context, submitted, certificateView(submitted.result));
    return 0;
};

// ---- trust relationships ----

const trust = nested('trust', {
    grant: async (context, args) => {
        const { values, positionals } = parseCommand(args, { purpose: { type: 'string' }, expires: { type: 'string' } }, ['from', 'to']);
        const [from = '', to = ''] = positionals;
        const submitted = await (await identityClient(context)).grantTrust({ from, to, purpose: text(values, 'purpose'), expiresAt: text(values, 'expires') });
        showSubmitted(context, submitted, trustRow(submitted.result));
        return 0;
    },
    revoke: async (context, args) => {
        const { positionals } = parseCommand(args, {}, ['from', 'to']);
        const [from = '', to = ''] = positionals;
        const submitted = await (await identityClient(context)).revokeTrust(from, to);
        showSubmitted(context, submitted, trustRow(submitted.result));
        return 0;
    },
    check: async (context, args) => {
        const { positionals } = parseCommand(args, {}, ['from', 'to']);
        const [from = '', to = ''] = positionals;
        const decision = await (await identityClient(context)).checkTrust(from, to);
        context.show(decision, trustDecisionView(decision));
        return decision.allowed ? 0 : 1;
    },
    list: async (context, args) => {
        const { values } = parseCommand(args, { from: { type: 'string' }, to: { type: 'string' }, ...PAGE_OPTIONS }, []);
        const from = text(values, 'from');
        const to = text(values, 'to');
        if ((from === undefined) === (to === undefined)) {
            throw new UsageError('give exactly one of --from ID or --to ID');
        }
        const client = await identityClient(context);
        const page = from === undefined ? await client.listTrustTo(to ?? '', ...paging(values)) : await client.listTrustFrom(from, ...paging(values));
        showPage(context, page, trustRow, TRUST_COLUMNS);
        return 0;
    },
});

// ---- manufacturers and registry ----

const REGISTRAR_OPTIONS = { 'registrar-msp': { type: 'string' }, 'registrar-id': { type: 'string' } } as const;

function registrarFrom(values: ParsedCommand['values']): { mspId: string; id: string } {
    return { mspId: requiredText(values, 'registrar-msp'), id: requiredText(values, 'registrar-id') };
}

const manufacturer = nested('manufacturer', {
    register: async (context, args) => {
        const { values, positionals } = parseCommand(args, { name: { type: 'string' }, msp: { type: 'string' } }, ['id']);
        const request = { id: positionals[0] ?? '', name: requiredText(values, 'name'), mspId: requiredText(values, 'msp') };
        const submitted = await (await identityClient(context)).registerManufacturer(request);
        showSubmitted(context, submitted, manufacturerView(submitted.result));
        return 0;
    },
    show: async (context, args) => {
        const { positionals } = parseCommand(args, {}, ['id']);
        const found = await (await identityClient(context)).readManufacturer(positionals[0] ?? '');
        context.show(found, manufacturerView(found));
        return 0;
    },
    list: async (context, args) => {
        const { values } = parseCommand(args, PAGE_OPTIONS, []);
        const page = await (await identityClient(context)).listManufacturers(...paging(values));
        showPage(context, page, manufacturerRow, MANUFACTURER_COLUMNS);
        return 0;
    },
    authorize: async (context, args) => {
        const { values, positionals } = parseCommand(args, REGISTRAR_OPTIONS, ['id']);
        const submitted = await (await identityClient(context)).authorizeRegistrar(positionals[0] ?? '', registrarFrom(values));
        showSubmitted(context, submitted, manufacturerView(submitted.result));
        return 0;
    },
    withdraw: async (context, args) => {
        const { values, positionals } = parseCommand(args, REGISTRAR_OPTIONS, ['id']);
        const submitted = await (await identityClient(context)).withdrawRegistrar(positionals[0] ?? '', registrarFrom(values));
        showSubmitted(context, submitted, manufacturerView(submitted.result));
        return 0;
    },
});

const registry = nested('registry', {
    show: async (context, args) => {
        parseCommand(args, {}, []);
        const state = await (await identityClient(context)).readRegistry();
        context.show(state, { initialized: state.initialized, administrators: state.mspIds.join(', ') });
        return 0;
    },
    add: async (context, args) => {
        const { positionals } = parseCommand(args, {}, ['msp']);
        const submitted = await (await identityClient(context)).addRegistryAdministrator(positionals[0] ?? '');
        showSubmitted(context, submitted, { administrators: submitted.result.mspIds.join(', ') });
        return 0;
    },
    remove: async (context, args) => {
        const { positionals } = parseCommand(args, {}, ['msp']);
        const submitted = await (await identityClient(context)).removeRegistryAdministrator(positionals[0] ?? '');
        showSubmitted(context, submitted, { administrators: submitted.result.mspIds.join(', ') });
        return 0;
    },
});

// ---- equipment assets ----

const ASSET_OPTIONS = {
    tag: { type: 'string' },
    type: { type: 'string' },
    site: { type: 'string' },
    location: { type: 'string' },
    model: { type: 'string' },
    serial: { type: 'string' },
    state: { type: 'string' },
    note: { type: 'string' },
} as const;

const registerAsset: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, ASSET_OPTIONS, ['id']);
    const request: RegisterAssetRequest = {
        id: positionals[0] ?? '',
        tag: requiredText(values, 'tag'),
        type: requiredText(values, 'type'),
        site: requiredText(values, 'site'),
        location: text(values, 'location'),
        model: text(values, 'model'),
        serialNumber: text(values, 'serial'),
        state: text(values, 'state') as RegisterAssetRequest['state'],
        note: text(values, 'note'),
    };
    const submitted = await (await identityClient(context)).registerAsset(request);
    showSubmitted(context, submitted, assetView(submitted.result));
    return 0;
};

const MOVE_OPTIONS = {
    to: { type: 'string' },
    site: { type: 'string' },
    location: { type: 'string' },
    note: { type: 'string' },
    'lent-to': { type: 'string' },
    'replaced-by': { type: 'string' },
} as const;

const moveAsset: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, MOVE_OPTIONS, ['id']);
    const request: AssetTransitionRequest = {
        // The chaincode checks the state name and the move, and says which moves are allowed.
        to: requiredText(values, 'to') as AssetState,
        site: text(values, 'site'),
        location: text(values, 'location'),
        note: text(values, 'note'),
        lentTo: text(values, 'lent-to'),
        replacedBy: text(values, 'replaced-by'),
    };
    const submitted = await (await identityClient(context)).transitionAsset(positionals[0] ?? '', request);
    showSubmitted(context, submitted, assetView(submitted.result));
    return 0;
};

const showAsset: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, { tag: { type: 'string' } }, ['id?']);
    const tag = text(values, 'tag');
    if ((tag === undefined) === (positionals[0] === undefined)) {
        throw new UsageError('give an id or --tag TAG');
    }
    const client = await identityClient(context);
    const asset = tag === undefined ? await client.readAsset(positionals[0] ?? '') : await client.readAssetByTag(tag);
    context.show(asset, assetView(asset));
    return 0;
};

const assetHistory: Handler = async (context, args) => {
    const { values, positionals } = parseCommand(args, PAGE_OPTIONS, ['id']);
    const page = await (await identityClient(context)).assetHistory(positionals[0] ?? '', ...paging(values));
    if (context.options.json) {
        context.json(page);
        return 0;
    }
    context.table(assetHistoryRows(page.records), ASSET_HISTORY_COLUMNS);
    console.error(pageFooter(page));
    return 0;
};

const listAssets: Handler = async (context, args) => {
    const { values } = parseCommand(args, { site: { type: 'string' }, state: { type: 'string' }, ...PAGE_OPTIONS }, []);
    const site = text(values, 'site');
    const state = text(values, 'state') as AssetState | undefined;
    if (site === undefined && state === undefined) {
        throw new UsageError('give --site SITE, --state STATE or both');
    }
    const client = await identityClient(context);
    const page = site === undefined ? await client.listAssetsByState(state ?? 'in_stock', ...paging(values)) : await client.listAssetsBySite(site, state, ...paging(values));
    showPage(context, page, assetRow, ASSET_COLUMNS);
    return 0;
};

/** `edgetrust device ...`: device and application certificates on chain, manufacturers, app trust. */
export const deviceCommands: CommandGroup = commandGroup({
    name: 'device',
    summary: 'register, check, suspend, revoke and rotate device and app certificates; trust',
    usage: DEVICE_USAGE,
    help: DEVICE_HELP,
    commands: {
    whoami,
    register,
    'register-lot': registerLot,
    'register-app': registerApp,
    status,
    show: showDevice,
    list: listDevices,
    suspend,
    reinstate,
    revoke,
    rotate,
    trust,
    manufacturer,
    registry,
    },
});

/** `edgetrust asset ...`: the equipment asset registry and its lifecycle. */
export const assetCommands: CommandGroup = commandGroup({
    name: 'asset',
    summary: 'register equipment by tag, move it through its lifecycle, list by site or state',
    usage: ASSET_USAGE,
    help: ASSET_HELP,
    commands: {
    register: registerAsset,
    move: moveAsset,
    show: showAsset,
    history: assetHistory,
    list: listAssets,
    },
});
