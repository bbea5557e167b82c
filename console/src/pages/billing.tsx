import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { SeriesChart } from '../chart';
import { Badge, ErrorPage, Show, useAction, useLoad, When } from '../components';
import { WhenOffered } from './missing';
import type { BillingDispute as Dispute, Escrow, Invoice, TokenAccount, UsageRecord } from '@edgetrust/schemas';
import type { VerifiedInvoice } from '@edgetrust/gateway-sdk';








const OPERATIONS = ['listInvoices', 'fetchAndVerifyInvoice', 'raiseDispute', 'getDispute', 'getAccount', 'getEscrow'];

/** Usage per resource per day, from the records the invoice was recomputed from. */
function usageSeries(records: readonly UsageRecord[]): { labels: string[]; series: { label: string; values: number[] }[] } {
    const days = [...new Set(records.map((r) => (r.stoppedAt ?? r.recordedAt).slice(0, 10)))].sort();
    const resources = [...new Set(records.map((r) => `${r.resourceId} (${r.unit})`))].sort();
    const series = resources.map((label) => ({
        label,
        values: days.map((day) => records.filter((r) => `${r.resourceId} (${r.unit})` === label && (r.stoppedAt ?? r.recordedAt).startsWith(day)).reduce((sum, r) => sum + r.quantity, 0)),
    }));
    return { labels: days, series };
}

function RaiseDispute({ invoice, onRaised }: { invoice: Invoice; onRaised: (disputeId: string) => void }): JSX.Element {
    const [lineIds, setLineIds] = useState<string[]>([]);
    const [reason, setReason] = useState('');
    const raise = useAction(async () => {
        const disputeId = `dispute-${String(Date.now())}`;
        await api.call('raiseDispute', { body: { disputeId, invoiceId: invoice.invoiceId, lineIds, reason } });
        onRaised(disputeId);
    });
    return (
        <form aria-label="Raise a dispute" onSubmit={raise.submit}>
            <fieldset>
                <legend>Raise a dispute about lines of this invoice</legend>
                {invoice.lines.map((l) => (
                    <label key={l.lineId} class="check">
                        <input
                            type="checkbox"
                            checked={lineIds.includes(l.lineId)}
                            onChange={(e) => setLineIds((ids) => (e.currentTarget.checked ? [...ids, l.lineId] : ids.filter((id) => id !== l.lineId)))}
                        />{' '}
                        {l.lineId}
                    </label>
                ))}
                <div class="row">
                    <label for="dispute-reason">Reason</label>
                    <input id="dispute-reason" value={reason} required onInput={(e) => setReason(e.currentTarget.value)} />
                    <button type="submit" disabled={raise.busy || lineIds.length === 0}>
                        Raise dispute
                    </button>
                </div>
            </fieldset>
            {raise.error !== undefined && <ErrorPage error={raise.error} />}
        </form>
    );
}

function LinesTable({ verified }: { verified: VerifiedInvoice }): JSX.Element {
    const checks = new Map(verified.verification.lines.map((l) => [l.lineId, l]));
    return (
        <table data-testid="invoice-lines">
            <caption>Lines, each recomputed from the usage records and price plans on the chain</caption>
            <thead>
                <tr>
                    <th scope="col">Line</th>
                    <th scope="col">Rate</th>
                    <th scope="col">Quantity</th>
                    <th scope="col">Amount</th>
                    <th scope="col">Records</th>
                    <th scope="col">Recomputed</th>
                </tr>
            </thead>
            <tbody>
                {verified.invoice.lines.map((l) => {
                    const check = checks.get(l.lineId);
                    return (
                        <tr key={l.lineId} data-line={l.lineId} data-verified={check?.ok === true ? 'ok' : 'problem'}>
                            <th scope="row">
                                {l.resourceId} <span class="muted">plan v{l.planVersion} · {l.appId}</span> {l.disputeId && <Badge tone="warn">disputed</Badge>}
                            </th>
                            <td class="number">
                                {l.rate} / {l.unit}
                            </td>
                            <td class="number">{l.quantity}</td>
                            <td class="number">{l.amount}</td>
                            <td class="number">{l.recordCount}</td>
                            <td>
                                {check?.ok ? (
                                    <Badge tone="good">verified</Badge>
                                ) : (
                                    <>
                                        <Badge tone="bad">does not match</Badge>
                                        <ul>
                                            {(check?.problems ?? ['no recomputation for this line']).map((p) => (
                                                <li key={p}>{p}</li>
                                            ))}
                                        </ul>
                                        {check && (
                                            <div class="muted">
                                                chain says {check.expected.quantity} units, {check.expected.amount}, {check.expected.recordCount} records
                                            </div>
                                        )}
                                    </>
                                )}
                            </td>
                        </tr>
                    );
                })}
            </tbody>
        </table>
    );
}

