/** A client result as JSON: block numbers and other bigints become numbers, byte arrays base64. */
export function jsonSafe(value: unknown): unknown {
    if (typeof value === 'bigint') {
        return Number(value);
    }
    if (value instanceof Uint8Array) {
        return Buffer.from(value).toString('base64');
    }
    if (Array.isArray(value)) {
        return value.map(jsonSafe);
    }
    if (value !== null && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
    }
    return value;
}
