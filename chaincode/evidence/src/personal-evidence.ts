import type { Context } from 'fabric-contract-api';
import { invalidArgument, readTransientJSON, requireDigest, requireTags, requireText } from '../../common/src';
import { digestMismatch, payloadTooLarge } from './evidence-errors';
import { requireSource, sha256Hex } from './evidence-record';
import type { PersonalInput } from '../../schemas/src';

/*
 * Personal records (E8): the document (or only its digest) lives in a private data collection of the owner's
 * organisation, stored with the transaction's random salt (transient entry `salt`, which LedgerState reads and
 * stores with every private record); the public record carries SHA-256(salt || content digest), which reveals
 * nothing without the salt, yet lets the owner prove the document later. The record's name, source and tags can
 * identify a person too, so they are private as well (issue 9, finding 8); the public record names only its owner
 * organisation. Inputs arrive in the transient map so they never enter the transaction itself.
 */

/** The transient-map entry AnchorPersonal reads. */
export const PERSONAL_TRANSIENT_KEY = 'personal';
export const PERSONAL_CONTENT_LIMIT_BYTES = 64 * 1024;

/** What the public record of a personal document says instead of its name and source. */
export const PERSONAL_PUBLIC_NAME = 'personal-document';

/** One collection per organisation (see collections.json); its name follows from the MSP id. */
export function privateCollectionOf(mspId: string): string {
    return `${mspId}PrivateEvidence`;
}

// The transient input (PersonalInput) and the private record (PersonalEvidence) are the schema package's.
export type { PersonalEvidence, PersonalInput } from '../../schemas/src';

/** SHA-256(salt bytes || content digest bytes), hex, of a base64 salt: the public digest of a personal record. */
export function saltedDigest(salt: string, contentDigest: string): string {
    return sha256Hex(Buffer.concat([Buffer.from(salt, 'base64'), Buffer.from(contentDigest, 'hex')]));
}

function checkContent(content: unknown, contentDigest: string): string | undefined {
    if (content === undefined) {
        return undefined;
    }
    if (typeof content !== 'string' || content.length === 0) {
        throw invalidArgument('personal.content must be base64 text');
    }
    const bytes = Buffer.from(content, 'base64');
    if (bytes.length > PERSONAL_CONTENT_LIMIT_BYTES) {
        throw payloadTooLarge(`personal.content may hold at most ${String(PERSONAL_CONTENT_LIMIT_BYTES)} bytes`);
    }
    if (bytes.toString('base64') !== content) {
        throw invalidArgument('personal.content is not canonical base64');
    }
    if (sha256Hex(bytes) !== contentDigest) {
        throw digestMismatch('personal.contentDigest is not the SHA-256 of personal.content');
    }
    return content;
}

/** Reads and validates the transient input; throws INVALID_ARGUMENT when it is missing or malformed. */
export function readPersonalInput(ctx: Context): PersonalInput {
    const input = readTransientJSON<PersonalInput>(ctx, PERSONAL_TRANSIENT_KEY, 'PersonalInput { contentDigest, content?, name, source, tags? }');
    const contentDigest = requireDigest(input.contentDigest, 'personal.contentDigest');
    const content = checkContent(input.content, contentDigest);
    const name = requireText(input.name, 'personal.name', 512);
    const source = requireSource(input.source);
    const tags = requireTags(input.tags, 'personal.tags');
    return { contentDigest, ...(content === undefined ? {} : { content }), name, source, ...(tags.length === 0 ? {} : { tags }) };
}
