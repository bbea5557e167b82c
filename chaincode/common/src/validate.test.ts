import { requireIdentifier, requireText } from './validate';

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
