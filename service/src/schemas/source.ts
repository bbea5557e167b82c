import type { TSchema } from '@sinclair/typebox';

/**
 * Where the route table takes the JSON schema of each request and record from, by the name of the SDK type it
 * describes (`AnchorRequest`, `EvidenceRecord`, …). The route table is written against this interface only, so that
 * switching to the shared wire-model schemas (`@edgetrust/schemas`) changes the source and nothing in the routes.
 */
export interface SchemaSource {
    /** The schema of a named type; throws for a name the source does not know, so a typo fails at start-up. */
    schema(name: string): TSchema;
}

/** A source over a plain table of schemas. */
export function schemaTable(table: Readonly<Record<string, TSchema>>): SchemaSource {
    return {
        schema(name: string): TSchema {
            const found = table[name];
            if (found === undefined) {
                throw new Error(`no schema named ${name} in the schema source`);
            }
            return found;
        },
    };
}
