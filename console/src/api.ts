/**
 * The service API as the console calls it: every operation by its OpenAPI operationId (the typed client's method
 * name), so the console follows the service's route table instead of repeating its paths.
 */

/** Why a call failed, as the error pages tell it. */
export type FailureKind = 'not-connected' | 'unauthenticated' | 'not-allowed' | 'not-found' | 'unavailable' | 'failed';

/** A failed call: the service's RFC 9457 problem, or no answer at all (`not-connected`). */
export class ApiError extends Error {
    readonly kind: FailureKind;
    readonly status: number;
    readonly code: string;

    constructor(kind: FailureKind, status: number, code: string, message: string) {
        super(message);
        this.name = 'ApiError';
        this.kind = kind;
        this.status = status;
        this.code = code;
    }
}

interface Route {
    method: string;
    path: string;
}

export interface CallInput {
    params?: Record<string, string>;
    query?: Record<string, string | number | undefined>;
    body?: unknown;
}

const KEY_STORAGE = 'edgetrust.apiKey';

function kindOf(status: number): FailureKind {
    if (status === 401) {
        return 'unauthenticated';
    }
    if (status === 403) {
        return 'not-allowed';
    }
    if (status === 404) {
        return 'not-found';
    }
    return status === 502 || status === 503 || status === 504 ? 'unavailable' : 'failed';
}

async function failure(response: Response): Promise<ApiError> {
    const text = await response.text();
    try {
        const problem = JSON.parse(text) as { code?: string; detail?: string; title?: string };
        return new ApiError(kindOf(response.status), response.status, problem.code ?? String(response.status), problem.detail ?? problem.title ?? text);
    } catch {
        return new ApiError(kindOf(response.status), response.status, String(response.status), text || response.statusText);
    }
}

/** The service at this page's origin, called with the API key kept for this browser tab only. */
export class Api {
    #routes: Promise<Map<string, Route>> | undefined;
    #key: string | undefined = sessionStorage.getItem(KEY_STORAGE) ?? undefined;

    get signedIn(): boolean {
        return this.#key !== undefined;
    }

    signIn(key: string): void {
        this.#key = key.trim();
        sessionStorage.setItem(KEY_STORAGE, this.#key);
    }

    signOut(): void {
        this.#key = undefined;
        sessionStorage.removeItem(KEY_STORAGE);
    }

    /** Whether the service offers an operation (billing and device routes may be missing from an older service). */
    async has(operationId: string): Promise<boolean> {
        return (await this.#routeTable()).has(operationId);
    }

    async call<T>(operationId: string, input: CallInput = {}): Promise<T> {
        const route = (await this.#routeTable()).get(operationId);
        if (!route) {
            throw new ApiError('unavailable', 0, 'NO_OPERATION', `this service does not offer ${operationId}`);
        }
        const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(input.params?.[name] ?? ''));
        const query = new URLSearchParams(Object.entries(input.query ?? {}).flatMap(([k, v]) => (v === undefined || v === '' ? [] : [[k, String(v)]])));
        const headers: Record<string, string> = { accept: 'application/json' };
        if (this.#key) {
            headers.authorization = `Bearer ${this.#key}`;
        }
        if (input.body !== undefined) {
            headers['content-type'] = 'application/json';
        }
        const response = await this.#fetch(`${path}${query.size > 0 ? `?${query.toString()}` : ''}`, { method: route.method, headers, ...(input.body === undefined ? {} : { body: JSON.stringify(input.body) }) });
        if (!response.ok) {
            throw await failure(response);
        }
        return (response.status === 204 ? undefined : await response.json()) as T;
    }

    async #fetch(url: string, init?: RequestInit): Promise<Response> {
        try {
            return await fetch(url, init);
        } catch (err) {
            throw new ApiError('not-connected', 0, 'NOT_CONNECTED', err instanceof Error ? err.message : String(err));
        }
    }

    #routeTable(): Promise<Map<string, Route>> {
        this.#routes ??= this.#loadRoutes().catch((err: unknown) => {
            this.#routes = undefined;
            throw err;
        });
        return this.#routes;
    }

    async #loadRoutes(): Promise<Map<string, Route>> {
        const response = await this.#fetch('/openapi.json');
        if (!response.ok) {
            throw await failure(response);
        }
        const document = (await response.json()) as { paths: Record<string, Record<string, { operationId?: string }>> };
        const routes = new Map<string, Route>();
        for (const [path, methods] of Object.entries(document.paths)) {
            for (const [method, operation] of Object.entries(methods)) {
                if (operation.operationId) {
                    routes.set(operation.operationId, { method: method.toUpperCase(), path });
                }
            }
        }
        return routes;
    }
}

export const api = new Api();
