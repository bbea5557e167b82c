import type { AssetHistoryEntry, DeviceCertificate, DeviceHistoryEntry, DeviceLookup, TrustDecision } from '@edgetrust/gateway-sdk';
import { decodeBookmark, encodeBookmark, pageFooter } from './paging';
import { EdgeTrustError } from '@edgetrust/gateway-sdk';
import { makeCertificate } from '../../chaincode/device-identity/testing/certificates';
import {
    assetHistoryRows,
    certificateFileFingerprint,
    certificateRow,
    certificateView,
    deviceHistoryRows,
    deviceIdFromFile,
    lookupView,
    looksLikeFingerprint,
    principalLabel,
    trustDecisionView,
} from './device-format';

const FP = 'ab'.repeat(32);
const OLD = 'cd'.repeat(32);
const factory = { mspId: 'CloudOrgMSP', id: 'x509::/C=US/OU=client/CN=User1@cloud.edgetrust.local::/C=US/O=cloud.edgetrust.local/CN=ca.cloud.edgetrust.local' };
const admin = { mspId: 'EdgeOrgMSP', id: 'x509::/C=US/OU=admin/CN=Admin@edge.edgetrust.local::/C=US/CN=ca.edge.edgetrust.local' };

const certificate: DeviceCertificate = {
    id: 'cam-7',
    kind: 'device',
    fingerprint: FP,
    certificatePem: '-----BEGIN CERTIFICATE-----\n…',
    subject: 'CN=cam-7',
    serialNumber: '01',
    keyType: 'ec-p256',
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: '2026-01-31T00:00:00.000Z',
    manufacturerId: 'acme',
    lot: 'lot-9',
    model: 'IPC-7',
    owner: factory,
    registeredBy: factory,
    registeredAt: '2026-01-02T00:00:00.000Z',
    status: 'revoked',
    statusReason: 'keyCompromise',
    statusReasonCode: 1,
    statusChangedAt: '2026-01-03T00:00:00.000Z',
    statusChangedBy: admin,
    invalidityDate: '',
    previousFingerprints: [OLD],
    version: 3,
};

