import { createHash } from 'node:crypto';
import { Key } from './keys';
import { accessDenied, alreadyExists, caller, type Caller, collect, invalidArgument, invalidState, LedgerState, notFound, parseArgument, readTransientJSON, requireIdentifier, toJSON, txTime, unmarshal } from '../../common/src';
import { isoInstant, parseCountArgument, requireP256PublicKey } from './billing-inputs';
import { billingError, BillingErrorCode } from './billing-errors';
import { addAmounts } from './price-plan';
import { escrowIdOf, validateOpenAccount } from './token-account';
import { type AccountIds, type TokenCreditNote, type Escrow, type EscrowPurpose, type TokenAccount, type TokenDisclosure, type TokenSupply } from '../../schemas/src';
import type { Context } from 'fabric-contract-api';
import { callerIsAuditor, hasRole, requirePartyOrAuditor, requireRole } from './role-grant';
import { pairCollection, putAccountRoute, readAccountRoute, readRoute, tokenCollection } from './billing-collection';

/*
 * Token movements shared by sessions, compute tasks and the marketplace (docs/security/confidentiality.md, change 5).
 * An account lives in its owner organisation's token collection, so only the owner's and the auditors' peers hold
 * its balance; its public route names the owner. Every function stages writes in the transaction's LedgerState, so
 * a later check that fails still leaves the ledger untouched.
 *
 * Credits are blind: they append a credit note to the payee's collection and never read the account, so any
 * endorser, member of that collection or not, writes the same note. Debits never read the collection either
 * (a non-member endorser could not): the client discloses the stored bytes of the account and of the notes it folds
 * in (transient entry `account`), and every endorser checks them against Fabric's hash of the stored values
 * (GetPrivateDataHash, which also puts them in the read set, so two debits folding one note conflict by MVCC).
 * Invariant: minted = Σ balances + Σ unspent credit notes + Σ held escrow, and no balance goes negative.
 */

/** The transient-map entry with the owner's disclosure of the account a transaction debits (TokenDisclosure). */
export const DISCLOSURE_TRANSIENT_KEY = 'account';
/** At most this many notes fold into one debit; the rest stay unspent (and counted in the balance) for the next. */
export const MAX_FOLDED_NOTES = 100;

/** Accounts this transaction verified and folded, as staged (a debit after a read sees the read's fold). */
const folded = new WeakMap<LedgerState, Map<string, TokenAccount>>();
/** Credit notes this transaction appended so far: the next note's index. */
const appended = new WeakMap<LedgerState, number>();

/** The owner's token collection of an account; NOT_FOUND when no such account was opened. */
export async function accountCollection(state: LedgerState, accountId: string): Promise<string> {
    return tokenCollection(await accountOwnerMspId(state, accountId));
}

/** The organisation owning an account, from its public route; NOT_FOUND when no such account was opened. */
export async function accountOwnerMspId(state: LedgerState, accountId: string): Promise<string> {
    const route = await readAccountRoute(state, accountId);
    if (!route) {
        throw notFound(`token account ${accountId} does not exist`);
    }
    return route.ownerMspId;
}

export function isOwner(account: TokenAccount, who: Caller): boolean {
    return account.ownerMspId === who.mspId && account.ownerId === who.id;
}

function accountKey(state: LedgerState, accountId: string): string {
    return state.key(Key.Account, accountId);
}

function noteKey(state: LedgerState, note: Pick<TokenCreditNote, 'accountId' | 'txId' | 'index'>): string {
    return state.key(Key.TokenCreditNote, note.accountId, note.txId, String(note.index).padStart(4, '0'));
}

