import { positionalOperations } from './positional';
import type { Operation } from './table';

/**
 * The device-identity chaincode's client as endpoints (what is not, and why: NOT_ENDPOINTS in index.ts).
 * `registerDevice` and `registerApplication` take the request with its `proof` made by `signRegistration` on the
 * device: a device key never leaves the device.
 */
export const deviceIdentityOperations: readonly Operation[] = positionalOperations('deviceIdentity', '/v1/device-identity', [
    { name: 'initRegistry', method: 'POST', path: '/registry/init', args: [], summary: "Initialise the registry (the deployment's governance organisation's admin)" },
    { name: 'addRegistryAdministrator', method: 'POST', path: '/registry/administrators', args: ['b:mspId'], summary: 'Add a registry administrator organisation' },
    { name: 'removeRegistryAdministrator', method: 'POST', path: '/registry/administrators/remove', args: ['b:mspId'], summary: 'Remove a registry administrator organisation' },
    { name: 'readRegistry', method: 'GET', path: '/registry', args: [], summary: 'The registry' },
    { name: 'whoAmI', method: 'GET', path: '/whoami', args: [], summary: 'The identity the chaincode sees for this caller' },
    { name: 'registerManufacturer', method: 'POST', path: '/manufacturers', args: ['B'], summary: 'Register a manufacturer (RegisterManufacturerRequest)' },
    { name: 'authorizeRegistrar', method: 'POST', path: '/manufacturers/:manufacturerId/registrars', args: ['p:manufacturerId', 'B'], summary: "Authorise a registrar (IdentityPrincipal) for a manufacturer" },
    { name: 'withdrawRegistrar', method: 'POST', path: '/manufacturers/:manufacturerId/registrars/withdraw', args: ['p:manufacturerId', 'B'], summary: "Withdraw a manufacturer's registrar" },
    { name: 'readManufacturer', method: 'GET', path: '/manufacturers/:id', args: ['p:id'], summary: 'A manufacturer' },
    { name: 'listManufacturers', method: 'GET', path: '/manufacturers', args: ['pageSize', 'bookmark'], summary: 'One page of manufacturers' },
    { name: 'registerDevice', method: 'POST', path: '/devices', args: ['B'], summary: "Register a device's self-signed certificate with its proof of possession (RegisterDeviceRequest)" },
    { name: 'registerDevices', method: 'POST', path: '/devices/batch', args: ['B'], summary: 'Register devices in one transaction (RegisterDevicesRequest)' },
    { name: 'registerApplication', method: 'POST', path: '/applications', args: ['B'], summary: "Register an edge application's certificate (RegisterApplicationRequest)" },
    { name: 'readDevice', method: 'GET', path: '/devices/:id', args: ['p:id'], summary: 'A device or application' },
    { name: 'readDeviceByFingerprint', method: 'GET', path: '/certificates/:fingerprint/device', args: ['p:fingerprint'], summary: 'The device of a certificate fingerprint' },
    { name: 'checkCertificate', method: 'GET', path: '/certificates/:fingerprint', args: ['p:fingerprint'], summary: 'Check a certificate before mutual TLS: status and trust' },
    { name: 'checkCertificates', method: 'POST', path: '/certificates/check', args: ['b:fingerprints'], summary: 'Check up to 200 certificates in one query: a report per fingerprint, in request order' },
    { name: 'listDevicesByManufacturer', method: 'GET', path: '/manufacturers/:manufacturerId/devices', args: ['p:manufacturerId', 'pageSize', 'bookmark'], summary: "One page of a manufacturer's devices" },
    { name: 'suspendCertificate', method: 'POST', path: '/devices/:id/suspend', args: ['p:id', 'b:comment?'], summary: "Suspend a device's certificate" },
    { name: 'reinstateCertificate', method: 'POST', path: '/devices/:id/reinstate', args: ['p:id', 'b:comment?'], summary: "Reinstate a suspended certificate" },
    { name: 'revokeCertificate', method: 'POST', path: '/devices/:id/revoke', args: ['p:id', 'B'], summary: "Revoke a device's certificate (RevokeCertificateRequest)" },
    { name: 'rotateCertificate', method: 'POST', path: '/devices/:id/rotate', args: ['p:id', 'B'], summary: "Rotate a device's certificate (RotateCertificateRequest, signed by the old key)" },
    { name: 'grantTrust', method: 'POST', path: '/trust', args: ['B'], summary: 'Grant trust from one device or application to another (GrantTrustRequest)' },
    { name: 'revokeTrust', method: 'POST', path: '/trust/revoke', args: ['b:from', 'b:to'], summary: 'Revoke a trust grant' },
    { name: 'checkTrust', method: 'GET', path: '/trust', args: ['q:from', 'q:to'], summary: 'Whether one trusts the other' },
    { name: 'listTrustFrom', method: 'GET', path: '/trust/from/:from', args: ['p:from', 'pageSize', 'bookmark'], summary: 'One page of trust grants from a device' },
    { name: 'listTrustTo', method: 'GET', path: '/trust/to/:to', args: ['p:to', 'pageSize', 'bookmark'], summary: 'One page of trust grants to a device' },
    { name: 'registerAsset', method: 'POST', path: '/assets', args: ['B'], summary: 'Register an equipment asset (RegisterAssetRequest)' },
    { name: 'transitionAsset', method: 'POST', path: '/assets/:id/transition', args: ['p:id', 'B'], summary: "Move an asset along its lifecycle (AssetTransitionRequest)" },
    { name: 'readAsset', method: 'GET', path: '/assets/:id', args: ['p:id'], summary: 'An asset' },
    { name: 'readAssetByTag', method: 'GET', path: '/asset-tags/:tag', args: ['p:tag'], summary: 'The asset with a tag' },
    { name: 'assetHistory', method: 'GET', path: '/assets/:id/history', args: ['p:id', 'pageSize', 'bookmark'], summary: "One page of an asset's history" },
    { name: 'listAssetsBySite', method: 'GET', path: '/sites/:site/assets', args: ['p:site', 'q:state?', 'pageSize', 'bookmark'], summary: "One page of a site's assets, optionally in a state" },
    { name: 'listAssetsByState', method: 'GET', path: '/asset-states/:state/assets', args: ['p:state', 'pageSize', 'bookmark'], summary: 'One page of assets in a state' },
]);
