import { Context, Contract, Info, Transaction } from 'fabric-contract-api';
import { getAccount, getDisclosure, getEscrow, getSupply, mint, openAccount, setTaskKey, transfer } from './token-ledger';
import { getPurchaseEscrow } from './market-listing';

/**
 * Compute tokens (B8): accounts owned by identities, in their organisation's token collection; issuer-only minting,
 * transfers, and the escrow that sessions and marketplace purchases use.
 * Invariant: minted = Σ balances + Σ unspent credit notes + Σ held escrow.
 */
@Info({ title: 'TokenContract', description: 'Compute token accounts, minting, transfers and escrow' })
export class TokenContract extends Contract {
    constructor() {
        super('token');
    }

    @Transaction()
    async OpenAccount(ctx: Context, request: string): Promise<string> {
        return openAccount(ctx, request);
    }

    @Transaction()
    async SetTaskKey(ctx: Context, accountId: string, publicKeyPem: string): Promise<string> {
        return setTaskKey(ctx, accountId, publicKeyPem);
    }

    @Transaction()
    async Mint(ctx: Context, accountId: string, amount: string): Promise<string> {
        return mint(ctx, accountId, amount);
    }

    @Transaction()
    async Transfer(ctx: Context, fromAccountId: string, toAccountId: string, amount: string): Promise<string> {
        return transfer(ctx, fromAccountId, toAccountId, amount);
    }

    @Transaction(false)
    async GetAccount(ctx: Context, accountId: string): Promise<string> {
        return getAccount(ctx, accountId);
    }

    @Transaction(false)
    async GetDisclosure(ctx: Context, accountId: string): Promise<string> {
        return getDisclosure(ctx, accountId);
    }

    @Transaction(false)
    async GetEscrow(ctx: Context, escrowId: string): Promise<string> {
        // A purchase's escrow is in the purchase's pair collection, which the marketplace knows how to find.
        return (await getPurchaseEscrow(ctx, escrowId)) ?? getEscrow(ctx, escrowId);
    }

    @Transaction(false)
    async GetSupply(ctx: Context): Promise<string> {
        return getSupply(ctx);
    }
}
