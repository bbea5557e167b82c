import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkProfile } from '@edgetrust/gateway-sdk';
import { sha256OfText } from './identities';
import { allOperations } from './operations';
import { statusForCode } from './problem';
import { createService, type Service } from './server';

const profile: NetworkProfile = {
    name: 'unit',
    channel: 'edgetrust',
    chaincodes: {},
    organizations: { EdgeOrg: { mspId: 'EdgeOrgMSP', role: 'operator', peers: [], users: {} } },
};

let service: Service;
let base = '';

// Over a real socket: Fastify's inject() loads an ES-module-only cookie parser that Jest's CommonJS runtime cannot.
async function request(method: string, url: string, headers: Record<string, string> = {}, payload?: unknown): Promise<{ statusCode: number; headers: Headers; body: unknown }> {
    const response = await fetch(`${base}${url}`, {
        method,
        headers: { ...headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
    });
    return { statusCode: response.status, headers: response.headers, body: await response.json() };
}

beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgetrust-service-unit-'));
    mkdirSync(join(dir, 'wallet', 'edge-app'), { recursive: true });
    writeFileSync(join(dir, 'wallet', 'edge-app', 'identity.json'), JSON.stringify({ organization: 'EdgeOrg' }));
    service = await createService({ profile, wallet: join(dir, 'wallet'), access: [{ identity: 'edge-app', apiKeySha256: sha256OfText('good-key') }], storeFile: ':memory:', tls: false });
    await service.app.listen({ host: '127.0.0.1', port: 0 });
    const address = service.app.server.address();
    base = `http://127.0.0.1:${String(typeof address === 'object' && address ? address.port : 0)}`;
});

afterAll(async () => {
    await service.close();
});

describe('the route table', () => {
    it('has one endpoint per operation name and per method and path', () => {
        expect(new Set(allOperations.map((o) => o.name)).size).toBe(allOperations.length);
        expect(new Set(allOperations.map((o) => `${o.method} ${o.path}`)).size).toBe(allOperations.length);
    });

    it('generates the OpenAPI document from it, with every operationId and the request schemas', async () => {
        const answer = await request('GET', '/openapi.json');
        const doc = answer.body as { paths: Record<string, Record<string, { operationId: string; requestBody?: unknown }>> };
        const operations = Object.values(doc.paths).flatMap((p) => Object.values(p));
        for (const op of allOperations) {
            expect(operations.map((o) => o.operationId)).toContain(op.name);
        }
        expect(doc.paths['/v1/evidence/records']?.post?.requestBody).toMatchObject({ content: { 'application/json': { schema: { required: expect.arrayContaining(['id', 'name', 'source']) } } } });
    });
});

describe('requests', () => {
    it('401 without or with a wrong API key, as problem+json', async () => {
        for (const headers of [{}, { authorization: 'Bearer wrong' }] as Array<Record<string, string>>) {
            const answer = await request('GET', '/v1/evidence/records/x', headers);
            expect(answer.statusCode).toBe(401);
            expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
            expect(answer.body).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
        }
    });

    it('400 INVALID_ARGUMENT for a body its schema refuses, before anything reaches the network', async () => {
        const answer = await request('POST', '/v1/evidence/records', { authorization: 'Bearer good-key' }, { id: 'x', name: 'n', source: { type: 'device', id: 'c' }, digest: 'zz' });
        expect(answer.statusCode).toBe(400);
        expect(answer.body).toMatchObject({ code: 'INVALID_ARGUMENT' });
    });
});

describe('HTTP status per EdgeTrust code', () => {
    it.each([
        ['NOT_FOUND', 404],
        ['ACCESS_DENIED', 403],
        ['ALREADY_EXISTS', 409],
        ['INVALID_STATE', 409],
        ['MVCC_READ_CONFLICT', 409],
        ['INVALID_ARGUMENT', 400],
        ['PAYLOAD_TOO_LARGE', 413],
        ['DIGEST_MISMATCH', 422],
        ['GATEWAY_14', 503],
        ['GATEWAY_13', 502],
    ])('%s → %d', (code, status) => {
        expect(statusForCode(code)).toBe(status);
    });
});