function readDisclosure(state: LedgerState, accountId: string): TokenDisclosure {
    const shape = 'the disclosed token account, {"accountId","account","notes"} (GetDisclosure)';
    const disclosure = readTransientJSON<TokenDisclosure>(state.ctx, DISCLOSURE_TRANSIENT_KEY, shape);
    const base64 = (value: unknown): value is string => typeof value === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value);
    if (disclosure.accountId !== accountId) {
        throw invalidArgument(`the transient entry "${DISCLOSURE_TRANSIENT_KEY}" discloses ${String(disclosure.accountId)}, not the debited account ${accountId}`);
    }
    if (!base64(disclosure.account) || !Array.isArray(disclosure.notes) || !disclosure.notes.every(base64) || disclosure.notes.length > MAX_FOLDED_NOTES) {
        throw invalidArgument(`the transient entry "${DISCLOSURE_TRANSIENT_KEY}" must be ${shape}, with at most ${String(MAX_FOLDED_NOTES)} notes`);
    }
    return { accountId, account: disclosure.account, notes: disclosure.notes };
}

/** Disclosed bytes, if Fabric's hash of the value stored under the key is theirs (every peer holds the hashes). */
async function verified<T>(state: LedgerState, collection: string, key: string, bytes: Buffer, what: string): Promise<T> {
    const stored = Buffer.from(await state.ctx.stub.getPrivateDataHash(collection, key));
    if (stored.length === 0 || !stored.equals(createHash('sha256').update(bytes).digest())) {
        throw billingError(BillingErrorCode.DisclosureMismatch, `the disclosed ${what} is not the one ${collection} holds (changed, spent or never written)`);
    }
    const { salt: _salt, ...value } = unmarshal<T & { salt?: string }>(bytes, what);
    return value as T;
}

/**
 * The account as its owner disclosed it, checked against the stored hashes, with the disclosed notes folded in: the
 * notes are deleted and the folded account staged, so the tokens are never counted twice. Never reads the collection.
 */
export async function disclosedAccount(state: LedgerState, accountId: string): Promise<TokenAccount> {
    const seen = folded.get(state)?.get(accountId);
    if (seen) {
        return seen;
    }
    const collection = await accountCollection(state, accountId);
    const disclosure = readDisclosure(state, accountId);
    const account = await verified<TokenAccount>(state, collection, accountKey(state, accountId), Buffer.from(disclosure.account, 'base64'), `token account ${accountId}`);
    let balance = account.balance;
    const keys = new Set<string>();
    for (const encoded of disclosure.notes) {
        const bytes = Buffer.from(encoded, 'base64');
        const claimed = unmarshal<Partial<TokenCreditNote>>(bytes, 'credit note');
        if (claimed.accountId !== accountId || typeof claimed.txId !== 'string' || !Number.isSafeInteger(claimed.index)) {
            throw billingError(BillingErrorCode.DisclosureMismatch, `a disclosed credit note is not one of token account ${accountId}`);
        }
        const key = noteKey(state, claimed as TokenCreditNote);
        if (keys.has(key)) {
            throw billingError(BillingErrorCode.DisclosureMismatch, `credit note ${claimed.txId}/${String(claimed.index)} is disclosed twice`);
        }
        keys.add(key);
        const note = await verified<TokenCreditNote>(state, collection, key, bytes, 'credit note');
        balance = addAmounts(balance, note.amount);
        state.delete(key, collection);
    }
    const current = { ...account, balance };
    if (keys.size > 0) {
        saveAccount(state, current);
    }
    remember(state, current);
    return current;
}

function remember(state: LedgerState, account: TokenAccount): void {
    const accounts = folded.get(state) ?? new Map<string, TokenAccount>();
    accounts.set(account.accountId, account);
    folded.set(state, accounts);
}

/** The disclosed account, if the caller owns it. */
export async function readOwnAccount(state: LedgerState, accountId: string): Promise<TokenAccount> {
    // Another organisation's caller is refused by the public route, before any disclosure is needed (it has none).
    await requireOrganisationAccount(state, accountId);
    const account = await disclosedAccount(state, accountId);
    if (!isOwner(account, caller(state.ctx))) {
        throw accessDenied(`token account ${accountId} belongs to someone else`);
    }
    return account;
}

/** That the caller's organisation owns an account (its public route), e.g. to be paid into it. */
export async function requireOrganisationAccount(state: LedgerState, accountId: string): Promise<void> {
    const owner = await accountOwnerMspId(state, accountId);
    if (owner !== caller(state.ctx).mspId) {
        throw accessDenied(`token account ${accountId} belongs to ${owner}`);
    }
}

