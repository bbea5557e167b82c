import type { FabricContractMetadata } from './contract-metadata';

// A chaincode's transaction reference for people (docs/transactions/<chaincode>.md), written from the same contract
// metadata GetMetadata serves, so the page cannot drift from the transaction tables: one place to find a
// transaction's request shape, rules and callers. No markdown library is needed for a few tables.

const SYSTEM_CONTRACT = 'org.hyperledger.fabric';

interface JsonSchema {
    [keyword: string]: unknown;
}

/** Feature ids (E4, B9, D2, N3, S1, T1, C2) link to the project's feature list. */
function withScenarioLinks(text: string): string {
    return text.replace(/\b([EBDNSTC]\d{1,2})\b/g, '[$1](../SCENARIOS.md)');
}

function cell(text: string): string {
    return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function anchorOf(id: string): string {
    return `schema-${id.toLowerCase()}`;
}

function link(id: string): string {
    return `[${id}](#${anchorOf(id)})`;
}

/** A short type expression of a schema: a link for a named one, the literal list of an enum, `T[]` for arrays. */
function typeOf(schema: JsonSchema): string {
    if (typeof schema.$ref === 'string') {
        return link(schema.$ref.replace('#/components/schemas/', ''));
    }
    if (Array.isArray(schema.anyOf)) {
        const literals = (schema.anyOf as JsonSchema[]).map((s) => s.const);
        if (literals.every((l) => typeof l === 'string')) {
            return literals.map((l) => `\`${l}\``).join(' \\| ');
        }
        return (schema.anyOf as JsonSchema[]).map(typeOf).join(' \\| ');
    }
    if (Array.isArray(schema.oneOf)) {
        return (schema.oneOf as JsonSchema[]).map(typeOf).join(' \\| ');
    }
    if (schema.const !== undefined) {
        return `\`${JSON.stringify(schema.const)}\``;
    }
    if (Array.isArray(schema.enum)) {
        return schema.enum.map((l) => `\`${JSON.stringify(l)}\``).join(' \\| ');
    }
    if (schema.type === 'array' && typeof schema.items === 'object' && schema.items !== null) {
        return `${typeOf(schema.items as JsonSchema)}[]`;
    }
    return typeof schema.type === 'string' ? schema.type : Array.isArray(schema.type) ? schema.type.join(' \\| ') : 'any';
}

/** Rules a reader needs beside the type: bounds, patterns, formats. */
function rulesOf(schema: JsonSchema): string {
    const rules: string[] = [];
    for (const [keyword, label] of [
        ['minLength', 'min length'],
        ['maxLength', 'max length'],
        ['minimum', 'min'],
        ['maximum', 'max'],
        ['minItems', 'min items'],
        ['maxItems', 'max items'],
        ['format', 'format'],
        ['pattern', 'pattern'],
    ] as const) {
        const value = schema[keyword];
        if (value !== undefined) {
            rules.push(`${label} \`${typeof value === 'string' ? value : JSON.stringify(value)}\``);
        }
    }
    return rules.join(', ');
}

function schemaSection(id: string, schema: JsonSchema): string[] {
    const lines = [`### <a id="${anchorOf(id)}"></a>${id}`, ''];
    if (typeof schema.description === 'string') {
        lines.push(cell(schema.description), '');
    }
    const properties = schema.properties as Record<string, JsonSchema> | undefined;
    if (schema.type === 'object' && properties !== undefined) {
        const required = new Set((schema.required as string[] | undefined) ?? []);
        lines.push('| field | type | required | rules and meaning |', '| --- | --- | --- | --- |');
        for (const name of Object.keys(properties).sort()) {
            const property = properties[name] as JsonSchema;
            const meaning = [rulesOf(property), typeof property.description === 'string' ? property.description : ''].filter(Boolean).join('; ');
            lines.push(`| \`${name}\` | ${typeOf(property)} | ${required.has(name) ? 'yes' : ''} | ${cell(meaning)} |`);
        }
        if (schema.additionalProperties === false) {
            lines.push('', 'No other fields are accepted.');
        }
    } else {
        const rules = rulesOf(schema);
        lines.push(`${typeOf(schema)}${rules === '' ? '' : ` (${rules})`}`);
    }
    lines.push('');
    return lines;
}

type Transaction = FabricContractMetadata['contracts'][string]['transactions'][number];

function transactionRow(prefix: string, transaction: Transaction): string {
    const kind = transaction.tag.includes('SUBMIT') ? 'submit' : 'evaluate';
    const args = (transaction.parameters ?? []).map((p) => `\`${p.name}\`: ${link(String(p.schema.title))}`).join(', ');
    const returns = transaction.returns ?? {};
    const [what, callers] = (typeof returns.description === 'string' ? returns.description : '').split(' Callers: ');
    return `| \`${prefix}${transaction.name}\` | ${kind} | ${args === '' ? '—' : args} | ${typeOf(returns)} | ${withScenarioLinks(cell(what ?? ''))} | ${cell(callers ?? '')} |`;
}

/** The markdown reference of one chaincode's transactions and shapes, from its contract metadata. */
export function transactionReference(chaincode: string, metadata: FabricContractMetadata): string {
    const lines = [
        `# Transactions of the \`${chaincode}\` chaincode`,
        '',
        `Generated by \`npm run metadata\` from \`chaincode/${chaincode}/META-INF/metadata.json\`, which is generated from the`,
        'transaction tables in `chaincode/schemas/src/` and served by the chaincode as `GetMetadata`. Do not edit: change the',
        'table or the schema, then run `npm run build && npm run metadata` (a unit test fails while this page is stale).',
        'Every argument is text: JSON text of the named request shape, or text meeting the named rule. Feature ids link to',
        '[the feature list](../SCENARIOS.md).',
        '',
    ];
    const contracts = Object.keys(metadata.contracts)
        .filter((name) => name !== SYSTEM_CONTRACT)
        .sort();
    for (const name of contracts) {
        const contract = metadata.contracts[name];
        if (contract === undefined) {
            continue;
        }
        const prefix = contracts.length > 1 ? `${name}:` : '';
        lines.push(`## Contract \`${name}\``, '');
        if (contract.info.description !== undefined) {
            lines.push(withScenarioLinks(contract.info.description), '');
        }
        lines.push('| transaction | kind | arguments | returns | what it does | who may call it |', '| --- | --- | --- | --- | --- | --- |');
        lines.push(...contract.transactions.map((transaction) => transactionRow(prefix, transaction)));
        lines.push('');
    }
    lines.push('## Shapes', '');
    for (const id of Object.keys(metadata.components.schemas).sort()) {
        lines.push(...schemaSection(id, metadata.components.schemas[id] as JsonSchema));
    }
    return `${lines.join('\n').trimEnd()}\n`;
}
