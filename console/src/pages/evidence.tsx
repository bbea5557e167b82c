import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { Badge, ErrorPage, Show, short, useAction, useLoad, When } from '../components';
import { sha256OfFile } from '../hash';
import type { EvidenceHistoryEntry as HistoryEntry, EvidenceRecord, EvidenceVerification as Verification, TraceWalk } from '@edgetrust/schemas';



interface Receipt {
    itemDigest: string;
    batchId: string;
    [field: string]: unknown;
}

interface ReceiptCheck {
    valid: boolean;
    problem?: string;
    onChain: { outcome: string; batch?: { submitterMspId: string; submitterId: string; anchoredAt: string; name?: string } };
}

/** One file checked on this page: its digest, computed here, and the service's answer. */
interface Checked {
    name: string;
    size: number;
    progress: number;
    digest?: string;
    verification?: Verification;
    receipt?: { entry: string; check?: ReceiptCheck; missing?: boolean };
    error?: unknown;
}

/** A receipts file of `edgetrust evidence batch` (`{ folder, items: [{ path, size, receipt }] }`) or one agent receipt. */
interface ReceiptEntry {
    path: string;
    receipt: Receipt;
}

const AGENT_RECEIPT_SUFFIX = '.edgetrust-receipt.json';

function relativePath(file: File): string {
    return file.webkitRelativePath || file.name;
}

async function receiptEntriesOf(file: File): Promise<ReceiptEntry[] | undefined> {
    if (!file.name.endsWith('.json')) {
        return undefined;
    }
    try {
        const value = JSON.parse(await file.text()) as { items?: { path?: unknown; receipt?: unknown }[]; itemDigest?: unknown; batchId?: unknown };
        if (Array.isArray(value.items)) {
            return value.items.flatMap((item) => (typeof item.path === 'string' && typeof item.receipt === 'object' ? [{ path: item.path, receipt: item.receipt as Receipt }] : []));
        }
        if (typeof value.itemDigest === 'string' && typeof value.batchId === 'string' && file.name.endsWith(AGENT_RECEIPT_SUFFIX)) {
            return [{ path: file.name.slice(0, -AGENT_RECEIPT_SUFFIX.length), receipt: value as Receipt }];
        }
    } catch {
        // not JSON: an ordinary file to verify
    }
    return undefined;
}

/** The receipt of a file: by its path inside the dropped folder (without the folder's own name), else a unique name. */
function entryFor(entries: readonly ReceiptEntry[], file: File): ReceiptEntry | undefined {
    const path = relativePath(file);
    const inside = path.includes('/') ? path.slice(path.indexOf('/') + 1) : path;
    const exact = entries.find((e) => e.path === path || e.path === inside);
    if (exact) {
        return exact;
    }
    const byName = entries.filter((e) => (e.path.split('/').pop() ?? e.path) === file.name);
    return byName.length === 1 ? byName[0] : undefined;
}

function ReceiptOutcome({ receipt }: { receipt: NonNullable<Checked['receipt']> }): JSX.Element {
    const { check, missing } = receipt;
    if (missing) {
        return <Badge tone="warn">no receipt for this file</Badge>;
    }
    if (!check) {
        return <span aria-busy="true">checking receipt…</span>;
    }
    const batch = check.onChain.batch;
    return (
        <div data-outcome={check.valid ? 'receipt-valid' : 'receipt-invalid'}>
            {check.valid ? <Badge tone="good">receipt valid</Badge> : <Badge tone="bad">receipt not valid: {check.problem ?? check.onChain.outcome}</Badge>}
            {batch && (
                <div class="muted">
                    batch anchored <When at={batch.anchoredAt} /> by {batch.submitterMspId} ({batch.submitterId})
                </div>
            )}
        </div>
    );
}

const TONES = { match: 'good', mismatch: 'bad', not_found: 'warn' } as const;

function VerificationOutcome({ v }: { v: Verification }): JSX.Element {
    const record = v.record;
    const by = v.anchoredByMspId ?? record?.submitterMspId;
    return (
        <div data-outcome={v.outcome}>
            <Badge tone={TONES[v.outcome]}>{v.outcome === 'not_found' ? 'not found' : v.outcome}</Badge> {v.status === 'revoked' && <Badge tone="bad">revoked</Badge>}
            {record && (
                <div>
                    record{' '}
                    <a href={`#/evidence?id=${encodeURIComponent(record.id)}`}>
                        <code>{record.id}</code>
                    </a>{' '}
                    anchored <When at={v.anchoredAt ?? record.anchoredAt} /> by <strong data-anchored-by={by}>{by}</strong> ({v.anchoredById ?? record.submitterId})
                    {v.outcome === 'mismatch' && (
                        <div class="muted">
                            the record holds <code>{short(record.digest, 16)}</code>
                        </div>
                    )}
                </div>
            )}
        </div>
    );
}

