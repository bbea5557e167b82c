import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import {
    accessDenied,
    alreadyExists,
    caller,
    invalidArgument,
    invalidState,
    isOrgAdmin,
    marshal,
    notFound,
    optionalText,
    parseArgument,
    parsePageSize,
    readIndexPage,
    requireDigest,
    requireIdentifier,
    requireOneOf,
    requireDeploymentGovernor,
    requireOrgAdmin,
    requireOwnersForChanges,
    requireTimelyProposal,
    toJSON,
    txTime,
    txTimeMillis,
    unmarshal,
} from '../../common/src';
import { assetHistoryEntry, findAsset, findAssetIdByTag, putAsset, readAsset, requireAssetOwner } from './asset-ledger';
import {
    checkCertificate,
    type CheckedCertificate,
    publicKeyOf,
    registrationMessage,
    rotationMessage,
    verifyPossessionProof,
    verifyRotationSignature,
} from './certificate-check';
import {
    certificateFields,
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
import {
    type CertificateStatus,
    type CertificateStatusReport,
    DeviceCertificate,
    type DeviceLookup,
    type DeviceRequest,
    type FingerprintStatus,
    type HistoryAction,
    type IdentityKind,
    MAX_BATCH_SIZE,
    optionalComment,
    optionalPrincipal,
    REASON_CODES,
    REVOCATION_REASONS,
    type RegisterApplicationRequest,
    type RegisterDeviceRequest,
    type RegisterDevicesRequest,
    type RevocationReason,
    type RevokeRequest,
    type RotateRequest,
    type StatusChangeRequest,
    requireSubjectId,
} from './device-certificate';
import {
    ASSET_STATES,
    type AssetHistoryEntry,
    type AssetState,
    EquipmentAsset,
    type RegisterAssetRequest,
    type TransitionRequest,
    validateAssetRequest,
    validateTransition,
} from './equipment-asset';
import { optionalIsoTime } from './iso-time';
import { lastAttribute, ObjectType } from './keys';
import {
    Manufacturer,
    manufacturerKey,
    mayActForManufacturer,
    readManufacturer,
    type RegisterManufacturerRequest,
    validateManufacturerRequest,
} from './manufacturer';
import { comparePrincipals, type Principal, requirePrincipal, samePrincipal } from './principal';
import { isRegistryAdmin, readAdministrators, RegistryAdministrators, registryKey, requireRegistryAdmin } from './registry';
import { findTrust, putTrust, readTrust } from './trust-ledger';
import { type GrantTrustRequest, isPlatform, type TrustDecision, type TrustDecisionReason, TrustRelationship, validateGrantRequest } from './trust-relationship';

/** A change of certificate status: from which states, to which, with which RFC 5280 reason. */
interface StatusChange {
    action: Extract<HistoryAction, 'suspended' | 'reinstated' | 'revoked'>;
    from: readonly CertificateStatus[];
    to: CertificateStatus;
    reason: RevocationReason;
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

/**
 * Device and application identities without a CA (whitepaper 2.3.1): self-signed certificates
 * registered on chain by manufacturers (devices) or by edge applications themselves, looked up by id
 * or fingerprint, suspended, revoked and rotated; app trust relationships (2.3.3); and the equipment
 * asset registry (2.2.5). Every change emits exactly one event; every rejection writes nothing.
 *
 * Reads of certificates, manufacturers and trust relationships are open to every channel member:
 * they are public key material that devices and apps must check before they connect. Equipment
 * assets are seen and changed by members of the organisation that registered them.
 */
@Info({ title: 'DeviceIdentityContract', description: 'Self-signed device and app certificates on chain, app trust, equipment assets' })
export class DeviceIdentityContract extends Contract {
    constructor() {
        super('device-identity');
    }

    // ---- Registry administrators (bootstrap: see RegistryAdministrators) ----

    /** Bootstrap: an administrator of the organisation the deployment names (EDGETRUST_GOVERNANCE_MSP_ID) makes it the first registry administrator. */
    @Transaction()
    @Returns('string')
    async InitRegistry(ctx: Context): Promise<string> {
        requireTimelyProposal(ctx);
        requireOrgAdmin(ctx, 'InitRegistry');
        if (await readAdministrators(ctx)) {
            throw alreadyExists('the registry is already initialized');
        }
        requireDeploymentGovernor(ctx, 'InitRegistry');
        const registry: RegistryAdministrators = { mspIds: [caller(ctx).mspId], updatedAt: txTime(ctx), updatedBy: caller(ctx) };
        await ctx.stub.putState(registryKey(ctx), marshal(registry));
        await requireOwnersForChanges(ctx, [registryKey(ctx)], registry.mspIds);
        ctx.stub.setEvent('RegistryInitialized', marshal({ mspIds: registry.mspIds, by: registry.updatedBy }));
        return toJSON(registry);
    }

    /** Adds an organisation to the registry administrators. Registry administrators only. */
    @Transaction()
    @Returns('string')
    async AddRegistryAdministrator(ctx: Context, mspId: string): Promise<string> {
        requireTimelyProposal(ctx);
        const added = requireIdentifier(mspId, 'mspId');
        const registry = await requireRegistryAdmin(ctx, 'AddRegistryAdministrator');
        if (registry.mspIds.includes(added)) {
            throw alreadyExists(`${added} is already a registry administrator`);
        }
        return this.#putAdministrators(ctx, registry, [...registry.mspIds, added].sort(), 'RegistryAdministratorAdded', added);
    }

    /** Removes an organisation from the registry administrators; the last one stays. Registry administrators only. */
    @Transaction()
    @Returns('string')
    async RemoveRegistryAdministrator(ctx: Context, mspId: string): Promise<string> {
        requireTimelyProposal(ctx);
        const removed = requireIdentifier(mspId, 'mspId');
        const registry = await requireRegistryAdmin(ctx, 'RemoveRegistryAdministrator');
        if (!registry.mspIds.includes(removed)) {
            throw notFound(`${removed} is not a registry administrator`);
        }
        if (registry.mspIds.length === 1) {
            throw invalidState(`${removed} is the last registry administrator`);
        }
        const remaining = registry.mspIds.filter((id) => id !== removed);
        return this.#putAdministrators(ctx, registry, remaining, 'RegistryAdministratorRemoved', removed);
    }

    /** The registry administrator organisations; `initialized` is false before InitRegistry. Anyone. */
    @Transaction(false)
    @Returns('string')
    async ReadRegistry(ctx: Context): Promise<string> {
        const registry = await readAdministrators(ctx);
        return toJSON({ initialized: registry !== undefined, mspIds: registry?.mspIds ?? [] });
    }

    /** The caller as the chaincode sees it: the id to appoint as a registrar or name as an owner. Anyone. */
    @Transaction(false)
    @Returns('string')
    async WhoAmI(ctx: Context): Promise<string> {
        // The channel too: a registrant binds proofs of possession to it (registrationMessage).
        return toJSON({ ...caller(ctx), channel: ctx.stub.getChannelID(), orgAdmin: isOrgAdmin(ctx), registryAdmin: await isRegistryAdmin(ctx) });
    }

    // ---- Manufacturers (D5) ----

    /** Registers a manufacturer operated by organisation `mspId`. Registry administrators only. */
    @Transaction()
    @Returns('string')
    async RegisterManufacturer(ctx: Context, requestJson: string): Promise<string> {
        requireTimelyProposal(ctx);
        const request = validateManufacturerRequest(parseArgument<Partial<RegisterManufacturerRequest>>(requestJson, 'request'));
        const registry = await requireRegistryAdmin(ctx, 'RegisterManufacturer');
        if ((await ctx.stub.getState(manufacturerKey(ctx, request.id))).length > 0) {
            throw alreadyExists(`manufacturer ${request.id} is already registered`);
        }
        const now = txTime(ctx);
        const manufacturer: Manufacturer = { ...request, registrars: [], registeredBy: caller(ctx), registeredAt: now, updatedAt: now };
        await ctx.stub.putState(manufacturerKey(ctx, manufacturer.id), marshal(manufacturer));
        await requireOwnersForChanges(ctx, [manufacturerKey(ctx, manufacturer.id)], [...registry.mspIds, manufacturer.mspId]);
        // Listing it changes the registry key, so the transaction needs every registry administrator organisation's peer.
        const manufacturerIds = [...(registry.manufacturerIds ?? []), manufacturer.id].sort();
        await ctx.stub.putState(registryKey(ctx), marshal({ ...registry, manufacturerIds }));
        ctx.stub.setEvent('ManufacturerRegistered', marshal({ id: manufacturer.id, name: manufacturer.name, mspId: manufacturer.mspId }));
        return toJSON(manufacturer);
    }

    /** Appoints an identity `{ mspId, id }` to register devices for the manufacturer. Registry administrators or the manufacturer organisation's administrators. */
    @Transaction()
    @Returns('string')
    async AuthorizeRegistrar(ctx: Context, manufacturerId: string, registrarJson: string): Promise<string> {
        requireTimelyProposal(ctx);
        const registrar = requirePrincipal(parseArgument<Partial<Principal>>(registrarJson, 'registrar'), 'registrar');
        const manufacturer = await this.#requireManufacturerAdmin(ctx, manufacturerId, 'AuthorizeRegistrar');
        if (manufacturer.registrars.some((r) => samePrincipal(r, registrar))) {
            throw alreadyExists(`${registrar.id} is already a registrar of ${manufacturer.id}`);
        }
        const registrars = [...manufacturer.registrars, registrar].sort(comparePrincipals);
        return this.#putRegistrars(ctx, manufacturer, registrars, 'RegistrarAuthorized', registrar);
    }

    /** Withdraws a registrar's right to register devices for the manufacturer. Same callers as AuthorizeRegistrar. */
    @Transaction()
    @Returns('string')
    async WithdrawRegistrar(ctx: Context, manufacturerId: string, registrarJson: string): Promise<string> {
        requireTimelyProposal(ctx);
        const registrar = requirePrincipal(parseArgument<Partial<Principal>>(registrarJson, 'registrar'), 'registrar');
        const manufacturer = await this.#requireManufacturerAdmin(ctx, manufacturerId, 'WithdrawRegistrar');
        if (!manufacturer.registrars.some((r) => samePrincipal(r, registrar))) {
            throw notFound(`${registrar.id} is not a registrar of ${manufacturer.id}`);
        }
        const registrars = manufacturer.registrars.filter((r) => !samePrincipal(r, registrar));
        return this.#putRegistrars(ctx, manufacturer, registrars, 'RegistrarWithdrawn', registrar);
    }

    /** A manufacturer and its registrars. Anyone. */
    @Transaction(false)
    @Returns('string')
    async ReadManufacturer(ctx: Context, id: string): Promise<string> {
        return toJSON(await readManufacturer(ctx, id));
    }

    /** A page of manufacturers in id order. Anyone. */
    @Transaction(false)
    @Returns('string')
    async ListManufacturers(ctx: Context, pageSize: string, bookmark: string): Promise<string> {
        const page = await readIndexPage(ctx, ObjectType.Manufacturer, [], parsePageSize(pageSize), bookmark, (kv) =>
            unmarshal<Manufacturer>(kv.value, 'manufacturer'),
        );
        // Only those the registry administrators listed (see RegistryAdministrators.manufacturerIds).
        const listed = new Set((await readAdministrators(ctx))?.manufacturerIds ?? []);
        const records = page.records.filter((m) => listed.has(m.id));
        return toJSON({ ...page, records, fetchedRecordsCount: records.length });
    }

    // ---- Registration (D1, D2, D5) ----

    /**
     * Registers one device's self-signed certificate under a manufacturer, with the device key's proof of
     * possession (`proof`, see registrationMessage). The manufacturer's registrars and organisation administrators.
     */
    @Transaction()
    @Returns('string')
    async RegisterDevice(ctx: Context, requestJson: string): Promise<string> {
        requireTimelyProposal(ctx);
        const request = parseArgument<Partial<RegisterDeviceRequest>>(requestJson, 'request');
        const manufacturer = await this.#requireRegistrar(ctx, request.manufacturerId);
        const [record] = await this.#prepareDevices(ctx, manufacturer, [request], { lot: request.lot, prefix: '' });
        if (!record) {
            throw invalidArgument('no device to register');
        }
        await putNewCertificate(ctx, record);
        ctx.stub.setEvent('DeviceRegistered', marshal(certificateEvent(record)));
        return toJSON(record);
    }

    /** Registers a production lot of devices in one all-or-nothing transaction. Same callers as RegisterDevice. */
    @Transaction()
    @Returns('string')
    async RegisterDevices(ctx: Context, requestJson: string): Promise<string> {
        requireTimelyProposal(ctx);
        const request = parseArgument<Partial<RegisterDevicesRequest>>(requestJson, 'request');
        const devices = requireBatch(request.devices);
        const manufacturer = await this.#requireRegistrar(ctx, request.manufacturerId);
        const model = optionalText(request.model, 'model');
        const withModel = devices.map((device) => ({ ...device, model: device.model ?? model }));
        const records = await this.#prepareDevices(ctx, manufacturer, withModel, { lot: request.lot, prefix: 'devices' });
        for (const record of records) {
            await putNewCertificate(ctx, record);
        }
        const lot = records[0]?.lot ?? '';
        const summary = records.map(({ id, fingerprint }) => ({ id, fingerprint }));
        ctx.stub.setEvent('DevicesRegistered', marshal({ manufacturerId: manufacturer.id, lot, count: records.length, devices: summary }));
        return toJSON({ manufacturerId: manufacturer.id, lot, count: records.length, devices: records });
    }

    /** An edge application registers its own self-signed certificate (with its key's `proof`) and becomes its owner. Any member. */
    @Transaction()
    @Returns('string')
    async RegisterApplication(ctx: Context, requestJson: string): Promise<string> {
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

    // ---- Lookup (D3) ----

    /** Certificate, owner, manufacturer, status and history of a device or application. Anyone. */
    @Transaction(false)
    @Returns('string')
    async ReadDevice(ctx: Context, id: string): Promise<string> {
        const record = await readDevice(ctx, id);
        return toJSON(await lookup(ctx, record, record.fingerprint));
    }

    /** The same lookup by SHA-256 fingerprint, current or superseded. Anyone. */
    @Transaction(false)
    @Returns('string')
    async ReadDeviceByFingerprint(ctx: Context, fingerprint: string): Promise<string> {
        const wanted = requireDigest(fingerprint, 'fingerprint');
        const id = await findIdByFingerprint(ctx, wanted);
        if (id === undefined) {
            throw notFound(`certificate ${wanted} is not registered`);
        }
        return toJSON(await lookup(ctx, await readDevice(ctx, id), wanted));
    }

    /** Whether a certificate may be trusted now: registered, current, active and within its validity (D6). Anyone. */
    @Transaction(false)
    @Returns('string')
    async CheckCertificate(ctx: Context, fingerprint: string): Promise<string> {
        requireTimelyProposal(ctx);
        const wanted = requireDigest(fingerprint, 'fingerprint');
        const id = await findIdByFingerprint(ctx, wanted);
        const record = id === undefined ? undefined : await findDevice(ctx, id);
        return toJSON(statusReport(wanted, record, txTimeMillis(ctx), txTime(ctx)));
    }

    /** A page of a manufacturer's devices in id order. Anyone. */
    @Transaction(false)
    @Returns('string')
    async ListDevicesByManufacturer(ctx: Context, manufacturerId: string, pageSize: string, bookmark: string): Promise<string> {
        const manufacturer = requireIdentifier(manufacturerId, 'manufacturerId');
        const page = await readIndexPage(ctx, ObjectType.DeviceByManufacturer, [manufacturer], parsePageSize(pageSize), bookmark, (kv) =>
            readDevice(ctx, lastAttribute(ctx, kv.key)),
        );
        return toJSON(page);
    }

    // ---- Status (D4) ----

    /** Puts an active certificate on hold (RFC 5280 certificateHold). Owner, manufacturer or registry administrators. */
    @Transaction()
    @Returns('string')
    async SuspendCertificate(ctx: Context, id: string, requestJson: string): Promise<string> {
        requireTimelyProposal(ctx);
        const request = parseArgument<Partial<StatusChangeRequest>>(requestJson, 'request');
        return this.#changeStatus(ctx, id, {
            action: 'suspended',
            from: ['active'],
            to: 'suspended',
            reason: 'certificateHold',
            comment: optionalComment(request.comment),
            invalidityDate: '',
            registryAdminMay: true,
        });
    }

    /** Releases a hold (RFC 5280 removeFromCRL). Owner, manufacturer or registry administrators. */
    @Transaction()
    @Returns('string')
    async ReinstateCertificate(ctx: Context, id: string, requestJson: string): Promise<string> {
        requireTimelyProposal(ctx);
        const request = parseArgument<Partial<StatusChangeRequest>>(requestJson, 'request');
        return this.#changeStatus(ctx, id, {
            action: 'reinstated',
            from: ['suspended'],
            to: 'active',
            reason: 'removeFromCRL',
            comment: optionalComment(request.comment),
            invalidityDate: '',
            registryAdminMay: true,
        });
    }

    /** Revokes a certificate for good, with an RFC 5280 reason. Only its owner or its manufacturer (D5). */
    @Transaction()
    @Returns('string')
    async RevokeCertificate(ctx: Context, id: string, requestJson: string): Promise<string> {
        requireTimelyProposal(ctx);
        const request = parseArgument<Partial<RevokeRequest>>(requestJson, 'request');
        const invalidityDate = optionalIsoTime(request.invalidityDate, 'invalidityDate');
        if (invalidityDate !== '' && Date.parse(invalidityDate) > txTimeMillis(ctx)) {
            throw invalidArgument('invalidityDate may not be in the future');
        }
        return this.#changeStatus(ctx, id, {
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
     * stays registered as superseded. Owner or manufacturer.
     */
    @Transaction()
    @Returns('string')
    async RotateCertificate(ctx: Context, id: string, requestJson: string): Promise<string> {
        requireTimelyProposal(ctx);
        const request = parseArgument<Partial<RotateRequest>>(requestJson, 'request');
        const record = await readDevice(ctx, id);
        requireNotRevoked(record);
        await this.#requireOwnerOrManufacturer(ctx, record, 'RotateCertificate', false);
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

    // ---- App trust relationships (D8) ----

    /**
     * Lets application `from` talk to application `to`, or to the MEC platform (`to` = "platform").
     * The owner of `to`, or registry administrators for the platform.
     */
    @Transaction()
    @Returns('string')
    async GrantTrust(ctx: Context, requestJson: string): Promise<string> {
        requireTimelyProposal(ctx);
        const request = validateGrantRequest(parseArgument<Partial<GrantTrustRequest>>(requestJson, 'request'), txTimeMillis(ctx));
        requireUsableApp(await readDevice(ctx, request.from), 'from');
        const authorities = await this.#requireTargetAuthority(ctx, request.to, 'GrantTrust', true);
        const existing = await findTrust(ctx, request.from, request.to);
        if (existing?.status === 'active') {
            throw alreadyExists(`${request.from} is already trusted by ${request.to}`);
        }
        const now = txTime(ctx);
        const who = caller(ctx);
        const relationship: TrustRelationship = { ...request, status: 'active', grantedBy: who, grantedAt: now, updatedBy: who, updatedAt: now };
        await putTrust(ctx, relationship, authorities);
        ctx.stub.setEvent('TrustGranted', marshal(relationship));
        return toJSON(relationship);
    }

    /** Ends a trust relationship. Whoever may grant it, or the owner of `from`. */
    @Transaction()
    @Returns('string')
    async RevokeTrust(ctx: Context, from: string, to: string): Promise<string> {
        requireTimelyProposal(ctx);
        const relationship = await readTrust(ctx, requireIdentifier(from, 'from'), requireIdentifier(to, 'to'));
        const source = await findDevice(ctx, relationship.from);
        const authorities =
            source && isOwner(ctx, source) ? await trustAuthorities(ctx, relationship.to) : await this.#requireTargetAuthority(ctx, relationship.to, 'RevokeTrust', false);
        if (relationship.status !== 'active') {
            throw invalidState(`the trust relationship from ${relationship.from} to ${relationship.to} is already revoked`);
        }
        const revoked: TrustRelationship = { ...relationship, status: 'revoked', updatedBy: caller(ctx), updatedAt: txTime(ctx) };
        await putTrust(ctx, revoked, authorities);
        ctx.stub.setEvent('TrustRevoked', marshal(revoked));
        return toJSON(revoked);
    }

    /** May `from` talk to `to` now? Checks the relationship and that both certificates are active. Anyone. */
    @Transaction(false)
    @Returns('string')
    async CheckTrust(ctx: Context, from: string, to: string): Promise<string> {
        requireTimelyProposal(ctx);
        const source = requireIdentifier(from, 'from');
        const target = requireIdentifier(to, 'to');
        const relationship = await findTrust(ctx, source, target);
        const decide = (allowed: boolean, reason: TrustDecisionReason): string =>
            toJSON({ from: source, to: target, allowed, reason, checkedAt: txTime(ctx), relationship } satisfies TrustDecision);
        if (!relationship) {
            return decide(false, 'not_granted');
        }
        if (relationship.status !== 'active') {
            return decide(false, 'revoked');
        }
        if (relationship.expiresAt !== '' && Date.parse(relationship.expiresAt) <= txTimeMillis(ctx)) {
            return decide(false, 'expired');
        }
        if ((await findDevice(ctx, source))?.status !== 'active') {
            return decide(false, 'from_not_active');
        }
        if (!isPlatform(target) && (await findDevice(ctx, target))?.status !== 'active') {
            return decide(false, 'to_not_active');
        }
        return decide(true, 'granted');
    }

    /** A page of the relationships an application may use (it is `from`), active or not. Anyone. */
    @Transaction(false)
    @Returns('string')
    async ListTrustFrom(ctx: Context, from: string, pageSize: string, bookmark: string): Promise<string> {
        const source = requireIdentifier(from, 'from');
        const page = await readIndexPage(ctx, ObjectType.Trust, [source], parsePageSize(pageSize), bookmark, (kv) =>
            unmarshal<TrustRelationship>(kv.value, 'trust relationship'),
        );
        return toJSON(page);
    }

    /** A page of the relationships towards an application or the platform (it is `to`), active or not. Anyone. */
    @Transaction(false)
    @Returns('string')
    async ListTrustTo(ctx: Context, to: string, pageSize: string, bookmark: string): Promise<string> {
        const target = requireIdentifier(to, 'to');
        const page = await readIndexPage(ctx, ObjectType.TrustByTarget, [target], parsePageSize(pageSize), bookmark, (kv) =>
            readTrust(ctx, lastAttribute(ctx, kv.key), target),
        );
        return toJSON(page);
    }

    // ---- Equipment assets (D7) ----

    /** Registers a piece of equipment for the caller's organisation. Any member; the organisation becomes its owner. */
    @Transaction()
    @Returns('string')
    async RegisterAsset(ctx: Context, requestJson: string): Promise<string> {
        requireTimelyProposal(ctx);
        const request = validateAssetRequest(parseArgument<Partial<RegisterAssetRequest>>(requestJson, 'request'));
        if (await findAsset(ctx, request.id)) {
            throw alreadyExists(`equipment asset ${request.id} already exists`);
        }
        const taggedAs = await findAssetIdByTag(ctx, request.tag);
        if (taggedAs !== undefined) {
            throw alreadyExists(`tag ${request.tag} is already on asset ${taggedAs}`);
        }
        const who = caller(ctx);
        const now = txTime(ctx);
        const { note, ...fields } = request;
        const asset: EquipmentAsset = {
            ...fields,
            ownerMspId: who.mspId,
            lentTo: '',
            replacedBy: '',
            registeredBy: who,
            registeredAt: now,
            updatedBy: who,
            updatedAt: now,
            version: 1,
        };
        await putAsset(ctx, asset, assetHistoryEntry(ctx, asset, '', { note, lentTo: '', replacedBy: '' }));
        ctx.stub.setEvent('AssetRegistered', marshal(assetEvent(asset, '')));
        return toJSON(asset);
    }

    /** Moves an asset along its lifecycle, recording who, when and where. Members of the owner organisation. */
    @Transaction()
    @Returns('string')
    async TransitionAsset(ctx: Context, id: string, requestJson: string): Promise<string> {
        requireTimelyProposal(ctx);
        const request = parseArgument<Partial<TransitionRequest>>(requestJson, 'request');
        const asset = await readAsset(ctx, id);
        requireAssetOwner(ctx, asset, 'TransitionAsset');
        const transition = validateTransition(asset, request);
        if (transition.replacedBy !== '') {
            await readAsset(ctx, transition.replacedBy, 'replacedBy');
        }
        const { note, ...fields } = transition;
        const { to, ...placement } = fields;
        const next: EquipmentAsset = { ...asset, ...placement, state: to, updatedBy: caller(ctx), updatedAt: txTime(ctx), version: asset.version + 1 };
        await putAsset(ctx, next, assetHistoryEntry(ctx, next, asset.state, { note, lentTo: next.lentTo, replacedBy: next.replacedBy }), asset);
        ctx.stub.setEvent('AssetTransitioned', marshal(assetEvent(next, asset.state)));
        return toJSON(next);
    }

    /** An equipment asset. Members of the owner organisation. */
    @Transaction(false)
    @Returns('string')
    async ReadAsset(ctx: Context, id: string): Promise<string> {
        const asset = await readAsset(ctx, id);
        requireAssetOwner(ctx, asset, 'ReadAsset');
        return toJSON(asset);
    }

    /** The asset a scanned QR/barcode tag belongs to. Members of the owner organisation. */
    @Transaction(false)
    @Returns('string')
    async ReadAssetByTag(ctx: Context, tag: string): Promise<string> {
        const wanted = requireIdentifier(tag, 'tag');
        const id = await findAssetIdByTag(ctx, wanted);
        if (id === undefined) {
            throw notFound(`no equipment asset carries tag ${wanted}`);
        }
        const asset = await readAsset(ctx, id);
        requireAssetOwner(ctx, asset, 'ReadAssetByTag');
        return toJSON(asset);
    }

    /** A page of an asset's history, oldest first. Members of the owner organisation. */
    @Transaction(false)
    @Returns('string')
    async AssetHistory(ctx: Context, id: string, pageSize: string, bookmark: string): Promise<string> {
        const asset = await readAsset(ctx, id);
        requireAssetOwner(ctx, asset, 'AssetHistory');
        const page = await readIndexPage(ctx, ObjectType.AssetHistory, [asset.id], parsePageSize(pageSize), bookmark, (kv) =>
            unmarshal<AssetHistoryEntry>(kv.value, 'asset history entry'),
        );
        return toJSON(page);
    }

    /** A page of the caller's organisation's assets at a site, in one state or (state '') all. */
    @Transaction(false)
    @Returns('string')
    async ListAssetsBySite(ctx: Context, site: string, state: string, pageSize: string, bookmark: string): Promise<string> {
        const attributes = [caller(ctx).mspId, requireIdentifier(site, 'site')];
        if (state !== '') {
            attributes.push(requireOneOf(state, 'state', ASSET_STATES));
        }
        return this.#assetPage(ctx, ObjectType.AssetBySite, attributes, parsePageSize(pageSize), bookmark);
    }

    /** A page of the caller's organisation's assets in one state, across sites. */
    @Transaction(false)
    @Returns('string')
    async ListAssetsByState(ctx: Context, state: string, pageSize: string, bookmark: string): Promise<string> {
        const attributes = [caller(ctx).mspId, requireOneOf<AssetState>(state, 'state', ASSET_STATES)];
        return this.#assetPage(ctx, ObjectType.AssetByState, attributes, parsePageSize(pageSize), bookmark);
    }

    // ---- internals ----

    async #putAdministrators(ctx: Context, previous: RegistryAdministrators, mspIds: string[], eventName: string, changed: string): Promise<string> {
        const { manufacturerIds } = previous;
        const registry: RegistryAdministrators = { mspIds, updatedAt: txTime(ctx), updatedBy: caller(ctx) };
        await ctx.stub.putState(registryKey(ctx), marshal(manufacturerIds === undefined ? registry : { ...registry, manufacturerIds }));
        // Governance: a change of the administrator set needs a peer of every administrator organisation.
        await requireOwnersForChanges(ctx, [registryKey(ctx)], mspIds);
        ctx.stub.setEvent(eventName, marshal({ mspId: changed, mspIds, by: registry.updatedBy }));
        return toJSON(registry);
    }

    async #requireManufacturerAdmin(ctx: Context, manufacturerId: string, action: string): Promise<Manufacturer> {
        const manufacturer = await readManufacturer(ctx, manufacturerId);
        const ownAdmin = isOrgAdmin(ctx) && caller(ctx).mspId === manufacturer.mspId;
        if (!ownAdmin && !(await isRegistryAdmin(ctx))) {
            throw accessDenied(`${action} needs a registry administrator or an administrator of ${manufacturer.mspId}`);
        }
        return manufacturer;
    }

    async #putRegistrars(ctx: Context, manufacturer: Manufacturer, registrars: Principal[], eventName: string, registrar: Principal): Promise<string> {
        const updated: Manufacturer = { ...manufacturer, registrars, updatedAt: txTime(ctx) };
        await ctx.stub.putState(manufacturerKey(ctx, updated.id), marshal(updated));
        // Who registers for a manufacturer is governance: its organisation and every registry administrator organisation.
        const administrators = (await readAdministrators(ctx))?.mspIds ?? [];
        await requireOwnersForChanges(ctx, [manufacturerKey(ctx, updated.id)], [...administrators, updated.mspId]);
        ctx.stub.setEvent(eventName, marshal({ manufacturerId: updated.id, registrar, by: caller(ctx) }));
        return toJSON(updated);
    }

    async #requireRegistrar(ctx: Context, manufacturerId: unknown): Promise<Manufacturer> {
        const manufacturer = await readManufacturer(ctx, requireIdentifier(manufacturerId, 'manufacturerId'));
        if (!mayActForManufacturer(ctx, manufacturer)) {
            throw accessDenied(`${caller(ctx).id} may not register devices for manufacturer ${manufacturer.id}`);
        }
        return manufacturer;
    }

    /** Checks every device of a request, then the batch for repeats, then the ledger; returns the records to write. */
    async #prepareDevices(
        ctx: Context,
        manufacturer: Manufacturer,
        devices: Partial<DeviceRequest>[],
        options: { lot: unknown; prefix: string },
    ): Promise<DeviceCertificate[]> {
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

    async #requireOwnerOrManufacturer(ctx: Context, record: DeviceCertificate, action: string, registryAdminMay: boolean): Promise<void> {
        if (isOwner(ctx, record) || (await isManufacturerOf(ctx, record)) || (registryAdminMay && (await isRegistryAdmin(ctx)))) {
            return;
        }
        const who = registryAdminMay ? 'its owner, its manufacturer or a registry administrator' : 'its owner or its manufacturer';
        throw accessDenied(`${action} of ${record.id} is for ${who}, not ${caller(ctx).id}`);
    }

    async #changeStatus(ctx: Context, id: string, change: StatusChange): Promise<string> {
        const record = await readDevice(ctx, id);
        requireNotRevoked(record);
        await this.#requireOwnerOrManufacturer(ctx, record, STATUS_TRANSACTIONS[change.action], change.registryAdminMay);
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

    /**
     * Who answers for the target of a trust relationship: its owner, or a registry administrator for the platform.
     * Returns the organisations that answer for it (see trustAuthorities).
     */
    async #requireTargetAuthority(ctx: Context, to: string, action: string, mustBeUsable: boolean): Promise<string[]> {
        if (isPlatform(to)) {
            return (await requireRegistryAdmin(ctx, `${action} towards the platform`)).mspIds;
        }
        const target = await readDevice(ctx, to);
        if (mustBeUsable) {
            requireUsableApp(target, 'to');
        }
        if (!isOwner(ctx, target)) {
            throw accessDenied(`${action}: only the owner of ${target.id} decides who may talk to it`);
        }
        return [target.owner.mspId];
    }

    async #assetPage(ctx: Context, objectType: string, attributes: string[], pageSize: number, bookmark: string): Promise<string> {
        const page = await readIndexPage(ctx, objectType, attributes, pageSize, bookmark, (kv) =>
            readAsset(ctx, lastAttribute(ctx, kv.key)),
        );
        return toJSON(page);
    }
}

/** The organisations that answer for a trust target: the registry administrators for the platform, else the target's owner organisation. */
async function trustAuthorities(ctx: Context, to: string): Promise<string[]> {
    return isPlatform(to) ? ((await readAdministrators(ctx))?.mspIds ?? []) : [(await readDevice(ctx, to)).owner.mspId];
}

function requireBatch(devices: unknown): Partial<DeviceRequest>[] {
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
    owner: Principal;
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

function certificateEvent(record: DeviceCertificate): Record<string, unknown> {
    const { id, kind, fingerprint, status, manufacturerId, owner } = record;
    return { id, kind, fingerprint, status, manufacturerId, owner };
}

function assetEvent(asset: EquipmentAsset, from: string): Record<string, unknown> {
    const { id, tag, type, site, location, state, ownerMspId, updatedBy, updatedAt } = asset;
    return { id, tag, type, site, location, from, to: state, ownerMspId, by: updatedBy, at: updatedAt };
}

function requireUsableApp(record: DeviceCertificate, field: string): void {
    if (record.kind !== 'app') {
        throw invalidArgument(`${field} ${record.id} is a device; trust relationships are between applications`);
    }
    requireNotRevoked(record);
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