function saveAccount(state: LedgerState, account: TokenAccount): void {
    state.put(accountKey(state, account.accountId), account, tokenCollection(account.ownerMspId));
    remember(state, account);
}

/** Appends a credit note to the account's owner collection, blind: the account itself is not read. */
export async function credit(state: LedgerState, accountId: string, amount: number): Promise<void> {
    const collection = await accountCollection(state, accountId);
    const index = appended.get(state) ?? 0;
    appended.set(state, index + 1);
    const note: TokenCreditNote = { accountId, amount, txId: state.ctx.stub.getTxID(), index };
    state.put(noteKey(state, note), note, collection);
}

/**
 * Takes `amount` from the disclosed account: its owner's, unless the owner consented otherwise (a signed compute task
 * or order, verified by the caller of this function).
 */
export async function debit(state: LedgerState, accountId: string, amount: number, ownerConsented = false): Promise<TokenAccount> {
    const account = ownerConsented ? await disclosedAccount(state, accountId) : await readOwnAccount(state, accountId);
    if (account.balance < amount) {
        throw billingError(
            BillingErrorCode.InsufficientBalance,
            `token account ${accountId} holds ${String(account.balance)}, ${String(amount)} needed`,
        );
    }
    const updated = { ...account, balance: account.balance - amount };
    saveAccount(state, updated);
    return updated;
}

export interface HoldRequest {
    purpose: EscrowPurpose;
    referenceId: string;
    payerAccountId: string;
    payeeAccountId: string;
    amount: number;
    deadlineMillis: number;
    /** The private data collection that keeps the escrow (a session's pair); public state when absent. */
    collection?: string;
    /** The payer's owner consented by a signature the caller verified, so the submitter need not own the account. */
    ownerConsented?: boolean;
}

/** Moves `amount` from the payer into a new escrow. */
export async function holdInEscrow(state: LedgerState, request: HoldRequest, nowIso: string): Promise<Escrow> {
    const escrowId = escrowIdOf(request.purpose, request.referenceId);
    if (await state.exists(state.key(Key.Escrow, escrowId), request.collection)) {
        throw invalidState(`escrow ${escrowId} exists already`);
    }
    await accountCollection(state, request.payeeAccountId);
    await debit(state, request.payerAccountId, request.amount, request.ownerConsented ?? false);
    const escrow: Escrow = {
        escrowId,
        purpose: request.purpose,
        referenceId: request.referenceId,
        payerAccountId: request.payerAccountId,
        payeeAccountId: request.payeeAccountId,
        amount: request.amount,
        deadline: isoInstant(request.deadlineMillis),
        status: 'held',
        createdAt: nowIso,
        txId: state.ctx.stub.getTxID(),
    };
    state.put(state.key(Key.Escrow, escrowId), escrow, request.collection);
    return escrow;
}

export async function readEscrow(state: LedgerState, escrowId: string, collection?: string): Promise<Escrow> {
    const escrow = await state.read<Escrow>(state.key(Key.Escrow, escrowId), 'escrow', collection);
    if (!escrow) {
        throw notFound(`escrow ${escrowId} does not exist`);
    }
    return escrow;
}

/** Pays `pay` (at most the escrowed amount) to the payee and refunds the rest to the payer. */
export async function releaseEscrow(state: LedgerState, escrowId: string, pay: number, nowIso: string, collection?: string): Promise<Escrow> {
    const escrow = await readEscrow(state, escrowId, collection);
    if (escrow.status !== 'held') {
        throw invalidState(`escrow ${escrowId} is ${escrow.status}`);
    }
    const paid = Math.min(pay, escrow.amount);
    const refunded = escrow.amount - paid;
    if (paid > 0) {
        await credit(state, escrow.payeeAccountId, paid);
    }
    if (refunded > 0) {
        await credit(state, escrow.payerAccountId, refunded);
    }
    const closed: Escrow = { ...escrow, status: paid > 0 ? 'released' : 'refunded', paid, refunded, closedAt: nowIso };
    state.put(state.key(Key.Escrow, escrowId), closed, collection);
    return closed;
}

