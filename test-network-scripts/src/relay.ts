import { connect, createServer, type Socket } from 'node:net';

/**
 * TCP relays: `node relay.js [--delay <address>=<ms> ...] <listenHost>:<port>=<targetHost>:<port>[,<targetHost>:<port>...] ...`
 * listens on each address and copies bytes both ways to its target, then prints `ready`.
 *
 * Three uses. The partition scenario (bench chaos) carries 127.0.0.1 addresses across a cut site's veth link. The
 * replicas scenario gives one address several targets: each new connection goes to the first that accepts (a replica
 * that is down refuses at once), so one address stands for replicated chaincode servers. And hosts with link delays
 * (hosts.ts): this kernel has no `tc netem` (CONFIG_NET_SCH_NETEM is not set, and no other qdisc delays packets), so
 * a relay on each host's address holds every chunk for the one-way delay of the link it came over, chosen by the
 * connection's source address (`--delay`), in both directions; a source not listed is not delayed (the host's own
 * nodes). Chunks keep their order: timers of one duration fire in the order they were set.
 * Written here because it is a few dozen lines of node:net, and socat or haproxy (no delays either) is not on every
 * machine.
 */
function address(text: string): { host: string; port: number } {
    const [host = '', port = ''] = text.split(/:(?=\d+$)/);
    return { host, port: Number(port) };
}

function pipeBoth(inbound: Socket, outbound: Socket, delayMs: number): void {
    if (delayMs === 0) {
        inbound.pipe(outbound);
        outbound.pipe(inbound);
        return;
    }
    const later = (from: Socket, to: Socket): void => {
        from.on('data', (chunk: Buffer) => setTimeout(() => to.destroyed || to.write(chunk), delayMs));
        from.on('end', () => setTimeout(() => to.end(), delayMs));
    };
    later(inbound, outbound);
    later(outbound, inbound);
}

/** Connects `inbound` to the first of `targets` (from index `i`) that accepts; closes it when none does. */
function dial(inbound: Socket, targets: readonly string[], i: number, delayMs: number): void {
    const outbound = connect(address(targets[i] ?? ''));
    let connected = false;
    const close = (): void => {
        inbound.destroy();
        outbound.destroy();
    };
    inbound.once('close', close);
    outbound.once('connect', () => {
        connected = true;
        outbound.on('close', close);
        pipeBoth(inbound, outbound, delayMs);
    });
    outbound.on('error', () => {
        if (!connected && i + 1 < targets.length) {
            inbound.off('close', close);
            outbound.destroy();
            dial(inbound, targets, i + 1, delayMs);
        } else {
            close();
        }
    });
}

function relay(listen: string, targets: readonly string[], delays: ReadonlyMap<string, number>): Promise<void> {
    const server = createServer((inbound: Socket) => {
        // Until a target accepts, the socket stays paused and buffers what the client sends.
        inbound.on('error', () => inbound.destroy());
        dial(inbound, targets, 0, delays.get((inbound.remoteAddress ?? '').replace(/^::ffff:/, '')) ?? 0);
    });
    const { host, port } = address(listen);
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
    });
}

const args = process.argv.slice(2);
const delays = new Map<string, number>();
const pairs: string[] = [];
for (let i = 0; i < args.length; i++) {
    if (args[i] === '--delay') {
        const [source = '', ms = '0'] = (args[++i] ?? '').split('=');
        delays.set(source, Number(ms));
    } else {
        pairs.push(args[i] ?? '');
    }
}
Promise.all(
    pairs.map((pair) => {
        const [listen = '', targets = ''] = pair.split('=');
        return relay(listen, targets.split(','), delays);
    }),
).then(
    () => console.log('ready'),
    (err: unknown) => {
        console.error(err);
        process.exit(1);
    },
);
