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

// Building the service compiles every route's schemas: seconds on a loaded machine.
jest.setTimeout(60_000);

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

    it('takes the billing, device identity and compute schemas from the transaction tables of @edgetrust/schemas', async () => {
        const answer = await request('GET', '/openapi.json');
        type Op = { parameters?: Array<{ name: string; in: string; schema: { pattern?: string } }>; requestBody?: { content: { 'application/json': { schema: { required?: string[]; properties?: Record<string, unknown> } } } } };
        const doc = answer.body as { paths: Record<string, Record<string, Op>> };
        const bodyOf = (path: string, method: string): { required?: string[]; properties?: Record<string, unknown> } | undefined => doc.paths[path]?.[method]?.requestBody?.content['application/json'].schema;
        expect(bodyOf('/v1/billing/sessions', 'post')).toMatchObject({ required: expect.arrayContaining(['sessionId', 'resourceId', 'appId']) });
        expect(bodyOf('/v1/device-identity/devices', 'post')).toMatchObject({ required: expect.arrayContaining(['manufacturerId', 'id', 'certificatePem']) });
        expect(bodyOf('/v1/compute/tasks', 'post')?.properties).toBeDefined();
        // An invoice id in a path carries '|' (operator|tenant|period): the chaincode's own rule, not the identifier one.
        const invoiceId = doc.paths['/v1/billing/invoices/{invoiceId}']?.get?.parameters?.find((p) => p.name === 'invoiceId');
        expect(new RegExp(invoiceId?.schema.pattern ?? '^$').test('EdgeOrgMSP|CloudOrgMSP|2026-11')).toBe(true);
        for (const op of Object.values(doc.paths).flatMap((p) => Object.values(p))) {
            expect(JSON.stringify(op)).not.toContain('"$id"');
        }
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

    it.each([
        ['POST', '/v1/billing/sessions', { sessionId: 's 1', resourceId: 'r-1', appId: 'a-1' }],
        ['POST', '/v1/billing/accounts/acc-1/mint', { amount: 'ten' }],
        ['POST', '/v1/billing/accounts/acc-1/mint', { amount: 0 }],
        ['POST', '/v1/device-identity/devices/cam-1/revoke', { reason: 'not-a-reason' }],
        ['GET', '/v1/billing/periods/2026-13/tenants', undefined],
        ['GET', '/v1/device-identity/certificates/not-hex', undefined],
        ['GET', '/v1/compute/offers?kind=nonsense', undefined],
    ])('400 INVALID_ARGUMENT for %s %s %j, from the schema package', async (method, url, payload) => {
        const answer = await request(method, url, { authorization: 'Bearer good-key' }, payload);
        expect(answer.statusCode).toBe(400);
        expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
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
