import { request as httpsRequest } from 'node:https';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createService, prepareServiceFolder, type Service, type ServiceFolder } from '../../service/src';

/** The network folder of the network under test (beside its connection profile). */
export function testNetworkDir(): string {
    const file = process.env.EDGETRUST_CONNECTION_PROFILE;
    if (!file) {
        throw new Error('EDGETRUST_CONNECTION_PROFILE is not set: run integration tests with `npm test` or `npm run test:integration`');
    }
    return dirname(file);
}

/** A service folder of its own for one test file (wallet, keys, TLS, store) over the network under test. */
export function testServiceFolder(): ServiceFolder {
    return prepareServiceFolder(testNetworkDir(), mkdtempSync(join(tmpdir(), 'edgetrust-service-')));
}

/** A running service on an ephemeral port of 127.0.0.1. */
export interface RunningService {
    service: Service;
    port: number;
}

export async function startService(folder: ServiceFolder): Promise<RunningService> {
    const service = await createService({ profile: folder.profile, wallet: folder.wallet, access: folder.access, storeFile: folder.storeFile, tls: folder.tls });
    await service.app.listen({ host: '127.0.0.1', port: 0 });
    const address = service.app.server.address();
    return { service, port: typeof address === 'object' && address ? address.port : 0 };
}

export interface Answer {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: unknown;
    text: string;
}

export interface CallOptions {
    apiKey?: string;
    /** Mutual TLS: the client certificate and key files. */
    clientCert?: { cert: string; key: string };
    body?: unknown;
    headers?: Record<string, string>;
}

/** One HTTPS request to the service, trusting the CA that issued its certificate. */
export function call(folder: ServiceFolder, port: number, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    return new Promise((resolve, reject) => {
        const req = httpsRequest(
            {
                host: '127.0.0.1',
                port,
                method,
                path,
                ca: readFileSync(folder.tls.caFile ?? ''),
                ...(options.clientCert ? { cert: readFileSync(options.clientCert.cert), key: readFileSync(options.clientCert.key) } : {}),
                headers: {
                    ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
                    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
                    ...options.headers,
                },
            },
            (res) => {
                const chunks: Buffer[] = [];
                res.on('data', (c: Buffer) => chunks.push(c));
                res.on('end', () => {
                    const text = Buffer.concat(chunks).toString('utf8');
                    let body: unknown = text;
                    try {
                        body = text === '' ? undefined : JSON.parse(text);
                    } catch {
                        // not JSON: keep the text
                    }
                    resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
                });
            },
        );
        req.on('error', reject);
        req.end(payload);
    });
}

/** The API key of a wallet identity of the folder. */
export function apiKeyOf(folder: ServiceFolder, identity: string): string {
    const file = folder.apiKeyFiles[identity];
    if (!file) {
        throw new Error(`no API key for ${identity}`);
    }
    return readFileSync(file, 'utf8').trim();
}
