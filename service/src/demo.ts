import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join, resolve } from 'node:path';
import { defaultServicePort } from './serve';
import { identityName } from './setup';

/** `npm start`'s last step: an application with nothing but HTTPS anchors a reading and verifies it through the service. */
async function main(): Promise<void> {
    const networkDir = resolve(process.env.EDGETRUST_NETWORK_DIR ?? join('.edgetrust', 'network'));
    const folder = join(networkDir, 'service');
    const ca = readFileSync(join(folder, 'tls', 'ca.crt'));
    const key = (identity: string): string => readFileSync(join(folder, 'api-keys', `${identity}.key`), 'utf8').trim();
    const port = defaultServicePort();
    const api = (apiKey: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> =>
        new Promise((done, fail) => {
            const req = request({ host: '127.0.0.1', port, method, path, ca, headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers } }, (res) => {
                let text = '';
                res.on('data', (c: Buffer) => (text += c.toString()));
                res.on('end', () => done({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') as Record<string, unknown> }));
            });
            req.on('error', fail);
            req.end(body ? JSON.stringify(body) : undefined);
        });
    const edge = key(identityName('EdgeOrg', 'User1'));
    const cloud = key(identityName('CloudOrg', 'User1'));
    const id = `service-demo-${String(Date.now())}`;
    const content = `reading ${id}`;
    const digest = createHash('sha256').update(content).digest('hex');
    const request1 = { id, digest, size: content.length, name: `${id}.json`, source: { type: 'device', id: 'demo-sensor' } };
    const anchored = await api(edge, 'POST', '/v1/evidence/records', request1, { 'idempotency-key': id });
    console.log(`Service https://127.0.0.1:${String(port)}: EdgeOrg's application anchored ${id} over HTTPS: ${String(anchored.status)}, block ${String(anchored.body.blockNumber)}`);
    const retried = await api(edge, 'POST', '/v1/evidence/records', request1, { 'idempotency-key': id });
    console.log(`Retried with the same Idempotency-Key: ${String(retried.status)}, same transaction: ${String(retried.body.transactionId === anchored.body.transactionId)}`);
    const verified = await api(cloud, 'GET', `/v1/evidence/verify?id=${id}&digest=${digest}`);
    console.log(`CloudOrg's application verified it: ${String(verified.body.outcome)}; unauthenticated: ${String((await api('', 'GET', '/v1/evidence/records/x')).status)}`);
}

main().catch((err: unknown) => {
    console.error(`service demo: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
});
