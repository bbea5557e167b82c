import {
    certificateFingerprint,
    InvalidArgumentError,
    type AssetHistoryEntry,
    type CallerIdentity,
    type CertificateStatusReport,
    type DeviceCertificate,
    type DeviceHistoryEntry,
    type DeviceLookup,
    type EquipmentAsset,
    type IdentityPrincipal,
    type Manufacturer,
    type TrustDecision,
    type TrustRelationship,
} from '@edgetrust/gateway-sdk';
import { basename, extname } from 'node:path';
import { commonNameOf, compact, shortDigest } from './evidence-format';

/**
 * The SHA-256 fingerprint of the certificate in a file's contents (PEM or DER).
 * @throws {@link InvalidArgumentError} (`INVALID_ARGUMENT`) naming the file when it holds no X.509 certificate,
 * instead of OpenSSL's own words.
 */
export function certificateFileFingerprint(path: string, contents: Uint8Array): string {
    try {
        return certificateFingerprint(contents);
    } catch {
        throw new InvalidArgumentError({ code: 'INVALID_ARGUMENT', message: `INVALID_ARGUMENT: ${path} holds no X.509 certificate (PEM or DER expected)` });
    }
}

/*
 * What the device and asset commands print, as pure functions of what the SDK returns: tables show
 * these views, --json prints the SDK's objects unchanged.
 */

/** `CN (MSP)` of a principal, readable in a table. */
export function principalLabel(principal: IdentityPrincipal): string {
    return `${commonNameOf(principal.id)} (${principal.mspId})`;
}

/** Status with the RFC 5280 reason when it is not active, e.g. `revoked (keyCompromise)`. */
export function statusLabel(certificate: Pick<DeviceCertificate, 'status' | 'statusReason'>): string {
    return certificate.status === 'active' || certificate.statusReason === '' ? certificate.status : `${certificate.status} (${certificate.statusReason})`;
}

/** Every field of a certificate record worth reading, in reading order. */
export function certificateView(certificate: DeviceCertificate): Record<string, unknown> {
    return compact({
        id: certificate.id,
        kind: certificate.kind,
        status: statusLabel(certificate),
        statusChanged: certificate.version > 1 ? `${certificate.statusChangedAt} by ${principalLabel(certificate.statusChangedBy)}` : '',
        invalidityDate: certificate.invalidityDate,
        fingerprint: certificate.fingerprint,
        subject: certificate.subject,
        keyType: certificate.keyType,
        validity: `${certificate.notBefore} → ${certificate.notAfter}`,
        manufacturer: certificate.manufacturerId,
        lot: certificate.lot,
        [certificate.kind === 'app' ? 'name' : 'model']: certificate.model,
        owner: principalLabel(certificate.owner),
        registered: `${certificate.registeredAt} by ${principalLabel(certificate.registeredBy)}`,
        previousFingerprints: certificate.previousFingerprints.join(', '),
        version: certificate.version,
    });
}

/** A lookup: the record, plus what the fingerprint asked about resolves to when it is not the current one. */
export function lookupView(lookup: DeviceLookup): Record<string, unknown> {
    const asked = lookup.fingerprint === lookup.certificate.fingerprint ? {} : { askedFingerprint: `${lookup.fingerprint} (${lookup.fingerprintStatus})` };
    return { ...asked, ...certificateView(lookup.certificate) };
}

export const CERTIFICATE_COLUMNS = ['id', 'kind', 'status', 'fingerprint', 'keyType', 'lot', 'model', 'owner', 'notAfter'] as const;

/** One row of a list of certificates. */
export function certificateRow(certificate: DeviceCertificate): Record<string, unknown> {
    return {
        id: certificate.id,
        kind: certificate.kind,
        status: statusLabel(certificate),
        fingerprint: shortDigest(certificate.fingerprint),
        keyType: certificate.keyType,
        lot: certificate.lot,
        model: certificate.model,
        owner: principalLabel(certificate.owner),
        notAfter: certificate.notAfter,
    };
}

export const DEVICE_HISTORY_COLUMNS = ['#', 'action', 'status', 'reason', 'fingerprint', 'by', 'at', 'txId', 'comment'] as const;

/** A certificate's history, oldest first. */
export function deviceHistoryRows(entries: readonly DeviceHistoryEntry[]): Record<string, unknown>[] {
    return entries.map((entry) => ({
        '#': entry.seq,
        action: entry.action,
        status: entry.status,
        reason: entry.reasonCode < 0 ? '' : `${entry.reason} (${String(entry.reasonCode)})`,
        fingerprint: shortDigest(entry.fingerprint),
        by: principalLabel(entry.by),
        at: entry.at,
        txId: shortDigest(entry.txId),
        comment: entry.comment,
    }));
}

