import type { Context } from 'fabric-contract-api';
import {
    accessDenied,
    caller,
    callerCommonName,
    invalidArgument,
    isEmpty,
    isOrgAdmin,
    marshal,
    parseArgument,
    requireIdentifier,
    requireOneOf,
    requireOrgAdmin,
    requireOwnersForChanges,
    requireTimelyProposal,
    txTime,
    unmarshal,
} from '../../common/src';
import {
    ANCHORING_POLICIES,
    type EvidenceOrgPolicy as OrgPolicy,
    type EvidenceRoleGrant as RoleGrant,
    type OrgPolicyRequest,
    type Role,
    ROLES,
    type SetRolesRequest,
} from '../../schemas/src';
import { key, KeyType } from './keys';
import { markedValue, putOwnerMark } from './owner-mark';
import { emit } from './records';
import { witnessFor } from './witness';

/*
 * Who may do what is chaincode data, never hard-coded MSP ids. Bootstrap rule: there is no
 * channel-wide super user; the administrators (OU=admin) of each organisation manage their own
 * organisation's policy and their own members' roles, and have every role themselves.
 * Until an admin says otherwise, an organisation's policy is `any-member`: every member may anchor
 * records, batches, process steps and data-set transfers. Publishing artifacts always needs the
 * `publisher` role, so that nobody but a trusted publisher can approve what edge nodes load.
 */

// Roles, policies and their records are the schema package's (schemas/src/evidence).
export { ANCHORING_POLICIES, ROLES } from '../../schemas/src';
export type { AnchoringPolicy, EvidenceOrgPolicy as OrgPolicy, EvidenceRoleGrant as RoleGrant, Role } from '../../schemas/src';

export function roleKey(ctx: Context, mspId: string, name: string): string {
    return key(ctx, KeyType.RoleGrant, mspId, name);
}

export function policyKey(ctx: Context, mspId: string): string {
    return key(ctx, KeyType.OrgPolicy, mspId);
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

/** SetRoles: an admin sets the roles of one identity of its own organisation; an empty list removes them. */
export async function setRoles(ctx: Context, requestJson: string): Promise<RoleGrant> {
    requireTimelyProposal(ctx);
    const request = parseArgument<{ [K in keyof SetRolesRequest]?: unknown }>(requestJson, 'request');
    const name = requireCommonName(request.commonName);
    const roles = requireRoles(request.roles);
    requireOrgAdmin(ctx, 'SetRoles');
    const who = caller(ctx);
    const grant: RoleGrant = { mspId: who.mspId, commonName: name, roles, updatedAt: txTime(ctx), updatedById: who.id };
    // An empty list is kept as a grant of no roles, not deleted: deleting would drop the key's owner policy.
    await putOwnedGovernanceValue(ctx, roleKey(ctx, who.mspId, name), grant);
    emit(ctx, 'RolesChanged', grant);
    return grant;
}

/** ReadRoles: the roles of one identity (none when never granted). */
export async function rolesOf(ctx: Context, mspId: string, commonName: string): Promise<RoleGrant> {
    const org = requireIdentifier(mspId, 'mspId');
    const cn = requireCommonName(commonName);
    return (await readRoleGrant(ctx, org, cn)) ?? { mspId: org, commonName: cn, roles: [] };
}

/** SetOrgPolicy: an admin sets its own organisation's anchoring rule and, optionally, its supervisor. */
export async function setOrgPolicy(ctx: Context, policyJson: string): Promise<OrgPolicy> {
    requireTimelyProposal(ctx);
    const request = parseArgument<{ [K in keyof OrgPolicyRequest]?: unknown }>(policyJson, 'policy');
    const anchoring = requireOneOf(request.anchoring, 'anchoring', ANCHORING_POLICIES);
    requireOrgAdmin(ctx, 'SetOrgPolicy');
    const who = caller(ctx);
    const supervisor = witnessFor(request.supervisorMspId, { mspId: who.mspId, anchoring }, who.mspId);
    const policy: OrgPolicy = {
        mspId: who.mspId,
        anchoring,
        ...(supervisor === undefined ? {} : { supervisorMspId: supervisor }),
        updatedAt: txTime(ctx),
        updatedById: who.id,
    };
    await putOwnedGovernanceValue(ctx, policyKey(ctx, who.mspId), policy);
    emit(ctx, 'OrgPolicyChanged', policy);
    return policy;
}

/** A governance value of the caller's organisation: key-level policy "its peers" and its owner mark (owner-mark.ts). */
async function putOwnedGovernanceValue(ctx: Context, valueKey: string, value: RoleGrant | OrgPolicy): Promise<void> {
    const { mspId } = caller(ctx);
    const bytes = marshal(value);
    await ctx.stub.putState(valueKey, bytes);
    await requireOwnersForChanges(ctx, [valueKey], [mspId]);
    await putOwnerMark(ctx, mspId, valueKey, bytes);
}
