import { skipSuppressedShimLogs } from './shim-logging';

interface ShimLogger {
    level: string;
    format: { transform: (info: unknown) => unknown };
    transports: { log: (info: unknown, next: () => void) => void }[];
    debug(message: string, ...splat: unknown[]): void;
    info(message: string): void;
    error(message: string): void;
}

// fabric-shim's own logger factory (no type declarations), as the shim's handler uses it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getLogger } = require('fabric-shim/lib/logger') as { getLogger: (name: string) => ShimLogger };

describe('skipSuppressedShimLogs', () => {
    it('drops messages below the level before winston formats them, and still prints the others', () => {
        const logger = getLogger('shim-logging-test');
        logger.level = 'warn';
        const format = jest.spyOn(logger.format, 'transform');
        const [transport] = logger.transports;
        const printed = jest.spyOn(transport as ShimLogger['transports'][number], 'log').mockImplementation((_info, next) => next());
        try {
            logger.debug('formatted though never printed: %s', 'x');
            expect([format.mock.calls.length, printed.mock.calls.length]).toEqual([1, 0]);

            skipSuppressedShimLogs();
            skipSuppressedShimLogs();
            format.mockClear();
            logger.debug('dropped %s', 'early');
            logger.info('dropped too');
            expect(format).not.toHaveBeenCalled();

            logger.error('printed');
            expect([format.mock.calls.length, printed.mock.calls.length]).toEqual([1, 1]);
            expect(printed.mock.calls[0]?.[0]).toMatchObject({ level: expect.stringContaining('error') as string });
        } finally {
            format.mockRestore();
            printed.mockRestore();
        }
    });
});
