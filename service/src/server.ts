import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { NetworkProfile } from '@edgetrust/gateway-sdk';
import type { TLSSocket } from 'node:tls';
import { Type } from '@sinclair/typebox';
import { isConsolePath, registerConsole } from './console-static';
import { channelHeight, EventStreams } from './events';
import { type AccessEntry, Authenticator, certificateFingerprint, readWallet, Sessions } from './identities';
import { jsonSafe } from './json-safe';
import { registerNetworkStatus } from './network-status';
import { allOperations } from './operations';
import { type Operation, routeSchemaOf } from './operations/table';
import { PROBLEM_CONTENT_TYPE, problem, problemOf, ServiceError } from './problem';
import { wireSchemas } from './schemas/wire';
import type { SchemaSource } from './schemas/source';
import { ServiceStore } from './store';
import { Submissions } from './submissions';

/** TLS of the service: its key and certificate, and the CAs whose client certificates it accepts (mutual TLS). */
export interface ServiceTls {
    key: string | Buffer;
    cert: string | Buffer;
    /** Client certificate CAs; without them only API keys authenticate. */
    clientCa?: Array<string | Buffer>;
    /** The CA file clients trust the server certificate by, when the service made it. */
    caFile?: string;
}

export interface ServiceOptions {
    profile: NetworkProfile;
    /** The wallet folder (see identities.ts). */
    wallet: string;
    access: readonly AccessEntry[];
    /** SQLite file of idempotency records and subscriptions. */
    storeFile: string;
    /** TLS (the default of `edgetrust serve`); `false` serves plain HTTP, for a TLS-terminating proxy in front. */
    tls: ServiceTls | false;
    schemas?: SchemaSource;
    logger?: boolean;
}

/** The running service's parts, for `serve` and tests. */
export interface Service {
    app: FastifyInstance;
    /** Settles once stored, prepared submissions of an earlier run were sent again. */
    recovered: Promise<void>;
    close(): Promise<void>;
}

declare module 'fastify' {
    interface FastifyRequest {
        caller: string;
    }
}

const CHAINCODES: Readonly<Record<string, string>> = { evidence: 'evidence', 'resource-billing': 'resource-billing', 'device-identity': 'device-identity' };
const PUBLIC_PATHS = new Set(['/openapi.json', '/health']);

function sendProblem(reply: FastifyReply, err: unknown): FastifyReply {
    const answer = problemOf(err);
    return reply.code(answer.status).type(PROBLEM_CONTENT_TYPE).send(answer);
}

function presentedBy(request: FastifyRequest): { apiKey?: string; clientCertificateSha256?: string } {
    const header = request.headers.authorization;
    const apiKey = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    const socket = request.raw.socket as Partial<TLSSocket>;
    const peer = socket.authorized === true && typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
    const clientCertificateSha256 = peer?.raw ? certificateFingerprint(peer.raw) : undefined;
    return { ...(apiKey ? { apiKey } : {}), ...(clientCertificateSha256 ? { clientCertificateSha256 } : {}) };
}

