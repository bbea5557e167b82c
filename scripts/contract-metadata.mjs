// `npm run metadata`: writes each chaincode's META-INF/metadata.json and its reference page docs/transactions/<name>.md from its schema'd transaction table
// (chaincode/<name>/src/metadata.ts, built). fabric-contract-api serves that file as the contract metadata; the
// chaincode's golden test fails when the committed file is not what the table generates.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

const require = createRequire(import.meta.url);
const CHAINCODES = [
    { name: 'evidence', generate: 'evidenceMetadata' },
    { name: 'resource-billing', generate: 'resourceBillingMetadata' },
    { name: 'device-identity', generate: 'deviceIdentityMetadata' },
];

const { transactionReference } = require(join(ROOT, 'chaincode', 'schemas', 'dist', 'transaction-reference.js'));
const { metadataFileText } = require(join(ROOT, 'chaincode', 'schemas', 'dist', 'contract-metadata.js'));
mkdirSync(join(ROOT, 'docs', 'transactions'), { recursive: true });
for (const { name, generate } of CHAINCODES) {
    const dir = join(ROOT, 'chaincode', name);
    const module = require(join(dir, 'dist', name, 'src', 'metadata.js'));
    const metadata = module[generate]();
    mkdirSync(join(dir, 'META-INF'), { recursive: true });
    writeFileSync(join(dir, 'META-INF', 'metadata.json'), metadataFileText(metadata));
    console.log(`chaincode/${name}/META-INF/metadata.json written`);
    // The same metadata as a page for people: docs/transactions/<name>.md.
    writeFileSync(join(ROOT, 'docs', 'transactions', `${name}.md`), transactionReference(name, metadata));
    console.log(`docs/transactions/${name}.md written`);
}
