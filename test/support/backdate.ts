import type { Contract, Gateway, ProposalOptions, SubmittedTransaction } from '@hyperledger/fabric-gateway';
import { common, gateway as gatewayProtos, peer } from '@hyperledger/fabric-protos';

/** google-protobuf's Timestamp, whose types lint can't resolve here. */
interface ProtoTimestamp {
    getSeconds(): number;
    getNanos(): number;
    setSeconds(seconds: number): void;
    setNanos(nanos: number): void;
}

/**
 * Endorses and submits a proposal whose timestamp the client moved by `shiftMillis` (negative: backdated). Fabric
 * itself never checks a proposal's timestamp; the gateway signs the altered proposal with the client's own key,
 * exactly what any client can do. The transaction id does not depend on the timestamp.
 */
export async function submitShifted(gateway: Gateway, contract: Contract, name: string, options: ProposalOptions, shiftMillis: number): Promise<SubmittedTransaction> {
    const proposed = gatewayProtos.ProposedTransaction.deserializeBinary(contract.newProposal(name, options).getBytes());
    const signed = proposed.getProposal();
    if (!signed) {
        throw new Error('proposal without a signed proposal');
    }
    const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
    const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    const timestamp = channelHeader.getTimestamp() as ProtoTimestamp | undefined;
    if (!timestamp) {
        throw new Error('proposal without a timestamp');
    }
    const millis = timestamp.getSeconds() * 1000 + Math.floor(timestamp.getNanos() / 1_000_000) + shiftMillis;
    timestamp.setSeconds(Math.floor(millis / 1000));
    timestamp.setNanos((millis % 1000) * 1_000_000);
    channelHeader.setTimestamp(timestamp as Parameters<typeof channelHeader.setTimestamp>[0]);
    header.setChannelHeader(channelHeader.serializeBinary());
    proposal.setHeader(header.serializeBinary());
    signed.setProposalBytes(proposal.serializeBinary());
    signed.setSignature(new Uint8Array());
    proposed.setProposal(signed);
    // Unsigned again: endorse() signs the altered bytes with the gateway's signer.
    const transaction = await gateway.newProposal(proposed.serializeBinary()).endorse();
    return transaction.submit();
}

/** Everything an endorsement error says, the endorsing peers' own messages included. */
export function endorsementFailure(err: unknown): string {
    const details = (err as { details?: { mspId?: string; message?: string }[] }).details ?? [];
    return [err instanceof Error ? err.message : String(err), ...details.map((d) => `${d.mspId ?? ''}: ${d.message ?? ''}`)].join('\n');
}
