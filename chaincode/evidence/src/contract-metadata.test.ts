import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractMetadata, transactionNames, transactionSignatures } from '../../common/testing/contract-metadata';
import { contracts } from './index';
import { metadataFileText } from '../../schemas/src';
import { evidenceMetadata } from './metadata';

const FILE = join(__dirname, '..', 'META-INF', 'metadata.json');
const committed = JSON.parse(readFileSync(FILE, 'utf8')) as object;

describe('evidence chaincode metadata', () => {
    it('META-INF/metadata.json is what the transaction table generates (else: npm run build && npm run metadata)', () => {
        expect(readFileSync(FILE, 'utf8')).toBe(metadataFileText(evidenceMetadata()));
    });

    it('is valid against fabric-contract-api’s contract schema, as fabric-shim checks it at start', () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- fabric-shim's own loader, untyped
        const Bootstrap = require('fabric-shim/lib/contract-spi/bootstrap') as { loadAndValidateMetadata(path: string): unknown };
        expect(Bootstrap.loadAndValidateMetadata(FILE)).toEqual(committed);
    });

    it('names every decorated transaction, with its submit/evaluate tag and the names of its parameters in order, and no other', () => {
        expect(transactionSignatures(contractMetadata(contracts, 'evidence', committed), 'evidence')).toEqual(transactionSignatures(contractMetadata(contracts, 'evidence'), 'evidence'));
    });

    it('serves, as at server start, exactly these transactions, each with its parameter and return schemas', () => {
        const metadata = contractMetadata(contracts, 'evidence', committed);
        const { submit, evaluate } = transactionNames(metadata, 'evidence');
        expect(submit).toEqual(['AcknowledgeTransfer', 'Anchor', 'AnchorBatch', 'AnchorPersonal', 'PurgePersonal', 'Revoke', 'SetOrgPolicy', 'SetRoles'].sort());
        expect(evaluate).toEqual(
            [
                'CheckArtifact',
                'History',
                'Query',
                'QueryBatches',
                'Read',
                'ReadBatch',
                'ReadOrgPolicy',
                'ReadPrivate',
                'ReadRoles',
                'ReadTransfer',
                'TraceBackward',
                'TraceForward',
                'Verify',
                'VerifyContent',
                'VerifyInclusion',
                'VerifyPersonal',
            ].sort(),
        );
        const anchor = (metadata as { contracts: Record<string, { transactions: { name: string; parameters?: { name: string; schema: object }[]; returns?: object }[] }> }).contracts.evidence?.transactions.find((t) => t.name === 'Anchor');
        expect(anchor?.parameters).toEqual([{ name: 'request', description: 'request: JSON text of components.schemas.AnchorRequest', schema: { type: 'string', title: 'AnchorRequest' } }]);
        expect(anchor?.returns).toMatchObject({ $ref: '#/components/schemas/EvidenceRecord' });
    });
});
