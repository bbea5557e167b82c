import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FabricContractMetadata } from './contract-metadata';
import { transactionReference } from './transaction-reference';

const ROOT = join(__dirname, '..', '..', '..');
const CHAINCODES = ['evidence', 'resource-billing', 'device-identity'];

function metadataOf(chaincode: string): FabricContractMetadata {
    return JSON.parse(readFileSync(join(ROOT, 'chaincode', chaincode, 'META-INF', 'metadata.json'), 'utf8')) as FabricContractMetadata;
}

describe('the transaction reference pages (docs/transactions)', () => {
    it.each(CHAINCODES)('%s: the committed page is what the committed contract metadata gives (run `npm run metadata` when not)', (chaincode) => {
        const page = readFileSync(join(ROOT, 'docs', 'transactions', `${chaincode}.md`), 'utf8');
        expect(page).toBe(transactionReference(chaincode, metadataOf(chaincode)));
    });

    it.each(CHAINCODES)('%s: every transaction has a row with its callers, and every shape it names has a section', (chaincode) => {
        const metadata = metadataOf(chaincode);
        const page = transactionReference(chaincode, metadata);
        for (const [name, contract] of Object.entries(metadata.contracts)) {
            if (name === 'org.hyperledger.fabric') {
                continue;
            }
            for (const transaction of contract.transactions) {
                const row = page.split('\n').find((line) => line.startsWith(`| \`${transaction.name}\``) || line.startsWith(`| \`${name}:${transaction.name}\``));
                expect(row).toBeDefined();
                // The last cell (who may call it) is never empty.
                expect(row?.trimEnd().endsWith('|  |')).toBe(false);
            }
        }
        for (const link of page.matchAll(/\]\(#(schema-[a-z0-9-]+)\)/g)) {
            expect(page).toContain(`<a id="${link[1] ?? ''}"></a>`);
        }
    });

    it('links feature ids to the feature list and escapes table separators', () => {
        const metadata: FabricContractMetadata = {
            $schema: 'x',
            info: { title: 'demo', version: '1' },
            contracts: {
                demo: {
                    name: 'demo',
                    info: { title: 'demo', version: '1' },
                    transactions: [{ name: 'Do', tag: ['EVALUATE'], returns: { $ref: '#/components/schemas/Out', description: 'Does E4 | B9. Callers: anyone' } }],
                },
            },
            components: { schemas: { Out: { type: 'object', properties: { a: { type: 'string', maxLength: 3 } }, required: ['a'], additionalProperties: false } } },
        };
        const page = transactionReference('demo', metadata);
        expect(page).toContain('| `Do` | evaluate | — | [Out](#schema-out) | Does [E4](../SCENARIOS.md) \\| [B9](../SCENARIOS.md). | anyone |');
        expect(page).toContain('| `a` | string | yes | max length `3` |');
        expect(page).toContain('No other fields are accepted.');
    });
});
