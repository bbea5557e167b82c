import type { Context } from 'fabric-contract-api';
import { Certificate } from '@fidm/x509';
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

/** The subject attributes that decide what a caller may do, read from its certificate. */
export interface CallerSubject {
    /** Every organizationalUnitName (2.5.4.11) value, in certificate order. */
    organizationalUnits: string[];
    /** The one commonName (2.5.4.3) value; '' when the subject has none or more than one. */
    commonName: string;
}

const OID_COMMON_NAME = '2.5.4.3';
const OID_ORGANIZATIONAL_UNIT = '2.5.4.11';
// Fabric's NodeOU roles; its MSP already refuses an identity carrying more than one of them.
const NODE_OU_ROLES = ['admin', 'client', 'peer', 'orderer'];

const subjects = new WeakMap<object, CallerSubject>();

/**
 * The caller's subject attributes, parsed from the certificate itself (`getIDBytes()`), never from
 * the `getID()` string: fabric-shim renders that as `/OU=…/CN=…` and escapes only the first `/` of a
 * value, so a value such as L=`x/y/OU=admin` reads as an extra OU there. @fidm/x509 is the DER parser
 * fabric-shim itself uses; it gives each AttributeTypeAndValue with its OID, so a `/`, `=`, `,` or
 * newline inside a value stays inside that value. (node:crypto's X509Certificate.subject is one
 * escaped text again, which would need parsing back.)
 */
export function callerSubject(ctx: Context): CallerSubject {
    const identity = ctx.clientIdentity as object;
    const known = subjects.get(identity);
    if (known !== undefined) {
        return known;
    }
    const pem = Buffer.from(ctx.clientIdentity.getIDBytes());
    let attributes: { oid: string; value: unknown }[];
    try {
        attributes = Certificate.fromPEM(pem).subject.attributes;
    } catch {
        attributes = []; // an identity the shim could not render either: no OU, no CN, no rights
    }
    const values = (oid: string): string[] =>
        attributes.filter((a) => a.oid === oid).map((a) => (typeof a.value === 'string' ? a.value : ''));
    const commonNames = values(OID_COMMON_NAME);
    const subject: CallerSubject = {
        organizationalUnits: values(OID_ORGANIZATIONAL_UNIT),
        commonName: commonNames.length === 1 ? (commonNames[0] ?? '') : '',
    };
    subjects.set(identity, subject);
    return subject;
}

/** The caller's certificate common name, exactly as its one CN attribute holds it; '' if none. */
export function callerCommonName(ctx: Context): string {
    return callerSubject(ctx).commonName;
}

/**
 * With NodeOUs on, an organisation's administrators carry OU=admin in their certificate subject;
 * that is what Fabric's own `.admin` policy principals match. The OU attribute must be exactly
 * `admin`, and the certificate must carry no other NodeOU role.
 */
export function isOrgAdmin(ctx: Context): boolean {
    const roles = callerSubject(ctx).organizationalUnits.filter((ou) => NODE_OU_ROLES.includes(ou));
    return roles.length === 1 && roles[0] === 'admin';
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

/** The chaincode server's environment variable naming the organisation that bootstraps governance. */
export const GOVERNANCE_MSP_ENV = 'EDGETRUST_GOVERNANCE_MSP_ID';

/**
 * Bootstrap transactions (BootstrapGovernance, InitRegistry) belong to the organisation the deployment
 * names, not to whichever administrator calls first. The name comes from the chaincode's runtime: the
 * chaincode-as-a-service server's environment, or the `start` script inside a peer-built package (whose
 * package id every organisation approves). Unset, nobody may bootstrap: a deployment must say who.
 */
export function requireDeploymentGovernor(ctx: Context, action: string): void {
    requireOrgAdmin(ctx, action);
    const named = process.env[GOVERNANCE_MSP_ENV] ?? '';
    const mspId = ctx.clientIdentity.getMSPID();
    if (named === '') {
        throw accessDenied(`${action}: this deployment names no governance organisation (${GOVERNANCE_MSP_ENV} is not set)`);
    }
    if (mspId !== named) {
        throw accessDenied(`${action} belongs to the deployment's governance organisation ${named}, not ${mspId}`);
    }
}
