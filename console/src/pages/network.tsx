import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { api } from '../api';
import { SeriesChart } from '../chart';
import { Badge, Show, short, useLoad, When } from '../components';
import type { NetworkStatus, PeerStatus, TransactionSummary } from '@edgetrust/service';




const REFRESH_MS = 5000;

function Peers({ peers }: { peers: PeerStatus[] }): JSX.Element {
    return (
        <table>
            <caption>Peers: ledger height as each peer itself reports it</caption>
            <thead>
                <tr>
                    <th scope="col">Peer</th>
                    <th scope="col">Organisation</th>
                    <th scope="col">Tier</th>
                    <th scope="col">Site</th>
                    <th scope="col">Health</th>
                    <th scope="col">Ledger height</th>
                </tr>
            </thead>
            <tbody>
                {peers.map((p) => (
                    <tr key={p.name} data-peer={p.name} class={p.lag ? 'lagging' : undefined}>
                        <th scope="row">
                            {p.name}
                            <div class="muted">{p.endpoint}</div>
                        </th>
                        <td>
                            {p.organization} <span class="muted">{p.mspId}</span>
                        </td>
                        <td>{p.tier}</td>
                        <td>{p.site}</td>
                        <td>{p.health === 'up' ? <Badge tone="good">up</Badge> : <Badge tone="bad">unreachable</Badge>}{p.error && <div class="muted">{p.error}</div>}</td>
                        <td class="number">
                            {p.height ?? '–'} {p.lag ? <Badge tone="warn">{p.lag} behind</Badge> : null}
                        </td>
                    </tr>
                ))}
            </tbody>
        </table>
    );
}

function BlockRow({ block, t, first }: { block: NetworkStatus['blocks'][number]; t: TransactionSummary; first: boolean }): JSX.Element {
    const span = block.transactions.length;
    return (
        <tr data-block={block.number}>
            {first && (
                <th scope="row" rowSpan={span}>
                    {block.number}
                </th>
            )}
            {first && (
                <td rowSpan={span}>
                    <When at={block.timestamp} />
                </td>
            )}
            <td>
                <code title={t.transactionId}>{short(t.transactionId || t.type)}</code>
            </td>
            <td>{t.chaincode ?? t.type}</td>
            <td>{t.creatorMspId}</td>
            <td>{t.endorserMspIds.join(', ')}</td>
            <td>
                <Badge tone={t.validationCode === 'VALID' ? 'good' : 'bad'}>{t.validationCode}</Badge>
            </td>
        </tr>
    );
}

function Blocks({ blocks }: { blocks: NetworkStatus['blocks'] }): JSX.Element {
    return (
        <table>
            <caption>Latest blocks and their transactions</caption>
            <thead>
                <tr>
                    <th scope="col">Block</th>
                    <th scope="col">Time</th>
                    <th scope="col">Transaction</th>
                    <th scope="col">Chaincode</th>
                    <th scope="col">Submitted by</th>
                    <th scope="col">Endorsed by</th>
                    <th scope="col">Validation</th>
                </tr>
            </thead>
            <tbody>
                {blocks.flatMap((b) => b.transactions.map((t, i) => <BlockRow key={`${b.number}-${String(i)}`} block={b} t={t} first={i === 0} />))}
            </tbody>
        </table>
    );
}

function Facts({ status }: { status: NetworkStatus }): JSX.Element {
    return (
        <dl class="facts">
            <div>
                <dt>Network</dt>
                <dd>{status.name}</dd>
            </div>
            <div>
                <dt>Channel</dt>
                <dd>{status.channel}</dd>
            </div>
            <div>
                <dt>Deployment mode</dt>
                <dd data-mode={status.deploymentMode}>{status.deploymentMode}</dd>
            </div>
            <div>
                <dt>Height</dt>
                <dd data-height={status.height}>{status.height}</dd>
            </div>
            <div>
                <dt>Block rate</dt>
                <dd>{status.blocksPerMinute === undefined ? '–' : `${String(status.blocksPerMinute)} / min`}</dd>
            </div>
        </dl>
    );
}

/** Network: peers with tier, site, health and own ledger height; deployment mode; block rate; latest blocks. */
export function NetworkPage(): JSX.Element {
    const loaded = useLoad(() => api.call<NetworkStatus>('getNetworkStatus', { query: { blocks: 10 } }), []);
    useEffect(() => {
        const timer = setInterval(loaded.reload, REFRESH_MS);
        return (): void => clearInterval(timer);
    }, [loaded.reload]);
    return (
        <section aria-labelledby="network-title">
            <h1 id="network-title">Network</h1>
            <Show loaded={loaded}>
                {(status): JSX.Element => {
                    const oldestFirst = [...status.blocks].reverse();
                    return (
                        <>
                            <Facts status={status} />
                            <Peers peers={status.peers} />
                            <SeriesChart kind="bar" title="Transactions per block, latest blocks" labels={oldestFirst.map((b) => b.number)} series={[{ label: 'transactions', values: oldestFirst.map((b) => b.transactions.length) }]} />
                            <Blocks blocks={status.blocks} />
                        </>
                    );
                }}
            </Show>
        </section>
    );
}
