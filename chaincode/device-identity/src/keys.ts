import type { Context } from 'fabric-contract-api';

/**
 * Every key this chaincode writes. Records and index entries are composite keys, so each kind can be
 * listed with Fabric's bookmark pagination (LevelDB has no rich queries). Ids are validated
 * identifiers, so no part can hold the composite-key separator.
 */
export const ObjectType = {
    Registry: 'registry',
    Manufacturer: 'manufacturer',
    Device: 'device',
    DeviceByFingerprint: 'device~fingerprint~id',
    DeviceByManufacturer: 'device~manufacturer~id',
    DeviceHistory: 'device~history',
    Trust: 'trust',
    TrustByTarget: 'trust~to~from',
    /**
     * Equipment assets, their tag entries and history are private data of the owner organisation
     * (asset-ledger.ts): only the hashes of these keys are public, so no key names a site or a state.
     */
    Asset: 'asset',
    /** One per tag, valued with the asset id: Fabric's hash of it tells every endorser the tag is taken. */
    AssetTag: 'asset~tag',
    AssetHistory: 'asset~history',
} as const;

export function key(ctx: Context, objectType: string, ...attributes: string[]): string {
    return ctx.stub.createCompositeKey(objectType, attributes);
}

/** History sequence numbers are zero-padded so key order is sequence order. */
export function sequenceKey(seq: number): string {
    return String(seq).padStart(10, '0');
}

/** The last attribute of a composite key: the record id of an index entry. */
export function lastAttribute(ctx: Context, compositeKey: string): string {
    const { attributes } = ctx.stub.splitCompositeKey(compositeKey);
    return attributes[attributes.length - 1] ?? '';
}
