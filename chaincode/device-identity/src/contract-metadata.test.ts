import { contractMetadata, transactionNames } from '../../common/testing/contract-metadata';
import { contracts } from './index';

describe('device identity chaincode metadata', () => {
    it('passes fabric-chaincode-node schema validation, as at server start, and exposes exactly these transactions', () => {
        const metadata = contractMetadata(contracts, 'device-identity');
        const { submit, evaluate } = transactionNames(metadata, 'device-identity');
        expect(submit).toEqual(
            [
                'AddRegistryAdministrator',
                'AuthorizeRegistrar',
                'GrantTrust',
                'InitRegistry',
                'ReinstateCertificate',
                'RegisterApplication',
                'RegisterAsset',
                'RegisterDevice',
                'RegisterDevices',
                'RegisterManufacturer',
                'RemoveRegistryAdministrator',
                'RevokeCertificate',
                'RevokeTrust',
                'RotateCertificate',
                'SuspendCertificate',
                'TransitionAsset',
                'WithdrawRegistrar',
            ].sort(),
        );
        expect(evaluate).toEqual(
            [
                'AssetHistory',
                'CheckCertificate',
                'CheckTrust',
                'ListAssetsBySite',
                'ListAssetsByState',
                'ListDevicesByManufacturer',
                'ListManufacturers',
                'ListTrustFrom',
                'ListTrustTo',
                'ReadAsset',
                'ReadAssetByTag',
                'ReadDevice',
                'ReadDeviceByFingerprint',
                'ReadManufacturer',
                'ReadRegistry',
                'WhoAmI',
            ].sort(),
        );
    });
});
