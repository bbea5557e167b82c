import type { Context } from 'fabric-contract-api';
import { DEFAULT_TIMESTAMP_TOLERANCE_SECONDS, requireTimelyProposal, setClock, toleranceFromEnv } from './peer-clock';

function proposalAt(millis: number): Context {
    const seconds = Math.floor(millis / 1000);
    const nanos = (millis % 1000) * 1_000_000;
    return { stub: { getTxTimestamp: () => ({ seconds: { toString: () => String(seconds) }, nanos }) } } as unknown as Context;
}

describe('toleranceFromEnv', () => {
    it('defaults far below a one-minute billing cycle and accepts whole seconds up to 300 only', () => {
        expect(DEFAULT_TIMESTAMP_TOLERANCE_SECONDS).toBeLessThan(60);
        expect(toleranceFromEnv(undefined)).toBe(DEFAULT_TIMESTAMP_TOLERANCE_SECONDS);
        expect(toleranceFromEnv('')).toBe(DEFAULT_TIMESTAMP_TOLERANCE_SECONDS);
        expect(toleranceFromEnv('60')).toBe(60);
        expect(() => toleranceFromEnv('0')).toThrow(/^INVALID_ARGUMENT: /);
        expect(() => toleranceFromEnv('301')).toThrow(/^INVALID_ARGUMENT: /);
        expect(() => toleranceFromEnv('1.5')).toThrow(/^INVALID_ARGUMENT: /);
        expect(() => toleranceFromEnv('soon')).toThrow(/^INVALID_ARGUMENT: /);
    });
});

describe('requireTimelyProposal', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    afterEach(() => setClock());

    it('accepts a proposal within the tolerance of the peer clock and refuses one beyond it, either way', () => {
        setClock(() => now, 15);
        expect(() => requireTimelyProposal(proposalAt(now + 15_000))).not.toThrow();
        expect(() => requireTimelyProposal(proposalAt(now - 15_000))).not.toThrow();
        expect(() => requireTimelyProposal(proposalAt(now + 15_001))).toThrow(/^TIMESTAMP_OUT_OF_TOLERANCE: /);
        expect(() => requireTimelyProposal(proposalAt(now - 365 * 86_400_000))).toThrow(/^TIMESTAMP_OUT_OF_TOLERANCE: /);
    });
});
