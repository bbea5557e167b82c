import { type JSX, render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from './api';
import { ErrorPage } from './components';
import { BillingPage } from './pages/billing';
import { DevicesPage } from './pages/devices';
import { EvidencePage } from './pages/evidence';
import { NetworkPage } from './pages/network';
import { SignInPage } from './pages/sign-in';
import './style.css';

interface Caller {
    identity: string;
    organization: string;
    mspId: string;
}

const PAGES: Record<string, { title: string; render: () => JSX.Element }> = {
    network: { title: 'Network', render: () => <NetworkPage /> },
    evidence: { title: 'Evidence', render: () => <EvidencePage /> },
    devices: { title: 'Devices', render: () => <DevicesPage /> },
    billing: { title: 'Billing', render: () => <BillingPage /> },
};

/** The page named by the URL fragment: `#/evidence?id=…` is the evidence page. */
function routeOf(hash: string): { page: string; query: URLSearchParams } {
    const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
    return { page: path || 'network', query: new URLSearchParams(query) };
}

function useRoute(): { page: string; query: URLSearchParams } {
    const [hash, setHash] = useState(location.hash);
    useEffect(() => {
        const changed = (): void => setHash(location.hash);
        addEventListener('hashchange', changed);
        return (): void => removeEventListener('hashchange', changed);
    }, []);
    return routeOf(hash);
}

function App(): JSX.Element {
    const { page } = useRoute();
    const [caller, setCaller] = useState<Caller | { error: unknown } | undefined>();
    const [signIns, setSignIns] = useState(0);
    useEffect(() => {
        if (!api.signedIn) {
            setCaller(undefined);
            return;
        }
        // Asked again on every page change, so that a network that was briefly unreachable does not block the pages.
        api.call<Caller>('whoAmINetwork').then(setCaller, (error: unknown) => setCaller({ error }));
    }, [signIns, page]);
    useEffect(() => {
        const title = PAGES[page]?.title ?? (page === 'sign-in' ? 'Sign in' : 'Not found');
        document.title = `${title} · EdgeTrust console`;
    }, [page]);

    const signedIn = (): void => {
        setSignIns((n) => n + 1);
        location.hash = '#/network';
    };
    const signOut = (): void => {
        api.signOut();
        setSignIns((n) => n + 1);
        location.hash = '#/sign-in';
    };

    let main: JSX.Element;
    if (page === 'sign-in' || !api.signedIn) {
        main = <SignInPage onSignedIn={signedIn} />;
    } else if (caller && 'error' in caller) {
        main = caller.error instanceof ApiError && caller.error.kind === 'unauthenticated' ? <SignInPage onSignedIn={signedIn} refused={caller.error} /> : <ErrorPage error={caller.error} onRetry={() => setSignIns((n) => n + 1)} />;
    } else {
        main = PAGES[page]?.render() ?? <ErrorPage error={new ApiError('not-found', 404, 'NOT_FOUND', `no page ${page}`)} />;
    }
    const who = caller && !('error' in caller) ? caller : undefined;
    return (
        <>
            <header class="top">
                <a class="brand" href="#/network">
                    EdgeTrust
                </a>
                <nav aria-label="Pages">
                    {Object.entries(PAGES).map(([name, p]) => (
                        <a key={name} href={`#/${name}`} aria-current={page === name ? 'page' : undefined}>
                            {p.title}
                        </a>
                    ))}
                </nav>
                <div class="who">
                    {who ? (
                        <>
                            <span data-caller={who.identity}>
                                {who.identity} · {who.mspId}
                            </span>{' '}
                            <button type="button" onClick={signOut}>
                                Sign out
                            </button>
                        </>
                    ) : (
                        <a href="#/sign-in">Sign in</a>
                    )}
                </div>
            </header>
            <main id="main">{main}</main>
        </>
    );
}

const root = document.getElementById('app');
if (root) {
    render(<App />, root);
}
