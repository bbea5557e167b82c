import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createService, type Service } from './server';
import { prepareServiceFolder, type ServiceFolder } from './setup';

export interface ServeOptions {
    networkDir: string;
    host?: string;
    port?: number;
    /** Plain HTTP instead of TLS (only behind a TLS-terminating proxy). */
    insecureHttp?: boolean;
    /** TLS key and certificate files instead of the network-issued ones. */
    tlsKey?: Buffer;
    tlsCert?: Buffer;
    logger?: boolean;
}

export interface Serving {
    service: Service;
    folder: ServiceFolder;
    url: string;
}

/** Default port of `edgetrust serve`: EDGETRUST_SERVICE_PORT, else the network's port base + 300 (7300). */
export function defaultServicePort(): number {
    return Number(process.env.EDGETRUST_SERVICE_PORT ?? Number(process.env.EDGETRUST_PORT_BASE ?? 7000) + 300);
}

/** Starts the service for a network folder and listens. */
export async function serve(options: Readonly<ServeOptions>): Promise<Serving> {
    const folder = prepareServiceFolder(options.networkDir);
    const tls = options.insecureHttp ? false : options.tlsKey && options.tlsCert ? { ...folder.tls, key: options.tlsKey, cert: options.tlsCert } : folder.tls;
    const service = await createService({ profile: folder.profile, wallet: folder.wallet, access: folder.access, storeFile: folder.storeFile, tls, logger: options.logger ?? false });
    const host = options.host ?? '127.0.0.1';
    const port = options.port ?? defaultServicePort();
    await service.app.listen({ host, port });
    return { service, folder, url: `${tls === false ? 'http' : 'https'}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}` };
}

const SERVE_HELP = `usage: edgetrust serve [--port N] [--host H] [--network-dir DIR] [--tls-key FILE --tls-cert FILE] [--insecure-http]

Serves the EdgeTrust REST API (OpenAPI at /openapi.json) over TLS with a certificate from the network's TLS CA.
Callers authenticate with Authorization: Bearer <API key> (keys in <network-dir>/service/api-keys/) or their
organisation-issued TLS client certificate; each maps to one wallet identity (<network-dir>/service/wallet/).`;

/** `edgetrust serve` and `edgetrust agent …`: the CLI hands its arguments here. */
export async function serviceCommand(argv: readonly string[]): Promise<number> {
    const [command, ...rest] = argv;
    if (command === 'agent') {
        const { agentCommand } = await import('./agent-command');
        return agentCommand(rest);
    }
    const { values } = parseArgs({
        args: [...rest],
        options: {
            port: { type: 'string' },
            host: { type: 'string' },
            'network-dir': { type: 'string' },
            'tls-key': { type: 'string' },
            'tls-cert': { type: 'string' },
            'insecure-http': { type: 'boolean' },
            help: { type: 'boolean' },
        },
    });
    if (values.help) {
        console.log(SERVE_HELP);
        return 0;
    }
    const { readFileSync } = await import('node:fs');
    const networkDir = resolve(values['network-dir'] ?? process.env.EDGETRUST_NETWORK_DIR ?? join('.edgetrust', 'network'));
    const serving = await serve({
        networkDir,
        ...(values.host ? { host: values.host } : {}),
        ...(values.port ? { port: Number(values.port) } : {}),
        insecureHttp: values['insecure-http'] === true,
        ...(values['tls-key'] && values['tls-cert'] ? { tlsKey: readFileSync(values['tls-key']), tlsCert: readFileSync(values['tls-cert']) } : {}),
    });
    console.log(`EdgeTrust service listening on ${serving.url} (OpenAPI: ${serving.url}/openapi.json; CA: ${serving.folder.tls.caFile ?? 'given'}; API keys: ${join(serving.folder.folder, 'api-keys')})`);
    await new Promise<void>((done) => {
        const stop = (): void => {
            void serving.service.close().then(done);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
    });
    return 0;
}
