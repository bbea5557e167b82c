import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
    it('sorts keys at every level and keeps array order, so equal values give equal bytes', () => {
        expect(canonicalJson({ b: 1, a: { d: [3, 1], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,1]},"b":1}');
        expect(canonicalJson({ a: { c: 'x', d: [3, 1] }, b: 1 })).toBe(canonicalJson({ b: 1, a: { d: [3, 1], c: 'x' } }));
    });
});
