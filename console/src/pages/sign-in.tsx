import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { ErrorPage } from '../components';

/**
 * Sign-in with an API key of the service (one per wallet identity, in `<network>/service/api-keys/<identity>.key`).
 * The key is kept in this tab's sessionStorage only and sent as `Authorization: Bearer <key>`.
 */
export function SignInPage({ onSignedIn, refused }: { onSignedIn: () => void; refused?: ApiError }): JSX.Element {
    const [key, setKey] = useState('');
    const [error, setError] = useState<unknown>(refused);
    const [busy, setBusy] = useState(false);
    const submit = async (event: Event): Promise<void> => {
        event.preventDefault();
        setBusy(true);
        api.signIn(key);
        try {
            await api.call('whoAmINetwork');
            onSignedIn();
        } catch (err) {
            // Only a refused key signs out; with the network down the key stays, and the pages say what is wrong.
            if (err instanceof ApiError && err.kind === 'unauthenticated') {
                api.signOut();
                setError(err);
            } else {
                onSignedIn();
            }
        } finally {
            setBusy(false);
        }
    };
    return (
        <section class="sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">Sign in</h1>
            <p>
                Paste the API key of your identity. The service keeps one per wallet identity in <code>.edgetrust/network/service/api-keys/</code> (for example{' '}
                <code>edgeorg-user1.key</code>); it maps to exactly one organisation and user.
            </p>
            <form onSubmit={(e) => void submit(e)}>
                <label for="api-key">API key</label>
                <input id="api-key" name="api-key" type="password" autocomplete="off" required value={key} onInput={(e) => setKey(e.currentTarget.value)} />
                <button type="submit" disabled={busy}>
                    Sign in
                </button>
            </form>
            {error !== undefined && <ErrorPage error={error} />}
        </section>
    );
}
