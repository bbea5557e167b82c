import * as grpc from '@grpc/grpc-js';
import { type Network, signers } from '@hyperledger/fabric-gateway';
import { common, gateway, msp, peer } from '@hyperledger/fabric-protos';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CallerSession, Sessions } from './identities';

/** One peer of the network profile as the console shows it: where it runs and how far its ledger is. */
export interface PeerStatus {
    name: string;
    organization: string;
    mspId: string;
    endpoint: string;
    tier: string;
    site: string;
    /** `up` when the peer itself answered, else `unreachable` (with the reason in `error`). */
    health: 'up' | 'unreachable';
    /** The peer's own ledger height (the number of its next block), as a decimal string. */
    height?: string;
    /** How many blocks the peer is behind the highest peer. */
    lag?: number;
    error?: string;
}

/** One transaction of a block, with the organisations that endorsed it. */
export interface TransactionSummary {
    transactionId: string;
    type: string;
    timestamp?: string;
    creatorMspId: string;
    chaincode?: string;
    endorserMspIds: string[];
    validationCode: string;
}

export interface BlockSummary {
    number: string;
    timestamp?: string;
    transactions: TransactionSummary[];
}

export interface NetworkStatus {
    name: string;
    channel: string;
    deploymentMode: string;
    /** The identity the caller acts as. */
    caller: { identity: string; organization: string; mspId: string };
    peers: PeerStatus[];
    height: string;
    /** Blocks per minute over the latest blocks shown (undefined with fewer than two timestamped blocks). */
    blocksPerMinute?: number;
    blocks: BlockSummary[];
}

const VALIDATION_CODE_NAMES = Object.fromEntries(Object.entries(peer.TxValidationCode).map(([name, code]) => [code, name])) as Record<number, string>;
const HEADER_TYPE_NAMES = Object.fromEntries(Object.entries(common.HeaderType).map(([name, code]) => [code, name])) as Record<number, string>;
const PEER_TIMEOUT_MS = 3000;

function timestampOf(header: common.ChannelHeader): string | undefined {
    // google-protobuf's Timestamp class comes without type declarations here; its two getters are all that is read.
    const ts = header.getTimestamp() as unknown as { getSeconds(): number; getNanos(): number } | undefined;
    return ts ? new Date(ts.getSeconds() * 1000 + Math.floor(ts.getNanos() / 1e6)).toISOString() : undefined;
}

function endorsersOf(transaction: peer.Transaction): { chaincode?: string; endorserMspIds: string[] } {
    let chaincode: string | undefined;
    const endorserMspIds = transaction.getActionsList().flatMap((action) => {
        const payload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
        const proposal = peer.ChaincodeProposalPayload.deserializeBinary(payload.getChaincodeProposalPayload_asU8());
        const spec = peer.ChaincodeInvocationSpec.deserializeBinary(proposal.getInput_asU8()).getChaincodeSpec();
        chaincode ??= spec?.getChaincodeId()?.getName();
        return (payload.getAction()?.getEndorsementsList() ?? []).map((e) => msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid());
    });
    return { ...(chaincode ? { chaincode } : {}), endorserMspIds };
}

/**
 * A block as a list of transactions with creator, chaincode, endorsers and validation code. The SDK's
 * findCommittedTransaction() looks up one transaction by id; the console lists every one, so this walks the block once.
 */
export function summarizeBlock(block: common.Block): BlockSummary {
    const envelopes = block.getData()?.getDataList_asU8() ?? [];
    const flags = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
    const transactions = envelopes.map((bytes, index): TransactionSummary => {
        const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(bytes).getPayload_asU8());
        const header = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
        const signature = common.SignatureHeader.deserializeBinary(payload.getHeader()?.getSignatureHeader_asU8() ?? new Uint8Array());
        const creatorMspId = msp.SerializedIdentity.deserializeBinary(signature.getCreator_asU8()).getMspid();
        const type = HEADER_TYPE_NAMES[header.getType()] ?? String(header.getType());
        const timestamp = timestampOf(header);
        const endorsed = header.getType() === common.HeaderType.ENDORSER_TRANSACTION ? endorsersOf(peer.Transaction.deserializeBinary(payload.getData_asU8())) : { endorserMspIds: [] };
        const code = flags[index] ?? peer.TxValidationCode.INVALID_OTHER_REASON;
        return { transactionId: header.getTxId(), type, ...(timestamp ? { timestamp } : {}), creatorMspId, ...endorsed, validationCode: VALIDATION_CODE_NAMES[code] ?? String(code) };
    });
    const timestamp = transactions.find((t) => t.timestamp)?.timestamp;
    return { number: String(block.getHeader()?.getNumber() ?? 0), ...(timestamp ? { timestamp } : {}), transactions };
}

/** Blocks per minute between the oldest and newest timestamped block of a list. */
export function blockRate(blocks: readonly BlockSummary[]): number | undefined {
    const times = blocks.flatMap((b) => (b.timestamp ? [{ n: Number(b.number), t: Date.parse(b.timestamp) }] : []));
    if (times.length < 2) {
        return undefined;
    }
    const newest = times.reduce((a, b) => (b.n > a.n ? b : a));
    const oldest = times.reduce((a, b) => (b.n < a.n ? b : a));
    const minutes = (newest.t - oldest.t) / 60000;
    return minutes > 0 ? Math.round(((newest.n - oldest.n) / minutes) * 10) / 10 : undefined;
}

/**
 * Asks one peer itself for its ledger height: a qscc GetChainInfo proposal signed by the caller, sent to that
 * peer's Endorser service. The Gateway's evaluate would not do, as it answers from the highest peer of an
 * organisation, which hides exactly the lagging peer an operator looks for.
 */
