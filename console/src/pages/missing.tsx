import type { JSX } from 'preact';
import { api } from '../api';
import { Show, useLoad } from '../components';

/** Which of a page's operations this service lacks (an older service without billing or device routes). */
export function useMissing(operations: readonly string[]): ReturnType<typeof useLoad<string[]>> {
    return useLoad(async () => (await Promise.all(operations.map(async (o) => ((await api.has(o)) ? [] : [o])))).flat(), [operations.join()]);
}

/** The page body when every operation it needs is offered, else a note naming the missing ones. */
export function WhenOffered({ operations, children }: { operations: readonly string[]; children: () => JSX.Element }): JSX.Element {
    const missing = useMissing(operations);
    return (
        <Show loaded={missing}>
            {(names) =>
                names.length === 0 ? (
                    children()
                ) : (
                    <section class="error-page" role="alert" data-error="not-offered">
                        <h2>Not offered by this service</h2>
                        <p>
                            The service's OpenAPI document has no <code>{names.join(', ')}</code>: it was started from a version without these routes.
                        </p>
                    </section>
                )
            }
        </Show>
    );
}
