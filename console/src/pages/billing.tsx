import type { JSX } from 'preact';
import { WhenOffered } from './missing';

const OPERATIONS = ['listInvoices', 'fetchAndVerifyInvoice', 'getAccount', 'raiseDispute', 'getDispute'];

/** Billing: a tenant's invoices with each line recomputed from the chain, usage, disputes, tokens and escrow. */
export function BillingPage(): JSX.Element {
    return (
        <section aria-labelledby="billing-title">
            <h1 id="billing-title">Billing</h1>
            <WhenOffered operations={OPERATIONS}>{() => <p>Billing routes are offered.</p>}</WhenOffered>
        </section>
    );
}
