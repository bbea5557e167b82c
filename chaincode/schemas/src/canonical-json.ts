import stringify from 'json-stringify-deterministic';

/**
 * The one serialization of state, results and events: keys sorted at every level, so every endorser writes the
 * same bytes and a client can recompute a digest of what it received.
 */
export function canonicalJson(value: unknown): string {
    return stringify(value);
}
