import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

/*
 * Hand-built certificates for attack tests: the weak keys and algorithms below are exactly what openssl
 * refuses to make (RSA e=1, an Ed25519 identity key, OIW signature OIDs), so the DER is put together here.
 * Minimal DER: definite lengths, one attribute per RDN, no extensions (v3 with none is valid).
 */

function tlv(tag: number, content: Buffer): Buffer {
    const n = content.length;
    const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
    return Buffer.concat([Buffer.from([tag]), length, content]);
}
const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const nul = (): Buffer => Buffer.from([0x05, 0x00]);
const bitString = (bytes: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]));
const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
const utcTime = (date: Date): Buffer => tlv(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-:T]/g, '')}Z`, 'ascii'));

/** A non-negative INTEGER from big-endian magnitude bytes. */
function integer(magnitude: Buffer): Buffer {
    let bytes = magnitude;
    while (bytes.length > 1 && bytes[0] === 0 && ((bytes[1] ?? 0) & 0x80) === 0) {
        bytes = bytes.subarray(1);
    }
    return tlv(0x02, (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function oid(dotted: string): Buffer {
    const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
    const body = [40 * a + b];
    for (const arc of rest) {
        const chunk = [arc & 0x7f];
        for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) {
            chunk.unshift((v & 0x7f) | 0x80);
        }
        body.push(...chunk);
    }
    return tlv(0x06, Buffer.from(body));
}

export const OID = {
    rsaEncryption: '1.2.840.113549.1.1.1',
    sha256WithRSA: '1.2.840.113549.1.1.11',
    sha1WithRSAOiw: '1.3.14.3.2.29',
    md5WithRSAOiw: '1.3.14.3.2.3',
    ed25519: '1.3.101.112',
} as const;

/** An AlgorithmIdentifier: RSA algorithms carry NULL parameters, Ed25519 none. */
function algorithm(dotted: string): Buffer {
    return dotted === OID.ed25519 ? seq(oid(dotted)) : seq(oid(dotted), nul());
}

function tbs(spki: Buffer, signatureOid: string, commonName: string, now: Date): Buffer {
    const name = seq(set(seq(oid('2.5.4.3'), utf8(commonName))));
    const validity = seq(utcTime(new Date(now.getTime() - 3_600_000)), utcTime(new Date(now.getTime() + 30 * 86_400_000)));
    const version = tlv(0xa0, integer(Buffer.from([2])));
    return seq(version, integer(Buffer.from([0x01, 0x23, 0x45])), algorithm(signatureOid), name, validity, name, spki);
}

function pem(der: Buffer): string {
    const body = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
    return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

function certificate(tbsCertificate: Buffer, signatureOid: string, signature: Buffer): string {
    return pem(seq(tbsCertificate, algorithm(signatureOid), bitString(signature)));
}

/** PKCS#1 v1.5 EMSA encoding of a SHA-256 digest for a modulus of `length` bytes. */
function pkcs1Sha256(message: Buffer, length: number): Buffer {
    const digestInfo = Buffer.concat([Buffer.from('3031300d060960864801650304020105000420', 'hex'), createHash('sha256').update(message).digest()]);
    return Buffer.concat([Buffer.from([0x00, 0x01]), Buffer.alloc(length - digestInfo.length - 3, 0xff), Buffer.from([0x00]), digestInfo]);
}

/**
 * A self-signed certificate of a 2048-bit RSA key with public exponent 1: s^1 mod n = s, so the
 * "signature" is the padded digest itself and anybody can sign anything for this key.
 */
export function rsaExponentOneCertificate(now = new Date()): string {
    const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
    const modulus = Buffer.from(jwk.n ?? '', 'base64url');
    const spki = seq(algorithm(OID.rsaEncryption), bitString(seq(integer(modulus), integer(Buffer.from([1])))));
    const body = tbs(spki, OID.sha256WithRSA, 'rsa-e1.test', now);
    return certificate(body, OID.sha256WithRSA, pkcs1Sha256(body, modulus.length));
}

/** The Ed25519 small-order public keys (RFC 8032 encodings of the 8 torsion points). */
export const ED25519_SMALL_ORDER_KEYS = [
    '0100000000000000000000000000000000000000000000000000000000000000',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0000000000000000000000000000000000000000000000000000000000000080',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
] as const;

/**
 * A "self-signed" certificate of an Ed25519 small-order public key. For the identity key, R = identity
 * and S = 0 satisfy [S]B = R + [k]A for every message: one signature verifies everything.
 */
export function ed25519SmallOrderCertificate(publicKeyHex: string = ED25519_SMALL_ORDER_KEYS[0], now = new Date()): string {
    const spki = seq(algorithm(OID.ed25519), bitString(Buffer.from(publicKeyHex, 'hex')));
    const body = tbs(spki, OID.ed25519, 'ed25519-small-order.test', now);
    const universal = Buffer.concat([Buffer.from(ED25519_SMALL_ORDER_KEYS[0], 'hex'), Buffer.alloc(32)]);
    return certificate(body, OID.ed25519, universal);
}

/** The universal signature of the Ed25519 identity key: verifies any message. */
export const ED25519_IDENTITY_SIGNATURE = Buffer.concat([Buffer.from(ED25519_SMALL_ORDER_KEYS[0], 'hex'), Buffer.alloc(32)]).toString('base64');

/** A genuinely self-signed RSA-2048 certificate whose signature algorithm is named by `signatureOid` (e.g. the OIW sha1WithRSA). */
export function rsaCertificateSignedAs(signatureOid: string, digest: 'sha1' | 'md5', now = new Date()): { pem: string; privateKey: KeyObject } {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    const body = tbs(spki, signatureOid, `${digest}-oiw.test`, now);
    return { pem: certificate(body, signatureOid, sign(digest, body, privateKey)), privateKey };
}
