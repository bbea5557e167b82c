import type { Context } from 'fabric-contract-api';
import {
    accessDenied,
    alreadyExists,
    caller,
    invalidArgument,
    invalidState,
    marshal,
    optionalText,
    optionalTimestamp,
    parseArgument,
    parsePageSize,
    readIndexPage,
    requireIdentifier,
    requireTimelyProposal,
    toJSON,
    txTime,
    txTimeMillis,
    unmarshal,
} from '../../common/src';
import { type DeviceCertificate, type GrantTrustRequest, PLATFORM_ID, type TrustDecision, type TrustDecisionReason, type TrustRelationship } from '../../schemas/src';
import { findDevice, isOwner, readDevice, requireNotRevoked } from './certificate-ledger';
import { requireSubjectId } from './device-certificate';
import { lastAttribute, ObjectType } from './keys';
import { readAdministrators, requireRegistryAdmin } from './registry';
import { findTrust, putTrust, readTrust } from './trust-ledger';

/*
 * App trust relationships (D8): application `from` may open connections to application `to`, or to the MEC
 * platform when `to` is `platform`. Granted by whoever answers for `to`: its owner, or a registry administrator
 * for the platform.
 */

export function validateGrantRequest(request: Partial<GrantTrustRequest>, nowMillis: number): Required<GrantTrustRequest> {
    const from = requireSubjectId(request.from, 'from');
    const to = requireIdentifier(request.to, 'to');
    if (from === to) {
        throw invalidArgument('from and to must differ');
    }
    const expiresAt = optionalTimestamp(request.expiresAt, 'expiresAt');
    if (expiresAt !== '' && Date.parse(expiresAt) <= nowMillis) {
        throw invalidArgument('expiresAt must be in the future');
    }
    return { from, to, purpose: optionalText(request.purpose, 'purpose', 512) ?? '', expiresAt };
}

export function isPlatform(id: string): boolean {
    return id === PLATFORM_ID;
}

// ---- transactions ----

export async function grantTrust(ctx: Context, requestJson: string): Promise<string> {
    requireTimelyProposal(ctx);
    const request = validateGrantRequest(parseArgument<Partial<GrantTrustRequest>>(requestJson, 'request'), txTimeMillis(ctx));
    requireUsableApp(await readDevice(ctx, request.from), 'from');
    const authorities = await requireTargetAuthority(ctx, request.to, 'GrantTrust', true);
    const existing = await findTrust(ctx, request.from, request.to);
    if (existing?.status === 'active') {
        throw alreadyExists(`${request.from} is already trusted by ${request.to}`);
    }
    const now = txTime(ctx);
    const who = caller(ctx);
    const relationship: TrustRelationship = { ...request, status: 'active', grantedBy: who, grantedAt: now, updatedBy: who, updatedAt: now };
    await putTrust(ctx, relationship, authorities);
    ctx.stub.setEvent('TrustGranted', marshal(relationship));
    return toJSON(relationship);
}

export async function revokeTrust(ctx: Context, from: string, to: string): Promise<string> {
    requireTimelyProposal(ctx);
    const relationship = await readTrust(ctx, requireIdentifier(from, 'from'), requireIdentifier(to, 'to'));
    const source = await findDevice(ctx, relationship.from);
    const authorities =
        source && isOwner(ctx, source) ? await trustAuthorities(ctx, relationship.to) : await requireTargetAuthority(ctx, relationship.to, 'RevokeTrust', false);
    if (relationship.status !== 'active') {
        throw invalidState(`the trust relationship from ${relationship.from} to ${relationship.to} is already revoked`);
    }
    const revoked: TrustRelationship = { ...relationship, status: 'revoked', updatedBy: caller(ctx), updatedAt: txTime(ctx) };
    await putTrust(ctx, revoked, authorities);
    ctx.stub.setEvent('TrustRevoked', marshal(revoked));
    return toJSON(revoked);
}

export async function checkTrust(ctx: Context, from: string, to: string): Promise<string> {
    requireTimelyProposal(ctx);
    const source = requireIdentifier(from, 'from');
    const target = requireIdentifier(to, 'to');
    const relationship = await findTrust(ctx, source, target);
    const decide = (allowed: boolean, reason: TrustDecisionReason): string =>
        toJSON({ from: source, to: target, allowed, reason, checkedAt: txTime(ctx), relationship } satisfies TrustDecision);
    if (!relationship) {
        return decide(false, 'not_granted');
    }
    if (relationship.status !== 'active') {
        return decide(false, 'revoked');
    }
    if (relationship.expiresAt !== '' && Date.parse(relationship.expiresAt) <= txTimeMillis(ctx)) {
        return decide(false, 'expired');
    }
    if ((await findDevice(ctx, source))?.status !== 'active') {
        return decide(false, 'from_not_active');
    }
    if (!isPlatform(target) && (await findDevice(ctx, target))?.status !== 'active') {
        return decide(false, 'to_not_active');
    }
    return decide(true, 'granted');
}

export async function listTrustFrom(ctx: Context, from: string, pageSize: string, bookmark: string): Promise<string> {
    const source = requireIdentifier(from, 'from');
    const page = await readIndexPage(ctx, ObjectType.Trust, [source], parsePageSize(pageSize), bookmark, (kv) => unmarshal<TrustRelationship>(kv.value, 'trust relationship'));
    return toJSON(page);
}

export async function listTrustTo(ctx: Context, to: string, pageSize: string, bookmark: string): Promise<string> {
    const target = requireIdentifier(to, 'to');
    const page = await readIndexPage(ctx, ObjectType.TrustByTarget, [target], parsePageSize(pageSize), bookmark, (kv) => readTrust(ctx, lastAttribute(ctx, kv.key), target));
    return toJSON(page);
}

// ---- internals ----

/**
 * Who answers for the target of a trust relationship: its owner, or a registry administrator for the platform.
 * Returns the organisations that answer for it (see trustAuthorities).
 */
async function requireTargetAuthority(ctx: Context, to: string, action: string, mustBeUsable: boolean): Promise<string[]> {
    if (isPlatform(to)) {
        return (await requireRegistryAdmin(ctx, `${action} towards the platform`)).mspIds;
    }
    const target = await readDevice(ctx, to);
    if (mustBeUsable) {
        requireUsableApp(target, 'to');
    }
    if (!isOwner(ctx, target)) {
        throw accessDenied(`${action}: only the owner of ${target.id} decides who may talk to it`);
    }
    return [target.owner.mspId];
}

/** The organisations that answer for a trust target: the registry administrators for the platform, else the target's owner organisation. */
async function trustAuthorities(ctx: Context, to: string): Promise<string[]> {
    return isPlatform(to) ? ((await readAdministrators(ctx))?.mspIds ?? []) : [(await readDevice(ctx, to)).owner.mspId];
}

function requireUsableApp(record: DeviceCertificate, field: string): void {
    if (record.kind !== 'app') {
        throw invalidArgument(`${field} ${record.id} is a device; trust relationships are between applications`);
    }
    requireNotRevoked(record);
}
