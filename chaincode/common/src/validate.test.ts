import { optionalTimestamp, requireIdentifier, requireInstantMillis, requireText, requireTimestamp } from './validate';

describe('requireText', () => {
    it('refuses the characters composite keys reserve with INVALID_ARGUMENT, so a key is never built from them', () => {
        for (const bad of ['a\u0000b', '\u{10ffff}', 'x\u{10ffff}y']) {
            expect(() => requireText(bad, 'id')).toThrow(/^INVALID_ARGUMENT: id may not hold U\+0000 or U\+10FFFF/);
        }
        expect(requireText('caf\u00e9 \u{1f600}', 'name')).toBe('caf\u00e9 \u{1f600}');
    });

    it('refuses missing, empty and overlong values', () => {
        expect(() => requireText(undefined, 'id')).toThrow(/^INVALID_ARGUMENT: id is required/);
        expect(() => requireText('', 'id')).toThrow(/^INVALID_ARGUMENT: id is required/);
        expect(() => requireText('x'.repeat(257), 'id')).toThrow(/^INVALID_ARGUMENT: id is longer than 256/);
    });
});

describe('requireIdentifier', () => {
    it('takes letters, digits and . _ : @ / - only', () => {
        expect(requireIdentifier('cam7/0001', 'id')).toBe('cam7/0001');
        expect(() => requireIdentifier('-x', 'id')).toThrow(/^INVALID_ARGUMENT: /);
        expect(() => requireIdentifier('a b', 'id')).toThrow(/^INVALID_ARGUMENT: /);
    });
});

describe('requireTimestamp and requireInstantMillis', () => {
    it('take UTC ISO-8601 instants, normalized to milliseconds, and refuse days that do not exist', () => {
        expect(requireTimestamp('2026-05-01T00:00:00Z', 'at')).toBe('2026-05-01T00:00:00.000Z');
        expect(requireInstantMillis('2028-02-29T12:00:00.5Z', 'at')).toBe(Date.parse('2028-02-29T12:00:00.500Z'));
        expect(optionalTimestamp('', 'at')).toBe('');
        for (const bad of ['2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-05-01T00:00:00+02:00', 'tomorrow', 0]) {
            expect(() => requireTimestamp(bad, 'at')).toThrow(/^INVALID_ARGUMENT: at must be a UTC ISO-8601 time/);
        }
    });
});