describe('device command output', () => {
    it('shows a certificate with readable principals, reason and validity, leaving out empty fields', () => {
        expect(principalLabel(factory)).toBe('User1@cloud.edgetrust.local (CloudOrgMSP)');
        const view = certificateView(certificate);
        expect(view).toMatchObject({
            status: 'revoked (keyCompromise)',
            statusChanged: '2026-01-03T00:00:00.000Z by Admin@edge.edgetrust.local (EdgeOrgMSP)',
            validity: '2026-01-01T00:00:00.000Z → 2026-01-31T00:00:00.000Z',
            model: 'IPC-7',
            owner: 'User1@cloud.edgetrust.local (CloudOrgMSP)',
            previousFingerprints: OLD,
        });
        expect(view).not.toHaveProperty('invalidityDate');
        expect(certificateView({ ...certificate, kind: 'app', manufacturerId: '', status: 'active', version: 1 })).toMatchObject({ name: 'IPC-7', status: 'active' });
        expect(certificateView({ ...certificate, kind: 'app', manufacturerId: '', version: 1 })).not.toHaveProperty('manufacturer');
        expect(certificateRow({ ...certificate, status: 'active', statusReason: 'removeFromCRL' })).toMatchObject({ status: 'active', fingerprint: `${FP.slice(0, 16)}…` });
    });

    it('says when a lookup by fingerprint found a superseded certificate', () => {
        const lookup: DeviceLookup = { certificate, fingerprint: OLD, fingerprintStatus: 'superseded', history: [] };
        expect(lookupView(lookup)).toMatchObject({ askedFingerprint: `${OLD} (superseded)`, fingerprint: FP });
        expect(lookupView({ ...lookup, fingerprint: FP })).not.toHaveProperty('askedFingerprint');
    });

    it('lists history with RFC 5280 reason codes and asset moves with who and where', () => {
        const entry: DeviceHistoryEntry = { id: 'cam-7', seq: 2, action: 'suspended', status: 'suspended', fingerprint: FP, previousFingerprint: '', reason: 'certificateHold', reasonCode: 6, comment: 'audit', by: admin, at: 't', txId: 'f'.repeat(64) };
        expect(deviceHistoryRows([{ ...entry, seq: 1, action: 'registered', status: 'active', reason: '', reasonCode: -1 }, entry]).map((r) => r.reason)).toEqual(['', 'certificateHold (6)']);
        const move: AssetHistoryEntry = { id: 'bs-1', seq: 1, from: '', to: 'in_stock', site: 's', location: 'l', note: '', lentTo: '', replacedBy: '', by: admin, at: 't', txId: 'x' };
        expect(assetHistoryRows([move, { ...move, seq: 2, from: 'in_use', to: 'lent', lentTo: 'neighbour' }, { ...move, seq: 3, from: 'installed', to: 'replaced', replacedBy: 'bs-2' }]).map((r) => r.change)).toEqual([
            'registered → in_stock',
            'in_use → lent to neighbour',
            'installed → replaced by bs-2',
        ]);
    });

    it('prints trust decisions plainly', () => {
        const decision: TrustDecision = { from: 'a', to: 'platform', allowed: false, reason: 'revoked', checkedAt: 't' };
        expect(trustDecisionView(decision)).toEqual({ allowed: 'NO', reason: 'revoked', from: 'a', to: 'platform', checkedAt: 't' });
    });

    it('round-trips Fabric bookmarks, whose NUL separators no shell can pass, through the command line', () => {
        const bookmark = '\u0000device~manufacturer~id\u0000acme\u0000cam-8\u0000';
        const printed = encodeBookmark(bookmark);
        expect(printed).toMatch(/^b64:[A-Za-z0-9_-]+$/);
        expect(decodeBookmark(printed)).toBe(bookmark);
        expect(decodeBookmark('plain')).toBe('plain');
        expect(pageFooter({ fetchedRecordsCount: 2, bookmark })).toBe(`2 found; next page: --bookmark ${printed}`);
        expect(pageFooter({ fetchedRecordsCount: 2, bookmark: '' })).toBe('2 found, last page');
    });

    it('tells fingerprints from ids, and names lot devices after their files', () => {
        expect(looksLikeFingerprint(FP)).toBe(true);
        expect(looksLikeFingerprint((FP.toUpperCase().match(/../g) ?? []).join(':'))).toBe(true);
        expect(looksLikeFingerprint('cam-7')).toBe(false);
        expect(looksLikeFingerprint(FP.slice(1))).toBe(false);
        expect(deviceIdFromFile('/lots/9/cam-7.pem')).toBe('cam-7');
        expect(deviceIdFromFile('cam.8.crt')).toBe('cam.8');
    });
});

describe('certificate files', () => {
    it('gives the fingerprint of a PEM certificate file', () => {
        const cert = makeCertificate({ commonName: 'cam-7' });
        expect(certificateFileFingerprint('cam-7.pem', Buffer.from(cert.pem))).toBe(cert.fingerprint);
    });

    it('refuses a file that holds no certificate with a coded error naming the file, not an OpenSSL message', () => {
        const refuse = (): string => certificateFileFingerprint('notes.txt', Buffer.from('hello, not a certificate'));
        expect(refuse).toThrow(EdgeTrustError);
        expect(refuse).toThrow(/^INVALID_ARGUMENT: notes.txt holds no X.509 certificate \(PEM or DER expected\)$/);
        let refusal: unknown;
        try {
            refuse();
        } catch (err) {
            refusal = err;
        }
        expect(refusal).toMatchObject({ code: 'INVALID_ARGUMENT' });
        expect((refusal as Error).message).not.toMatch(/asn1|error:0/i);
    });
});