/** Opens an account owned by the caller, optionally with the P-256 key that signs its compute tasks. */
export async function openAccount(ctx: Context, requestJson: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const request = validateOpenAccount(parseArgument(requestJson, 'request'));
    if (await readAccountRoute(state, request.accountId)) {
        throw alreadyExists(`token account ${request.accountId} exists already`);
    }
    const who = caller(ctx);
    const account: TokenAccount = { ...request, ownerMspId: who.mspId, ownerId: who.id, balance: 0, openedAt: txTime(ctx), txId: ctx.stub.getTxID() };
    putAccountRoute(state, account.accountId, account.ownerMspId);
    saveAccount(state, account);
    const ids: AccountIds = { accountId: account.accountId, ownerMspId: account.ownerMspId };
    await state.commit('AccountOpened', ids);
    return toJSON(ids);
}

/** Registers or replaces the key that signs compute tasks for the account; its owner only. */
export async function setTaskKey(ctx: Context, accountId: string, publicKeyPem: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const taskKey = requireP256PublicKey(publicKeyPem, 'publicKeyPem');
    const account = await readOwnAccount(state, requireIdentifier(accountId, 'accountId'));
    saveAccount(state, { ...account, taskKey });
    const ids: AccountIds = { accountId: account.accountId };
    await state.commit('TaskKeySet', ids);
    return toJSON(ids);
}

/** Creates tokens in an account (a credit note: the issuer never sees the balance); members of an issuer organisation only. */
export async function mint(ctx: Context, accountId: string, amount: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const value = parseCountArgument(amount, 'amount', { min: 1 });
    const id = requireIdentifier(accountId, 'accountId');
    await requireRole(state, 'issuer', 'Mint');
    await credit(state, id, value);
    // The supply is kept per account (summed by GetSupply), never as one total: a single key every mint reads
    // and writes made concurrent mints conflict, and the two organisations' endorsers, one block apart, read
    // different totals and returned different results (ENDORSEMENT_MISMATCH, bench/src/determinism.ts).
    const supplyKey = state.key(Key.Supply, id);
    const minted = addAmounts((await state.read<TokenSupply>(supplyKey, 'token supply'))?.minted ?? 0, value);
    state.put(supplyKey, { minted });
    // The amount is public anyway (the supply per account says it); the balance is not.
    const ids: AccountIds = { accountId: id, amount: value };
    await state.commit('TokensMinted', ids);
    return toJSON(ids);
}

/** Moves tokens between accounts; the owner of the source account only, with the account disclosed. */
export async function transfer(ctx: Context, fromAccountId: string, toAccountId: string, amount: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const value = parseCountArgument(amount, 'amount', { min: 1 });
    const [from, to] = [requireIdentifier(fromAccountId, 'fromAccountId'), requireIdentifier(toAccountId, 'toAccountId')];
    if (from === to) {
        throw invalidArgument('a transfer needs two different accounts');
    }
    await debit(state, from, value);
    await credit(state, to, value);
    const ids: AccountIds = { accountId: from, toAccountId: to };
    await state.commit('TokensTransferred', ids);
    return toJSON(ids);
}

/** The account's stored record and unspent notes, exactly as stored; through a peer of the owner's collection. */
async function storedAccount(state: LedgerState, accountId: string): Promise<{ collection: string; account: Uint8Array; notes: Uint8Array[] }> {
    const collection = await accountCollection(state, accountId);
    const who = caller(state.ctx);
    const owner = await accountOwnerMspId(state, accountId);
    // Only members of the collection may read it (memberOnlyRead): refused here with a code, not by the peer.
    if (who.mspId !== owner && !(await callerIsAuditor(state))) {
        throw accessDenied(`token account ${accountId} belongs to ${owner}`);
    }
    const account = await state.ctx.stub.getPrivateData(collection, accountKey(state, accountId));
    if (account.length === 0) {
        throw notFound(`token account ${accountId} is not on this peer (not a member of ${collection}, or not yet reconciled)`);
    }
    // Iterated with for-await: fabric-shim 2.5 resolves an awaited private range query to { iterator, metadata } on a
    // real peer, without close() (as device-identity's asset-ledger.ts reads its private lists).
    const prefix = state.key(Key.TokenCreditNote, accountId);
    const notes: Uint8Array[] = [];
    for await (const note of state.ctx.stub.getPrivateDataByRange(collection, prefix, `${prefix}\u{10FFFF}`)) {
        notes.push(note.value);
    }
    return { collection, account, notes };
}

