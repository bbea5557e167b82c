import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { accessDenied, alreadyExists, caller, collect, invalidArgument, parseArgument, requireIdentifier, toJSON, txTime, unmarshal } from '../../common/src';
import { parseCountArgument, requireP256PublicKey } from './billing-inputs';
import { LedgerState } from '../../common/src';
import { addAmounts } from './price-plan';
import { callerIsAuditor, hasRole, requireRole } from './role-grant';
import { ACCOUNT_KEY, type TokenAccount, SUPPLY_KEY, type TokenSupply, validateOpenAccount } from './token-account';
import { credit, debit, isOwner, readAccount, readEscrow, readOwnAccount, saveAccount } from './token-ledger';

/**
 * Compute tokens (B8): accounts owned by identities, issuer-only minting, transfers, and the escrow
 * that sessions and marketplace purchases use. Invariant: minted = Σ balances + Σ held escrow.
 */
@Info({ title: 'TokenContract', description: 'Compute token accounts, minting, transfers and escrow' })
export class TokenContract extends Contract {
    constructor() {
        super('token');
    }

    /** Opens an account owned by the caller, optionally with the P-256 key that signs its compute tasks. */
    @Transaction()
    @Returns('string')
    async OpenAccount(ctx: Context, requestJson: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const request = validateOpenAccount(parseArgument(requestJson, 'request'));
        const key = state.key(ACCOUNT_KEY, request.accountId);
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
    @Transaction()
    @Returns('string')
    async SetTaskKey(ctx: Context, accountId: string, publicKeyPem: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const taskKey = requireP256PublicKey(publicKeyPem, 'publicKeyPem');
        const account = await readOwnAccount(state, requireIdentifier(accountId, 'accountId'));
        const updated = { ...account, taskKey };
        saveAccount(state, updated);
        await state.commit('TaskKeySet', { accountId: account.accountId });
        return toJSON(updated);
    }

    /** Creates tokens in an account; members of an issuer organisation only. */
    @Transaction()
    @Returns('string')
    async Mint(ctx: Context, accountId: string, amount: string): Promise<string> {
        const state = LedgerState.update(ctx);
        const value = parseCountArgument(amount, 'amount', { min: 1 });
        const id = requireIdentifier(accountId, 'accountId');
        await requireRole(state, 'issuer', 'Mint');
        const account = await credit(state, id, value);
        // The supply is kept per account (summed by GetSupply), never as one total: a single key every mint reads
        // and writes made concurrent mints conflict, and the two organisations' endorsers, one block apart, read
        // different totals and returned different results (ENDORSEMENT_MISMATCH, bench/src/determinism.ts).
        const supplyKey = state.key(SUPPLY_KEY, id);
        const minted = addAmounts((await state.read<TokenSupply>(supplyKey, 'token supply'))?.minted ?? 0, value);
        state.put(supplyKey, { minted });
        await state.commit('TokensMinted', { accountId: id, amount: value, balance: account.balance });
        return toJSON(account);
    }

    /** Moves tokens between accounts; the owner of the source account only. */
    @Transaction()
    @Returns('string')
    async Transfer(ctx: Context, fromAccountId: string, toAccountId: string, amount: string): Promise<string> {
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
    @Transaction(false)
    @Returns('string')
    async GetAccount(ctx: Context, accountId: string): Promise<string> {
        const state = LedgerState.query(ctx);
        const account = await readAccount(state, requireIdentifier(accountId, 'accountId'));
        if (!isOwner(account, caller(ctx)) && !(await isIssuerOrAuditor(state))) {
            throw accessDenied(`token account ${account.accountId} belongs to someone else`);
        }
        return toJSON(account);
    }

    /** An escrow; for the owners of its payer and payee accounts, issuers and auditors. */
    @Transaction(false)
    @Returns('string')
    async GetEscrow(ctx: Context, escrowId: string): Promise<string> {
        const state = LedgerState.query(ctx);
        const escrow = await readEscrow(state, requireIdentifier(escrowId, 'escrowId'));
        const who = caller(ctx);
        const payer = await readAccount(state, escrow.payerAccountId);
        const payee = await readAccount(state, escrow.payeeAccountId);
        if (!isOwner(payer, who) && !isOwner(payee, who) && !(await isIssuerOrAuditor(state))) {
            throw accessDenied(`escrow ${escrow.escrowId} concerns other accounts`);
        }
        return toJSON(escrow);
    }

    /** Total tokens ever minted; public. */
    @Transaction(false)
    @Returns('string')
    async GetSupply(ctx: Context): Promise<string> {
        // Every account's share, plus the single total older versions kept under the bare key (the range includes it).
        const shares = await collect(await ctx.stub.getStateByPartialCompositeKey(SUPPLY_KEY, []), (kv) => unmarshal<TokenSupply>(kv.value, 'token supply').minted);
        return toJSON({ minted: shares.reduce((sum, share) => addAmounts(sum, share), 0) });
    }
}

async function isIssuerOrAuditor(state: LedgerState): Promise<boolean> {
    return (await hasRole(state, caller(state.ctx).mspId, 'issuer')) || (await callerIsAuditor(state));
}
