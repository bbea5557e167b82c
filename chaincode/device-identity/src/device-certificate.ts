import type { Context } from 'fabric-contract-api';
import {
    accessDenied,
    caller,
    getStates,
    invalidArgument,
    invalidState,
    isEmpty,
    marshal,
    notFound,
    optionalText,
    optionalTimestamp,
    parseArgument,
    parsePageSize,
    readIndexPage,
    requireDigest,
    requireIdentifier,
    requireOneOf,
    requireTimelyProposal,
    toJSON,
    txTime,
    txTimeMillis,
    unmarshal,
} from '../../common/src';
import {
    type CertificateStatus,
    type CertificateStatusReport,
    type CertificateStatusReports,
    type CheckCertificatesRequest,
    type DeviceCertificate,
    type DeviceLookup,
    type DeviceRegistration,
    type FingerprintStatus,
    type HistoryAction,
    type IdentityKind,
    type IdentityPrincipal,
    type Manufacturer,
    MAX_BATCH_SIZE,
    MAX_STATUS_CHECKS,
    PLATFORM_ID,
    REASON_CODES,
    REVOCATION_REASONS,
    type RegisterApplicationRequest,
    type RegisterDeviceRequest,
    type RegisterDevicesRequest,
    type RegisteredLot,
    type RevokeCertificateRequest,
    type RotateCertificateRequest,
    type StatusChangeRequest,
    type StatusReason,
} from '../../schemas/src';
import { checkCertificate, type CheckedCertificate, publicKeyOf, registrationMessage, rotationMessage, verifyPossessionProof, verifyRotationSignature } from './certificate-check';
import {
    certificateFields,
    deviceKey,
    findDevice,
    findIdByFingerprint,
    historyEntry,
    isManufacturerOf,
    isOwner,
    putCertificateChange,
    putNewCertificate,
    readDevice,
    readHistory,
    requireFingerprintUnregistered,
    requireNotRevoked,
    requireUnregistered,
} from './certificate-ledger';
import { lastAttribute, ObjectType } from './keys';
import { requireRegistrar } from './manufacturer';
import { optionalPrincipal } from './principal';
import { isRegistryAdmin } from './registry';

/*
 * Device and application certificates (D1–D6): self-signed certificates registered on chain by manufacturers
 * (devices) or by edge applications themselves, looked up by id or fingerprint, suspended, revoked and rotated.
 * Reads are open to every channel member: they are public key material that devices and apps check before they
 * connect.
 */

/** A device or application id: an identifier that is not the reserved platform id. */
export function requireSubjectId(value: unknown, field: string): string {
    const id = requireIdentifier(value, field);
    if (id === PLATFORM_ID) {
        throw invalidArgument(`${field} ${PLATFORM_ID} is reserved for the MEC platform`);
    }
    return id;
}

export function optionalComment(value: unknown): string {
    return optionalText(value, 'comment', 1024) ?? '';
}

// ---- registration (D1, D2, D5) ----

export async function registerDevice(ctx: Context, requestJson: string): Promise<string> {
    requireTimelyProposal(ctx);
    const request = parseArgument<Partial<RegisterDeviceRequest>>(requestJson, 'request');
    const manufacturer = await requireRegistrar(ctx, request.manufacturerId);
    const [record] = await prepareDevices(ctx, manufacturer, [request], { lot: request.lot, prefix: '' });
    if (!record) {
        throw invalidArgument('no device to register');
    }
    await putNewCertificate(ctx, record);
    ctx.stub.setEvent('DeviceRegistered', marshal(certificateEvent(record)));
    return toJSON(record);
}

