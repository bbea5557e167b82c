import type { Context } from 'fabric-contract-api';
import { accessDenied } from './errors';

/** Who submitted the transaction, as recorded on every state change. */
export interface Caller {
    mspId: string;
    /** The X.509 subject and issuer, as fabric-shim's ClientIdentity.getID() renders them. */
    id: string;
}

export function caller(ctx: Context): Caller {
    return { mspId: ctx.clientIdentity.getMSPID(), id: ctx.clientIdentity.getID() };
}

/**
 * With NodeOUs on, an organisation's administrators carry OU=admin in their certificate subject;
 * that is what Fabric's own `.admin` policy principals match.
 */
export function isOrgAdmin(ctx: Context): boolean {
    const subject = ctx.clientIdentity.getID().split('::')[1] ?? '';
    return subject.split('/').includes('OU=admin');
}

export function requireOrgAdmin(ctx: Context, action: string): void {
    if (!isOrgAdmin(ctx)) {
        throw accessDenied(`${action} needs an organisation administrator (OU=admin), not ${ctx.clientIdentity.getID()}`);
    }
}

export function requireMsp(ctx: Context, allowed: readonly string[], action: string): void {
    const mspId = ctx.clientIdentity.getMSPID();
    if (!allowed.includes(mspId)) {
        throw accessDenied(`${action} is not allowed for ${mspId}`);
    }
}
