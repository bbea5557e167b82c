import { accessDenied, type Caller, caller, invalidState, notFound } from '../../common/src';
import { isoInstant } from './billing-inputs';
import { billingError, BillingErrorCode } from './billing-errors';
import type { LedgerState } from '../../common/src';
import { addAmounts } from './price-plan';
import { ACCOUNT_KEY, type Escrow, ESCROW_KEY, type EscrowPurpose, escrowIdOf, type TokenAccount } from './token-account';

/*
 * Token movements shared by sessions and the marketplace. Every function stages writes in the
 * transaction's LedgerState, so a later check that fails still leaves the ledger untouched.
 * Each movement keeps minted = Σ balances + Σ held escrow and never lets a balance go negative.
 */

export async function readAccount(state: LedgerState, accountId: string): Promise<TokenAccount> {
    const account = await state.read<TokenAccount>(state.key(ACCOUNT_KEY, accountId), 'token account');
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
    state.put(state.key(ACCOUNT_KEY, account.accountId), account);
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
}

/** Moves `amount` from the payer into a new escrow. */
export async function holdInEscrow(state: LedgerState, request: HoldRequest, nowIso: string): Promise<Escrow> {
    const escrowId = escrowIdOf(request.purpose, request.referenceId);
    if (await state.exists(state.key(ESCROW_KEY, escrowId))) {
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
    state.put(state.key(ESCROW_KEY, escrowId), escrow);
    return escrow;
}

export async function readEscrow(state: LedgerState, escrowId: string): Promise<Escrow> {
    const escrow = await state.read<Escrow>(state.key(ESCROW_KEY, escrowId), 'escrow');
    if (!escrow) {
        throw notFound(`escrow ${escrowId} does not exist`);
    }
    return escrow;
}

/** Pays `pay` (at most the escrowed amount) to the payee and refunds the rest to the payer. */
export async function releaseEscrow(state: LedgerState, escrowId: string, pay: number, nowIso: string): Promise<Escrow> {
    const escrow = await readEscrow(state, escrowId);
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
    state.put(state.key(ESCROW_KEY, escrowId), closed);
    return closed;
}
