import type { SubmitOptions, Submitted } from '../contract-client';
import { freshSalt } from '../private-salt';
import { AccessDeniedError, EdgeTrustError, NotFoundError } from '../errors';
import type { RoleGrant, TokenAccount, TokenDisclosure } from './models';

/*
 * What a token transaction sends besides its arguments (docs/security/confidentiality.md, change 5). Accounts and
 * their credit notes are private data of the owner organisation (tokens_<MSP>), so every token write carries a salt
 * in the transient map, a debit carries the owner's disclosure of the account (transient entry `account`, read from
 * the owner's own peer with token:GetDisclosure), and the endorsing organisations are named: with transient data the
 * Fabric gateway would otherwise pick only peers that are members of every collection written, and no organisation is
 * a member of both the payer's and the payee's collection.
 */

const utf8 = new TextEncoder();

/** How a client asks its own peer (ContractClient.evaluate). */
export type Evaluate = <T>(name: string, args: string[]) => Promise<T>;

/**
 * The owner's disclosure of an account, through the caller's own peer; undefined when the caller does not own it
 * (an operator submitting a tenant's signed task must be given the tenant's disclosure in `transientData.account`).
 */
export async function disclosureOf(evaluate: Evaluate, accountId: string): Promise<TokenDisclosure | undefined> {
    try {
        return await evaluate<TokenDisclosure>('token:GetDisclosure', [accountId]);
    } catch (err) {
        if (err instanceof AccessDeniedError || err instanceof NotFoundError) {
            return undefined;
        }
        throw err;
    }
}

/** The transient entry `account` carrying a disclosure. */
export function disclosureEntry(disclosure: TokenDisclosure | undefined): Record<string, Uint8Array> {
    return disclosure === undefined ? {} : { account: utf8.encode(JSON.stringify(disclosure)) };
}

/** The organisation owning a disclosed account. */
export function disclosedOwner(disclosure: TokenDisclosure | undefined): string | undefined {
    if (disclosure === undefined) {
        return undefined;
    }
    return (JSON.parse(Buffer.from(disclosure.account, 'base64').toString('utf8')) as TokenAccount).ownerMspId;
}

/**
 * The organisations whose peers endorse token transactions: the billing chaincode's endorsement policy is every
 * operator and tenant organisation together (network/topology.json), and each token collection's policy is its
 * owner's peer and that policy. Read once from the public role grants.
 */
export class TokenEndorsers {
    readonly #evaluate: Evaluate;
    #parties: Promise<string[]> | undefined;

    constructor(evaluate: Evaluate) {
        this.#evaluate = evaluate;
    }

    async organisations(...also: (string | undefined)[]): Promise<string[]> {
        this.#parties ??= this.#evaluate<RoleGrant[]>('billing:ListRoles', []).then((grants) => grants.filter((g) => g.role === 'operator' || g.role === 'tenant').map((g) => g.mspId));
        let parties: string[];
        try {
            parties = await this.#parties;
        } catch (err) {
            this.#parties = undefined;
            throw err;
        }
        return [...new Set([...parties, ...also.filter((mspId): mspId is string => mspId !== undefined)])].sort();
    }
}

/** How a client submits (ContractClient.submit). */
export type Submit = <T>(name: string, args: string[], options: SubmitOptions) => Promise<Submitted<T>>;

/** A token transaction: the account it debits (disclosed), and organisations to add to the endorsers. */
export interface TokenCall {
    name: string;
    args: string[];
    debit?: string;
    parties?: (string | undefined)[];
}

/**
 * Submits a token transaction with a salt, the debited account's disclosure (unless `options.transientData.account`
 * carries one already) and the endorsing organisations named. A disclosure the other organisation's peer does not
 * match yet (it had not committed the block that changed the account) is read again and sent once more.
 */
export async function submitToken<T>(submit: Submit, evaluate: Evaluate, endorsers: TokenEndorsers, call: TokenCall, options: SubmitOptions = {}): Promise<Submitted<T>> {
    const given = options.transientData?.account;
    const attempt = async (): Promise<Submitted<T>> => {
        const disclosure = given !== undefined ? (JSON.parse(Buffer.from(given).toString('utf8')) as TokenDisclosure) : call.debit === undefined ? undefined : await disclosureOf(evaluate, call.debit);
        const transientData = { ...freshSalt().transientData, ...disclosureEntry(disclosure), ...options.transientData };
        const endorsingOrganizations = options.endorsingOrganizations ?? (await endorsers.organisations(disclosedOwner(disclosure), ...(call.parties ?? [])));
        return submit<T>(call.name, call.args, { endorsingOrganizations, transientData });
    };
    try {
        return await attempt();
    } catch (err) {
        if (given !== undefined || call.debit === undefined || !(err instanceof EdgeTrustError) || err.code !== 'DISCLOSURE_MISMATCH') {
            throw err;
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
        return attempt();
    }
}
