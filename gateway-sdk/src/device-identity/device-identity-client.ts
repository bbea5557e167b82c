import type { KeyObject } from 'node:crypto';
import type { Contract } from '@hyperledger/fabric-gateway';
import { ASSET_TRANSIENT_KEY, type Page } from '@edgetrust/schemas';
import { ContractClient, type Submitted } from '../contract-client';
import { freshSalt } from '../private-salt';
import { normalizeFingerprint, type RegistrationBinding, signRegistration, signRotation } from './certificate-proof';
import type { CertificateStatusLookup } from './certificate-status-cache';
import { type StatusBatchingOptions, StatusCheckBatcher } from './status-check-batcher';
import type {
    AssetHistoryEntry,
    AssetReceipt,
    AssetState,
    AssetTransitionRequest,
    CallerIdentity,
    CertificateStatusReport,
    CertificateStatusReports,
    DeviceCertificate,
    DeviceLookup,
    EquipmentAsset,
    GrantTrustRequest,
    IdentityPrincipal,
    Manufacturer,
    RegisterApplicationRequest,
    RegisterAssetRequest,
    RegisterDeviceRequest,
    RegisterDevicesRequest,
    RegisteredLot,
    RegisterManufacturerRequest,
    RegistryAdministrators,
    DeviceRegistryState,
    RevokeCertificateRequest,
    RotateCertificateRequest,
    TrustDecision,
    TrustRelationship,
} from './models';

/** What {@link DeviceIdentityClient.rotateWithKey} needs: the old key proves the rotation. */
export interface KeyRotation {
    /** The old certificate's private key (KeyObject or PEM). */
    oldPrivateKey: KeyObject | string;
    oldCertificatePem: string;
    newCertificatePem: string;
}

/** Private keys of the devices of a lot, by device id (KeyObject or PEM). */
export type DeviceKeys = Readonly<Record<string, KeyObject | string>>;

const DEFAULT_PAGE_SIZE = 100;

/** Options of a {@link DeviceIdentityClient}. */
export interface DeviceIdentityClientOptions {
    /**
     * How {@link DeviceIdentityClient.checkCertificate} coalesces concurrent checks into one CheckCertificates query
     * (default: the checks of one event-loop turn, up to 200 per query); `false` sends one CheckCertificate each.
     */
    statusBatching?: StatusBatchingOptions | false;
}

/**
 * Typed client of the device identity chaincode: the manufacturer registry, device and application
 * certificates (register, look up, suspend, reinstate, revoke, rotate), app trust relationships
 * and equipment assets. Chaincode errors arrive as typed EdgeTrustErrors; domain codes such as
 * `CERTIFICATE_EXPIRED` or `ILLEGAL_TRANSITION` keep their code (see {@link DeviceIdentityErrorCode}).
 * @example
 * const identity = new DeviceIdentityClient(network.getContract('device-identity'));
 * await identity.registerDevice({ manufacturerId: 'acme', id: 'cam-7', certificatePem }, devicePrivateKeyPem);
 * const cache = new CertificateStatusCache({ lookup: identity.statusLookup() });
 */
export class DeviceIdentityClient extends ContractClient {
    readonly #batcher: StatusCheckBatcher | undefined;

    /**
     * @param contract - The device identity chaincode's contract from fabric-gateway.
     * @param options - Status check batching.
     */
    constructor(contract: Contract, options: Readonly<DeviceIdentityClientOptions> = {}) {
        super(contract);
        const batching = options.statusBatching ?? {};
        this.#batcher = batching === false ? undefined : new StatusCheckBatcher(async (fingerprints) => (await this.checkCertificates(fingerprints)).reports, batching);
    }

    // ---- registry ----

    /** Bootstrap: makes the caller's organisation (caller must be OU=admin) the first registry administrator. */
    initRegistry(): Promise<Submitted<RegistryAdministrators>> {
        return this.submit('InitRegistry', []);
    }

    /** Adds an organisation to the registry administrators (registry administrators only). */
    addRegistryAdministrator(mspId: string): Promise<Submitted<RegistryAdministrators>> {
        return this.submit('AddRegistryAdministrator', [mspId]);
    }

