import { contractMetadata, transactionNames } from '../../common/testing/contract-metadata';
import { contracts } from './index';

describe('evidence chaincode metadata', () => {
    it('passes fabric-chaincode-node schema validation, as at server start, and exposes exactly these transactions', () => {
        const metadata = contractMetadata(contracts, 'evidence');
        const { submit, evaluate } = transactionNames(metadata, 'evidence');
        expect(submit).toEqual(
            ['AcknowledgeTransfer', 'Anchor', 'AnchorBatch', 'AnchorPersonal', 'Revoke', 'SetOrgPolicy', 'SetRoles'].sort(),
        );
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
    });
});
