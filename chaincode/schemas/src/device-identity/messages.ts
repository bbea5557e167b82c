import type { IdentityKind } from './enums';

/*
 * The bytes a key signs to prove possession at registration and to prove a rotation: written once, for the
 * chaincode that verifies them and the clients that sign them.
 */

/** What a registration binds its proof of possession to. */
export interface RegistrationBinding {
    /** The channel the chaincode runs on. */
    channel: string;
    kind: IdentityKind;
    /** '' for an application. */
    manufacturerId: string;
    id: string;
    /** SHA-256 of the certificate's DER, lower-case hex. */
    fingerprint: string;
    /** The registering identity (the transaction's creator). */
    registrant: { mspId: string; id: string };
}

/**
 * The exact bytes a certificate's own key signs to prove possession at registration: the UTF-8 of
 * `edgetrust:register:v1:` followed by the JSON array [channel, kind, manufacturerId, id, fingerprint,
 * registrant mspId, registrant id]. The proof names this certificate under this id on this channel
 * for this registrant, so nobody can register a certificate whose key they do not hold (someone else's
 * published app or device certificate), nor replay a proof for another id, registrant or channel.
 * (Fabric's transaction id would bind it to one proposal, but a client only learns it after the
 * proposal's arguments are fixed.)
 */
export function registrationMessage(binding: Readonly<RegistrationBinding>): Buffer {
    const { channel, kind, manufacturerId, id, fingerprint, registrant } = binding;
    return Buffer.from(`edgetrust:register:v1:${JSON.stringify([channel, kind, manufacturerId, id, fingerprint, registrant.mspId, registrant.id])}`, 'utf8');
}

/** The exact bytes an old key signs to prove a key rotation: UTF-8 of `edgetrust:rotate:v1:<old fingerprint>:<new fingerprint>` (lower-case hex). */
export function rotationMessage(oldFingerprint: string, newFingerprint: string): Buffer {
    return Buffer.from(`edgetrust:rotate:v1:${oldFingerprint}:${newFingerprint}`, 'utf8');
}