    /** Removes an organisation from the registry administrators; the last one stays. */
    removeRegistryAdministrator(mspId: string): Promise<Submitted<RegistryAdministrators>> {
        return this.submit('RemoveRegistryAdministrator', [mspId]);
    }

    /** The registry administrator organisations. */
    readRegistry(): Promise<DeviceRegistryState> {
        return this.evaluate('ReadRegistry', []);
    }

    /** The caller as the chaincode sees it: the principal to appoint as registrar or name as owner. */
    whoAmI(): Promise<CallerIdentity> {
        return this.evaluate('WhoAmI', []);
    }

    // ---- manufacturers ----

    /** Registers a manufacturer operated by an organisation (registry administrators only). */
    registerManufacturer(request: RegisterManufacturerRequest): Promise<Submitted<Manufacturer>> {
        return this.submit('RegisterManufacturer', [JSON.stringify(request)]);
    }

    /** Appoints an identity to register devices for the manufacturer. */
    authorizeRegistrar(manufacturerId: string, registrar: IdentityPrincipal): Promise<Submitted<Manufacturer>> {
        return this.submit('AuthorizeRegistrar', [manufacturerId, JSON.stringify(registrar)]);
    }

    /** Withdraws a registrar's right to register devices for the manufacturer. */
    withdrawRegistrar(manufacturerId: string, registrar: IdentityPrincipal): Promise<Submitted<Manufacturer>> {
        return this.submit('WithdrawRegistrar', [manufacturerId, JSON.stringify(registrar)]);
    }

    /** A manufacturer and its registrars. */
    readManufacturer(id: string): Promise<Manufacturer> {
        return this.evaluate('ReadManufacturer', [id]);
    }

    /** A page of manufacturers in id order. */
    listManufacturers(pageSize = DEFAULT_PAGE_SIZE, bookmark = ''): Promise<Page<Manufacturer>> {
        return this.evaluate('ListManufacturers', [String(pageSize), bookmark]);
    }

    // ---- certificates ----

