import { createServer, type Server } from 'node:net';
import { connectionRefusal, waitForPorts } from './processes';

/** A port nothing listens on: bound once by the OS, then released. */
async function unusedPort(): Promise<number> {
    const server = await listen(0);
    const port = (server.address() as { port: number }).port;
    await close(server);
    return port;
}

function listen(port: number): Promise<Server> {
    return new Promise((resolve, reject) => {
        const server = createServer((socket) => socket.destroy());
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve(server));
    });
}

function close(server: Server): Promise<void> {
    return new Promise((resolve) => server.close(() => resolve()));
}

describe('waitForPorts', () => {
    it('resolves at once when every service accepts connections', async () => {
        const server = await listen(0);
        const port = (server.address() as { port: number }).port;
        const told: string[] = [];
        try {
            await waitForPorts([{ service: 'orderer1 admin', port, node: 'orderer1' }], { onWait: (s) => told.push(s) });
        } finally {
            await close(server);
        }
        expect(told).toEqual([]);
    });

    it('waits for a port that starts listening after its node answered (the orderer admin port after /healthz)', async () => {
        const port = await unusedPort();
        const told: string[] = [];
        let server: Server | undefined;
        // Starts listening only once the waiter has been refused, as a restarting orderer does.
        const waited = waitForPorts([{ service: 'orderer2 admin', port, node: 'orderer2' }], {
            intervalMs: 20,
            onWait: (notYet) => {
                told.push(notYet);
                void listen(port).then((s) => (server = s));
            },
        });
        try {
            await expect(waited).resolves.toBeUndefined();
        } finally {
            if (server) {
                await close(server);
            }
        }
        expect(told).toEqual([`orderer2 admin 127.0.0.1:${String(port)} (ECONNREFUSED)`]);
    });

    it('gives up after its bound, naming each service and port it waited for and why', async () => {
        const [a, b] = [await unusedPort(), await unusedPort()];
        const services = [
            { service: 'orderer1 admin', port: a, node: 'orderer1' },
            { service: 'peer0 listen', port: b, node: 'peer0' },
        ];
        await expect(waitForPorts(services, { timeoutMs: 100, intervalMs: 20, diagnostics: (node) => `log of ${node}` })).rejects.toThrow(
            `gave up after 0.1 s waiting for orderer1 admin 127.0.0.1:${String(a)} (ECONNREFUSED), peer0 listen 127.0.0.1:${String(b)} (ECONNREFUSED) to accept connections; last log lines of orderer1:\nlog of orderer1`,
        );
    });

    it('stops waiting as soon as the serving process has exited', async () => {
        const port = await unusedPort();
        await expect(
            waitForPorts([{ service: 'chaincode-evidence', port, node: 'chaincode-evidence' }], { timeoutMs: 60_000, stillRunning: () => false }),
        ).rejects.toThrow(`chaincode-evidence exited before chaincode-evidence 127.0.0.1:${String(port)} accepted connections`);
    });
});

describe('connectionRefusal', () => {
    it('is undefined for a listening port and names the refusal otherwise', async () => {
        const server = await listen(0);
        const port = (server.address() as { port: number }).port;
        await expect(connectionRefusal(port)).resolves.toBeUndefined();
        await close(server);
        await expect(connectionRefusal(port)).resolves.toBe('ECONNREFUSED');
    });
});
