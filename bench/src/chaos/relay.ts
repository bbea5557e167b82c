import { connect, createServer, type Socket } from 'node:net';

/**
 * TCP relays for the chaos scenarios: `node relay.js <listenHost>:<port>=<targetHost>:<port>[,<targetHost>:<port>...] ...`
 * listens on each address and copies bytes both ways to its target, then prints `ready`. With several targets each
 * new connection goes to the first one that accepts it (a replica that is down refuses at once), so one address can
 * stand for replicated chaincode servers (`replicas`). The partition scenario uses one target per address: every node
 * of the network listens on and dials 127.0.0.1, which never leaves a network namespace; one relay inside the cut
 * site's namespace and one outside carry those addresses over the site's veth link, so taking the link down cuts
 * every connection of the site (established ones stop carrying bytes, new ones get no answer) while nothing else
 * changes. Written here because it is forty lines of node:net and socat or haproxy is not installed on every machine.
 */
function address(text: string): { host: string; port: number } {
    const [host = '', port = ''] = text.split(/:(?=\d+$)/);
    return { host, port: Number(port) };
}

/** Connects `inbound` to the first of `targets` (from index `i`) that accepts; closes it when none does. */
function dial(inbound: Socket, targets: readonly string[], i: number): void {
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
        inbound.pipe(outbound);
        outbound.pipe(inbound);
    });
    outbound.on('error', () => {
        if (!connected && i + 1 < targets.length) {
            outbound.destroy();
            dial(inbound, targets, i + 1);
        } else {
            close();
        }
    });
}

function relay(listen: string, targets: readonly string[]): Promise<void> {
    const server = createServer((inbound: Socket) => {
        // Until a target accepts, the socket stays paused and buffers what the client sends.
        inbound.on('error', () => inbound.destroy());
        dial(inbound, targets, 0);
    });
    const { host, port } = address(listen);
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
    });
}

Promise.all(
    process.argv.slice(2).map((pair) => {
        const [listen = '', targets = ''] = pair.split('=');
        return relay(listen, targets.split(','));
    }),
).then(
    () => console.log('ready'),
    (err: unknown) => {
        console.error(err);
        process.exit(1);
    },
);