    /**
     * Registers one device's self-signed certificate under a manufacturer. The chaincode wants proof that
     * the registrant holds the device key: pass `devicePrivateKey` and the client signs the registration
     * message for the caller (one `whoAmI` evaluation), or give `request.proof` made with `signRegistration`.
     */
    async registerDevice(request: RegisterDeviceRequest, devicePrivateKey?: KeyObject | string): Promise<Submitted<DeviceCertificate>> {
        const proof = request.proof ?? (await this.#prove(devicePrivateKey, 'device', request.manufacturerId, request));
        return this.submit('RegisterDevice', [JSON.stringify({ ...request, proof })]);
    }

    /** Registers a production lot in one all-or-nothing transaction (at most 500 devices), each with its proof of possession. */
    async registerDevices(request: RegisterDevicesRequest, deviceKeys: DeviceKeys = {}): Promise<Submitted<RegisteredLot>> {
        const devices = [];
        for (const device of request.devices) {
            devices.push({ ...device, proof: device.proof ?? (await this.#prove(deviceKeys[device.id], 'device', request.manufacturerId, device)) });
        }
        return this.submit('RegisterDevices', [JSON.stringify({ ...request, devices })]);
    }

    /** Registers the caller's own edge application certificate, proven with its private key; the caller becomes its owner. */
    async registerApplication(request: RegisterApplicationRequest, privateKey?: KeyObject | string): Promise<Submitted<DeviceCertificate>> {
        const proof = request.proof ?? (await this.#prove(privateKey, 'app', '', request));
        return this.submit('RegisterApplication', [JSON.stringify({ ...request, proof })]);
    }

    #registrant: Promise<CallerIdentity> | undefined;

    /** Who this client is on the channel, asked once. */
    #caller(): Promise<CallerIdentity> {
        this.#registrant ??= this.whoAmI().catch((err: unknown) => {
            this.#registrant = undefined;
            throw err;
        });
        return this.#registrant;
    }

    /** The proof of possession for the caller, or undefined without a key (the chaincode then refuses the registration). */
    async #prove(
        privateKey: KeyObject | string | undefined,
        kind: RegistrationBinding['kind'],
        manufacturerId: string,
        device: { id: string; certificatePem: string },
    ): Promise<string | undefined> {
        if (privateKey === undefined) {
            return undefined;
        }
        const { channel, mspId, id } = await this.#caller();
        return signRegistration(privateKey, { channel, kind, manufacturerId, id: device.id, certificatePem: device.certificatePem, registrant: { mspId, id } });
    }

    /** Certificate, owner, manufacturer, status and history by id. */
    readDevice(id: string): Promise<DeviceLookup> {
        return this.evaluate('ReadDevice', [id]);
    }

    /** The same lookup by fingerprint (hex or `AB:CD:…`), current or superseded. */
    async readDeviceByFingerprint(fingerprint: string): Promise<DeviceLookup> {
        return this.evaluate('ReadDeviceByFingerprint', [normalizeFingerprint(fingerprint)]);
    }

    /**
     * Whether a certificate may be trusted now; unknown fingerprints answer `unknown`, not an error. Checks asked
     * concurrently travel in one CheckCertificates query unless batching is off ({@link DeviceIdentityClientOptions});
     * the answer is the same either way, and a malformed fingerprint fails only its own check.
     */
    async checkCertificate(fingerprint: string): Promise<CertificateStatusReport> {
        const normalized = normalizeFingerprint(fingerprint);
        return this.#batcher ? this.#batcher.check(normalized) : this.evaluate('CheckCertificate', [normalized]);
    }

    /**
     * The status of several certificates in one query, at one transaction time: one report per fingerprint, in the
     * order given (at most {@link MAX_STATUS_CHECKS}).
     */
    async checkCertificates(fingerprints: readonly string[]): Promise<CertificateStatusReports> {
        return this.evaluate('CheckCertificates', [JSON.stringify({ fingerprints: fingerprints.map(normalizeFingerprint) })]);
    }

    /** {@link DeviceIdentityClient.checkCertificate} as a lookup for a {@link CertificateStatusCache}. */
    statusLookup(): CertificateStatusLookup {
        return (fingerprint) => this.checkCertificate(fingerprint);
    }

    /** A page of a manufacturer's devices in id order. */
    listDevicesByManufacturer(manufacturerId: string, pageSize = DEFAULT_PAGE_SIZE, bookmark = ''): Promise<Page<DeviceCertificate>> {
        return this.evaluate('ListDevicesByManufacturer', [manufacturerId, String(pageSize), bookmark]);
    }

    /** Puts a certificate on hold (certificateHold). Owner, manufacturer or registry administrators. */
    suspendCertificate(id: string, comment?: string): Promise<Submitted<DeviceCertificate>> {
        return this.submit('SuspendCertificate', [id, JSON.stringify({ comment })]);
    }

    /** Releases a hold (removeFromCRL). Owner, manufacturer or registry administrators. */
    reinstateCertificate(id: string, comment?: string): Promise<Submitted<DeviceCertificate>> {
        return this.submit('ReinstateCertificate', [id, JSON.stringify({ comment })]);
    }

    /** Revokes a certificate for good. Owner or manufacturer only. */
    revokeCertificate(id: string, request: RevokeCertificateRequest): Promise<Submitted<DeviceCertificate>> {
        return this.submit('RevokeCertificate', [id, JSON.stringify(request)]);
    }

    /** Replaces a certificate, with a rotation proof made elsewhere (see {@link signRotation}). */
    rotateCertificate(id: string, request: RotateCertificateRequest): Promise<Submitted<DeviceCertificate>> {
        return this.submit('RotateCertificate', [id, JSON.stringify(request)]);
    }

    /** Replaces a certificate, signing the rotation proof here with the old private key. */
    async rotateWithKey(id: string, rotation: KeyRotation): Promise<Submitted<DeviceCertificate>> {
        const signature = signRotation(rotation.oldPrivateKey, rotation.oldCertificatePem, rotation.newCertificatePem);
        return this.rotateCertificate(id, { certificatePem: rotation.newCertificatePem, signature });
    }

    // ---- trust relationships ----

    /** Lets application `from` talk to `to` (an application, or `platform`). Owner of `to`, or registry administrators for the platform. */
    grantTrust(request: GrantTrustRequest): Promise<Submitted<TrustRelationship>> {
        return this.submit('GrantTrust', [JSON.stringify(request)]);
    }

    /** Ends a trust relationship. */
    revokeTrust(from: string, to: string): Promise<Submitted<TrustRelationship>> {
        return this.submit('RevokeTrust', [from, to]);
    }

    /** May `from` talk to `to` now? */
    checkTrust(from: string, to: string): Promise<TrustDecision> {
        return this.evaluate('CheckTrust', [from, to]);
    }

    /** A page of the relationships where the application is `from`. */
    listTrustFrom(from: string, pageSize = DEFAULT_PAGE_SIZE, bookmark = ''): Promise<Page<TrustRelationship>> {
        return this.evaluate('ListTrustFrom', [from, String(pageSize), bookmark]);
    }

    /** A page of the relationships towards an application or the platform. */
    listTrustTo(to: string, pageSize = DEFAULT_PAGE_SIZE, bookmark = ''): Promise<Page<TrustRelationship>> {
        return this.evaluate('ListTrustTo', [to, String(pageSize), bookmark]);
    }

    // ---- equipment assets ----

    /**
     * Registers a piece of equipment for the caller's organisation. The asset is private data of the organisation
     * (collection `<MSP>Assets`): the request and a fresh 32-byte salt go in the transient map, only the id is an
     * argument, and only the organisation's peers endorse; the asset is then read back from them.
     */
    async registerAsset(request: RegisterAssetRequest): Promise<Submitted<EquipmentAsset>> {
        return this.#changeAsset('RegisterAsset', request.id, request);
    }

    /** Moves an asset along its lifecycle (privately, as {@link registerAsset}); illegal moves fail with `ILLEGAL_TRANSITION`. */
    async transitionAsset(id: string, request: AssetTransitionRequest): Promise<Submitted<EquipmentAsset>> {
        return this.#changeAsset('TransitionAsset', id, request);
    }

    async #changeAsset(name: 'RegisterAsset' | 'TransitionAsset', id: string, request: RegisterAssetRequest | AssetTransitionRequest): Promise<Submitted<EquipmentAsset>> {
        const { mspId } = await this.#caller();
        const transientData = { [ASSET_TRANSIENT_KEY]: Buffer.from(JSON.stringify(request)), ...freshSalt().transientData };
        const { transactionId, blockNumber } = await this.submit<AssetReceipt>(name, [id], { transientData, endorsingOrganizations: [mspId] });
        return { result: await this.readAsset(id), transactionId, blockNumber };
    }