export async function registerDevices(ctx: Context, requestJson: string): Promise<string> {
    requireTimelyProposal(ctx);
    const request = parseArgument<Partial<RegisterDevicesRequest>>(requestJson, 'request');
    const devices = requireBatch(request.devices);
    const manufacturer = await requireRegistrar(ctx, request.manufacturerId);
    const model = optionalText(request.model, 'model');
    const withModel = devices.map((device) => ({ ...device, model: device.model ?? model }));
    const records = await prepareDevices(ctx, manufacturer, withModel, { lot: request.lot, prefix: 'devices' });
    for (const record of records) {
        await putNewCertificate(ctx, record);
    }
    const lot = records[0]?.lot ?? '';
    const summary = records.map(({ id, fingerprint }) => ({ id, fingerprint }));
    ctx.stub.setEvent('DevicesRegistered', marshal({ manufacturerId: manufacturer.id, lot, count: records.length, devices: summary }));
    return toJSON({ manufacturerId: manufacturer.id, lot, count: records.length, devices: records } satisfies RegisteredLot);
}

export async function registerApplication(ctx: Context, requestJson: string): Promise<string> {
    requireTimelyProposal(ctx);
    const request = parseArgument<Partial<RegisterApplicationRequest>>(requestJson, 'request');
    const id = requireSubjectId(request.id, 'id');
    const name = optionalText(request.name, 'name') ?? '';
    const checked = checkCertificate(request.certificatePem, txTimeMillis(ctx));
    const binding = { channel: ctx.stub.getChannelID(), kind: 'app', manufacturerId: '', id, fingerprint: checked.fingerprint, registrant: caller(ctx) } as const;
    verifyPossessionProof(checked, registrationMessage(binding), request.proof);
    await requireUnregistered(ctx, id, checked.fingerprint);
    const record = newRecord(ctx, checked, { id, kind: 'app', manufacturerId: '', lot: '', model: name, owner: caller(ctx) });
    await putNewCertificate(ctx, record);
    ctx.stub.setEvent('ApplicationRegistered', marshal(certificateEvent(record)));
    return toJSON(record);
}

// ---- lookup (D3, D6) ----

export async function readDeviceLookup(ctx: Context, id: string): Promise<string> {
    const record = await readDevice(ctx, id);
    return toJSON(await lookup(ctx, record, record.fingerprint));
}

export async function readDeviceByFingerprint(ctx: Context, fingerprint: string): Promise<string> {
    const wanted = requireDigest(fingerprint, 'fingerprint');
    const id = await findIdByFingerprint(ctx, wanted);
    if (id === undefined) {
        throw notFound(`certificate ${wanted} is not registered`);
    }
    return toJSON(await lookup(ctx, await readDevice(ctx, id), wanted));
}

export async function checkCertificateStatus(ctx: Context, fingerprint: string): Promise<string> {
    requireTimelyProposal(ctx);
    const wanted = requireDigest(fingerprint, 'fingerprint');
    const id = await findIdByFingerprint(ctx, wanted);
    const record = id === undefined ? undefined : await findDevice(ctx, id);
    return toJSON(statusReport(wanted, record, txTimeMillis(ctx), txTime(ctx)));
}

/**
 * CheckCertificate for many fingerprints in one proposal: the fingerprint index is a range per fingerprint (its key
 * ends with the record id), the records then come in one GET_STATE_MULTIPLE where the peer offers it. One
 * transaction time for all, reports in request order.
 */
export async function checkCertificateStatuses(ctx: Context, requestJson: string): Promise<string> {
    requireTimelyProposal(ctx);
    const request = parseArgument<Partial<CheckCertificatesRequest>>(requestJson, 'request');
    const wanted = requireFingerprints(request.fingerprints);
    const ids: (string | undefined)[] = [];
    for (const fingerprint of wanted) {
        ids.push(await findIdByFingerprint(ctx, fingerprint));
    }
    const found = [...new Set(ids.filter((id): id is string => id !== undefined))];
    const values = await getStates(
        ctx,
        found.map((id) => deviceKey(ctx, id)),
    );
    const records = new Map(found.map((id, i) => [id, values[i]] as const));
    const atMillis = txTimeMillis(ctx);
    const checkedAt = txTime(ctx);
    const reports = wanted.map((fingerprint, i) => {
        const id = ids[i];
        const bytes = id === undefined ? undefined : records.get(id);
        const record = bytes === undefined || isEmpty(bytes) ? undefined : unmarshal<DeviceCertificate>(bytes, 'certificate record');
        return statusReport(fingerprint, record, atMillis, checkedAt);
    });
    return toJSON({ reports } satisfies CertificateStatusReports);
}

