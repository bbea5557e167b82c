import { JSONSerializer } from 'fabric-contract-api';
import { isPlainText, passTextArgumentsThrough } from './text-arguments';

type Marshall = { handleParameters(fn: object, parameters: Uint8Array[], prefix: string): unknown[] };
// eslint-disable-next-line @typescript-eslint/no-require-imports -- fabric-shim's internal module, untyped
const DataMarshall = require('fabric-shim/lib/contract-spi/datamarshall') as new (serializer: string, serializers: object, components: object) => Marshall;

const marshall = (): Marshall => new DataMarshall('jsonSerializer', { jsonSerializer: JSONSerializer }, { Thing: { $id: 'Thing', type: 'object' } });
const text = { parameters: [{ name: 'a', schema: { type: 'string', title: 'Thing' } }, { name: 'b', schema: { type: 'string', description: 'x' } }] };
const number = { parameters: [{ name: 'n', schema: { type: 'number' } }] };
const args = (...values: string[]): Uint8Array[] => values.map((value) => Buffer.from(value, 'utf8'));

describe('passTextArgumentsThrough', () => {
    it('hands plain-text arguments over exactly as fabric-contract-api does, and leaves every other case to it', () => {
        const before = [marshall().handleParameters(text, args('{"id":1}', 'caf\u00e9'), ''), marshall().handleParameters(number, args('42'), '')];
        const wrongCount = (): unknown => marshall().handleParameters(text, args('one'), '');
        expect(wrongCount).toThrow('Expected 2 parameters, but 1 have been supplied');
        passTextArgumentsThrough();
        passTextArgumentsThrough();
        expect([marshall().handleParameters(text, args('{"id":1}', 'caf\u00e9'), ''), marshall().handleParameters(number, args('42'), '')]).toEqual(before);
        expect(before).toEqual([['{"id":1}', 'caf\u00e9'], [42]]);
        expect(wrongCount).toThrow('Expected 2 parameters, but 1 have been supplied');
    });

    it('counts as plain text only a string schema without rules', () => {
        expect(isPlainText({ type: 'string', title: 'X', description: 'y' })).toBe(true);
        expect(isPlainText({ type: 'string', pattern: '^a$' })).toBe(false);
        expect(isPlainText({ $ref: '#/components/schemas/X' })).toBe(false);
        expect(isPlainText(undefined)).toBe(false);
    });
});
