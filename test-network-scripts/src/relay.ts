import { connect, createServer, type Socket } from 'node:net';

/**
 * TCP relays: `node relay.js [--delay <address>=<ms> ...] <listenHost>:<port>=<targetHost>:<port> ...` listens on
 * each address and copies bytes both ways to its target, then prints `ready`.
 *
 * Two uses. The partition scenario (bench chaos) carries 127.0.0.1 addresses across a cut site's veth link. And
 * hosts with link delays (hosts.ts): this kernel has no `tc netem` (CONFIG_NET_SCH_NETEM is not set, and no other
 * qdisc delays packets), so a relay on each host's address holds every chunk for the one-way delay of the link it
 * came over, chosen by the connection's source address (`--delay`), in both directions; a source not listed is not
 * delayed (the host's own nodes). Chunks keep their order: timers of one duration fire in the order they were set.
 * Written here because it is a few dozen lines of node:net, and socat (no delays either) is not on every machine.
 */
function relay(listen: string, target: string, delays: ReadonlyMap<string, number>): Promise<void> {
    const [listenHost = '', listenPort = ''] = listen.split(/:(?=\d+$)/);
    const [targetHost = '', targetPort = ''] = target.split(/:(?=\d+$)/);
    const server = createServer((inbound: Socket) => {
        const outbound = connect({ host: targetHost, port: Number(targetPort) });
        const close = (): void => {
            inbound.destroy();
            outbound.destroy();
        };
        inbound.on('error', close).on('close', close);
        outbound.on('error', close).on('close', close);
        const delayMs = delays.get((inbound.remoteAddress ?? '').replace(/^::ffff:/, '')) ?? 0;
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
    });
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(Number(listenPort), listenHost, () => resolve());
    });
}

const args = process.argv.slice(2);
const delays = new Map<string, number>();
const pairs: string[] = [];
for (let i = 0; i < args.length; i++) {
    if (args[i] === '--delay') {
        const [address = '', ms = '0'] = (args[++i] ?? '').split('=');
        delays.set(address, Number(ms));
    } else {
        pairs.push(args[i] ?? '');
    }
}
Promise.all(
    pairs.map((pair) => {
        const [listen = '', target = ''] = pair.split('=');
        return relay(listen, target, delays);
    }),
).then(
    () => console.log('ready'),
    (err: unknown) => {
        console.error(err);
        process.exit(1);
    },
);