/** The answer to "may I trust this certificate now?". */
export function statusReportView(report: CertificateStatusReport): Record<string, unknown> {
    return compact({
        trusted: report.trusted ? 'yes' : 'NO',
        status: report.status,
        fingerprint: report.fingerprint,
        id: report.id,
        kind: report.kind,
        manufacturer: report.manufacturerId,
        ownerOrganisation: report.ownerMspId,
        validity: report.notBefore === undefined ? undefined : `${report.notBefore} → ${report.notAfter ?? ''}`,
        checkedAt: report.checkedAt,
    });
}

/** The caller as the chaincode sees it, with the id to hand to whoever appoints registrars. */
export function callerView(caller: CallerIdentity): Record<string, unknown> {
    return { mspId: caller.mspId, id: caller.id, organisationAdmin: caller.orgAdmin, registryAdmin: caller.registryAdmin };
}

export function manufacturerView(manufacturer: Manufacturer): Record<string, unknown> {
    return {
        id: manufacturer.id,
        name: manufacturer.name,
        organisation: manufacturer.mspId,
        registrars: manufacturer.registrars.map(principalLabel).join(', ') || '(none: only administrators of the organisation)',
        registered: `${manufacturer.registeredAt} by ${principalLabel(manufacturer.registeredBy)}`,
        updatedAt: manufacturer.updatedAt,
    };
}

export const MANUFACTURER_COLUMNS = ['id', 'name', 'organisation', 'registrars', 'registeredAt'] as const;

export function manufacturerRow(manufacturer: Manufacturer): Record<string, unknown> {
    return {
        id: manufacturer.id,
        name: manufacturer.name,
        organisation: manufacturer.mspId,
        registrars: manufacturer.registrars.length,
        registeredAt: manufacturer.registeredAt,
    };
}

export const TRUST_COLUMNS = ['from', 'to', 'status', 'purpose', 'expiresAt', 'grantedBy', 'updatedAt'] as const;

export function trustRow(relationship: TrustRelationship): Record<string, unknown> {
    return {
        from: relationship.from,
        to: relationship.to,
        status: relationship.status,
        purpose: relationship.purpose,
        expiresAt: relationship.expiresAt || 'never',
        grantedBy: principalLabel(relationship.grantedBy),
        updatedAt: relationship.updatedAt,
    };
}

export function trustDecisionView(decision: TrustDecision): Record<string, unknown> {
    return compact({
        allowed: decision.allowed ? 'yes' : 'NO',
        reason: decision.reason,
        from: decision.from,
        to: decision.to,
        purpose: decision.relationship?.purpose,
        expiresAt: decision.relationship?.expiresAt,
        checkedAt: decision.checkedAt,
    });
}

export function assetView(asset: EquipmentAsset): Record<string, unknown> {
    return compact({
        id: asset.id,
        tag: asset.tag,
        type: asset.type,
        state: asset.state,
        lentTo: asset.lentTo,
        replacedBy: asset.replacedBy,
        site: asset.site,
        location: asset.location,
        model: asset.model,
        serialNumber: asset.serialNumber,
        owner: asset.ownerMspId,
        registered: `${asset.registeredAt} by ${principalLabel(asset.registeredBy)}`,
        updated: `${asset.updatedAt} by ${principalLabel(asset.updatedBy)}`,
        version: asset.version,
    });
}

export const ASSET_COLUMNS = ['id', 'tag', 'type', 'state', 'site', 'location', 'updatedAt'] as const;

export function assetRow(asset: EquipmentAsset): Record<string, unknown> {
    return { id: asset.id, tag: asset.tag, type: asset.type, state: asset.state, site: asset.site, location: asset.location, updatedAt: asset.updatedAt };
}

export const ASSET_HISTORY_COLUMNS = ['#', 'change', 'site', 'location', 'by', 'at', 'note'] as const;

/** An asset's recorded transitions: who, when and where. */
export function assetHistoryRows(entries: readonly AssetHistoryEntry[]): Record<string, unknown>[] {
    return entries.map((entry) => {
        const detail = entry.lentTo !== '' ? ` to ${entry.lentTo}` : entry.replacedBy !== '' ? ` by ${entry.replacedBy}` : '';
        return {
            '#': entry.seq,
            change: `${entry.from === '' ? 'registered' : entry.from} → ${entry.to}${detail}`,
            site: entry.site,
            location: entry.location,
            by: principalLabel(entry.by),
            at: entry.at,
            note: entry.note,
        };
    });
}

const FINGERPRINT = /^(?:[0-9a-fA-F]{64}|[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){31})$/;

/** Whether a command-line argument is a SHA-256 fingerprint (hex or `AB:CD:…`) rather than an id. */
export function looksLikeFingerprint(argument: string): boolean {
    return FINGERPRINT.test(argument);
}

/** The device id a certificate file stands for in `register-lot`: its name without the extension. */
export function deviceIdFromFile(path: string): string {
    return basename(path, extname(path));
}
