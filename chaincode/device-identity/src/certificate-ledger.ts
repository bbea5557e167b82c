import type { Context } from 'fabric-contract-api';
import {
    alreadyExists,
    caller,
    collect,
    INDEX_VALUE,
    isOrgAdmin,
    marshal,
    notFound,
    putOwnedStates,
    putStates,
    readJSON,
    requireIdentifier,
    type StatePut,
    type StateWrite,
    txTime,
    unmarshal,
} from '../../common/src';
import type { CheckedCertificate } from './certificate-check';
import type { DeviceCertificate, DeviceHistoryEntry, HistoryAction } from '../../schemas/src';
import { DeviceIdentityErrorCode as Code, deviceIdentityError } from './device-identity-errors';
import { key, lastAttribute, ObjectType, sequenceKey } from './keys';
import { mayActForManufacturer, readManufacturer } from './manufacturer';

// Ledger reads and writes of certificate records, their fingerprint and manufacturer indexes and history.

export function deviceKey(ctx: Context, id: string): string {
    return key(ctx, ObjectType.Device, id);
}

export async function findDevice(ctx: Context, id: string): Promise<DeviceCertificate | undefined> {
    return readJSON<DeviceCertificate>(ctx, deviceKey(ctx, id), 'certificate record');
}

export async function readDevice(ctx: Context, id: string): Promise<DeviceCertificate> {
    const deviceId = requireIdentifier(id, 'id');
    const record = await findDevice(ctx, deviceId);
    if (!record) {
        throw notFound(`no certificate is registered under id ${deviceId}`);
    }
    return record;
}

/** The record id a fingerprint was ever registered under, current or superseded. */
export async function findIdByFingerprint(ctx: Context, fingerprint: string): Promise<string | undefined> {
    const iterator = await ctx.stub.getStateByPartialCompositeKey(ObjectType.DeviceByFingerprint, [fingerprint]);
    try {
        const first = await iterator.next();
        return first.done ? undefined : lastAttribute(ctx, first.value.key);
    } finally {
        await iterator.close();
    }
}

export async function readHistory(ctx: Context, id: string): Promise<DeviceHistoryEntry[]> {
    const iterator = await ctx.stub.getStateByPartialCompositeKey(ObjectType.DeviceHistory, [id]);
    return collect(iterator, (kv) => unmarshal<DeviceHistoryEntry>(kv.value, 'certificate history entry'));
}

/** Refuses an id or a fingerprint that is already on the ledger (a superseded fingerprint counts). */
export async function requireUnregistered(ctx: Context, id: string, fingerprint: string): Promise<void> {
    if (await findDevice(ctx, id)) {
        throw alreadyExists(`a certificate is already registered under id ${id}`);
    }
    await requireFingerprintUnregistered(ctx, fingerprint);
}

export async function requireFingerprintUnregistered(ctx: Context, fingerprint: string): Promise<void> {
    const existing = await findIdByFingerprint(ctx, fingerprint);
    if (existing !== undefined) {
        throw alreadyExists(`certificate ${fingerprint} is already registered (id ${existing})`);
    }
}

/** Refuses any change to a revoked record: revocation is final. */
export function requireNotRevoked(record: DeviceCertificate): void {
    if (record.status === 'revoked') {
        throw deviceIdentityError(Code.CertificateRevoked, `certificate ${record.id} is revoked, which is final`);
    }
}

/** The owner, or an administrator (OU=admin) of the owner's organisation acting for it. */
export function isOwner(ctx: Context, record: DeviceCertificate): boolean {
    const who = caller(ctx);
    return who.mspId === record.owner.mspId && (who.id === record.owner.id || isOrgAdmin(ctx));
}

export async function isManufacturerOf(ctx: Context, record: DeviceCertificate): Promise<boolean> {
    return record.manufacturerId !== '' && mayActForManufacturer(ctx, await readManufacturer(ctx, record.manufacturerId));
}