function requireFingerprints(fingerprints: unknown): string[] {
    if (!Array.isArray(fingerprints) || fingerprints.length === 0 || fingerprints.length > MAX_STATUS_CHECKS) {
        throw invalidArgument(`fingerprints must be an array of 1 to ${String(MAX_STATUS_CHECKS)} fingerprints`);
    }
    return fingerprints.map((fingerprint: unknown, i) => requireDigest(fingerprint, `fingerprints[${String(i)}]`));
}

export async function listDevicesByManufacturer(ctx: Context, manufacturerId: string, pageSize: string, bookmark: string): Promise<string> {
    const manufacturer = requireIdentifier(manufacturerId, 'manufacturerId');
    const page = await readIndexPage(ctx, ObjectType.DeviceByManufacturer, [manufacturer], parsePageSize(pageSize), bookmark, (kv) =>
        readDevice(ctx, lastAttribute(ctx, kv.key)),
    );
    return toJSON(page);
}

// ---- status (D4) ----

/** A change of certificate status: from which states, to which, with which RFC 5280 reason. */
interface StatusChange {
    action: Extract<HistoryAction, 'suspended' | 'reinstated' | 'revoked'>;
    from: readonly CertificateStatus[];
    to: CertificateStatus;
    reason: StatusReason;
    comment: string;
    invalidityDate: string;
    /** Registry administrators may hold and release certificates, but only owner or manufacturer revoke (D5). */
    registryAdminMay: boolean;
}

const STATUS_EVENTS: Readonly<Record<StatusChange['action'], string>> = {
    suspended: 'CertificateSuspended',
    reinstated: 'CertificateReinstated',
    revoked: 'CertificateRevoked',
};

/** The transaction behind each status change, named in refusals (the caller asked for a transaction, not an event). */
const STATUS_TRANSACTIONS: Readonly<Record<StatusChange['action'], string>> = {
    suspended: 'SuspendCertificate',
    reinstated: 'ReinstateCertificate',
    revoked: 'RevokeCertificate',
};

export async function suspendCertificate(ctx: Context, id: string, requestJson: string): Promise<string> {
    requireTimelyProposal(ctx);
    const request = parseArgument<Partial<StatusChangeRequest>>(requestJson, 'request');
    return changeStatus(ctx, id, {
        action: 'suspended',
        from: ['active'],
        to: 'suspended',
        reason: 'certificateHold',
        comment: optionalComment(request.comment),
        invalidityDate: '',
        registryAdminMay: true,
    });
}

export async function reinstateCertificate(ctx: Context, id: string, requestJson: string): Promise<string> {
    requireTimelyProposal(ctx);
    const request = parseArgument<Partial<StatusChangeRequest>>(requestJson, 'request');
    return changeStatus(ctx, id, {
        action: 'reinstated',
        from: ['suspended'],
        to: 'active',
        reason: 'removeFromCRL',
        comment: optionalComment(request.comment),
        invalidityDate: '',
        registryAdminMay: true,
    });
}

export async function revokeCertificate(ctx: Context, id: string, requestJson: string): Promise<string> {
    requireTimelyProposal(ctx);
    const request = parseArgument<Partial<RevokeCertificateRequest>>(requestJson, 'request');
    const invalidityDate = optionalTimestamp(request.invalidityDate, 'invalidityDate');
    if (invalidityDate !== '' && Date.parse(invalidityDate) > txTimeMillis(ctx)) {
        throw invalidArgument('invalidityDate may not be in the future');
    }
    return changeStatus(ctx, id, {
        action: 'revoked',
        from: ['active', 'suspended'],
        to: 'revoked',
        reason: requireOneOf(request.reason, 'reason', REVOCATION_REASONS),
        comment: optionalComment(request.comment),
        invalidityDate,
        registryAdminMay: false,
    });
}

