import { connect, createServer, type Socket } from 'node:net';

/**
 * TCP relays for the partition scenario: `node relay.js <listenHost>:<port>=<targetHost>:<port> ...` listens on each
 * address and copies bytes both ways to its target, then prints `ready`. Every node of the network listens on and
 * dials 127.0.0.1, which never leaves a network namespace; one relay inside the cut site's namespace and one
 * outside carry those addresses over the site's veth link, so taking the link down cuts every connection of the site
 * (established ones stop carrying bytes, new ones get no answer) while nothing else changes. Written here because
 * it is thirty lines of node:net and socat is not installed on every machine.
 */
function relay(listen: string, target: string): Promise<void> {
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
        inbound.pipe(outbound);
        outbound.pipe(inbound);
    });
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(Number(listenPort), listenHost, () => resolve());
    });
}

Promise.all(
    process.argv.slice(2).map((pair) => {
        const [listen = '', target = ''] = pair.split('=');
        return relay(listen, target);
    }),
).then(
    () => console.log('ready'),
    (err: unknown) => {
        console.error(err);
        process.exit(1);
    },
);
