import { createRequire } from 'node:module';

/*
 * fabric-contract-api checks every argument against its parameter schema with Ajv before the contract runs, and
 * compiles that check on every call with the chaincode's whole components.schemas embedded; Ajv finds its cached
 * check by a stable serialization of all of it, which for evidence's metadata costs 1.5 ms per argument. Our
 * contracts declare every parameter as plain text (`type: string`, a title and a description: the chaincode
 * parses and checks the text itself, see schemas/src/contract-metadata.ts), and any argument passes that check,
 * because the shim hands each one over as the UTF-8 text of its bytes. For such parameters the check is skipped
 * and the same text passed on; a wrong number of arguments, or any other parameter, goes through
 * fabric-contract-api's own handling unchanged.
 */

interface TransactionDescriptor {
    parameters?: { schema?: Record<string, unknown> }[];
}

interface DataMarshall {
    handleParameters: (this: DataMarshall, fn: TransactionDescriptor, parameters: Uint8Array[], loggerPrefix: string) => unknown[];
    [PASSING]?: true;
}

const PASSING = Symbol.for('edgetrust.textArgumentsPassedThrough');
const PLAIN_TEXT_KEYWORDS = new Set(['type', 'title', 'description']);

/** Whether a parameter schema says only "text": what any argument passes. */
export function isPlainText(schema: Record<string, unknown> | undefined): boolean {
    return schema?.type === 'string' && Object.keys(schema).every((keyword) => PLAIN_TEXT_KEYWORDS.has(keyword));
}

/** Makes fabric-shim pass plain-text arguments through without compiling a check for them. Idempotent. */
export function passTextArgumentsThrough(): void {
    const prototype = dataMarshallPrototype();
    if (prototype === undefined || prototype[PASSING] === true) {
        return;
    }
    const handleParameters = prototype.handleParameters;
    prototype.handleParameters = function passText(this: DataMarshall, fn, parameters, loggerPrefix): unknown[] {
        const expected = fn.parameters;
        if (expected !== undefined && expected.length === parameters.length && expected.every((parameter) => isPlainText(parameter.schema))) {
            return parameters.map((bytes) => Buffer.from(bytes).toString('utf8'));
        }
        return handleParameters.call(this, fn, parameters, loggerPrefix);
    };
    prototype[PASSING] = true;
}

function dataMarshallPrototype(): DataMarshall | undefined {
    try {
        const DataMarshallClass = createRequire(require.resolve('fabric-shim'))('./lib/contract-spi/datamarshall') as { prototype?: DataMarshall };
        return typeof DataMarshallClass.prototype?.handleParameters === 'function' ? DataMarshallClass.prototype : undefined;
    } catch {
        return undefined;
    }
}
