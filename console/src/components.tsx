import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, type FailureKind } from './api';

/** A load in progress, its answer, or why it failed. */
export interface Loaded<T> {
    data?: T;
    error?: unknown;
    loading: boolean;
    reload: () => void;
}

/** Runs a load when its inputs change (and on reload()), keeping the last answer or failure. */
export function useLoad<T>(load: () => Promise<T>, inputs: readonly unknown[]): Loaded<T> {
    const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
    const [round, setRound] = useState(0);
    useEffect(() => {
        let current = true;
        setState((s) => ({ ...s, loading: true }));
        load().then(
            (data) => current && setState({ data, loading: false }),
            (error: unknown) => current && setState({ error, loading: false }),
        );
        return (): void => {
            current = false;
        };
    }, [...inputs, round]);
    const reload = useCallback(() => setRound((r) => r + 1), []);
    return { ...state, reload };
}

/** A form's action: whether it is running, why it last failed, and the submit handler that starts it. */
export interface Action {
    busy: boolean;
    error?: unknown;
    submit: (event: Event) => void;
}

/** Runs `run` when its form is submitted (instead of the browser's submission): busy meanwhile, its failure kept to show until the next try. */
export function useAction(run: () => Promise<void>): Action {
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<unknown>();
    const submit = (event: Event): void => {
        event.preventDefault();
        setBusy(true);
        setError(undefined);
        run()
            .catch((err: unknown) => setError(err))
            .finally(() => setBusy(false));
    };
    return { busy, error, submit };
}

const PAGES: Record<FailureKind, { title: string; text: string }> = {
    'not-connected': { title: 'Not connected', text: 'The console cannot reach the EdgeTrust service. Check that `edgetrust serve` is running and that this page was opened from its address.' },
    unauthenticated: { title: 'Not signed in', text: 'The service did not accept the API key. Sign in again with a key from the service folder (api-keys/).' },
    'not-allowed': { title: 'Not allowed', text: 'Your identity may not do this. The organisation your API key maps to lacks the role or ownership the chaincode requires.' },
    'not-found': { title: 'Not found', text: 'There is no such record, page or endpoint.' },
    unavailable: { title: 'Network unavailable', text: 'The service answered, but the Fabric network behind it did not (a peer or the ordering service is down or busy). Try again shortly.' },
    failed: { title: 'Something went wrong', text: 'The service refused the request.' },
};

/** The page for a failure: what happened, the service's code and detail, and a way on. */
export function ErrorPage({ error, onRetry }: { error: unknown; onRetry?: () => void }): JSX.Element {
    const failure = error instanceof ApiError ? error : new ApiError('failed', 0, 'CONSOLE_ERROR', error instanceof Error ? error.message : String(error));
    const page = PAGES[failure.kind];
    return (
        <section class="error-page" role="alert" data-error={failure.kind} aria-labelledby="error-title">
            <h2 id="error-title">{page.title}</h2>
            <p>{page.text}</p>
            <p class="detail">
                <code>{failure.code}</code> {failure.message}
            </p>
            <p>
                {onRetry && (
                    <button type="button" onClick={onRetry}>
                        Try again
                    </button>
                )}{' '}
                {failure.kind === 'unauthenticated' ? <a href="#/sign-in">Sign in</a> : <a href="#/network">Back to the network</a>}
            </p>
        </section>
    );
}

/** A load's body: a spinner line, its error page, or the content. */
export function Show<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ComponentChildren }): JSX.Element {
    if (loaded.error !== undefined) {
        return <ErrorPage error={loaded.error} onRetry={loaded.reload} />;
    }
    if (loaded.data === undefined) {
        return <p aria-busy="true">Loading…</p>;
    }
    return <>{children(loaded.data)}</>;
}

/** When, as the reader's local date and time (the ISO value on hover). */
export function When({ at }: { at: string | undefined }): JSX.Element {
    if (!at) {
        return <span>–</span>;
    }
    return <time dateTime={at} title={at}>{new Date(at).toLocaleString()}</time>;
}

export function Badge({ tone, children }: { tone: 'good' | 'bad' | 'warn' | 'neutral'; children: ComponentChildren }): JSX.Element {
    return <span class={`badge ${tone}`}>{children}</span>;
}

export function short(id: string, length = 12): string {
    return id.length > length ? `${id.slice(0, length)}…` : id;
}