async function peerHeight(session: CallerSession, network: Network, endpoint: string, tlsCa: string, hostAlias: string): Promise<bigint> {
    const proposal = network.getContract('qscc').newProposal('GetChainInfo', { arguments: [network.getName()] });
    const signer = signers.newPrivateKeySigner(createPrivateKey(readFileSync(session.identity.keyPath)));
    const signed = gateway.ProposedTransaction.deserializeBinary(proposal.getBytes()).getProposal();
    if (!signed) {
        throw new Error('no proposal to sign');
    }
    signed.setSignature(await signer(proposal.getDigest()));
    const client = new grpc.Client(endpoint, grpc.credentials.createSsl(readFileSync(tlsCa)), { 'grpc.ssl_target_name_override': hostAlias });
    try {
        const response = await new Promise<peer.ProposalResponse>((resolve, reject) => {
            client.makeUnaryRequest(
                '/protos.Endorser/ProcessProposal',
                (p: peer.SignedProposal) => Buffer.from(p.serializeBinary()),
                (bytes: Buffer) => peer.ProposalResponse.deserializeBinary(bytes),
                signed,
                new grpc.Metadata(),
                { deadline: Date.now() + PEER_TIMEOUT_MS },
                (err, value) => (err || !value ? reject(err ?? new Error('no response')) : resolve(value)),
            );
        });
        const answer = response.getResponse();
        if (!answer || answer.getStatus() !== 200) {
            throw new Error(`GetChainInfo answered ${String(answer?.getStatus())} ${answer?.getMessage() ?? ''}`);
        }
        return BigInt(common.BlockchainInfo.deserializeBinary(answer.getPayload_asU8()).getHeight());
    } finally {
        client.close();
    }
}

async function peerStatuses(sessions: Sessions, session: CallerSession, network: Network): Promise<PeerStatus[]> {
    const rows = Object.entries(sessions.profile.organizations).flatMap(([organization, org]) => org.peers.map((p) => ({ organization, mspId: org.mspId, p })));
    const peers = await Promise.all(
        rows.map(async ({ organization, mspId, p }): Promise<PeerStatus> => {
            const base = { name: p.name, organization, mspId, endpoint: p.endpoint, tier: p.tier, site: p.site };
            try {
                return { ...base, health: 'up', height: String(await peerHeight(session, network, p.endpoint, p.tlsCACertPath, p.hostAlias)) };
            } catch (err) {
                return { ...base, health: 'unreachable', error: err instanceof Error ? err.message : String(err) };
            }
        }),
    );
    const highest = peers.reduce((max, p) => (p.height !== undefined && BigInt(p.height) > max ? BigInt(p.height) : max), 0n);
    return peers.map((p) => (p.height === undefined ? p : { ...p, lag: Number(highest - BigInt(p.height)) }));
}

async function latestBlocks(network: Network, height: bigint, count: number): Promise<BlockSummary[]> {
    const qscc = network.getContract('qscc');
    const numbers: bigint[] = [];
    for (let n = height - 1n; n >= 0n && numbers.length < count; n--) {
        numbers.push(n);
    }
    return Promise.all(numbers.map(async (n) => summarizeBlock(common.Block.deserializeBinary(await qscc.evaluateTransaction('GetBlockByNumber', network.getName(), n.toString())))));
}

/** Who signed a certificate file's subject, for the caller line: `CN` of the wallet certificate. */
function commonName(certPath: string): string {
    const subject = new X509Certificate(readFileSync(certPath)).subject;
    return /CN=([^\n,]+)/.exec(subject)?.[1] ?? subject;
}

/**
 * `GET /v1/network/status`: the network view of the console (Hyperledger Explorer's dashboard): every peer of the
 * profile with tier, site, health and its own ledger height, the deployment mode, the block rate, and the latest
 * blocks with their transactions and endorsers. `GET /v1/network/whoami`: the identity the credentials map to.
 */
export function registerNetworkStatus(app: FastifyInstance, sessions: Sessions): void {
    const tags = ['network'];
    app.get('/v1/network/whoami', { schema: { operationId: 'whoAmINetwork', tags, summary: 'The wallet identity, organisation and MSP the credentials act as' } }, async (request) => {
        const session = await sessions.of(request.caller);
        return { identity: session.identity.name, organization: session.identity.organization, mspId: session.identity.mspId, commonName: commonName(session.identity.certPath) };
    });
    app.get(
        '/v1/network/status',
        {
            schema: {
                operationId: 'getNetworkStatus',
                tags,
                summary: 'Peers with tier, site, health and their own ledger height; deployment mode; block rate; the latest blocks with transactions and endorsers',
                querystring: Type.Object({ blocks: Type.Optional(Type.Integer({ minimum: 0, maximum: 50 })) }, { additionalProperties: false }),
            },
        },
        async (request): Promise<NetworkStatus> => {
            const session = await sessions.of(request.caller);
            const network = session.connection.gateway.getNetwork(sessions.profile.channel);
            const info = common.BlockchainInfo.deserializeBinary(await network.getContract('qscc').evaluateTransaction('GetChainInfo', network.getName()));
            const height = BigInt(info.getHeight());
            const [peers, blocks] = await Promise.all([peerStatuses(sessions, session, network), latestBlocks(network, height, (request.query as { blocks?: number }).blocks ?? 10)]);
            const rate = blockRate(blocks);
            return {
                name: sessions.profile.name,
                channel: sessions.profile.channel,
                deploymentMode: (sessions.profile as { deploymentMode?: string }).deploymentMode ?? 'unknown',
                caller: { identity: session.identity.name, organization: session.identity.organization, mspId: session.identity.mspId },
                peers,
                height: height.toString(),
                ...(rate === undefined ? {} : { blocksPerMinute: rate }),
                blocks,
            };
        },
    );
}
