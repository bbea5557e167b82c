import { Key } from './keys';
import { accessDenied, alreadyExists, caller, type Caller, collect, invalidArgument, invalidState, LedgerState, notFound, parseArgument, requireIdentifier, toJSON, txTime, unmarshal } from '../../common/src';
import { isoInstant, parseCountArgument, requireP256PublicKey } from './billing-inputs';
import { billingError, BillingErrorCode } from './billing-errors';
import { addAmounts } from './price-plan';
import { escrowIdOf, validateOpenAccount } from './token-account';
import { type Escrow, type EscrowPurpose, type TokenAccount, type TokenSupply } from '../../schemas/src';
import type { Context } from 'fabric-contract-api';
import { callerIsAuditor, hasRole, requirePartyOrAuditor, requireRole } from './role-grant';
import { pairCollection, readRoute } from './billing-collection';

/*
 * Token movements shared by sessions and the marketplace. Every function stages writes in the
 * transaction's LedgerState, so a later check that fails still leaves the ledger untouched.
 * Each movement keeps minted = Σ balances + Σ held escrow and never lets a balance go negative.
 */

export async function readAccount(state: LedgerState, accountId: string): Promise<TokenAccount> {
    const account = await state.read<TokenAccount>(state.key(Key.Account, accountId), 'token account');
    if (!account) {
        throw notFound(`token account ${accountId} does not exist`);
    }
    return account;
}

export function isOwner(account: TokenAccount, who: Caller): boolean {
    return account.ownerMspId === who.mspId && account.ownerId === who.id;
}

/** The account, if the caller owns it. */
export async function readOwnAccount(state: LedgerState, accountId: string): Promise<TokenAccount> {
    const account = await readAccount(state, accountId);
    if (!isOwner(account, caller(state.ctx))) {
        throw accessDenied(`token account ${accountId} belongs to someone else`);
    }
    return account;
}

export function saveAccount(state: LedgerState, account: TokenAccount): void {
    state.put(state.key(Key.Account, account.accountId), account);
}

export async function credit(state: LedgerState, accountId: string, amount: number): Promise<TokenAccount> {
    const account = await readAccount(state, accountId);
    const updated = { ...account, balance: addAmounts(account.balance, amount) };
    saveAccount(state, updated);
    return updated;
}

export async function debit(state: LedgerState, accountId: string, amount: number): Promise<TokenAccount> {
    const account = await readAccount(state, accountId);
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
}

/** Moves `amount` from the payer into a new escrow. */
export async function holdInEscrow(state: LedgerState, request: HoldRequest, nowIso: string): Promise<Escrow> {
    const escrowId = escrowIdOf(request.purpose, request.referenceId);
    if (await state.exists(state.key(Key.Escrow, escrowId), request.collection)) {
        throw invalidState(`escrow ${escrowId} exists already`);
    }
    await readAccount(state, request.payeeAccountId);
    await debit(state, request.payerAccountId, request.amount);
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
    const key = state.key(Key.Account, request.accountId);
    if (await state.exists(key)) {
        throw alreadyExists(`token account ${request.accountId} exists already`);
    }
    const who = caller(ctx);
    const account: TokenAccount = { ...request, ownerMspId: who.mspId, ownerId: who.id, balance: 0, openedAt: txTime(ctx), txId: ctx.stub.getTxID() };
    saveAccount(state, account);
    await state.commit('AccountOpened', { accountId: account.accountId, ownerMspId: account.ownerMspId });
    return toJSON(account);
}

/** Registers or replaces the key that signs compute tasks for the account; its owner only. */
export async function setTaskKey(ctx: Context, accountId: string, publicKeyPem: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const taskKey = requireP256PublicKey(publicKeyPem, 'publicKeyPem');
    const account = await readOwnAccount(state, requireIdentifier(accountId, 'accountId'));
    const updated = { ...account, taskKey };
    saveAccount(state, updated);
    await state.commit('TaskKeySet', { accountId: account.accountId });
    return toJSON(updated);
}

/** Creates tokens in an account; members of an issuer organisation only. */
export async function mint(ctx: Context, accountId: string, amount: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const value = parseCountArgument(amount, 'amount', { min: 1 });
    const id = requireIdentifier(accountId, 'accountId');
    await requireRole(state, 'issuer', 'Mint');
    const account = await credit(state, id, value);
    // The supply is kept per account (summed by GetSupply), never as one total: a single key every mint reads
    // and writes made concurrent mints conflict, and the two organisations' endorsers, one block apart, read
    // different totals and returned different results (ENDORSEMENT_MISMATCH, bench/src/determinism.ts).
    const supplyKey = state.key(Key.Supply, id);
    const minted = addAmounts((await state.read<TokenSupply>(supplyKey, 'token supply'))?.minted ?? 0, value);
    state.put(supplyKey, { minted });
    await state.commit('TokensMinted', { accountId: id, amount: value, balance: account.balance });
    return toJSON(account);
}

/** Moves tokens between accounts; the owner of the source account only. */
export async function transfer(ctx: Context, fromAccountId: string, toAccountId: string, amount: string): Promise<string> {
    const state = LedgerState.update(ctx);
    const value = parseCountArgument(amount, 'amount', { min: 1 });
    const [from, to] = [requireIdentifier(fromAccountId, 'fromAccountId'), requireIdentifier(toAccountId, 'toAccountId')];
    if (from === to) {
        throw invalidArgument('a transfer needs two different accounts');
    }
    await readOwnAccount(state, from);
    await readAccount(state, to);
    const source = await debit(state, from, value);
    await credit(state, to, value);
    await state.commit('TokensTransferred', { fromAccountId: from, toAccountId: to, amount: value });
    return toJSON(source);
}

/** An account; for its owner, issuers and auditors. */
export async function getAccount(ctx: Context, accountId: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const account = await readAccount(state, requireIdentifier(accountId, 'accountId'));
    if (!isOwner(account, caller(ctx)) && !(await isIssuerOrAuditor(state))) {
        throw accessDenied(`token account ${account.accountId} belongs to someone else`);
    }
    return toJSON(account);
}

/** An escrow; a session's for the session's parties and auditors, others for the owners of its payer and payee accounts, issuers and auditors. */
export async function getEscrow(ctx: Context, escrowId: string): Promise<string> {
    const state = LedgerState.query(ctx);
    const id = requireIdentifier(escrowId, 'escrowId');
    const collection = await escrowCollection(state, id);
    const escrow = await readEscrow(state, id, collection);
    if (collection !== undefined) {
        // A session's escrow is the pair's record, readable by both organisations as the session (and its budget) is.
        return toJSON(escrow);
    }
    const who = caller(ctx);
    const payer = await readAccount(state, escrow.payerAccountId);
    const payee = await readAccount(state, escrow.payeeAccountId);
    if (!isOwner(payer, who) && !isOwner(payee, who) && !(await isIssuerOrAuditor(state))) {
        throw accessDenied(`escrow ${escrow.escrowId} concerns other accounts`);
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
