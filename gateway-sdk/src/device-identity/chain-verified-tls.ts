import type { X509Certificate } from 'node:crypto';
import { connect as tlsConnect, type ConnectionOptions, createServer, type Server, type TLSSocket, type TlsOptions } from 'node:tls';
import { EdgeTrustError } from '../errors';
import { certificateFingerprint } from './certificate-proof';
import type { CertificateStatusCache } from './certificate-status-cache';
import type { CertificateStatusReport } from './models';

/*
 * Mutual TLS between a device and an edge application whose certificates are self-signed and
 * registered on chain (D6). No CA can vouch for them, so OpenSSL's chain verification always fails
 * (DEPTH_ZERO_SELF_SIGNED_CERT): both sides turn it off (`rejectUnauthorized: false`, and the server
 * `requestCert: true` so the client must present a certificate) and decide after the handshake,
 * from the ledger, before any application data moves:
 *
 * - the handshake itself proves the peer holds the private key of the certificate it presented;
 * - the certificate's SHA-256 fingerprint must resolve on chain to an active, current, unexpired
 *   record (through a CertificateStatusCache), and pass the caller's optional `authorize` policy;
 * - until then neither helper hands the socket to the application, so nothing is written to an
 *   unverified peer and nothing it sent is read; a refused socket is destroyed.
 *
 * `checkServerIdentity` cannot do this job: Node skips it when chain verification already failed,
 * which is always the case here, it is synchronous while the ledger query is not, and with
 * `rejectUnauthorized: false` its verdict is not enforced. The client options therefore replace it
 * by a no-op (host names mean nothing for device certificates) and rely on the post-handshake gate.
 */

/** One side's key pair: its private key and its self-signed certificate registered on chain, both PEM. */
export interface ChainTlsIdentity {
    key: string | Buffer;
    cert: string | Buffer;
}

/** A peer whose certificate the ledger vouches for. */
export interface VerifiedPeer {
    /** SHA-256 of the peer certificate's DER, lower-case hex. */
    fingerprint: string;
    /** The ledger's answer: id, kind, manufacturer, owner organisation, validity. */
    status: CertificateStatusReport;
    certificate: X509Certificate;
}

/** Further policy once the ledger trusts the peer, e.g. an expected id or a trust relationship (D8). */
export type PeerAuthorizer = (peer: VerifiedPeer) => boolean | Promise<boolean>;

/** How a side decides whether to trust its peer. */
export interface ChainTrustOptions {
    /** Answers "may I trust this fingerprint now?" from the ledger, with caching. */
    cache: CertificateStatusCache;
    authorize?: PeerAuthorizer;
}

/** What {@link PeerNotTrustedError} is built from. */
export interface PeerNotTrustedErrorOptions {
    message: string;
    fingerprint?: string;
    status?: CertificateStatusReport;
}

/** The peer presented no certificate, one the ledger does not vouch for, or one the policy refused (`PEER_NOT_TRUSTED`). */
export class PeerNotTrustedError extends EdgeTrustError {
    /** The peer certificate's fingerprint, when it presented one. */
    readonly fingerprint?: string;
    /** The ledger's answer about it, when it was asked. */
    readonly status?: CertificateStatusReport;

    constructor(options: Readonly<PeerNotTrustedErrorOptions>) {
        super({ code: 'PEER_NOT_TRUSTED', message: options.message });
        this.name = 'PeerNotTrustedError';
        this.fingerprint = options.fingerprint;
        this.status = options.status;
    }
}

/**
 * `node:tls` server options for the application side: its own certificate, a client certificate
 * requested and required, chain verification left to {@link verifyPeer}. TLS 1.3 only.
 * @param identity - The server's key and registered certificate.
 */
