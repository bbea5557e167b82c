import { BillingClient, ComputeExchangeClient, DeviceIdentityClient, EvidenceClient } from '@edgetrust/gateway-sdk';
import { allOperations, NOT_ENDPOINTS } from '.';
import type { Clients } from './table';

// "An application with nothing but HTTP can do everything the SDK can": every public method of every typed client is
// an endpoint by the same name, or is listed in NOT_ENDPOINTS with the reason it stays with the caller.
const CLIENTS: Readonly<Record<keyof Clients, { prototype: object }>> = {
    evidence: EvidenceClient,
    billing: BillingClient,
    deviceIdentity: DeviceIdentityClient,
    compute: ComputeExchangeClient,
};

function methodsOf(type: { prototype: object }): string[] {
    return Object.getOwnPropertyNames(type.prototype).filter((name) => name !== 'constructor' && typeof (type.prototype as Record<string, unknown>)[name] === 'function');
}

describe.each(Object.entries(CLIENTS) as Array<[keyof Clients, { prototype: object }]>)('the %s client', (client, type) => {
    const methods = methodsOf(type);
    const routed = new Set(allOperations.filter((o) => o.chaincode === client).map((o) => o.name));
    const excluded = NOT_ENDPOINTS[client];

    it('has an endpoint for every method not kept with the caller', () => {
        expect(methods.length).toBeGreaterThan(0);
        expect(methods.filter((m) => !routed.has(m) && excluded[m] === undefined)).toEqual([]);
    });

    it('has no endpoint for a method listed as kept with the caller, and lists only real methods', () => {
        expect(Object.keys(excluded).filter((m) => routed.has(m))).toEqual([]);
        expect(Object.keys(excluded).filter((m) => !methods.includes(m))).toEqual([]);
    });

    it('routes only real methods', () => {
        expect([...routed].filter((m) => !methods.includes(m))).toEqual([]);
    });
});