/** Builds the service: every operation of the route table, /openapi.json, operations and event streams. */
export async function createService(options: Readonly<ServiceOptions>): Promise<Service> {
    const schemas = options.schemas ?? wireSchemas;
    const wallet = readWallet(options.wallet, options.profile);
    const authenticator = new Authenticator(options.access, wallet);
    const sessions = new Sessions(options.profile, wallet);
    const store = new ServiceStore(options.storeFile);
    const submissions = new Submissions(store, async (caller) => (await sessions.of(caller)).connection.gateway);
    const streams = new EventStreams(store);
    const https = options.tls === false ? undefined : { key: options.tls.key, cert: options.tls.cert, ...(options.tls.clientCa ? { ca: options.tls.clientCa, requestCert: true, rejectUnauthorized: false } : {}) };
    const app = Fastify({
        logger: options.logger ?? false,
        ...(https ? { https } : {}),
        // Reject unknown fields instead of silently dropping them.
        ajv: { customOptions: { removeAdditional: false, coerceTypes: true } },
    }) as unknown as FastifyInstance;
    // Records pass through as the chaincode returned them; the response schemas document them in OpenAPI only.
    app.setSerializerCompiler(() => (data): string => JSON.stringify(data));
    app.decorateRequest('caller', '');
    app.setErrorHandler((err: Error & { validation?: unknown; statusCode?: number }, _request, reply) => {
        if (err.validation !== undefined || err.statusCode === 400) {
            return sendProblem(reply, new ServiceError('INVALID_ARGUMENT', err.message));
        }
        if (err.statusCode === 413) {
            return sendProblem(reply, new ServiceError('PAYLOAD_TOO_LARGE', err.message));
        }
        return sendProblem(reply, err);
    });
    app.setNotFoundHandler((request, reply) => sendProblem(reply, new ServiceError('NOT_FOUND', `no endpoint ${request.method} ${request.url}`)));
    app.addHook('onRequest', (request, _reply, done) => {
        try {
            const path = request.url.split('?')[0] ?? '';
            if (!PUBLIC_PATHS.has(path) && !isConsolePath(path)) {
                request.caller = authenticator.identify(presentedBy(request));
            }
            done();
        } catch (err) {
            done(err as Error);
        }
    });
    app.addHook('onSend', (_request, reply, payload, done) => {
        if (reply.statusCode === 401) {
            void reply.header('www-authenticate', 'Bearer realm="edgetrust"');
        }
        done(null, payload);
    });

    await app.register(swagger, {
        openapi: {
            openapi: '3.1.0',
            info: { title: 'EdgeTrust', version: '0.1.0', description: 'The EdgeTrust typed clients as a REST API: one endpoint per client method, by the same name (operationId).' },
            // OpenAPI 3.1's mutualTLS scheme, which @fastify/swagger's types do not list yet.
            components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' }, mutualTLS: { type: 'mutualTLS' } as unknown as { type: 'http'; scheme: string } } },
            security: [{ apiKey: [] }, { mutualTLS: [] }],
        },
    });
    app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
    app.get('/health', { schema: { hide: true } }, () => ({ status: 'ok' }));

    for (const operation of allOperations) {
        registerOperation(app, operation, schemas, sessions, submissions);
    }
    registerOperationStatus(app, submissions);
    registerEventStreams(app, streams, sessions);
    registerNetworkStatus(app, sessions);
    await registerConsole(app);

    const recovered = submissions.recover();
    return {
        app,
        recovered,
        close: async (): Promise<void> => {
            streams.closeAll();
            await app.close();
            await submissions.drain();
            await sessions.close();
            store.close();
        },
    };
}

function registerOperation(app: FastifyInstance, operation: Readonly<Operation>, schemas: SchemaSource, sessions: Sessions, submissions: Submissions): void {
    app.route({
        method: operation.method,
        url: operation.path,
        schema: routeSchemaOf(operation, schemas),
        handler: async (request, reply) => {
            const session = await sessions.of(request.caller);
            const input = { params: request.params as Record<string, string>, query: request.query as Record<string, unknown>, body: request.body };
            if (!operation.submits) {
                return jsonSafe(await operation.call(session.clients, input));
            }
            const key = request.headers['idempotency-key'];
            const outcome = await submissions.submit({
                caller: request.caller,
                operation: operation.name,
                ...(typeof key === 'string' && key !== '' ? { idempotencyKey: key } : {}),
                content: `${request.method} ${request.url} ${JSON.stringify(request.body ?? null)}`,
                async: /\brespond-async\b/.test(String(request.headers.prefer ?? '')),
                run: () => operation.call(session.clients, input),
            });
            void reply.code(outcome.status);
            if (outcome.replayed) {
                void reply.header('idempotent-replayed', 'true');
            }
            if (outcome.status >= 400) {
                void reply.type(PROBLEM_CONTENT_TYPE);
            }
            if (outcome.status === 202) {
                void reply.header('location', `/v1/operations/${(outcome.body as { operationId: string }).operationId}`);
            }
            return outcome.body;
        },
    });
}