/**
 * Replaces an active certificate by a new one, proven by the old key's signature over
 * rotationMessage(old fingerprint, new fingerprint) (see certificate-check.ts). The old fingerprint
 * stays registered as superseded.
 */
export async function rotateCertificate(ctx: Context, id: string, requestJson: string): Promise<string> {
    requireTimelyProposal(ctx);
    const request = parseArgument<Partial<RotateCertificateRequest>>(requestJson, 'request');
    const record = await readDevice(ctx, id);
    requireNotRevoked(record);
    await requireOwnerOrManufacturer(ctx, record, 'RotateCertificate', false);
    if (record.status !== 'active') {
        throw invalidState(`certificate ${record.id} is ${record.status}; only an active certificate can be rotated`);
    }
    const checked = checkCertificate(request.certificatePem, txTimeMillis(ctx));
    verifyRotationSignature(record.certificatePem, record.keyType, rotationMessage(record.fingerprint, checked.fingerprint), request.signature);
    if (checked.publicKey.equals(publicKeyOf(record.certificatePem))) {
        throw invalidArgument('the new certificate must carry a new key');
    }
    await requireFingerprintUnregistered(ctx, checked.fingerprint);
    const rotated: DeviceCertificate = {
        ...record,
        ...certificateFields(checked),
        previousFingerprints: [...record.previousFingerprints, record.fingerprint],
        version: record.version + 1,
    };
    const entry = historyEntry(ctx, rotated, 'rotated', { previousFingerprint: record.fingerprint, reason: 'superseded', reasonCode: REASON_CODES.superseded });
    await putCertificateChange(ctx, rotated, entry);
    ctx.stub.setEvent('CertificateRotated', marshal({ ...certificateEvent(rotated), previousFingerprint: record.fingerprint }));
    return toJSON(rotated);
}

// ---- internals ----

/** Checks every device of a request, then the batch for repeats, then the ledger; returns the records to write. */
async function prepareDevices(ctx: Context, manufacturer: Manufacturer, devices: Partial<DeviceRegistration>[], options: { lot: unknown; prefix: string }): Promise<DeviceCertificate[]> {
    const lot = optionalText(options.lot, 'lot') ?? '';
    const at = txTimeMillis(ctx);
    const channel = ctx.stub.getChannelID();
    const records = devices.map((device, i) => {
        const field = (name: string): string => (options.prefix === '' ? name : `${options.prefix}[${String(i)}].${name}`);
        const id = requireSubjectId(device.id, field('id'));
        const model = optionalText(device.model, field('model')) ?? '';
        const owner = optionalPrincipal(device.owner, field('owner')) ?? caller(ctx);
        const checked = checkCertificate(device.certificatePem, at, field('certificatePem'));
        const binding = { channel, kind: 'device', manufacturerId: manufacturer.id, id, fingerprint: checked.fingerprint, registrant: caller(ctx) } as const;
        verifyPossessionProof(checked, registrationMessage(binding), device.proof, field('proof'));
        return newRecord(ctx, checked, { id, kind: 'device', manufacturerId: manufacturer.id, lot, model, owner });
    });
    requireNoRepeats(records);
    for (const record of records) {
        await requireUnregistered(ctx, record.id, record.fingerprint);
    }
    return records;
}

async function requireOwnerOrManufacturer(ctx: Context, record: DeviceCertificate, action: string, registryAdminMay: boolean): Promise<void> {
    if (isOwner(ctx, record) || (await isManufacturerOf(ctx, record)) || (registryAdminMay && (await isRegistryAdmin(ctx)))) {
        return;
    }
    const who = registryAdminMay ? 'its owner, its manufacturer or a registry administrator' : 'its owner or its manufacturer';
    throw accessDenied(`${action} of ${record.id} is for ${who}, not ${caller(ctx).id}`);
}