function Outcome({ checked }: { checked: Checked }): JSX.Element {
    if (checked.error !== undefined) {
        return <ErrorPage error={checked.error} />;
    }
    if (checked.receipt) {
        return <ReceiptOutcome receipt={checked.receipt} />;
    }
    if (!checked.verification) {
        return <span aria-busy="true">{checked.digest ? 'verifying…' : `hashing ${String(Math.round(checked.progress * 100))} %`}</span>;
    }
    return <VerificationOutcome v={checked.verification} />;
}

function Verify(): JSX.Element {
    const [recordId, setRecordId] = useState('');
    const [checked, setChecked] = useState<Checked[]>([]);
    const [dragging, setDragging] = useState(false);

    const update = (index: number, change: Partial<Checked>): void => setChecked((all) => all.map((c, i) => (i === index ? { ...c, ...change } : c)));

    const check = async (files: File[]): Promise<void> => {
        const receipts: ReceiptEntry[] = [];
        const toCheck: File[] = [];
        for (const file of files) {
            const entries = await receiptEntriesOf(file);
            if (entries) {
                receipts.push(...entries);
            } else {
                toCheck.push(file);
            }
        }
        const start = checked.length;
        setChecked((all) => [...all, ...toCheck.map((f) => ({ name: relativePath(f), size: f.size, progress: 0 }))]);
        await Promise.all(
            toCheck.map(async (file, i) => {
                const index = start + i;
                try {
                    const digest = await sha256OfFile(file, (done, total) => update(index, { progress: total === 0 ? 1 : done / total }));
                    update(index, { digest, progress: 1 });
                    if (receipts.length > 0) {
                        const entry = entryFor(receipts, file);
                        update(index, { receipt: entry ? { entry: entry.path } : { entry: '', missing: true } });
                        if (entry) {
                            update(index, { receipt: { entry: entry.path, check: await api.call<ReceiptCheck>('verifyReceipt', { body: { receipt: entry.receipt, currentDigest: digest } }) } });
                        }
                        return;
                    }
                    const id = recordId.trim();
                    update(index, { verification: await api.call<Verification>('verify', { query: { digest, ...(id ? { id } : {}) } }) });
                } catch (error) {
                    update(index, { error });
                }
            }),
        );
    };

    const onDrop = (event: DragEvent): void => {
        event.preventDefault();
        setDragging(false);
        void check([...(event.dataTransfer?.files ?? [])]);
    };
    const onPick = (event: Event): void => {
        const input = event.currentTarget as HTMLInputElement;
        void check([...(input.files ?? [])]);
        input.value = '';
    };

    return (
        <section aria-labelledby="verify-title">
            <h2 id="verify-title">Verify files</h2>
            <p>
                Drop files here, or choose them. Each file's SHA-256 is computed in this browser and only the digest is sent: the file never leaves this machine. Drop a receipts file
                (<code>*.receipts.json</code> from <code>edgetrust evidence batch</code>, or the agent's <code>{AGENT_RECEIPT_SUFFIX}</code>) together with the files, or choose a folder, to check
                a batch.
            </p>
            <div class="row">
                <label for="record-id">Compare with record id (optional)</label>
                <input id="record-id" value={recordId} onInput={(e) => setRecordId(e.currentTarget.value)} placeholder="any record with this digest" />
            </div>
            <div
                class={`drop ${dragging ? 'dragging' : ''}`}
                data-testid="drop-zone"
                onDragOver={(e) => {
                    e.preventDefault();
                    setDragging(true);
                }}
                onDragLeave={() => setDragging(false)}
                onDrop={onDrop}
            >
                <p>Drop files here</p>
                <label class="button" for="pick-files">
                    Choose files
                </label>
                <input id="pick-files" class="visually-hidden" type="file" multiple onChange={onPick} />{' '}
                <label class="button" for="pick-folder">
                    Choose a folder
                </label>
                <input id="pick-folder" class="visually-hidden" type="file" multiple {...{ webkitdirectory: '' }} onChange={onPick} />
            </div>
            {checked.length > 0 && (
                <table data-testid="verifications">
                    <caption>Checked files</caption>
                    <thead>
                        <tr>
                            <th scope="col">File</th>
                            <th scope="col">SHA-256</th>
                            <th scope="col">Result</th>
                        </tr>
                    </thead>
                    <tbody>
                        {checked.map((c, i) => (
                            <tr key={`${c.name}-${String(i)}`} data-file={c.name}>
                                <th scope="row">
                                    {c.name}
                                    <div class="muted">{c.size.toLocaleString()} bytes</div>
                                </th>
                                <td>
                                    <code class="digest" title={c.digest}>
                                        {c.digest ? short(c.digest, 16) : '…'}
                                    </code>
                                </td>
                                <td>
                                    <Outcome checked={c} />
                                </td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
        </section>
    );
}



/** Revoking a record with a reason: its submitter, its organisation's admins or revokers may; others see not-allowed. */
function Revoke({ id, onDone }: { id: string; onDone: () => void }): JSX.Element {
    const [reason, setReason] = useState('');
    const revoke = useAction(async () => {
        await api.call('revoke', { params: { id }, body: { reason } });
        onDone();
    });
    return (
        <form class="row" onSubmit={revoke.submit} aria-label="Revoke this record">
            <label for="revoke-reason">Revoke with reason</label>
            <input id="revoke-reason" value={reason} required onInput={(e) => setReason(e.currentTarget.value)} />
            <button type="submit" class="secondary" disabled={revoke.busy}>
                Revoke
            </button>
            {revoke.error !== undefined && <ErrorPage error={revoke.error} />}
        </form>
    );
}

function RecordView({ id }: { id: string }): JSX.Element {
    const loaded = useLoad(
        async () => {
            const record = await api.call<EvidenceRecord>('read', { params: { id } });
            const [history, backward, forward] = await Promise.all([
                api.call<HistoryEntry[]>('history', { params: { id } }),
                api.call<TraceWalk>('traceBackward', { params: { id } }).catch(() => undefined),
                api.call<TraceWalk>('traceForward', { params: { id } }).catch(() => undefined),
            ]);
            return { record, history, backward, forward };
        },
        [id],
    );
    return (
        <Show loaded={loaded}>
            {({ record, history, backward, forward }) => {
                const steps = [...(backward?.steps ?? []), ...(forward?.steps ?? []).filter((s) => s.id !== record.id)];
                return (
                    <div data-record={record.id}>
                        <dl class="facts">
                            <div>
                                <dt>Record</dt>
                                <dd>
                                    <code>{record.id}</code>
                                </dd>
                            </div>
                            <div>
                                <dt>Name</dt>
                                <dd>{record.name}</dd>
                            </div>
                            <div>
                                <dt>Status</dt>
                                <dd>{record.status === 'active' ? <Badge tone="good">active</Badge> : <Badge tone="bad">revoked</Badge>}</dd>
                            </div>
                            <div>
                                <dt>Anchored</dt>
                                <dd>
                                    <When at={record.anchoredAt} /> by {record.submitterMspId}
                                </dd>
                            </div>
                            <div>
                                <dt>SHA-256</dt>
                                <dd>
                                    <code class="digest">{record.digest}</code>
                                </dd>
                            </div>
                        </dl>
                        {record.status === 'active' && <Revoke id={record.id} onDone={loaded.reload} />}
                        <table>
                            <caption>History (newest first)</caption>
                            <thead>
                                <tr>
                                    <th scope="col">When</th>
                                    <th scope="col">Transaction</th>
                                    <th scope="col">Status</th>
                                </tr>
                            </thead>
                            <tbody>
                                {history.map((h) => (
                                    <tr key={h.txId}>
                                        <td>
                                            <When at={h.timestamp} />
                                        </td>
                                        <td>
                                            <code title={h.txId}>{short(h.txId)}</code>
                                        </td>
                                        <td>{h.isDelete ? 'deleted' : (h.record?.status ?? '')}</td>
                                    </tr>
                                ))}
                            </tbody>
                        </table>
                        {steps.length > 1 && (
                            <ol class="trace" aria-label="Process trace, oldest step first">
                                {steps.map((s) => (
                                    <li key={s.id} aria-current={s.id === record.id ? 'step' : undefined}>
                                        <a href={`#/evidence?id=${encodeURIComponent(s.id)}`}>{s.name}</a> <span class="muted">{s.submitterMspId}</span> <When at={s.anchoredAt} />
                                    </li>
                                ))}
                            </ol>
                        )}
                    </div>
                );
            }}
        </Show>
    );
}

function Lookup(): JSX.Element {
    const initial = new URLSearchParams(location.hash.split('?')[1] ?? '').get('id') ?? '';
    const [draft, setDraft] = useState(initial);
    const [id, setId] = useState(initial);
    return (
        <section aria-labelledby="lookup-title">
            <h2 id="lookup-title">A record's history and trace</h2>
            <form
                class="row"
                onSubmit={(e) => {
                    e.preventDefault();
                    setId(draft.trim());
                }}
            >
                <label for="lookup-id">Record id</label>
                <input id="lookup-id" value={draft} onInput={(e) => setDraft(e.currentTarget.value)} required />
                <button type="submit">Look up</button>
            </form>
            {id && <RecordView id={id} />}
        </section>
    );
}

/** Evidence: verify dropped files (or a batch with its receipts) and look a record's history and trace up. */
export function EvidencePage(): JSX.Element {
    return (
        <section aria-labelledby="evidence-title">
            <h1 id="evidence-title">Evidence</h1>
            <Verify />
            <Lookup />
        </section>
    );
}