function InvoiceView({ invoiceId, onDispute }: { invoiceId: string; onDispute: (id: string) => void }): JSX.Element {
    const loaded = useLoad(() => api.call<VerifiedInvoice>('fetchAndVerifyInvoice', { params: { invoiceId } }), [invoiceId]);
    return (
        <Show loaded={loaded}>
            {(verified): JSX.Element => {
                const { invoice, verification } = verified;
                const usage = usageSeries(verified.records);
                return (
                    <div data-invoice={invoice.invoiceId}>
                        <h3>
                            {invoice.period}: {invoice.operatorMspId} → {invoice.tenantMspId}{' '}
                            {verification.ok ? <Badge tone="good">every line verified</Badge> : <Badge tone="bad">does not match the chain</Badge>}
                        </h3>
                        <dl class="facts">
                            <div>
                                <dt>Total</dt>
                                <dd>{invoice.total}</dd>
                            </div>
                            <div>
                                <dt>Credits</dt>
                                <dd>{invoice.creditTotal}</dd>
                            </div>
                            <div>
                                <dt>Amount due</dt>
                                <dd>{invoice.amountDue}</dd>
                            </div>
                            <div>
                                <dt>Status</dt>
                                <dd>
                                    {invoice.status} {invoice.openDisputes > 0 && <span class="muted">({invoice.openDisputes} open disputes)</span>}
                                </dd>
                            </div>
                            <div>
                                <dt>Issued</dt>
                                <dd>
                                    <When at={invoice.issuedAt} />
                                </dd>
                            </div>
                        </dl>
                        {verification.totalProblems.length > 0 && <p class="error-page">{verification.totalProblems.join(' ')}</p>}
                        <LinesTable verified={verified} />
                        {usage.labels.length > 0 && <SeriesChart kind="bar" title="Usage per day and resource" labels={usage.labels} series={usage.series} />}
                        <RaiseDispute
                            invoice={invoice}
                            onRaised={(id) => {
                                onDispute(id);
                                loaded.reload();
                            }}
                        />
                    </div>
                );
            }}
        </Show>
    );
}

function Invoices({ tenant }: { tenant: string }): JSX.Element {
    const loaded = useLoad(() => api.call<{ records: Invoice[] }>('listInvoices', { params: { tenantMspId: tenant }, query: { pageSize: 100 } }), [tenant]);
    const [selected, setSelected] = useState<string>();
    const [dispute, setDispute] = useState<string>();
    return (
        <Show loaded={loaded}>
            {(page) => (
                <>
                    <table data-testid="invoices">
                        <caption>
                            Invoices of {tenant}: {page.records.length}
                        </caption>
                        <thead>
                            <tr>
                                <th scope="col">Period</th>
                                <th scope="col">Operator</th>
                                <th scope="col">Lines</th>
                                <th scope="col">Amount due</th>
                                <th scope="col">Status</th>
                                <th scope="col" />
                            </tr>
                        </thead>
                        <tbody>
                            {page.records.map((i) => (
                                <tr key={i.invoiceId} aria-selected={selected === i.invoiceId}>
                                    <th scope="row">{i.period}</th>
                                    <td>{i.operatorMspId}</td>
                                    <td class="number">{i.lines.length}</td>
                                    <td class="number">{i.amountDue}</td>
                                    <td>{i.status}</td>
                                    <td>
                                        <button type="button" class="secondary" data-open-invoice={i.invoiceId} onClick={() => setSelected(i.invoiceId)}>
                                            Verify lines
                                        </button>
                                    </td>
                                </tr>
                            ))}
                        </tbody>
                    </table>
                    {selected && <InvoiceView invoiceId={selected} onDispute={setDispute} />}
                    {dispute && <DisputeView disputeId={dispute} />}
                </>
            )}
        </Show>
    );
}

