import { MAX_ARGUMENT_LENGTH, parseArgument, toJSON } from './json';

describe('parseArgument', () => {
    it('parses a JSON object and refuses anything else with INVALID_ARGUMENT', () => {
        expect(parseArgument<{ a: number }>('{"a":1}', 'request')).toEqual({ a: 1 });
        for (const bad of ['', 'null', '[]', '"x"', '1', '{', '{"a":1}x']) {
            expect(() => parseArgument(bad, 'request')).toThrow(/^INVALID_ARGUMENT: request must be a JSON object/);
        }
    });

    it('refuses an oversized argument before parsing it', () => {
        const huge = `{"a":"${'x'.repeat(MAX_ARGUMENT_LENGTH)}"}`;
        const parse = jest.spyOn(JSON, 'parse');
        expect(() => parseArgument(huge, 'request')).toThrow(/^INVALID_ARGUMENT: request is \d+ characters long/);
        expect(parse).not.toHaveBeenCalled();
        parse.mockRestore();
    });
});

describe('toJSON', () => {
    it('sorts keys at every depth, so every endorser writes the same bytes', () => {
        expect(toJSON({ b: 1, a: { d: 2, c: [{ f: 1, e: 2 }] } })).toBe('{"a":{"c":[{"e":2,"f":1}],"d":2},"b":1}');
    });
});
