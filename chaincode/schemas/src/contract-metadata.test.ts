import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { contractMetadata, type TransactionTable } from './contract-metadata';
import { Identifier, UtcInstant } from './primitives';

const Thing = Type.Object({ id: Identifier(), at: UtcInstant() }, { $id: 'Thing' });
const ThingId = Identifier(128, 'id of a thing');
const table: TransactionTable = {
    Put: { type: 'submit', description: 'Stores a thing.', callers: 'any member', parameters: [['thing', Thing]], returns: Thing },
    Get: { type: 'evaluate', description: 'Reads a thing.', callers: 'any member', parameters: [['id', { ...ThingId, $id: 'ThingId' }]], returns: Thing },
};

describe('contractMetadata', () => {
    const metadata = contractMetadata({ title: 'things', version: '1.0.0' }, [{ name: 'things', title: 'Things', description: 'A test contract', transactions: table }]);

    it('declares each argument as text naming its schema, returns as references, and every schema once', () => {
        const [get, put] = metadata.contracts.things?.transactions ?? [];
        expect(get).toEqual({
            name: 'Get',
            tag: ['EVALUATE'],
            parameters: [{ name: 'id', description: 'id of a thing: text meeting components.schemas.ThingId', schema: { type: 'string', title: 'ThingId' } }],
            returns: { $ref: '#/components/schemas/Thing', description: 'Reads a thing. Callers: any member' },
        });
        expect(put?.tag).toEqual(['SUBMIT', 'submitTx']);
        expect(put?.parameters?.[0]?.description).toBe('thing: JSON text of components.schemas.Thing');
        expect(Object.keys(metadata.components.schemas)).toEqual(['Thing', 'ThingId']);
        expect(metadata.components.schemas.Thing).toMatchObject({ $id: 'Thing', type: 'object', required: ['id', 'at'] });
        expect(metadata.contracts['org.hyperledger.fabric']?.transactions).toEqual([{ name: 'GetMetadata', tag: ['EVALUATE'] }]);
    });

    it('is valid against fabric-contract-api’s contract schema, as fabric-shim checks a META-INF/metadata.json', () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- fabric-shim's own loader, untyped
        const Bootstrap = require('fabric-shim/lib/contract-spi/bootstrap') as { loadAndValidateMetadata(path: string): unknown };
        const file = join(mkdtempSync(join(tmpdir(), 'metadata-')), 'metadata.json');
        writeFileSync(file, JSON.stringify(metadata));
        expect(Bootstrap.loadAndValidateMetadata(file)).toEqual(JSON.parse(readFileSync(file, 'utf8')));
    });

    it('refuses a schema without a name and two different schemas under one name', () => {
        expect(() => contractMetadata({ title: 't', version: '1' }, [{ name: 't', title: 't', description: '', transactions: { A: { ...table.Put!, returns: Type.String() } } }])).toThrow(/needs an \$id/);
        const other = Type.Object({ x: Type.String() }, { $id: 'Thing' });
        expect(() => contractMetadata({ title: 't', version: '1' }, [{ name: 't', title: 't', description: '', transactions: { A: { ...table.Put!, returns: other } } }])).toThrow(/two different schemas are named Thing/);
    });
});
