import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { request as httpsRequest } from 'node:https';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { allOperations, ServiceStore } from '../../service/src';
import { createHash } from 'node:crypto';
import { connect } from '../../gateway-sdk/src';
import type { ServiceFolder } from '../../service/src';
import { sha256 } from '../support/evidence';
import { uniqueId } from '../support/network';
import { type Answer, apiKeyOf, call, type RunningService, startService, testServiceFolder } from '../support/service';

jest.setTimeout(120_000);

let folder: ServiceFolder;
let running: RunningService;
let edgeKey: string;
let cloudKey: string;
let counter = 0;

function fresh(prefix: string): string {
    counter += 1;
    return `${uniqueId(prefix)}-${String(counter)}`;
}

function anchorBody(id: string, content: string): Record<string, unknown> {
    return { id, digest: sha256(content), name: `${id}.bin`, size: Buffer.byteLength(content), source: { type: 'device', id: 'http-camera' } };
}

const as = (key: string, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer> =>
    call(folder, running.port, method, path, { apiKey: key, ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });

/** The TLS client certificate cryptogen issued a user (its mutual-TLS credential). */
function tlsClientOf(organization: string, user: string): { cert: string; key: string } {
    const certPath = folder.profile.organizations[organization]?.users[user]?.certPath ?? '';
    const tls = join(dirname(dirname(dirname(certPath))), 'tls');
    return { cert: join(tls, 'client.crt'), key: join(tls, 'client.key') };
}

beforeAll(async () => {
    folder = testServiceFolder();
    running = await startService(folder);
    edgeKey = apiKeyOf(folder, 'edgeorg-user1');
    cloudKey = apiKeyOf(folder, 'cloudorg-user1');
});

afterAll(async () => {
    await running.service.close();
});

describe('the REST API on the real network', () => {
    it('serves an OpenAPI document generated from the route table: one operation per client method', async () => {
        const answer = await call(folder, running.port, 'GET', '/openapi.json');
        expect(answer.status).toBe(200);
        const doc = answer.body as { openapi: string; paths: Record<string, Record<string, { operationId?: string }>> };
        expect(doc.openapi).toBe('3.1.0');
        const ids = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
        for (const operation of allOperations) {
            expect(ids).toContain(operation.name);
        }
    });

    it('anchors, reads, verifies and lists history; refusals are problem+json with the chaincode code', async () => {
        const id = fresh('http-anchor');
        const anchored = await as(edgeKey, 'POST', '/v1/evidence/records', anchorBody(id, 'frame 1'));
        expect(anchored.status).toBe(200);
        expect(anchored.body).toMatchObject({ result: { id, submitterMspId: 'EdgeOrgMSP' }, transactionId: expect.any(String), blockNumber: expect.any(Number) });
        const read = await as(cloudKey, 'GET', `/v1/evidence/records/${encodeURIComponent(id)}`);
        expect(read.body).toMatchObject({ id, digest: sha256('frame 1') });
        expect((await as(cloudKey, 'GET', `/v1/evidence/verify?id=${encodeURIComponent(id)}&digest=${sha256('frame 1')}`)).body).toMatchObject({ outcome: 'match' });
        expect((await as(cloudKey, 'GET', `/v1/evidence/verify?id=${encodeURIComponent(id)}&digest=${sha256('tampered')}`)).body).toMatchObject({ outcome: 'mismatch' });
        expect(((await as(edgeKey, 'GET', `/v1/evidence/records/${encodeURIComponent(id)}/history`)).body as unknown[]).length).toBe(1);

        const missing = await as(edgeKey, 'GET', `/v1/evidence/records/${fresh('nope')}`);
        expect(missing.status).toBe(404);
        expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(missing.body).toMatchObject({ type: 'urn:edgetrust:error:NOT_FOUND', code: 'NOT_FOUND', status: 404 });
        const again = await as(edgeKey, 'POST', '/v1/evidence/records', anchorBody(id, 'frame 1'));
        expect(again.status).toBe(409);
        expect(again.body).toMatchObject({ code: 'ALREADY_EXISTS', stage: 'proposal' });
        const bad = await as(edgeKey, 'POST', '/v1/evidence/records', { ...anchorBody(fresh('bad'), 'x'), digest: 'not-hex' });
        expect(bad.status).toBe(400);
        expect(bad.body).toMatchObject({ code: 'INVALID_ARGUMENT' });
    });
});

describe('who is calling', () => {
    it('answers 401 without credentials, with an unknown key, or with a key and a certificate of different identities', async () => {
        const none = await call(folder, running.port, 'GET', '/v1/evidence/records/x');
        expect(none.status).toBe(401);
        expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(none.body).toMatchObject({ code: 'UNAUTHENTICATED' });
        expect((await call(folder, running.port, 'GET', '/v1/evidence/records/x', { apiKey: 'et_wrong' })).status).toBe(401);
        const mixed = await call(folder, running.port, 'GET', '/v1/evidence/records/x', { apiKey: cloudKey, clientCert: tlsClientOf('EdgeOrg', 'User1') });
        expect(mixed.status).toBe(401);
    });

    it("authenticates by the organisation-issued TLS client certificate (mutual TLS) as that user's identity", async () => {
        const id = fresh('http-mtls');
        const anchored = await call(folder, running.port, 'POST', '/v1/evidence/records', { clientCert: tlsClientOf('CloudOrg', 'User1'), body: anchorBody(id, 'mtls') });
        expect(anchored.status).toBe(200);
        expect(anchored.body).toMatchObject({ result: { submitterMspId: 'CloudOrgMSP' } });
    });

    it('a CloudOrg caller cannot act as EdgeOrg: its writes are its own, and EdgeOrg-only actions are 403', async () => {
        const id = fresh('http-edge-owned');
        expect((await as(edgeKey, 'POST', '/v1/evidence/records', anchorBody(id, 'edge'))).status).toBe(200);
        const claimed = await as(cloudKey, 'POST', '/v1/evidence/records', anchorBody(fresh('http-claim'), 'c'), { 'x-organization': 'EdgeOrg', 'x-msp-id': 'EdgeOrgMSP' });
        expect(claimed.body).toMatchObject({ result: { submitterMspId: 'CloudOrgMSP' } });
        const revoke = await as(cloudKey, 'POST', `/v1/evidence/records/${encodeURIComponent(id)}/revoke`, { reason: 'not mine' });
        expect(revoke.status).toBe(403);
        expect(revoke.body).toMatchObject({ code: 'ACCESS_DENIED' });
        expect((await as(edgeKey, 'GET', `/v1/evidence/records/${encodeURIComponent(id)}`)).body).toMatchObject({ status: 'active' });
    });
});

/** Sends a request and destroys the connection as soon as it is written, before any answer. */
function sendAndKill(path: string, body: unknown, headers: Record<string, string>): Promise<void> {
    return new Promise((resolve) => {
        const req = httpsRequest({ host: '127.0.0.1', port: running.port, method: 'POST', path, ca: readFileSync(folder.tls.caFile ?? ''), headers: { 'content-type': 'application/json', authorization: `Bearer ${edgeKey}`, ...headers } });
        req.on('error', () => resolve());
        req.end(JSON.stringify(body), () => {
            req.destroy();
            resolve();
        });
    });
}

describe('safe retries', () => {
    it('a retry after a killed connection returns the first result: exactly one transaction', async () => {
        const id = fresh('http-killed');
        const key = fresh('key');
        await sendAndKill('/v1/evidence/records', anchorBody(id, 'killed'), { 'idempotency-key': key });
        const retry = await as(edgeKey, 'POST', '/v1/evidence/records', anchorBody(id, 'killed'), { 'idempotency-key': key });
        expect(retry.status).toBe(200);
        expect(retry.headers['idempotent-replayed']).toBe('true');
        const history = (await as(edgeKey, 'GET', `/v1/evidence/records/${encodeURIComponent(id)}/history`)).body as Array<{ txId: string }>;
        expect(history.map((h) => h.txId)).toEqual([(retry.body as { transactionId: string }).transactionId]);
    });

    it('a retry after a restart of the service returns the stored result; the same key with other content is 422', async () => {
        const id = fresh('http-restart');
        const key = fresh('key');
        const first = await as(edgeKey, 'POST', '/v1/evidence/records', anchorBody(id, 'restart'), { 'idempotency-key': key });
        expect(first.status).toBe(200);
        await running.service.close();
        running = await startService(folder);
        const retry = await as(edgeKey, 'POST', '/v1/evidence/records', anchorBody(id, 'restart'), { 'idempotency-key': key });
        expect(retry.status).toBe(200);
        expect(retry.body).toEqual(first.body);
        const reused = await as(edgeKey, 'POST', '/v1/evidence/records', anchorBody(fresh('other'), 'other'), { 'idempotency-key': key });
        expect(reused.status).toBe(422);
        expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    });

    it('a service that died after endorsing (sent or not) sends the same transaction at restart: exactly one commit each', async () => {
        const connection = await connect({ profile: folder.profile, organization: 'EdgeOrg', user: 'User1' });
        const contract = connection.gateway.getNetwork(folder.profile.channel).getContract('evidence');
        const cases = [
            { id: fresh('http-died-before-send'), key: fresh('key'), sent: false },
            { id: fresh('http-died-after-send'), key: fresh('key'), sent: true },
        ];
        await running.service.close();
        const store = new ServiceStore(folder.storeFile);
        const endorsed: string[] = [];
        for (const c of cases) {
            const body = anchorBody(c.id, c.id);
            const transaction = await contract.newProposal('Anchor', { arguments: [JSON.stringify(body)] }).endorse();
            // What the service stores before it sends: the request's fingerprint and the endorsed transaction.
            const fingerprint = createHash('sha256').update(`POST /v1/evidence/records ${JSON.stringify(body)}`).digest('hex');
            store.insertSubmission({ id: c.key, caller: 'edgeorg-user1', idempotencyKey: c.key, fingerprint, operation: 'anchor' });
            store.markPrepared(c.key, transaction.getTransactionId(), transaction.getBytes());
            if (c.sent) {
                await (await transaction.submit()).getStatus();
            }
            endorsed.push(transaction.getTransactionId());
        }
        store.close();
        connection.close();
        running = await startService(folder);
        await running.service.recovered;
        for (const [i, c] of cases.entries()) {
            const retry = await as(edgeKey, 'POST', '/v1/evidence/records', anchorBody(c.id, c.id), { 'idempotency-key': c.key });
            expect(retry.status).toBe(200);
            expect(retry.body).toMatchObject({ result: { id: c.id }, transactionId: endorsed[i] });
            const history = (await as(edgeKey, 'GET', `/v1/evidence/records/${encodeURIComponent(c.id)}/history`)).body as Array<{ txId: string }>;
            expect(history.map((h) => h.txId)).toEqual([endorsed[i]]);
        }
    });

    it('answers 202 with the transaction id on Prefer: respond-async, and the status endpoint the outcome', async () => {
        const id = fresh('http-async');
        const accepted = await as(edgeKey, 'POST', '/v1/evidence/records', anchorBody(id, 'async'), { prefer: 'respond-async' });
        expect(accepted.status).toBe(202);
        const { operationId, transactionId } = accepted.body as { operationId: string; transactionId: string };
        expect(accepted.headers.location).toBe(`/v1/operations/${operationId}`);
        let state: Answer;
        do {
            await new Promise((r) => setTimeout(r, 200));
            state = await as(edgeKey, 'GET', `/v1/operations/${operationId}`);
        } while ((state.body as { state: string }).state !== 'done');
        expect(state.body).toMatchObject({ operationId, transactionId, httpStatus: 200, response: { result: { id }, transactionId } });
        expect((await as(cloudKey, 'GET', `/v1/operations/${operationId}`)).status).toBe(404);
    });
});

/** Reads SSE events from a subscription until `count` arrived, then drops the connection. */
function readEvents(name: string, count: number, lastEventId?: string): Promise<Array<{ id: string; event: string; data: { payload: { id?: string } } }>> {
    return new Promise((resolve, reject) => {
        const events: Array<{ id: string; event: string; data: { payload: { id?: string } } }> = [];
        const req = httpsRequest(
            { host: '127.0.0.1', port: running.port, path: `/v1/subscriptions/${name}/events`, ca: readFileSync(folder.tls.caFile ?? ''), headers: { authorization: `Bearer ${edgeKey}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) } },
            (res) => {
                let buffer = '';
                res.on('data', (chunk: Buffer) => {
                    buffer += chunk.toString('utf8');
                    let end: number;
                    while ((end = buffer.indexOf('\n\n')) >= 0) {
                        const frame = buffer.slice(0, end);
                        buffer = buffer.slice(end + 2);
                        const fields = Object.fromEntries(frame.split('\n').filter((l) => !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
                        if (fields.id) {
                            events.push({ id: fields.id, event: fields.event ?? '', data: JSON.parse(fields.data ?? '{}') });
                        }
                        if (events.length >= count) {
                            req.destroy();
                            resolve(events);
                            return;
                        }
                    }
                });
            },
        );
        req.on('error', (err) => (events.length >= count ? undefined : reject(err)));
        req.end();
    });
}

describe('event streams', () => {
    it('resumes after the acknowledged event: nothing missed, nothing twice, across a reconnect and a restart', async () => {
        const name = fresh('sub').replace(/[^A-Za-z0-9._-]/g, '-');
        expect((await as(edgeKey, 'POST', '/v1/subscriptions', { name, chaincode: 'evidence', events: ['EvidenceAnchored'] })).status).toBe(201);
        const ids = [fresh('ev-a'), fresh('ev-b'), fresh('ev-c')];
        for (const id of ids) {
            expect((await as(edgeKey, 'POST', '/v1/evidence/records', anchorBody(id, id))).status).toBe(200);
        }
        const first = await readEvents(name, 2);
        expect(first.map((e) => e.data.payload.id)).toEqual(ids.slice(0, 2));
        expect((await as(edgeKey, 'POST', `/v1/subscriptions/${name}/ack`, { eventId: first[1]?.id })).status).toBe(200);
        await running.service.close();
        running = await startService(folder);
        const later = fresh('ev-d');
        expect((await as(edgeKey, 'POST', '/v1/evidence/records', anchorBody(later, later))).status).toBe(200);
        const second = await readEvents(name, 2);
        expect(second.map((e) => e.data.payload.id)).toEqual([ids[2], later]);
        // Reconnecting with Last-Event-ID acknowledges up to it: the next stream starts after it.
        const third = fresh('ev-e');
        expect((await as(edgeKey, 'POST', '/v1/evidence/records', anchorBody(third, third))).status).toBe(200);
        const resumed = await readEvents(name, 1, second[1]?.id);
        expect(resumed.map((e) => e.data.payload.id)).toEqual([third]);
    });
});

describe('a client in another language', () => {
    it('curl anchors a file and verifies it, and a tampered copy does not verify', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'edgetrust-curl-'));
        const file = join(dir, 'clip.mp4');
        writeFileSync(file, `video ${fresh('bytes')}`);
        // Asynchronously: the service answering curl runs in this process.
        const { stdout: out } = await promisify(execFile)('bash', [join(__dirname, 'service-curl.sh'), file], {
            env: { ...process.env, SERVICE_URL: `https://127.0.0.1:${String(running.port)}`, SERVICE_CA: folder.tls.caFile ?? '', API_KEY: edgeKey, RECORD_ID: fresh('curl') },
        });
        expect(out).toMatch(/anchored .* in block \d+/);
        expect(out).toMatch(/verify: match/);
        expect(out).toMatch(/tampered: mismatch/);
    });
});
