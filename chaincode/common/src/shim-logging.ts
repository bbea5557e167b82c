import { createRequire } from 'node:module';

/*
 * fabric-shim and fabric-contract-api log through winston, which runs every message through its whole
 * format chain (timestamp, metadata, colours, printf) and only then lets the transport drop what is below
 * CORE_CHAINCODE_LOGGING_LEVEL. The shim logs several debug lines per message to the peer, so in a
 * transaction that does little else this formatting of lines nobody sees is a fifth of the chaincode's CPU.
 * Dropping those lines before formatting prints exactly the same lines.
 */

const LEVEL = Symbol.for('level');
const GATED = Symbol.for('edgetrust.gatedLogLevels');

interface WinstonLogger {
    write: (this: WinstonLogger, info: unknown, ...rest: unknown[]) => boolean;
    isLevelEnabled: (this: WinstonLogger, level: string) => boolean;
    [GATED]?: true;
}

/**
 * Makes the winston loggers of fabric-shim and fabric-contract-api skip messages below their level before
 * formatting them. Idempotent; does nothing where those packages or winston cannot be found.
 */
export function skipSuppressedShimLogs(): void {
    for (const owner of ['fabric-shim', 'fabric-contract-api']) {
        const prototype = winstonLoggerPrototype(owner);
        if (prototype === undefined || prototype[GATED] === true) {
            continue;
        }
        const write = prototype.write;
        prototype.write = function gatedWrite(this: WinstonLogger, info: unknown, ...rest: unknown[]): boolean {
            const level = typeof info === 'object' && info !== null ? (info as Record<symbol, unknown>)[LEVEL] : undefined;
            if (typeof level === 'string' && !this.isLevelEnabled(level)) {
                return true;
            }
            return write.call(this, info, ...rest);
        };
        prototype[GATED] = true;
    }
}

/** The Logger class of the winston that `owner` loads (each package may resolve its own copy). */
function winstonLoggerPrototype(owner: string): WinstonLogger | undefined {
    try {
        const winston = createRequire(require.resolve(owner))('winston') as { Logger?: { prototype?: WinstonLogger } };
        const prototype = winston.Logger?.prototype;
        return typeof prototype?.write === 'function' && typeof prototype.isLevelEnabled === 'function' ? prototype : undefined;
    } catch {
        return undefined;
    }
}
