import { ANCHOR_OPTIONS, anchorRequestFrom, deviceSigningFrom, ARTIFACT_OPTIONS, artifactRequestFrom, defaultRecordId, mediaTypeOf, parseCommand, QUERY_OPTIONS, queryFrom, UsageError } from './evidence-args';

const DIGEST = 'ab'.repeat(32);

describe('evidence command arguments', () => {
    it('builds an anchor request from options, with defaults from the file', () => {
        const { values, positionals } = parseCommand(
            ['/videos/cam 7.mp4', '--tag', 'site-a', '--tag', 'night', '--source-id', 'cam7', '--kind', 'video-segment', '--attributes', '{"cameraId":"cam7"}', '--json'],
            ANCHOR_OPTIONS,
            ['file'],
        );
        expect(positionals).toEqual(['/videos/cam 7.mp4']);
        expect(values.json).toBe(true);
        expect(anchorRequestFrom(values, '/videos/cam 7.mp4', { digest: DIGEST, size: 42 })).toEqual({
            id: `cam-7.mp4-${'ab'.repeat(8)}`,
            kind: 'video-segment',
            digest: DIGEST,
            size: 42,
            name: 'cam 7.mp4',
            mediaType: 'video/mp4',
            source: { type: 'device', id: 'cam7' },
            tags: ['site-a', 'night'],
            attributes: { cameraId: 'cam7' },
        });
    });

    it('refuses unknown options, missing or extra positionals, bad sources and bad JSON', () => {
        expect(() => parseCommand(['f', '--colour', 'red'], ANCHOR_OPTIONS, ['file'])).toThrow(UsageError);
        expect(() => parseCommand([], ANCHOR_OPTIONS, ['file'])).toThrow('expected <file>, got none');
        expect(() => parseCommand(['a', 'b', 'c'], {}, ['receipts.json', 'file?'])).toThrow('expected <receipts.json> [file], got a b c');
        expect(parseCommand(['a'], {}, ['receipts.json', 'file?']).positionals).toEqual(['a']);
        const badSource = parseCommand(['f', '--source-type', 'satellite'], ANCHOR_OPTIONS, ['file']).values;
        expect(() => anchorRequestFrom(badSource, 'f', { digest: DIGEST, size: 1 })).toThrow('--source-type must be one of device, app, org (got satellite)');
        const badJson = parseCommand(['f', '--attributes', '[1]'], ANCHOR_OPTIONS, ['file']).values;
        expect(() => anchorRequestFrom(badJson, 'f', { digest: DIGEST, size: 1 })).toThrow('--attributes must be a JSON object');
    });

    it('builds each kind of query with what it needs', () => {
        const query = (...args: string[]): ReturnType<typeof queryFrom> => queryFrom(parseCommand(args, QUERY_OPTIONS, []).values);
        expect(query('--by', 'source', '--source-type', 'app', '--source-id', 'svc', '--page-size', '20', '--bookmark', 'bm')).toEqual({
            by: 'source',
            source: { type: 'app', id: 'svc' },
            pageSize: 20,
            bookmark: 'bm',
        });
        expect(query('--by', 'submitter', '--msp-id', 'EdgeOrgMSP', '--submitter-id', 'x509::u')).toEqual({ by: 'submitter', mspId: 'EdgeOrgMSP', submitterId: 'x509::u' });
        expect(query('--by', 'time', '--from', '2026-01-01T00:00:00Z', '--to', '2026-01-02T00:00:00Z')).toEqual({ by: 'time', from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' });
        expect(() => query('--by', 'tag')).toThrow('--tag is required');
        expect(() => query('--by', 'colour')).toThrow('--by must be one of');
        expect(() => query('--by', 'kind', '--kind', 'alarm', '--page-size', '0')).toThrow('--page-size must be a positive integer (got 0)');
    });

    it('publishes an artifact under a default id with its attributes', () => {
        const { values } = parseCommand(['app.tar', '--name', 'video-analytics', '--version', '2.1.0', '--type', 'container-image', '--vendor', 'ACME'], ARTIFACT_OPTIONS, ['file']);
        expect(artifactRequestFrom(values, '/images/app.tar', { digest: DIGEST, size: 9 })).toMatchObject({
            id: 'artifact:video-analytics:2.1.0',
            kind: 'artifact',
            name: 'app.tar',
            mediaType: 'application/x-tar',
            source: { type: 'app', id: 'video-analytics' },
            attributes: { artifactType: 'container-image', artifactName: 'video-analytics', version: '2.1.0', vendor: 'ACME' },
        });
        const noVersion = parseCommand(['app.tar', '--name', 'x'], ARTIFACT_OPTIONS, ['file']).values;
        expect(() => artifactRequestFrom(noVersion, 'app.tar', { digest: DIGEST, size: 9 })).toThrow('--version is required');
        const badType = parseCommand(['app.tar', '--name', 'x', '--version', '1', '--type', 'tarball'], ARTIFACT_OPTIONS, ['file']).values;
        expect(() => artifactRequestFrom(badType, 'app.tar', { digest: DIGEST, size: 9 })).toThrow('--type must be one of');
    });

    it('guesses media types and makes ids only of allowed characters', () => {
        expect(mediaTypeOf('a/B.MP4')).toBe('video/mp4');
        expect(mediaTypeOf('readings')).toBe('application/octet-stream');
        expect(defaultRecordId('/x/rec (1)#.mkv', DIGEST)).toBe(`rec--1--.mkv-${'ab'.repeat(8)}`);
    });
});

describe('evidence anchor --device-key', () => {
    it('needs --sequence and --source-id with a device key, and a key with --sequence', () => {
        const parse = (args: string[]): ReturnType<typeof parseCommand>['values'] => parseCommand(['f', ...args], ANCHOR_OPTIONS, ['file']).values;
        expect(deviceSigningFrom(parse([]))).toBeUndefined();
        expect(deviceSigningFrom(parse(['--device-key', 'k.pem', '--sequence', '7', '--source-id', 'cam-7']))).toEqual({ keyPath: 'k.pem', sequence: 7 });
        expect(() => deviceSigningFrom(parse(['--device-key', 'k.pem', '--source-id', 'cam-7']))).toThrow(/--device-key needs --sequence/);
        expect(() => deviceSigningFrom(parse(['--device-key', 'k.pem', '--sequence', '7']))).toThrow(/--source-id/);
        expect(() => deviceSigningFrom(parse(['--sequence', '7']))).toThrow('--sequence goes with --device-key');
        expect(() => deviceSigningFrom(parse(['--device-key', 'k.pem', '--sequence', '0', '--source-id', 'c']))).toThrow(/positive integer/);
    });
});