/** An account with its unspent credit notes folded into the balance; for its owner and auditors. */
export async function getAccount(ctx: Context, accountId: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const { account: bytes, notes } = await storedAccount(state, requireIdentifier(accountId, 'accountId'));
    const { salt: _salt, ...account } = unmarshal<TokenAccount & { salt?: string }>(bytes, 'token account');
    if (!isOwner(account, caller(ctx)) && !(await callerIsAuditor(state))) {
        throw accessDenied(`token account ${account.accountId} belongs to someone else`);
    }
    const balance = notes.reduce((sum, note) => addAmounts(sum, unmarshal<TokenCreditNote>(note, 'credit note').amount), account.balance);
    return toJSON({ ...account, balance });
}

/** What the owner discloses to debit an account (TokenDisclosure): the stored bytes of it and its first unspent notes. */
export async function getDisclosure(ctx: Context, accountId: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const id = requireIdentifier(accountId, 'accountId');
    const { account, notes } = await storedAccount(state, id);
    if (!isOwner(unmarshal<TokenAccount>(account, 'token account'), caller(ctx))) {
        throw accessDenied(`token account ${id} belongs to someone else`);
    }
    const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
    const disclosure: TokenDisclosure = { accountId: id, account: base64(account), notes: notes.slice(0, MAX_FOLDED_NOTES).map(base64) };
    return toJSON(disclosure);
}

/** An escrow; a session's for the session's parties and auditors, others for the organisations owning its payer or payee account, issuers and auditors. */
export async function getEscrow(ctx: Context, escrowId: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const id = requireIdentifier(escrowId, 'escrowId');
    const collection = await escrowCollection(state, id);
    const escrow = await readEscrow(state, id, collection);
    if (collection !== undefined) {
        // A session's escrow is the pair's record, readable by both organisations as the session (and its budget) is.
        return toJSON(escrow);
    }
    // The accounts themselves are in their owners' collections: their public routes name the owning organisations.
    const who = caller(ctx).mspId;
    const owners = [await accountOwnerMspId(state, escrow.payerAccountId), await accountOwnerMspId(state, escrow.payeeAccountId)];
    if (!owners.includes(who) && !(await isIssuerOrAuditor(state))) {
        throw accessDenied(`escrow ${escrow.escrowId} concerns other organisations' accounts`);
    }
    return toJSON(escrow);
}

/** Total tokens ever minted; public. */
export async function getSupply(ctx: Context): Promise<string> {
    // Every account's share, plus the single total older versions kept under the bare key (the range includes it).
    const shares = await collect(await ctx.stub.getStateByPartialCompositeKey(Key.Supply, []), (kv) => unmarshal<TokenSupply>(kv.value, 'token supply').minted);
    return toJSON({ minted: shares.reduce((sum, share) => addAmounts(sum, share), 0) });
}

/** A session's escrow is kept in the session's pair collection; other escrows are public. */
async function escrowCollection(state: LedgerState, escrowId: string): Promise<string | undefined> {
    const [purpose, ...rest] = escrowId.split(':');
    if (purpose !== 'session') {
        return undefined;
    }
    const route = await readRoute(state, 'session', rest.join(':'));
    if (route === undefined) {
        return undefined;
    }
    // Only members of the collection may read it (memberOnlyRead): refused here with a code, not by the peer.
    await requirePartyOrAuditor(state, [route.operatorMspId, route.tenantMspId], `escrow ${escrowId}`);
    return pairCollection(route);
}

async function isIssuerOrAuditor(state: LedgerState): Promise<boolean> {
    return (await hasRole(state, caller(state.ctx).mspId, 'issuer')) || (await callerIsAuditor(state));
}