function DisputeView({ disputeId }: { disputeId: string }): JSX.Element {
    const loaded = useLoad(() => api.call<Dispute>('getDispute', { params: { disputeId } }), [disputeId]);
    return (
        <Show loaded={loaded}>
            {(d) => (
                <div class="panel" data-dispute={d.disputeId} data-status={d.status}>
                    <h3>
                        Dispute {d.disputeId} <Badge tone={d.status === 'open' ? 'warn' : d.status === 'accepted' ? 'good' : 'bad'}>{d.status}</Badge>
                    </h3>
                    <p>
                        Raised <When at={d.raisedAt} /> by {d.tenantMspId} about {d.lineIds.join(', ')}: {d.reason}
                    </p>
                    {d.resolution && (
                        <p>
                            {d.resolution.outcome} <When at={d.resolution.resolvedAt} /> by {d.resolution.resolvedByMspId}
                            {d.resolution.reason ? `: ${d.resolution.reason}` : ''}
                        </p>
                    )}
                    <button type="button" class="secondary" onClick={loaded.reload}>
                        Refresh
                    </button>
                </div>
            )}
        </Show>
    );
}

function Lookup<T>({ title, label, operation, param, view }: { title: string; label: string; operation: string; param: string; view: (value: T) => JSX.Element }): JSX.Element {
    const [draft, setDraft] = useState('');
    const [id, setId] = useState<string>();
    const inputId = `lookup-${operation}`;
    return (
        <section aria-label={title}>
            <h2>{title}</h2>
            <form
                class="row"
                onSubmit={(e) => {
                    e.preventDefault();
                    setId(draft.trim());
                }}
            >
                <label for={inputId}>{label}</label>
                <input id={inputId} value={draft} required onInput={(e) => setDraft(e.currentTarget.value)} />
                <button type="submit">Look up</button>
            </form>
            {id && <LookupResult<T> operation={operation} param={param} id={id} view={view} />}
        </section>
    );
}

function LookupResult<T>({ operation, param, id, view }: { operation: string; param: string; id: string; view: (value: T) => JSX.Element }): JSX.Element {
    const loaded = useLoad(() => api.call<T>(operation, { params: { [param]: id } }), [operation, id]);
    return <Show loaded={loaded}>{view}</Show>;
}

/** Billing: a tenant's invoices with each line recomputed from the chain, usage, disputes, tokens and escrow. */
export function BillingPage(): JSX.Element {
    const who = useLoad(() => api.call<{ mspId: string }>('whoAmINetwork'), []);
    const [tenant, setTenant] = useState<string>();
    const [draft, setDraft] = useState('');
    return (
        <section aria-labelledby="billing-title">
            <h1 id="billing-title">Billing</h1>
            <WhenOffered operations={OPERATIONS}>
                {() => (
                    <Show loaded={who}>
                        {(me) => (
                            <>
                                <form
                                    class="row"
                                    onSubmit={(e) => {
                                        e.preventDefault();
                                        setTenant(draft.trim() || me.mspId);
                                    }}
                                >
                                    <label for="tenant">Tenant (MSP id)</label>
                                    <input id="tenant" value={draft} placeholder={me.mspId} onInput={(e) => setDraft(e.currentTarget.value)} />
                                    <button type="submit">Show invoices</button>
                                </form>
                                <Invoices tenant={tenant ?? me.mspId} />
                                <Lookup<Dispute> title="Follow a dispute" label="Dispute id" operation="getDispute" param="disputeId" view={(d) => <DisputeView disputeId={d.disputeId} />} />
                                <Lookup<TokenAccount>
                                    title="Token balance"
                                    label="Account id"
                                    operation="getAccount"
                                    param="accountId"
                                    view={(a) => (
                                        <p data-account={a.accountId}>
                                            {a.accountId} ({a.ownerMspId}): <strong>{a.balance}</strong> tokens, opened <When at={a.openedAt} />
                                        </p>
                                    )}
                                />
                                <Lookup<Escrow>
                                    title="Escrow"
                                    label="Escrow id"
                                    operation="getEscrow"
                                    param="escrowId"
                                    view={(e) => (
                                        <p data-escrow={e.escrowId}>
                                            {e.amount} tokens {e.status} for {e.purpose} {e.referenceId}: {e.payerAccountId} → {e.payeeAccountId}, deadline <When at={e.deadline} />
                                            {e.paid !== undefined && `, paid ${String(e.paid)}`}
                                            {e.refunded !== undefined && `, refunded ${String(e.refunded)}`}
                                        </p>
                                    )}
                                />
                            </>
                        )}
                    </Show>
                )}
            </WhenOffered>
        </section>
    );
}
