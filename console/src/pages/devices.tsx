import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { Badge, ErrorPage, Show, short, useAction, useLoad, When } from '../components';
import { fingerprintOfPem } from '../hash';
import { WhenOffered } from './missing';
import type { DeviceCertificate, DeviceLookup, EquipmentAsset } from '@edgetrust/schemas';





const OPERATIONS = ['readDevice', 'readDeviceByFingerprint', 'suspendCertificate', 'reinstateCertificate', 'revokeCertificate', 'listAssetsBySite'];
const REVOCATION_REASONS = ['unspecified', 'keyCompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'privilegeWithdrawn'];
const ASSET_STATES = ['', 'in_stock', 'installed', 'in_use', 'lent', 'under_repair', 'replaced', 'retired'];
const STATUS_TONE = { active: 'good', suspended: 'warn', revoked: 'bad' } as const;

type Query = { by: 'id' | 'fingerprint'; value: string };

/** Suspend, reinstate or revoke with a reason: owners and manufacturers may; anyone else sees not-allowed. */
function StatusActions({ device, onDone }: { device: DeviceCertificate; onDone: () => void }): JSX.Element {
    const [action, setAction] = useState(device.status === 'suspended' ? 'reinstate' : 'suspend');
    const [reason, setReason] = useState('unspecified');
    const [comment, setComment] = useState('');
    const apply = useAction(async () => {
        const params = { id: device.id };
        if (action === 'revoke') {
            await api.call('revokeCertificate', { params, body: { reason, ...(comment ? { comment } : {}) } });
        } else {
            await api.call(action === 'suspend' ? 'suspendCertificate' : 'reinstateCertificate', { params, body: comment ? { comment } : {} });
        }
        onDone();
    });
    return (
        <form class="row" aria-label="Change the certificate's status" onSubmit={apply.submit}>
            <label for="device-action">Action</label>
            <select id="device-action" value={action} onChange={(e) => setAction(e.currentTarget.value)}>
                <option value="suspend">Suspend</option>
                <option value="reinstate">Reinstate</option>
                <option value="revoke">Revoke</option>
            </select>
            {action === 'revoke' && (
                <>
                    <label for="revocation-reason">Reason</label>
                    <select id="revocation-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
                        {REVOCATION_REASONS.map((r) => (
                            <option key={r} value={r}>
                                {r}
                            </option>
                        ))}
                    </select>
                </>
            )}
            <label for="device-comment">Comment</label>
            <input id="device-comment" value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
            <button type="submit" disabled={apply.busy}>
                Apply
            </button>
            {apply.error !== undefined && <ErrorPage error={apply.error} />}
        </form>
    );
}

function DeviceView({ query }: { query: Query }): JSX.Element {
    const loaded = useLoad(
        () => (query.by === 'id' ? api.call<DeviceLookup>('readDevice', { params: { id: query.value } }) : api.call<DeviceLookup>('readDeviceByFingerprint', { params: { fingerprint: query.value } })),
        [query.by, query.value],
    );
    return (
        <Show loaded={loaded}>
            {(lookup): JSX.Element => {
                const d = lookup.certificate;
                return (
                    <div data-device={d.id} data-status={d.status}>
                        <dl class="facts">
                            <div>
                                <dt>{d.kind === 'app' ? 'Application' : 'Device'}</dt>
                                <dd>{d.id}</dd>
                            </div>
                            <div>
                                <dt>Status</dt>
                                <dd>
                                    <Badge tone={STATUS_TONE[d.status]}>{d.status}</Badge> {d.statusReason && <span class="muted">{d.statusReason}</span>}
                                </dd>
                            </div>
                            <div>
                                <dt>Fingerprint</dt>
                                <dd>
                                    <code title={lookup.fingerprint}>{short(lookup.fingerprint, 16)}</code> <span class="muted">{lookup.fingerprintStatus}</span>
                                </dd>
                            </div>
                            <div>
                                <dt>Owner</dt>
                                <dd>{d.owner.mspId}</dd>
                            </div>
                            <div>
                                <dt>Manufacturer · model</dt>
                                <dd>
                                    {d.manufacturerId || '–'} · {d.model}
                                </dd>
                            </div>
                            <div>
                                <dt>Valid until</dt>
                                <dd>
                                    <When at={d.notAfter} />
                                </dd>
                            </div>
                        </dl>
                        {d.status !== 'revoked' && <StatusActions device={d} onDone={loaded.reload} />}
                        <table>
                            <caption>History</caption>
                            <thead>
                                <tr>
                                    <th scope="col">#</th>
                                    <th scope="col">When</th>
                                    <th scope="col">Action</th>
                                    <th scope="col">By</th>
                                    <th scope="col">Reason · comment</th>
                                </tr>
                            </thead>
                            <tbody>
                                {lookup.history.map((h) => (
                                    <tr key={h.seq} data-action={h.action}>
                                        <td>{h.seq}</td>
                                        <td>
                                            <When at={h.at} />
                                        </td>
                                        <td>{h.action}</td>
                                        <td>
                                            {h.by.mspId} <span class="muted">{short(h.by.id, 24)}</span>
                                        </td>
                                        <td>
                                            {h.reason} {h.comment}
                                        </td>
                                    </tr>
                                ))}
                            </tbody>
                        </table>
                    </div>
                );
            }}
        </Show>
    );
}

function Lookup(): JSX.Element {
    const [by, setBy] = useState<Query['by']>('id');
    const [value, setValue] = useState('');
    const [query, setQuery] = useState<Query>();
    const [error, setError] = useState<unknown>();
    const fromCertificate = async (event: Event): Promise<void> => {
        const input = event.currentTarget as HTMLInputElement;
        const file = input.files?.[0];
        input.value = '';
        if (!file) {
            return;
        }
        try {
            const fingerprint = await fingerprintOfPem(await file.text());
            setBy('fingerprint');
            setValue(fingerprint);
            setQuery({ by: 'fingerprint', value: fingerprint });
            setError(undefined);
        } catch (err) {
            setError(err);
        }
    };
    return (
        <section aria-labelledby="device-lookup-title">
            <h2 id="device-lookup-title">Look a device or application up</h2>
            <form
                class="row"
                onSubmit={(e) => {
                    e.preventDefault();
                    setQuery({ by, value: value.trim() });
                }}
            >
                <label for="device-by">By</label>
                <select id="device-by" value={by} onChange={(e) => setBy(e.currentTarget.value as Query['by'])}>
                    <option value="id">id</option>
                    <option value="fingerprint">certificate fingerprint</option>
                </select>
                <label for="device-query" class="visually-hidden">
                    Id or fingerprint
                </label>
                <input id="device-query" value={value} required onInput={(e) => setValue(e.currentTarget.value)} />
                <button type="submit">Look up</button>
                <label class="button secondary" for="device-certificate">
                    Certificate file…
                </label>
                <input id="device-certificate" class="visually-hidden" type="file" accept=".pem,.crt,.cer" onChange={(e) => void fromCertificate(e)} />
            </form>
            {error !== undefined && <ErrorPage error={error} />}
            {query && <DeviceView query={query} />}
        </section>
    );
}

function AssetList({ site, state }: { site: string; state: string }): JSX.Element {
    const loaded = useLoad(() => api.call<{ records: EquipmentAsset[] }>('listAssetsBySite', { params: { site }, query: { state, pageSize: 100 } }), [site, state]);
    return (
        <Show loaded={loaded}>
            {(page) => (
                <table data-testid="assets">
                    <caption>
                        Equipment at {site}
                        {state ? ` (${state})` : ''}: {page.records.length}
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">Tag</th>
                            <th scope="col">Type · model</th>
                            <th scope="col">Location</th>
                            <th scope="col">State</th>
                            <th scope="col">Owner</th>
                            <th scope="col">Updated</th>
                        </tr>
                    </thead>
                    <tbody>
                        {page.records.map((a) => (
                            <tr key={a.id} data-asset={a.id}>
                                <th scope="row">{a.tag}</th>
                                <td>
                                    {a.type} · {a.model}
                                </td>
                                <td>{a.location}</td>
                                <td>{a.state}</td>
                                <td>{a.ownerMspId}</td>
                                <td>
                                    <When at={a.updatedAt} />
                                </td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
        </Show>
    );
}

function Assets(): JSX.Element {
    const [site, setSite] = useState('');
    const [state, setState] = useState('');
    const [shown, setShown] = useState<{ site: string; state: string }>();
    return (
        <section aria-labelledby="assets-title">
            <h2 id="assets-title">Equipment assets by site and state</h2>
            <form
                class="row"
                onSubmit={(e) => {
                    e.preventDefault();
                    setShown({ site: site.trim(), state });
                }}
            >
                <label for="asset-site">Site</label>
                <input id="asset-site" value={site} required onInput={(e) => setSite(e.currentTarget.value)} />
                <label for="asset-state">State</label>
                <select id="asset-state" value={state} onChange={(e) => setState(e.currentTarget.value)}>
                    {ASSET_STATES.map((s) => (
                        <option key={s} value={s}>
                            {s || 'any'}
                        </option>
                    ))}
                </select>
                <button type="submit">Show</button>
            </form>
            {shown && <AssetList site={shown.site} state={shown.state} />}
        </section>
    );
}

/** Devices: look a device or application up; suspend, reinstate, revoke; equipment assets by site and state. */
export function DevicesPage(): JSX.Element {
    return (
        <section aria-labelledby="devices-title">
            <h1 id="devices-title">Devices</h1>
            <WhenOffered operations={OPERATIONS}>
                {() => (
                    <>
                        <Lookup />
                        <Assets />
                    </>
                )}
            </WhenOffered>
        </section>
    );
}