/** A certificate record's fields that come from the checked certificate. */
export function certificateFields(checked: CheckedCertificate): Pick<
    DeviceCertificate,
    'fingerprint' | 'certificatePem' | 'subject' | 'serialNumber' | 'keyType' | 'notBefore' | 'notAfter'
> {
    const { fingerprint, pem, subject, serialNumber, keyType, notBefore, notAfter } = checked;
    return { fingerprint, certificatePem: pem, subject, serialNumber, keyType, notBefore, notAfter };
}

export function historyEntry(
    ctx: Context,
    record: DeviceCertificate,
    action: HistoryAction,
    details: Partial<Pick<DeviceHistoryEntry, 'previousFingerprint' | 'reason' | 'reasonCode' | 'comment'>> = {},
): DeviceHistoryEntry {
    return {
        id: record.id,
        seq: record.version,
        action,
        status: record.status,
        fingerprint: record.fingerprint,
        previousFingerprint: details.previousFingerprint ?? '',
        reason: details.reason ?? '',
        reasonCode: details.reasonCode ?? -1,
        comment: details.comment ?? '',
        by: caller(ctx),
        at: txTime(ctx),
        txId: ctx.stub.getTxID(),
    };
}

/** The organisations whose peers must endorse any change of a certificate record: its owner's and its manufacturer's. */
export async function certificateOwners(ctx: Context, record: DeviceCertificate): Promise<string[]> {
    const manufacturer = record.manufacturerId === '' ? undefined : await readManufacturer(ctx, record.manufacturerId);
    return manufacturer ? [record.owner.mspId, manufacturer.mspId] : [record.owner.mspId];
}

/** Writes a new record with its indexes and first history entry. */
export async function putNewCertificate(ctx: Context, record: DeviceCertificate): Promise<void> {
    const entry = historyEntry(ctx, record, 'registered');
    const writes: StatePut[] = [
        [deviceKey(ctx, record.id), marshal(record)],
        [key(ctx, ObjectType.DeviceByFingerprint, record.fingerprint, record.id), INDEX_VALUE],
    ];
    if (record.manufacturerId !== '') {
        writes.push([key(ctx, ObjectType.DeviceByManufacturer, record.manufacturerId, record.id), INDEX_VALUE]);
    }
    // Values and their owners' policies in one message to the peer where it accepts batches (common/src/state-batch.ts),
    // else these calls in order.
    await putOwnedStates(ctx, [...writes, historyWrite(ctx, entry)], await certificateOwners(ctx, record));
}

/** Writes a changed record (its version already advanced) and the history entry describing the change. */
export async function putCertificateChange(ctx: Context, record: DeviceCertificate, entry: DeviceHistoryEntry): Promise<void> {
    const writes: StateWrite[] = [[deviceKey(ctx, record.id), marshal(record)]];
    if (entry.action === 'rotated') {
        // The superseded fingerprint keeps its index entry, so it stays unusable and resolvable.
        writes.push([key(ctx, ObjectType.DeviceByFingerprint, record.fingerprint, record.id), INDEX_VALUE]);
    }
    await putStates(ctx, [...writes, historyWrite(ctx, entry)]);
    // New keys get the record's own policy (its owners' peers), so they can't be changed behind the owners' backs either.
    const policy = await ctx.stub.getStateValidationParameter(deviceKey(ctx, record.id));
    const created = entry.action === 'rotated' ? [key(ctx, ObjectType.DeviceByFingerprint, record.fingerprint, record.id)] : [];
    for (const createdKey of [...created, historyKey(ctx, entry)]) {
        await ctx.stub.setStateValidationParameter(createdKey, policy);
    }
}

function historyKey(ctx: Context, entry: DeviceHistoryEntry): string {
    return key(ctx, ObjectType.DeviceHistory, entry.id, sequenceKey(entry.seq));
}

function historyWrite(ctx: Context, entry: DeviceHistoryEntry): StatePut {
    return [historyKey(ctx, entry), marshal(entry)];
}
