import { optionalText, requireIdentifier } from '../../common/src';
import { requireObject, requireP256PublicKey } from './billing-inputs';

/** A compute-token balance owned by one identity (B8). */
export interface TokenAccount {
    accountId: string;
    ownerMspId: string;
    ownerId: string;
    balance: number;
    /** P-256 public key (SPKI PEM) that signs compute tasks paid from this account (B9). */
    taskKey?: string;
    openedAt: string;
    txId: string;
}

export const ESCROW_PURPOSES = ['session', 'purchase'] as const;
export type EscrowPurpose = (typeof ESCROW_PURPOSES)[number];

/** Tokens taken from a payer and held by the contract until they are paid out or refunded. */
export interface Escrow {
    escrowId: string;
    purpose: EscrowPurpose;
    referenceId: string;
    payerAccountId: string;
    payeeAccountId: string;
    amount: number;
    deadline: string;
    status: 'held' | 'released' | 'refunded';
    paid?: number;
    refunded?: number;
    createdAt: string;
    closedAt?: string;
    txId: string;
}

/** Everything ever minted; invariant: minted = Σ balances + Σ held escrow. */
export interface TokenSupply {
    minted: number;
}

export interface OpenAccountRequest {
    accountId: string;
    taskKey?: string;
}

export const ACCOUNT_KEY = 'token.account';
export const ESCROW_KEY = 'token.escrow';
export const SUPPLY_KEY = 'token.supply';

export function validateOpenAccount(value: unknown): OpenAccountRequest {
    const request = requireObject<OpenAccountRequest>(value, 'request');
    const taskKey = optionalText(request.taskKey, 'taskKey', 1024);
    return {
        accountId: requireIdentifier(request.accountId, 'accountId'),
        ...(taskKey === undefined ? {} : { taskKey: requireP256PublicKey(taskKey, 'taskKey') }),
    };
}

export function escrowIdOf(purpose: EscrowPurpose, referenceId: string): string {
    return `${purpose}:${referenceId}`;
}