function registerOperationStatus(app: FastifyInstance, submissions: Submissions): void {
    app.get(
        '/v1/operations/:operationId',
        { schema: { operationId: 'getOperation', tags: ['operations'], summary: 'The state of a submission: pending, submitted (on its way, with its transaction id) or done (with its answer)', params: Type.Object({ operationId: Type.String() }) } },
        (request) => submissions.status(request.caller, (request.params as { operationId: string }).operationId),
    );
}

function registerEventStreams(app: FastifyInstance, streams: EventStreams, sessions: Sessions): void {
    const named = { params: Type.Object({ name: Type.String() }) };
    const tags = ['events'];
    app.post(
        '/v1/subscriptions',
        {
            schema: {
                operationId: 'createSubscription',
                tags,
                summary: "Subscribe to a chaincode's events (optionally only some event names) from a block (default: the next block)",
                body: Type.Object(
                    { name: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' }), chaincode: Type.Union(Object.keys(CHAINCODES).map((c) => Type.Literal(c))), events: Type.Optional(Type.Array(Type.String())), startBlock: Type.Optional(Type.Integer({ minimum: 0 })) },
                    { additionalProperties: false },
                ),
            },
        },
        async (request, reply) => {
            const session = await sessions.of(request.caller);
            const height = await channelHeight(session.connection.gateway.getNetwork(sessions.profile.channel));
            return reply.code(201).send(streams.create(request.caller, request.body as { name: string; chaincode: string }, height));
        },
    );
    app.get('/v1/subscriptions', { schema: { operationId: 'listSubscriptions', tags } }, (request) => streams.list(request.caller));
    app.get('/v1/subscriptions/:name', { schema: { operationId: 'getSubscription', tags, ...named } }, (request) => streams.get(request.caller, (request.params as { name: string }).name));
    app.delete('/v1/subscriptions/:name', { schema: { operationId: 'deleteSubscription', tags, ...named } }, (request, reply) => {
        streams.delete(request.caller, (request.params as { name: string }).name);
        return reply.code(204).send();
    });
    app.post(
        '/v1/subscriptions/:name/ack',
        { schema: { operationId: 'acknowledgeEvent', tags, summary: 'Acknowledge an event and every one before it: delivery resumes after it', ...named, body: Type.Object({ eventId: Type.String() }, { additionalProperties: false }) } },
        (request) => streams.acknowledge(request.caller, (request.params as { name: string }).name, (request.body as { eventId: string }).eventId),
    );
    app.get(
        '/v1/subscriptions/:name/events',
        { schema: { operationId: 'streamEvents', tags, summary: 'The events as Server-Sent Events (id <block>:<transaction id>), from after the acknowledged one or Last-Event-ID', ...named } },
        async (request, reply) => {
            const name = (request.params as { name: string }).name;
            const sub = streams.get(request.caller, name);
            const session = await sessions.of(request.caller);
            const network = session.connection.gateway.getNetwork(sessions.profile.channel);
            const lastEventId = request.headers['last-event-id'];
            // Refusals (unknown or busy subscription, bad Last-Event-ID) are answered before the stream starts.
            if (typeof lastEventId === 'string' && lastEventId !== '') {
                streams.acknowledge(request.caller, name, lastEventId);
            }
            void reply.hijack();
            await streams.stream(request.caller, name, network, sessions.profile.chaincodes[sub.chaincode] ?? sub.chaincode, undefined, reply.raw).catch((err: unknown) => {
                const answer = problem('INVALID_STATE', err instanceof Error ? err.message : String(err));
                if (!reply.raw.headersSent) {
                    reply.raw.writeHead(answer.status, { 'content-type': PROBLEM_CONTENT_TYPE }).end(JSON.stringify(answer));
                }
            });
        },
    );
}
