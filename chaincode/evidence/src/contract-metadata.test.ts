import { contractMetadata, transactionNames } from '../../common/testing/contract-metadata';
import { contracts } from './index';

describe('evidence chaincode metadata', () => {
    it('passes fabric-chaincode-node schema validation, as at server start', () => {
        const metadata = contractMetadata(contracts, 'evidence');
        const { submit, evaluate } = transactionNames(metadata, 'evidence');
        expect(submit).toEqual(expect.arrayContaining(['Anchor']));
        expect(evaluate).toEqual(expect.arrayContaining(['Read', 'Verify']));
    });
});
