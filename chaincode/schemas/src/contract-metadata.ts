import type { TSchema } from '@sinclair/typebox';
import { canonicalJson } from './canonical-json';

/*
 * A chaincode's contract metadata (what `org.hyperledger.fabric:GetMetadata` returns) generated from its
 * transaction table, so the shapes an integrator reads are the schemas the chaincode validates with.
 *
 * Every argument travels as text and the chaincode parses and checks it itself, so that a bad one is refused with a
 * stable code (INVALID_ARGUMENT: …) and an oversized one before it is parsed. fabric-contract-api, however, checks
 * each argument against its parameter schema with Ajv before the contract runs and fails with an uncoded error. A
 * parameter is therefore declared `type: string` with the name of the schema its text must meet as `title`; that
 * schema, like every return shape, is in `components.schemas`. Returns are `$ref`s (fabric-contract-api does not
 * apply them: every transaction returns canonical JSON text it made itself).
 */

/** One argument: its name and the schema (with `$id`) of its text, or of the JSON object its text carries. */
export type ParameterSpec = readonly [name: string, schema: TSchema];

export interface TransactionSpec {
    /** `submit` changes the ledger (ordered and committed); `evaluate` only reads. */
    readonly type: 'submit' | 'evaluate';
    /** What it does, in one or two sentences. */
    readonly description: string;
    /** Who may call it. */
    readonly callers: string;
    readonly parameters: readonly ParameterSpec[];
    /** Entries of the transient map (never written to the transaction): confidential inputs of private records. */
    readonly transient?: readonly ParameterSpec[];
    /** The shape of the JSON it returns (with `$id`). */
    readonly returns: TSchema;
}

/** Every transaction of one contract by name: the one place its shape, rules and callers are written. */
export type TransactionTable = Readonly<Record<string, TransactionSpec>>;

export interface ContractSpec {
    readonly name: string;
    readonly title: string;
    readonly description: string;
    readonly transactions: TransactionTable;
}

interface FabricSchema {
    [keyword: string]: unknown;
}

interface FabricTransaction {
    name: string;
    tag: string[];
    parameters?: { name: string; description: string; schema: FabricSchema }[];
    returns?: FabricSchema;
}

export interface FabricContractMetadata {
    $schema: string;
    info: { title: string; version: string };
    contracts: Record<string, { name: string; info: { title: string; version: string; description?: string }; transactions: FabricTransaction[] }>;
    components: { schemas: Record<string, FabricSchema> };
}

/** The schema fabric-contract-api checks a metadata file against (fabric-contract-api/schema/contract-schema.json). */
const CONTRACT_SCHEMA = 'https://hyperledger.github.io/fabric-chaincode-node/main/api/contract-schema.json';
/** fabric-chaincode-node adds this contract to every chaincode; a metadata file must list it too. */
const SYSTEM_CONTRACT = 'org.hyperledger.fabric';

function idOf(schema: TSchema, where: string): string {
    if (typeof schema.$id !== 'string' || schema.$id === '') {
        throw new Error(`${where}: the schema needs an $id, the name under which it is listed in components.schemas`);
    }
    return schema.$id;
}

/**
 * Plain JSON Schema: TypeBox's symbols dropped, every nested named schema replaced by a `$ref` to its `$id` and
 * handed to `named` (so each shape is in components.schemas once). A bare `$ref: "<id>"` resolves against the
 * sibling schema with that `$id`, which is how fabric-contract-api's Ajv compiles the components at start
 * (each on its own, so `#/components/…` pointers would not resolve there).
 */
function plain(schema: TSchema, named: (nested: TSchema) => void): FabricSchema {
    const replace = (node: unknown, root: boolean): unknown => {
        if (Array.isArray(node)) {
            return node.map((child) => replace(child, false));
        }
        if (typeof node !== 'object' || node === null) {
            return node;
        }
        const record = node as TSchema;
        if (!root && typeof record.$id === 'string') {
            named(record);
            return { $ref: record.$id };
        }
        return Object.fromEntries(Object.entries(record).map(([key, child]) => [key, replace(child, false)]));
    };
    return replace(schema, true) as FabricSchema;
}

function sortedObject<T>(entries: [string, T][]): Record<string, T> {
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The contract metadata of a chaincode: valid against fabric-contract-api's contract schema, transactions in
 * name order, every named schema once in `components.schemas`.
 */
export function contractMetadata(chaincode: { title: string; version: string }, contracts: readonly ContractSpec[]): FabricContractMetadata {
    const components = new Map<string, FabricSchema>();
    const component = (schema: TSchema, where: string): string => {
        // A named schema inside another is listed once, as its own component.
        const id = idOf(schema, where);
        const json = plain(schema, (nested) => component(nested, `${where} > ${String(nested.$id)}`));
        const known = components.get(id);
        if (known !== undefined && JSON.stringify(known) !== JSON.stringify(json)) {
            throw new Error(`${where}: two different schemas are named ${id}`);
        }
        components.set(id, json);
        return id;
    };
    const described = Object.fromEntries(
        contracts.map((contract) => {
            const transactions = Object.entries(contract.transactions)
                .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
                .map(([name, spec]): FabricTransaction => {
                    const where = `${contract.name}.${name}`;
                    const parameters = spec.parameters.map(([parameter, schema]) => {
                        const id = component(schema, `${where}(${parameter})`);
                        const carries = schema.type === 'string' ? `text meeting components.schemas.${id}` : `JSON text of components.schemas.${id}`;
                        return { name: parameter, description: `${schema.description ?? parameter}: ${carries}`, schema: { type: 'string', title: id } };
                    });
                    const transient = (spec.transient ?? []).map(([entry, schema]) => `${entry} (${schema.type === 'string' ? 'text meeting' : 'JSON text of'} components.schemas.${component(schema, `${where}[${entry}]`)})`);
                    const transientText = transient.length === 0 ? '' : ` Transient map: ${transient.join(', ')}.`;
                    return {
                        name,
                        tag: spec.type === 'submit' ? ['SUBMIT', 'submitTx'] : ['EVALUATE'],
                        ...(parameters.length === 0 ? {} : { parameters }),
                        returns: { $ref: `#/components/schemas/${component(spec.returns, `${where} returns`)}`, description: `${spec.description}${transientText} Callers: ${spec.callers}` },
                    };
                });
            return [contract.name, { name: contract.name, info: { title: contract.title, version: chaincode.version, description: contract.description }, transactions }];
        }),
    );
    return {
        $schema: CONTRACT_SCHEMA,
        info: { title: chaincode.title, version: chaincode.version },
        contracts: {
            ...described,
            [SYSTEM_CONTRACT]: {
                name: SYSTEM_CONTRACT,
                info: { title: 'Fabric system contract', version: chaincode.version },
                transactions: [{ name: 'GetMetadata', tag: ['EVALUATE'] }],
            },
        },
        components: { schemas: sortedObject([...components.entries()]) },
    };
}

/** A chaincode's META-INF/metadata.json text: sorted keys, two-space indent, a final newline. */
export function metadataFileText(metadata: FabricContractMetadata): string {
    return `${JSON.stringify(JSON.parse(canonicalJson(metadata)), null, 2)}\n`;
}