export function chainVerifiedServerOptions(identity: Readonly<ChainTlsIdentity>): TlsOptions {
    return { key: identity.key, cert: identity.cert, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.3' };
}

/**
 * `node:tls` client options for the device side: its own certificate presented, the server's
 * verified by {@link verifyPeer} after the handshake instead of by a CA and host name. TLS 1.3 only.
 * @param identity - The client's key and registered certificate.
 */
export function chainVerifiedClientOptions(identity: Readonly<ChainTlsIdentity>): ConnectionOptions {
    return { key: identity.key, cert: identity.cert, rejectUnauthorized: false, checkServerIdentity: () => undefined, minVersion: 'TLSv1.3' };
}

/**
 * Decides whether the peer of a completed handshake may be trusted: it presented a certificate,
 * the ledger says that certificate is trusted now, and the optional policy agrees.
 * @param socket - A socket whose handshake has completed.
 * @returns The verified peer.
 * @throws {@link PeerNotTrustedError} when it may not be trusted; lookup failures propagate (fail closed).
 */
export async function verifyPeer(socket: TLSSocket, trust: Readonly<ChainTrustOptions>): Promise<VerifiedPeer> {
    const certificate = socket.getPeerX509Certificate();
    if (!certificate) {
        throw new PeerNotTrustedError({ message: 'the peer presented no certificate' });
    }
    const fingerprint = certificateFingerprint(certificate);
    const status = await trust.cache.status(fingerprint);
    if (!status.trusted) {
        const why = status.status === 'active' ? 'outside its validity period' : status.status;
        throw new PeerNotTrustedError({ message: `peer certificate ${fingerprint} is ${why} on chain`, fingerprint, status });
    }
    const peer: VerifiedPeer = { fingerprint, status, certificate };
    if (trust.authorize && !(await trust.authorize(peer))) {
        throw new PeerNotTrustedError({ message: `peer ${status.id ?? fingerprint} is not authorized by policy`, fingerprint, status });
    }
    return peer;
}

/** Options for {@link createChainVerifiedServer}. */
export interface ChainVerifiedServerOptions extends ChainTlsIdentity, ChainTrustOptions {
    /** Told about every refused client (its socket is destroyed right after). */
    onRejected?: (error: unknown, socket: TLSSocket) => void;
}

/**
 * A TLS server that hands a client's socket to `onConnection` only once the ledger vouches for
 * the client's certificate; other clients are disconnected without a byte of application data.
 * @param options - Server identity, trust and rejection listener.
 * @param onConnection - Receives each verified client.
 * @returns The server, not yet listening.
 */
export function createChainVerifiedServer(
    options: Readonly<ChainVerifiedServerOptions>,
    onConnection: (socket: TLSSocket, peer: VerifiedPeer) => void,
): Server {
    const server = createServer(chainVerifiedServerOptions(options));
    server.on('secureConnection', (socket: TLSSocket) => {
        verifyPeer(socket, options).then(
            (peer) => {
                if (!socket.destroyed) {
                    onConnection(socket, peer);
                }
            },
            (error: unknown) => {
                options.onRejected?.(error, socket);
                socket.destroy();
            },
        );
    });
    return server;
}

/** Options for {@link connectChainVerified}. */
export interface ChainVerifiedConnectOptions extends ChainTlsIdentity, ChainTrustOptions {
    host: string;
    port: number;
    /** SNI name to send, if any. */
    servername?: string;
    /** Bound on handshake plus verification (default 10 000 ms). */
    timeoutMillis?: number;
}

/**
 * Connects to an edge application and resolves only once the ledger vouches for its certificate;
 * otherwise the socket is destroyed before anything is written to it.
 * @returns The socket, ready for application data, and the verified server.
 * @throws {@link PeerNotTrustedError} when the server may not be trusted.
 */
export function connectChainVerified(options: Readonly<ChainVerifiedConnectOptions>): Promise<{ socket: TLSSocket; peer: VerifiedPeer }> {
    return new Promise((resolve, reject) => {
        const socket = tlsConnect({ ...chainVerifiedClientOptions(options), host: options.host, port: options.port, servername: options.servername });
        const fail = (error: unknown): void => {
            clearTimeout(timer);
            socket.destroy();
            reject(error instanceof Error ? error : new Error(String(error)));
        };
        const timer = setTimeout(() => {
            fail(new EdgeTrustError({ code: 'TLS_TIMEOUT', message: `no verified TLS session with ${options.host}:${String(options.port)} within the time limit` }));
        }, options.timeoutMillis ?? 10_000);
        socket.once('error', fail);
        socket.once('secureConnect', () => {
            verifyPeer(socket, options).then((peer) => {
                clearTimeout(timer);
                socket.off('error', fail);
                resolve({ socket, peer });
            }, fail);
        });
    });
}
