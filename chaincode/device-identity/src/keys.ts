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
    Asset: 'asset',
    AssetByTag: 'asset~tag~id',
    /** Assets are listed within their owner organisation, so its MSP id leads the index. */
    AssetBySite: 'asset~owner~site~state~id',
    AssetByState: 'asset~owner~state~id',
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
