import { requireTimestamp } from '../../common/src';
import { EVIDENCE_KINDS, EvidenceKind, validateAttributes } from './record-kinds';

/** One valid attribute set per kind. */
const valid: Record<EvidenceKind, Record<string, unknown>> = {
    generic: { note: 'free text', count: 3, ok: true },
    'video-segment': { cameraId: 'cam-7', startTime: '2026-01-01T00:00:00Z', endTime: '2026-01-01T00:05:00Z', sequence: 12 },
    'iot-reading-batch': { gatewayId: 'gw-1', readingCount: 600, firstReadingAt: '2026-01-01T00:00:00Z', lastReadingAt: '2026-01-01T00:10:00Z' },
    'personal-document': { documentType: 'contract' },
    'inspection-report': { inspectorId: 'insp-4', deviceId: 'rru-88', method: 'manual', result: 'pass', inspectedAt: '2026-01-02T08:00:00Z' },
    'om-log': {
        operatorId: 'vendor-x',
        employeeId: 'E1234',
        ipAddress: '10.0.0.7',
        operatedAt: '2026-01-02T09:00:00.250Z',
        gps: { latitude: 31.23, longitude: 121.47 },
        action: 'restart baseband unit',
    },
    alarm: { deviceId: 'bbu-3', alarmType: 'LINK_DOWN', severity: 'major', raisedAt: '2026-01-02T09:00:00Z' },
    'performance-sample': { deviceId: 'upf-1', metric: 'throughput', value: 812.5, unit: 'Mbit/s', sampledAt: '2026-01-02T09:00:00Z' },
    artifact: { artifactType: 'container-image', artifactName: 'video-analytics', version: '2.1.0' },
    'data-set-transfer': { dataSetId: 'ds-1', recipients: [{ mspId: 'EdgeOrgMSP', name: 'site-b' }, { mspId: 'CloudOrgMSP' }] },
    'process-step': { traceId: 'shipment-1', step: 'pickup', party: 'shipper' },
};

describe('record kinds', () => {
    it.each(EVIDENCE_KINDS.map((kind) => [kind]))('accepts a valid %s', (kind) => {
        const attributes = validateAttributes(kind, valid[kind]);
        expect(Object.keys(attributes).sort()).toEqual(Object.keys(valid[kind]).sort());
    });

    it('normalizes timestamps to milliseconds so that they sort', () => {
        expect(validateAttributes('alarm', valid.alarm).raisedAt).toBe('2026-01-02T09:00:00.000Z');
        expect(requireTimestamp('2026-01-02T09:00:00.5Z', 't')).toBe('2026-01-02T09:00:00.500Z');
    });

    it.each([
        ['video-segment', { ...valid['video-segment'], cameraId: undefined }, /attributes.cameraId is required/],
        ['video-segment', { ...valid['video-segment'], endTime: '2025-12-31T00:00:00Z' }, /endTime is before startTime/],
        ['video-segment', { ...valid['video-segment'], colour: 'red' }, /attributes.colour is not an attribute of kind video-segment/],
        ['iot-reading-batch', { ...valid['iot-reading-batch'], readingCount: 0 }, /attributes.readingCount/],
        ['inspection-report', { ...valid['inspection-report'], method: 'remote' }, /attributes.method must be one of manual, automatic/],
        ['om-log', { ...valid['om-log'], ipAddress: '10.0.0.300' }, /attributes.ipAddress/],
        ['om-log', { ...valid['om-log'], gps: { latitude: 91, longitude: 0 } }, /attributes.gps.latitude/],
        ['alarm', { ...valid.alarm, raisedAt: '2026-02-30T00:00:00Z' }, /attributes.raisedAt must be a UTC ISO-8601 time/],
        ['alarm', { ...valid.alarm, raisedAt: '2026-01-02 09:00' }, /attributes.raisedAt/],
        ['performance-sample', { ...valid['performance-sample'], value: 'fast' }, /attributes.value must be a number/],
        ['artifact', { ...valid.artifact, artifactType: 'firmware' }, /attributes.artifactType/],
        ['data-set-transfer', { ...valid['data-set-transfer'], recipients: [] }, /attributes.recipients must name 1 to 16/],
        ['data-set-transfer', { dataSetId: 'd', recipients: [{ mspId: 'A' }, { mspId: 'A' }] }, /same recipient twice/],
        ['process-step', { ...valid['process-step'], predecessorId: 'bad id' }, /attributes.predecessorId may hold only/],
        ['generic', { nested: { a: 1 } }, /attributes.nested must be a string, number or boolean/],
        ['generic', { big: 'x'.repeat(5000) }, /attributes are longer than 4096/],
        ['generic', [1, 2], /attributes must be a JSON object/],
    ] as const)('rejects bad %s attributes', (kind, attributes, pattern) => {
        expect(() => validateAttributes(kind, attributes)).toThrow(pattern);
        expect(() => validateAttributes(kind, attributes)).toThrow(/^INVALID_ARGUMENT: /);
    });
});
