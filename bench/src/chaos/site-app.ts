import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, loadNetworkProfile, toEdgeTrustError } from '@edgetrust/gateway-sdk';
import { firstLine } from './load';

/**
 * The application at the cut site in the partition scenario, run inside the site's network namespace by
 * chaos/partition.ts: `node site-app.js <profile> <organisation> <peer> <operations host:port> <evidence id>`.
 * Four loops, each on its own so that a call left hanging by the cut holds up only its own kind, through the site's
 * own peer: plain reads of a record anchored before the cut; reads that must see at least the block named by the
 * latest consistency token the parent wrote on stdin (one per line, `channel@block`, as another site's application
 * would hand it over); anchors; and once a second the peer's ledger height and how many peers its gossip knows
 * (operations endpoint). Each outcome is one JSON line on stdout. Stops when stdin closes.
 */
interface Outcome {
    ok: boolean;
    code?: string;
    message?: string;
    ms: number;
}

async function timed(call: () => Promise<unknown>): Promise<Outcome> {
    const start = Date.now();
    try {
        await call();
        return { ok: true, ms: Date.now() - start };
    } catch (err) {
        const coded = toEdgeTrustError(err);
        return { ok: false, code: coded.code, message: firstLine(coded).slice(0, 160), ms: Date.now() - start };
    }
}

async function peerMetrics(operations: string): Promise<{ height: number; peersKnown: number }> {
    try {
        const text = await (await fetch(`http://${operations}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
        const height = Number(/^ledger_blockchain_height\{[^}]*\} (\d+)$/m.exec(text)?.[1] ?? -1);
        const peersKnown = Number(/^gossip_membership_total_peers_known\{[^}]*\} (\d+)$/m.exec(text)?.[1] ?? -1);
        return { height, peersKnown };
    } catch {
        return { height: -1, peersKnown: -1 };
    }
}

/** One finished call: what, when it started and ended, and its error code if it failed. */
export interface SiteOutcome {
    op: 'read' | 'token-read' | 'write' | 'peer';
    start: number;
    end: number;
    ok: boolean;
    code?: string;
    message?: string;
    height?: number;
    peersKnown?: number;
}

async function loop(closed: AbortSignal, op: SiteOutcome['op'], call: (n: number) => Promise<unknown>): Promise<void> {
    for (let n = 0; !closed.aborted; n++) {
        const start = Date.now();
        const outcome = await timed(() => call(n));
        console.log(JSON.stringify({ op, start, end: Date.now(), ok: outcome.ok, code: outcome.code, message: outcome.message } satisfies SiteOutcome));
        await sleep(250);
    }
}

async function main(): Promise<void> {
    const [profilePath = '', organization = '', peer = '', operations = '', recordId = ''] = process.argv.slice(2);
    const profile = loadNetworkProfile(profilePath);
    // Plain reads take what the peer has; token reads wait (2 s at most) for the token's block.
    const plain = await connect({ profile, organization, peer, consistency: false });
    const tokened = await connect({ profile, organization, peer, consistency: { timeoutMs: 2000 } });
    const evidence = plain.gateway.getNetwork(profile.channel).getContract('evidence');
    const tokenedEvidence = tokened.gateway.getNetwork(profile.channel).getContract('evidence');
    const closed = new AbortController();
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => {
        tokened.observe(line.trim());
    });
    lines.on('close', () => {
        closed.abort();
    });
    const anchor = async (n: number): Promise<void> => {
        const id = `site-${String(process.pid)}-${String(n)}`;
        const request = { id, digest: 'ab'.repeat(32), name: id, size: 1, mediaType: 'text/plain', source: { type: 'device', id: 'site' } };
        const commit = await evidence.submitAsync('Anchor', { arguments: [JSON.stringify(request)] });
        const status = await commit.getStatus();
        if (!status.successful) {
            throw new Error(`validation code ${String(status.code)}`);
        }
    };
    const watchPeer = async (): Promise<void> => {
        while (!closed.signal.aborted) {
            const start = Date.now();
            const metrics = await peerMetrics(operations);
            console.log(JSON.stringify({ op: 'peer', start, end: Date.now(), ok: metrics.height >= 0, ...metrics } satisfies SiteOutcome));
            await sleep(1000);
        }
    };
    await Promise.all([
        loop(closed.signal, 'read', () => evidence.evaluateTransaction('Read', recordId)),
        loop(closed.signal, 'token-read', () => tokenedEvidence.evaluateTransaction('Read', recordId)),
        loop(closed.signal, 'write', anchor),
        watchPeer(),
    ]);
    plain.close();
    tokened.close();
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