async function changeStatus(ctx: Context, id: string, change: StatusChange): Promise<string> {
    const record = await readDevice(ctx, id);
    requireNotRevoked(record);
    await requireOwnerOrManufacturer(ctx, record, STATUS_TRANSACTIONS[change.action], change.registryAdminMay);
    if (!change.from.includes(record.status)) {
        throw invalidState(`certificate ${record.id} is ${record.status}; it must be ${change.from.join(' or ')}`);
    }
    const reasonCode = REASON_CODES[change.reason];
    const changed: DeviceCertificate = {
        ...record,
        status: change.to,
        statusReason: change.reason,
        statusReasonCode: reasonCode,
        statusChangedAt: txTime(ctx),
        statusChangedBy: caller(ctx),
        invalidityDate: change.invalidityDate,
        version: record.version + 1,
    };
    await putCertificateChange(ctx, changed, historyEntry(ctx, changed, change.action, { reason: change.reason, reasonCode, comment: change.comment }));
    const event = { ...certificateEvent(changed), reason: change.reason, reasonCode, at: changed.statusChangedAt, invalidityDate: change.invalidityDate };
    ctx.stub.setEvent(STATUS_EVENTS[change.action], marshal(event));
    return toJSON(changed);
}

function requireBatch(devices: unknown): Partial<DeviceRegistration>[] {
    if (!Array.isArray(devices) || devices.length === 0 || devices.length > MAX_BATCH_SIZE) {
        throw invalidArgument(`devices must be an array of 1 to ${String(MAX_BATCH_SIZE)} devices`);
    }
    return devices.map((device: unknown, i) => {
        if (typeof device !== 'object' || device === null || Array.isArray(device)) {
            throw invalidArgument(`devices[${String(i)}] must be an object`);
        }
        return device;
    });
}

function requireNoRepeats(records: DeviceCertificate[]): void {
    const ids = new Set<string>();
    const fingerprints = new Set<string>();
    for (const record of records) {
        if (ids.has(record.id) || fingerprints.has(record.fingerprint)) {
            throw invalidArgument(`device ${record.id} or its certificate appears twice in the request`);
        }
        ids.add(record.id);
        fingerprints.add(record.fingerprint);
    }
}

interface NewRecordFields {
    id: string;
    kind: IdentityKind;
    manufacturerId: string;
    lot: string;
    model: string;
    owner: IdentityPrincipal;
}

function newRecord(ctx: Context, checked: CheckedCertificate, fields: NewRecordFields): DeviceCertificate {
    const now = txTime(ctx);
    return {
        ...fields,
        ...certificateFields(checked),
        registeredBy: caller(ctx),
        registeredAt: now,
        status: 'active',
        statusReason: '',
        statusReasonCode: -1,
        statusChangedAt: now,
        statusChangedBy: caller(ctx),
        invalidityDate: '',
        previousFingerprints: [],
        version: 1,
    };
}

export function certificateEvent(record: DeviceCertificate): Record<string, unknown> {
    const { id, kind, fingerprint, status, manufacturerId, owner } = record;
    return { id, kind, fingerprint, status, manufacturerId, owner };
}

function fingerprintStatus(record: DeviceCertificate, fingerprint: string): FingerprintStatus {
    return record.fingerprint === fingerprint ? record.status : 'superseded';
}

async function lookup(ctx: Context, record: DeviceCertificate, fingerprint: string): Promise<DeviceLookup> {
    return { certificate: record, fingerprint, fingerprintStatus: fingerprintStatus(record, fingerprint), history: await readHistory(ctx, record.id) };
}

function statusReport(fingerprint: string, record: DeviceCertificate | undefined, atMillis: number, checkedAt: string): CertificateStatusReport {
    if (!record) {
        return { fingerprint, status: 'unknown', trusted: false, checkedAt };
    }
    const status = fingerprintStatus(record, fingerprint);
    const identity = { id: record.id, kind: record.kind, manufacturerId: record.manufacturerId, ownerMspId: record.owner.mspId };
    if (status === 'superseded') {
        return { fingerprint, status, trusted: false, checkedAt, ...identity };
    }
    const inValidity = Date.parse(record.notBefore) <= atMillis && atMillis <= Date.parse(record.notAfter);
    const trusted = status === 'active' && inValidity;
    return { fingerprint, status, trusted, checkedAt, ...identity, notBefore: record.notBefore, notAfter: record.notAfter };
}