    /** An asset of the caller's organisation. */
    readAsset(id: string): Promise<EquipmentAsset> {
        return this.evaluate('ReadAsset', [id]);
    }

    /** The asset a scanned QR/barcode tag belongs to. */
    readAssetByTag(tag: string): Promise<EquipmentAsset> {
        return this.evaluate('ReadAssetByTag', [tag]);
    }

    /** A page of an asset's history, oldest first. */
    assetHistory(id: string, pageSize = DEFAULT_PAGE_SIZE, bookmark = ''): Promise<Page<AssetHistoryEntry>> {
        return this.evaluate('AssetHistory', [id, String(pageSize), bookmark]);
    }

    /** A page of the caller's organisation's assets at a site, optionally in one state. */
    listAssetsBySite(site: string, state?: AssetState, pageSize = DEFAULT_PAGE_SIZE, bookmark = ''): Promise<Page<EquipmentAsset>> {
        return this.evaluate('ListAssetsBySite', [site, state ?? '', String(pageSize), bookmark]);
    }

    /** A page of the caller's organisation's assets in one state, across sites. */
    listAssetsByState(state: AssetState, pageSize = DEFAULT_PAGE_SIZE, bookmark = ''): Promise<Page<EquipmentAsset>> {
        return this.evaluate('ListAssetsByState', [state, String(pageSize), bookmark]);
    }
}
