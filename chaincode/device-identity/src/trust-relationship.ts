import { Object as DataType, Property } from 'fabric-contract-api';
import { invalidArgument, optionalText, requireIdentifier } from '../../common/src';
import { optionalIsoTime } from './iso-time';
import { PLATFORM_ID, requireSubjectId } from './device-certificate';
import { Principal } from './principal';

export const TRUST_STATUSES = ['active', 'revoked'] as const;
export type TrustStatus = (typeof TRUST_STATUSES)[number];

/** Why CheckTrust allowed or refused a connection. */
export type TrustDecisionReason =
    | 'granted'
    | 'not_granted'
    | 'revoked'
    | 'expired'
    | 'from_not_active'
    | 'to_not_active';

/**
 * Application `from` may open connections to application `to`, or to the MEC platform when `to`
 * is `platform` (D8). Granted by whoever answers for `to`: its owner, or a registry administrator
 * for the platform.
 */
@DataType()
export class TrustRelationship {
    @Property()
    from: string = '';

    @Property()
    to: string = '';

    @Property('status', 'string')
    status: TrustStatus = 'active';

    @Property()
    purpose: string = '';

    /** ISO-8601; empty for no expiry. */
    @Property()
    expiresAt: string = '';

    @Property()
    grantedBy: Principal = new Principal();

    @Property()
    grantedAt: string = '';

    @Property()
    updatedBy: Principal = new Principal();

    @Property()
    updatedAt: string = '';
}

/** The answer of CheckTrust: may `from` talk to `to` now? */
export interface TrustDecision {
    from: string;
    to: string;
    allowed: boolean;
    reason: TrustDecisionReason;
    checkedAt: string;
    relationship?: TrustRelationship;
}

export interface GrantTrustRequest {
    from: string;
    to: string;
    purpose?: string;
    expiresAt?: string;
}

export function validateGrantRequest(request: Partial<GrantTrustRequest>, nowMillis: number): Required<GrantTrustRequest> {
    const from = requireSubjectId(request.from, 'from');
    const to = requireIdentifier(request.to, 'to');
    if (from === to) {
        throw invalidArgument('from and to must differ');
    }
    const expiresAt = optionalIsoTime(request.expiresAt, 'expiresAt');
    if (expiresAt !== '' && Date.parse(expiresAt) <= nowMillis) {
        throw invalidArgument('expiresAt must be in the future');
    }
    return { from, to, purpose: optionalText(request.purpose, 'purpose', 512) ?? '', expiresAt };
}

export function isPlatform(id: string): boolean {
    return id === PLATFORM_ID;
}
