import type { Context } from 'fabric-contract-api';
import { accessDenied, caller, callerCommonName, invalidArgument, isEmpty, isOrgAdmin, requireIdentifier, requireOneOf, unmarshal } from '../../common/src';
import { markedValue } from './owner-mark';

/*
 * Who may do what is chaincode data, never hard-coded MSP ids. Bootstrap rule: there is no
 * channel-wide super user; the administrators (OU=admin) of each organisation manage their own
 * organisation's policy and their own members' roles, and have every role themselves.
 * Until an admin says otherwise, an organisation's policy is `any-member`: every member may anchor
 * records, batches, process steps and data-set transfers. Publishing artifacts always needs the
 * `publisher` role, so that nobody but a trusted publisher can approve what edge nodes load.
 */

export const ROLES = ['submitter', 'publisher', 'revoker', 'privacy-reader'] as const;
export type Role = (typeof ROLES)[number];

export const ANCHORING_POLICIES = ['any-member', 'submitter-role'] as const;
export type AnchoringPolicy = (typeof ANCHORING_POLICIES)[number];

/** The roles one identity (by certificate common name) holds in its organisation. */
export interface RoleGrant {
    mspId: string;
    commonName: string;
    roles: Role[];
    updatedAt: string;
    updatedById: string;
}

/** An organisation's own rules for its members. */
export interface OrgPolicy {
    mspId: string;
    anchoring: AnchoringPolicy;
    /** The organisation that witnesses every record and batch of this one's members (see witness.ts). */
    supervisorMspId?: string;
    updatedAt?: string;
    updatedById?: string;
}

const ROLE_KEY = 'evidence~role';
const POLICY_KEY = 'evidence~org-policy';

export function roleKey(ctx: Context, mspId: string, name: string): string {
    return ctx.stub.createCompositeKey(ROLE_KEY, [mspId, name]);
}

export function policyKey(ctx: Context, mspId: string): string {
    return ctx.stub.createCompositeKey(POLICY_KEY, [mspId]);
}

export function requireRoles(value: unknown): Role[] {
    if (!Array.isArray(value) || value.length > ROLES.length) {
        throw invalidArgument(`roles must be an array of ${ROLES.join(', ')}`);
    }
    const roles = value.map((role, i) => requireOneOf(role, `roles[${String(i)}]`, ROLES));
    return [...new Set(roles)].sort();
}

export function requireCommonName(value: unknown): string {
    return requireIdentifier(value, 'commonName');
}

/** A role grant its organisation wrote (see owner-mark.ts: one written in its name by anybody else counts for nothing). */
export async function readRoleGrant(ctx: Context, mspId: string, name: string): Promise<RoleGrant | undefined> {
    const key = roleKey(ctx, mspId, name);
    const bytes = await markedValue(ctx, mspId, key, await ctx.stub.getState(key));
    return isEmpty(bytes) ? undefined : unmarshal<RoleGrant>(bytes, 'role grant');
}

/** An organisation's policy as its admins set it, or the default. */
export async function readOrgPolicy(ctx: Context, mspId: string): Promise<OrgPolicy> {
    const key = policyKey(ctx, mspId);
    return orgPolicyFrom(mspId, await markedValue(ctx, mspId, key, await ctx.stub.getState(key)));
}

/** An organisation's policy from the bytes stored under its policyKey, once checked with markedValue. */
export function orgPolicyFrom(mspId: string, bytes: Uint8Array): OrgPolicy {
    return isEmpty(bytes) ? { mspId, anchoring: 'any-member' } : unmarshal<OrgPolicy>(bytes, 'organisation policy');
}

/** Whether the caller holds a role in its own organisation; admins hold every role. */
export async function callerHasRole(ctx: Context, role: Role): Promise<boolean> {
    if (isOrgAdmin(ctx)) {
        return true;
    }
    const who = caller(ctx);
    const name = callerCommonName(ctx);
    // A certificate without a CN cannot have been granted anything (and '' is no composite-key part).
    const grant = name === '' ? undefined : await readRoleGrant(ctx, who.mspId, name);
    return grant?.roles.includes(role) ?? false;
}

export async function requireRole(ctx: Context, role: Role, action: string): Promise<void> {
    if (!(await callerHasRole(ctx, role))) {
        throw accessDenied(`${action} needs the ${role} role in ${caller(ctx).mspId}`);
    }
}

/**
 * Anchoring right: every member, unless the caller's organisation asks for the submitter role.
 * @param policy - The caller's organisation's policy when already read; read here otherwise.
 */
export async function requireAnchoringRight(ctx: Context, action: string, policy?: OrgPolicy): Promise<void> {
    const { anchoring } = policy ?? (await readOrgPolicy(ctx, caller(ctx).mspId));
    if (anchoring === 'submitter-role') {
        await requireRole(ctx, 'submitter', action);
    }
}
