import { Type } from '@sinclair/typebox';
import { conforms, firstViolation } from './check';
import { Digest, Enumeration, Identifier, PageSizeText, Text, UtcInstant, utcInstantMillis } from './primitives';

describe('UtcInstant', () => {
    it('takes real UTC calendar times with at most milliseconds and refuses 2026-02-30, other zones and loose forms', () => {
        for (const good of ['2026-05-01T00:00:00Z', '2028-02-29T23:59:59.999Z', '2026-01-01T12:00:00.5Z']) {
            expect(conforms(UtcInstant(), good)).toBe(true);
            expect(utcInstantMillis(good)).toBe(Date.parse(good));
        }
        for (const bad of ['2026-02-30T00:00:00Z', '2027-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:00:00+01:00', '2026-01-01', '2026-01-01T00:00:00.1234Z', 1767225600000]) {
            expect(conforms(UtcInstant(), bad)).toBe(false);
            expect(utcInstantMillis(bad)).toBeUndefined();
        }
    });
});

describe('text, identifiers, digests and page sizes', () => {
    it('applies the same rules the chaincode validators apply', () => {
        expect(conforms(Identifier(), 'cam7/0001')).toBe(true);
        expect(conforms(Identifier(), '-x')).toBe(false);
        expect(conforms(Identifier(4), 'abcde')).toBe(false);
        expect(conforms(Text(), 'caf\u00e9 \u{1f600}')).toBe(true);
        for (const reserved of ['a\u0000b', '\u{10ffff}', '']) {
            expect(conforms(Text(), reserved)).toBe(false);
        }
        expect(conforms(Digest(), 'ab'.repeat(32))).toBe(true);
        expect(conforms(Digest(), 'AB'.repeat(32))).toBe(false);
        expect(['1', '25', '0100', '1000'].map((size) => conforms(PageSizeText, size))).toEqual([true, true, true, true]);
        expect(['0', '1001', '10000', '-1', '1.5', ''].map((size) => conforms(PageSizeText, size))).toEqual([false, false, false, false, false, false]);
    });

    it('names the field and the rule of the first violation', () => {
        const Request = Type.Object({ id: Identifier(), at: UtcInstant('when it happened') });
        expect(firstViolation(Request, { id: 'a', at: '2026-01-01T00:00:00Z' }, 'request')).toBeUndefined();
        expect(firstViolation(Request, { id: 'a', at: '2026-02-30T00:00:00Z' }, 'request')).toMatch(/^request\.at: .*\(when it happened\)$/);
        expect(firstViolation(Request, { at: '2026-01-01T00:00:00Z' }, 'request')).toMatch(/^request\.id: /);
    });
});

describe('Enumeration', () => {
    it('gives back the list as written and a schema that takes exactly its members', () => {
        const list = ['held', 'released'] as const;
        const [values, schema] = Enumeration(list, 'escrow state');
        expect(values).toBe(list);
        expect(schema).toMatchObject({ description: 'escrow state', anyOf: [{ const: 'held' }, { const: 'released' }] });
        expect(['held', 'released', 'refunded', 'HELD', ''].map((value) => conforms(schema, value))).toEqual([true, true, false, false, false]);
    });
});
