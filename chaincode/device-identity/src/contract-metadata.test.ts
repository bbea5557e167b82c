import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractMetadata, transactionNames, transactionSignatures } from '../../common/testing/contract-metadata';
import { contracts } from './index';
import { metadataFileText } from '../../schemas/src';
import { deviceIdentityMetadata } from './metadata';

const FILE = join(__dirname, '..', 'META-INF', 'metadata.json');
const committed = JSON.parse(readFileSync(FILE, 'utf8')) as object;

interface Described {
    contracts: Record<string, { transactions: { name: string; parameters?: { name: string; description: string; schema: { type?: string; title?: string } }[]; returns?: { $ref?: string } }[] }>;
    components: { schemas: Record<string, object> };
}

/** Transactions whose return, or a parameter, names no schema of components.schemas, or a parameter that is not text. */
function undescribed(metadata: Described, schemas: Record<string, object>): string[] {
    const known = (id: string | undefined): boolean => id !== undefined && id in schemas;
    return (metadata.contracts['device-identity']?.transactions ?? [])
        .filter((t) => !known(t.returns?.$ref?.replace('#/components/schemas/', '')) || !(t.parameters ?? []).every((p) => p.schema.type === 'string' && known(p.schema.title)))
        .map((t) => t.name);
}

describe('device identity chaincode metadata', () => {
    it('META-INF/metadata.json is what the transaction table generates (else: npm run build && npm run metadata)', () => {
        expect(readFileSync(FILE, 'utf8')).toBe(metadataFileText(deviceIdentityMetadata()));
    });

    it('is valid against fabric-contract-api’s contract schema, as fabric-shim checks it at start', () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- fabric-shim's own loader, untyped
        const Bootstrap = require('fabric-shim/lib/contract-spi/bootstrap') as { loadAndValidateMetadata(path: string): unknown };
        expect(Bootstrap.loadAndValidateMetadata(FILE)).toEqual(committed);
    });

    it('names every decorated transaction, with its submit/evaluate tag and the names of its parameters in order, and no other', () => {
        expect(transactionSignatures(contractMetadata(contracts, 'device-identity', committed), 'device-identity')).toEqual(
            transactionSignatures(contractMetadata(contracts, 'device-identity'), 'device-identity'),
        );
    });

    it('serves, as at server start, exactly these transactions, each with text parameters naming their schemas and a return schema', () => {
        const metadata = contractMetadata(contracts, 'device-identity', committed);
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
                'CheckCertificates',
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
        const described = metadata as unknown as Described;
        const schemas = (committed as Described).components.schemas;
        expect(undescribed(described, schemas)).toEqual([]);
        const list = described.contracts['device-identity']?.transactions.find((t) => t.name === 'ListDevicesByManufacturer');
        expect(list?.parameters?.map((p) => p.schema.title)).toEqual(['ManufacturerId', 'PageSize', 'Bookmark']);
        expect(schemas.PageSize).toMatchObject({ type: 'string' });
        const register = described.contracts['device-identity']?.transactions.find((t) => t.name === 'RegisterDevice');
        expect(register?.parameters).toEqual([{ name: 'request', description: 'request: JSON text of components.schemas.RegisterDeviceRequest', schema: { type: 'string', title: 'RegisterDeviceRequest' } }]);
        expect(register?.returns).toMatchObject({ $ref: '#/components/schemas/DeviceCertificate' });
    });
});
